/**
 * The playground page: a CodeMirror editor linted as you type, opened or dropped files, a rules
 * panel, share links and downloads. All linting happens in the worker (worker.ts) through the
 * web entry; this page never touches wasm and makes no network request after it has loaded.
 */
import { EditorView, basicSetup } from "codemirror";
import { javascript } from "@codemirror/lang-javascript";
import { linter, lintGutter, forceLinting, type Diagnostic as EditorDiagnostic } from "@codemirror/lint";
import { StateEffect, type Text } from "@codemirror/state";
import type { Finding, Report, RuleInfo } from "../../src/core";
import { formatters } from "../../src/format";
import { examplePlugin } from "./example";
import { sharedCode, shareUrl } from "./share";
import { isWalked, SKIPPED_DIRECTORIES } from "../../src/lintable";
import { MAX_EDITOR_BYTES, type FromWorker, type Input, type LintedDocument, type RuleSettings } from "./protocol";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLElement>("status");
const findingsList = $<HTMLOListElement>("findings");
const notesList = $<HTMLUListElement>("notes");
const summary = $<HTMLElement>("summary");
const progress = $<HTMLProgressElement>("progress");
const progressLabel = $<HTMLElement>("progress-label");
const sourceLabel = $<HTMLElement>("source-label");
const backToEditor = $<HTMLButtonElement>("back-to-editor");
const mapSources = $<HTMLElement>("map-sources");

const setStatus = (text: string) => (status.textContent = text);

// ---- the worker -------------------------------------------------------------------------------

const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
let nextId = 1;
const waiting = new Map<number, { resolve: (r: Extract<FromWorker, { type: "result" }>) => void; reject: (e: Error) => void }>();
let readyResolve: (rules: RuleInfo[]) => void;
const workerReady = new Promise<RuleInfo[]>((resolve) => (readyResolve = resolve));

worker.addEventListener("message", (event: MessageEvent<FromWorker>) => {
  const message = event.data;
  switch (message.type) {
    case "ready":
      $("version").textContent = `engine ${message.version}`;
      renderRules(message.rules);
      setStatus("ready");
      readyResolve(message.rules);
      break;
    case "failed":
      setStatus("failed");
      progressLabel.textContent = `The engine failed to load: ${message.message}`;
      break;
    case "progress":
      showProgress(message.done, message.total, message.current, message.bytes);
      break;
    case "result":
      waiting.get(message.id)?.resolve(message);
      waiting.delete(message.id);
      break;
    case "error":
      waiting.get(message.id)?.reject(new Error(message.message));
      waiting.delete(message.id);
      break;
  }
});

async function lintInWorker(inputs: Input[]) {
  await workerReady;
  const id = nextId++;
  setStatus("linting");
  const result = new Promise<Extract<FromWorker, { type: "result" }>>((resolve, reject) => waiting.set(id, { resolve, reject }));
  worker.postMessage({ type: "lint", id, inputs, rules: ruleSettings() });
  try {
    return await result;
  } finally {
    if (waiting.size === 0) hideProgress();
  }
}

function showProgress(done: number, total: number, current: string, bytes: number) {
  progress.hidden = false;
  // One big file is one engine call: no finer progress exists, so the bar is indeterminate.
  if (total > 1) {
    progress.max = total;
    progress.value = done;
  } else progress.removeAttribute("value");
  progressLabel.textContent = `Linting ${current} (${formatBytes(bytes)})${total > 1 ? `, file ${done + 1} of ${total}` : ""}…`;
}

function hideProgress() {
  progress.hidden = true;
  progressLabel.textContent = "";
}

const formatBytes = (bytes: number) =>
  bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : bytes >= 1e3 ? `${(bytes / 1e3).toFixed(1)} kB` : `${bytes} B`;

// ---- results ----------------------------------------------------------------------------------

/** What the findings list shows: the editor's text, or the documents of opened files. */
let shown: { mode: "editor" | "files"; documents: LintedDocument[] } = { mode: "editor", documents: [] };
let editorFilename = "plugin.js";

function renderResults(documents: LintedDocument[]) {
  findingsList.replaceChildren();
  notesList.replaceChildren();
  const many = shown.mode === "files";
  let count = 0;
  for (const doc of documents) {
    for (const finding of doc.report.findings) {
      findingsList.append(findingItem(finding, doc, many));
      count++;
    }
    for (const note of doc.report.diagnostics) {
      const li = document.createElement("li");
      li.className = `note note-${note.code}`;
      li.textContent = `${many ? `${note.file}:` : ""}${note.line}:${note.column} ${note.code}: ${note.message}`;
      notesList.append(li);
    }
  }
  const counts = { error: 0, warning: 0, info: 0 };
  for (const doc of documents) for (const f of doc.report.findings) counts[f.severity]++;
  summary.textContent =
    count === 0
      ? "No problems found."
      : `${count} finding${count === 1 ? "" : "s"}: ${counts.error} error${counts.error === 1 ? "" : "s"}, ${counts.warning} warning${counts.warning === 1 ? "" : "s"}${counts.info ? `, ${counts.info} info` : ""}`;
}

function findingItem(finding: Finding, doc: LintedDocument, showFile: boolean): HTMLLIElement {
  const li = document.createElement("li");
  li.className = `finding severity-${finding.severity}`;
  li.dataset.rule = finding.ruleId;
  li.dataset.line = String(finding.line);
  li.dataset.column = String(finding.column);
  li.dataset.file = finding.file;
  li.tabIndex = 0;
  const head = document.createElement("div");
  head.className = "finding-head";
  const severity = Object.assign(document.createElement("span"), { className: "severity", textContent: finding.severity });
  const rule = Object.assign(document.createElement("code"), { className: "rule", textContent: finding.ruleId });
  const position = Object.assign(document.createElement("span"), {
    className: "position",
    textContent: `${showFile ? `${finding.file}:` : ""}${finding.line}:${finding.column}`,
  });
  head.append(severity, rule, position);
  const message = Object.assign(document.createElement("div"), { className: "message", textContent: finding.message });
  li.append(head, message);
  if (finding.excerpt) {
    // The engine's excerpt: credentials already redacted to their first 4 and last 2 characters.
    const excerpt = Object.assign(document.createElement("pre"), { className: "excerpt", textContent: finding.excerpt });
    li.append(excerpt);
  }
  li.append(Object.assign(document.createElement("div"), { className: "help", textContent: `Fix: ${finding.help}` }));
  const jump = () => jumpTo(finding, doc);
  li.addEventListener("click", jump);
  li.addEventListener("keydown", (e) => e.key === "Enter" && jump());
  return li;
}

/** Select the finding's range in the editor (opening its document there first, if it is small enough). */
function jumpTo(finding: Finding, doc: LintedDocument) {
  if (shown.mode === "files") {
    if (doc.text === undefined) {
      progressLabel.textContent = `${doc.name} is too large to open in the editor (${formatBytes(doc.bytes)}); its findings are listed here.`;
      return;
    }
    openInEditor(doc.text, doc.name);
  }
  const range = rangeOf(view.state.doc, finding);
  view.dispatch({ selection: { anchor: range.from, head: range.to }, effects: EditorView.scrollIntoView(range.from, { y: "center" }) });
  view.focus();
}

/** Editor offsets of a finding: lines are 1-based, columns 1-based UTF-16 units, as CodeMirror counts. */
function rangeOf(doc: Text, finding: Finding) {
  const at = (line: number, column: number) => {
    const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
    return Math.min(l.from + Math.max(column - 1, 0), l.to);
  };
  const from = at(finding.line, finding.column);
  return { from, to: Math.max(from, at(finding.endLine, finding.endColumn)) };
}

// ---- the editor -------------------------------------------------------------------------------

const rulesChanged = StateEffect.define<null>();

/** The editor's linter: one debounced worker round trip per change, shown inline and in the list. */
const lintSource = linter(
  async (editor): Promise<EditorDiagnostic[]> => {
    if (shown.mode !== "editor") return [];
    const text = editor.state.doc.toString();
    const result = await lintInWorker([{ name: editorFilename, text }]);
    if (editor.state.doc.toString() !== text || shown.mode !== "editor") return []; // stale: a newer lint follows
    shown = { mode: "editor", documents: result.documents };
    renderResults(result.documents);
    setStatus("done");
    return result.documents.flatMap((doc) =>
      doc.report.findings.map((finding) => {
        const range = rangeOf(editor.state.doc, finding);
        return {
          ...range,
          severity: finding.severity,
          source: finding.ruleId,
          message: `${finding.message}\n${finding.help}`,
        };
      }),
    );
  },
  // A rule toggle changes the result without changing the text: it re-runs the linter too.
  { delay: 300, needsRefresh: (update) => update.transactions.some((tr) => tr.effects.some((e) => e.is(rulesChanged))) },
);

const view = new EditorView({
  parent: $("editor"),
  doc: "",
  extensions: [basicSetup, javascript({ jsx: true }), lintSource, lintGutter(), EditorView.lineWrapping],
});

function openInEditor(text: string, name: string) {
  shown = { mode: "editor", documents: [] };
  editorFilename = name;
  sourceLabel.textContent = name;
  backToEditor.hidden = true;
  mapSources.hidden = true;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

backToEditor.addEventListener("click", () => {
  shown = { mode: "editor", documents: [] };
  sourceLabel.textContent = editorFilename;
  backToEditor.hidden = true;
  mapSources.hidden = true;
  view.dispatch({ effects: rulesChanged.of(null) });
  forceLinting(view);
});

// ---- files: open and drag-and-drop ------------------------------------------------------------

/** A file to lint, named by its path in the project (a folder's or a `.zip`'s layout). */
interface NamedFile {
  name: string;
  file: File;
}

let lastOpenedFiles: NamedFile[] = [];
const isSourceFile = (name: string) => /\.(m|c)?(j|t)sx?$/i.test(name);
const named = (files: File[]): NamedFile[] => files.map((file) => ({ name: file.name, file }));

async function openFiles(files: NamedFile[], label = files.map((f) => f.name).join(", ")) {
  if (files.length === 0) return;
  // A single small source file simply becomes the editor's text; anything else is linted as files.
  if (files.length === 1 && isSourceFile(files[0].name) && files[0].file.size <= MAX_EDITOR_BYTES) {
    openInEditor(await files[0].file.text(), files[0].name);
    return;
  }
  lastOpenedFiles = files; // toggling a rule re-lints them
  shown = { mode: "files", documents: [] };
  sourceLabel.textContent = label;
  backToEditor.hidden = false;
  try {
    const result = await lintInWorker(files.map(({ name, file }) => ({ name, file })));
    if (shown.mode !== "files") return;
    shown = { mode: "files", documents: result.documents };
    renderMapSources(result.maps);
    renderResults(result.documents);
    setStatus("done");
  } catch (error) {
    setStatus("done");
    progressLabel.textContent = `Could not lint: ${String(error)}`;
  }
}

function renderMapSources(maps: { name: string; sources: string[] }[]) {
  mapSources.replaceChildren();
  mapSources.hidden = maps.length === 0;
  for (const map of maps) {
    const details = document.createElement("details");
    details.open = true;
    details.append(Object.assign(document.createElement("summary"), { textContent: `${map.name}: ${map.sources.length} source${map.sources.length === 1 ? "" : "s"}` }));
    const list = document.createElement("ul");
    for (const source of map.sources) list.append(Object.assign(document.createElement("li"), { textContent: source }));
    details.append(list);
    mapSources.append(details);
  }
}

const fileInput = $<HTMLInputElement>("file-input");
fileInput.addEventListener("change", () => {
  void openFiles(named(Array.from(fileInput.files ?? [])));
  fileInput.value = "";
});

/** A folder's files as a walk of it lints them, named by their path below the folder. */
function folderFiles(files: { path: string; file: File }[]): NamedFile[] {
  return files
    .map(({ path, file }) => ({ name: path.split("/").slice(1).join("/"), file }))
    .filter(({ name }) => name && isWalked(name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const folderInput = $<HTMLInputElement>("folder-input");
folderInput.addEventListener("change", () => {
  const files = Array.from(folderInput.files ?? []);
  const folder = files[0]?.webkitRelativePath.split("/")[0] ?? "";
  void openFiles(folderFiles(files.map((file) => ({ path: file.webkitRelativePath, file }))), `${folder}/`);
  folderInput.value = "";
});

/** Every file below a dropped folder, with its path from the folder (skipped directories unread). */
async function readFolder(root: FileSystemDirectoryEntry): Promise<{ path: string; file: File }[]> {
  const out: { path: string; file: File }[] = [];
  const walk = async (dir: FileSystemDirectoryEntry, prefix: string): Promise<void> => {
    const reader = dir.createReader();
    // readEntries answers in chunks (100 in Chromium) until it answers with none.
    for (;;) {
      const entries = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (entries.length === 0) return;
      for (const entry of entries) {
        const path = `${prefix}/${entry.name}`;
        if (entry.isDirectory) {
          if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(entry as FileSystemDirectoryEntry, path);
        } else if (entry.isFile) {
          out.push({ path, file: await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)) });
        }
      }
    }
  };
  await walk(root, root.name);
  return out;
}

const dropOverlay = $("drop-overlay");
let dragDepth = 0;
window.addEventListener("dragenter", (e) => {
  e.preventDefault();
  dragDepth++;
  dropOverlay.hidden = false;
});
window.addEventListener("dragleave", () => {
  if (--dragDepth <= 0) (dragDepth = 0), (dropOverlay.hidden = true);
});
window.addEventListener("dragover", (e) => e.preventDefault());
// Capture phase: a file dropped on the editor is opened as a file, not pasted by CodeMirror's own handler.
window.addEventListener(
  "drop",
  (e) => {
    dragDepth = 0;
    dropOverlay.hidden = true;
    const files = Array.from(e.dataTransfer?.files ?? []);
    if (files.length === 0) return; // dragged text: leave it to the editor
    e.preventDefault();
    e.stopPropagation();
    // Entries must be taken while the event lasts; a dropped folder is read as a project.
    const folders = Array.from(e.dataTransfer?.items ?? [])
      .map((item) => item.webkitGetAsEntry?.())
      .filter((entry): entry is FileSystemDirectoryEntry => entry?.isDirectory === true);
    if (folders.length === 0) return void openFiles(named(files));
    void Promise.all(folders.map(readFolder)).then((trees) => openFiles(folderFiles(trees.flat()), folders.map((f) => `${f.name}/`).join(", ")));
  },
  { capture: true },
);

// ---- rules panel ------------------------------------------------------------------------------

const disabledRules = new Set<string>();

function ruleSettings(): RuleSettings {
  return Object.fromEntries([...disabledRules].map((id) => [id, "off" as const]));
}

function renderRules(rules: RuleInfo[]) {
  const list = $<HTMLUListElement>("rules");
  list.replaceChildren();
  for (const rule of rules) {
    const li = document.createElement("li");
    li.dataset.rule = rule.id;
    const toggle = Object.assign(document.createElement("input"), { type: "checkbox", checked: true });
    toggle.dataset.ruleToggle = rule.id;
    toggle.addEventListener("change", () => {
      if (toggle.checked) disabledRules.delete(rule.id);
      else disabledRules.add(rule.id);
      relint();
    });
    const label = document.createElement("label");
    label.append(toggle, Object.assign(document.createElement("code"), { textContent: rule.id }));
    const severity = Object.assign(document.createElement("span"), { className: `severity severity-${rule.defaultSeverity}`, textContent: rule.defaultSeverity });
    const text = Object.assign(document.createElement("span"), { className: "rule-summary", textContent: rule.summary });
    const docs = document.createElement("details");
    docs.append(
      Object.assign(document.createElement("summary"), { textContent: "docs" }),
      Object.assign(document.createElement("div"), { className: "docs", textContent: rule.docs }),
    );
    li.append(label, severity, text, docs);
    list.append(li);
  }
}

function relint() {
  if (shown.mode === "editor") {
    view.dispatch({ effects: rulesChanged.of(null) });
    forceLinting(view);
  } else void openFiles(lastOpenedFiles);
}


// ---- share and download -----------------------------------------------------------------------

const shareLink = $<HTMLInputElement>("share-link");
$("share").addEventListener("click", async () => {
  shareLink.value = await shareUrl(view.state.doc.toString(), location);
  $("share-box").hidden = false;
  shareLink.select();
  try {
    await navigator.clipboard.writeText(shareLink.value);
    $("share-copied").textContent = "Copied to the clipboard.";
  } catch {
    $("share-copied").textContent = "Copy the link above.";
  }
});

function download(name: string, type: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const reports = (): Report[] => shown.documents.map((d) => d.report);
$("download-json").addEventListener("click", () => download("flexguard.json", "application/json", formatters.json(reports())));

// SARIF lists the engine's rules (tool.driver.rules), which the worker sends once it is ready.
$("download-sarif").addEventListener("click", async () => {
  const rules = await workerReady;
  download("flexguard.sarif", "application/sarif+json", formatters.sarif(reports(), { rules }));
});

// ---- start ------------------------------------------------------------------------------------

async function start() {
  const code = (await sharedCode(location.hash)) ?? examplePlugin();
  sourceLabel.textContent = editorFilename;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
}

void start();
