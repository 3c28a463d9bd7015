/**
 * The lint worker: owns the engine (through the web entry), reads dropped files and lints them
 * (the engine expands source maps), so that a 10 MB bundle never blocks the page. One request at
 * a time, in order.
 */
import { loadFlexguard, type BrowserFlexguard, type Report } from "../../src/web";
import { isWalked } from "../../src/lintable";
import { MAX_EDITOR_BYTES, type FromWorker, type Input, type LintedDocument, type ToWorker } from "./protocol";
import { readZip, withoutCommonFolder } from "./zip";

const post = (message: FromWorker) => (self as unknown as Worker).postMessage(message);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Each `.zip` among the inputs replaced by the files it holds (named by their paths, without the
 * folder a downloaded repository sits in); what could not be read becomes a document's note.
 */
async function expandArchives(inputs: Input[], notes: LintedDocument[]): Promise<Input[]> {
  const out: Input[] = [];
  for (const input of inputs) {
    if (!input.file || !input.name.toLowerCase().endsWith(".zip")) {
      out.push(input);
      continue;
    }
    try {
      const { entries, skipped } = await readZip(await input.file.arrayBuffer(), isWalked);
      for (const entry of withoutCommonFolder(entries)) out.push({ name: entry.name, text: decoder.decode(entry.bytes) });
      if (skipped.length > 0) notes.push(note(input.name, `${skipped.length} entries not read: ${skipped.slice(0, 5).join("; ")}`));
    } catch (error) {
      notes.push(note(input.name, `${error instanceof Error ? error.message : String(error)}; not linted`));
    }
  }
  return out;
}

const note = (name: string, message: string): LintedDocument => ({
  name,
  bytes: 0,
  report: { findings: [], diagnostics: [{ code: "unreadable", message, file: name, line: 1, column: 1 }] },
});

async function lint(flexguard: BrowserFlexguard, request: ToWorker) {
  const documents: LintedDocument[] = [];
  const maps: { name: string; sources: string[] }[] = [];
  const read: { name: string; text: string; bytes: number; report: Report }[] = [];
  const inputs = await expandArchives(request.inputs, documents);
  for (const [index, input] of inputs.entries()) {
    const text = input.text ?? (await input.file!.text());
    const bytes = encoder.encode(text).length;
    post({ type: "progress", id: request.id, done: index, total: inputs.length, current: input.name, bytes });
    await flexguard.ready(); // after a trap, the replacement instance may still be loading
    read.push({ name: input.name, text, bytes, report: flexguard.lint(text, { filename: input.name, rules: request.rules, summarize: true }) });
  }
  // Files dropped together are one project: URLs, wrappers and env values defined in one are
  // followed to the others, as the CLI does. Nothing leaves the page.
  const envFiles = read.filter(({ name }) => name.split("/").pop()!.startsWith(".env")).map(({ name, text }) => ({ path: name, text }));
  const finals = flexguard.judgeProject(
    read.map((file) => ({ ...file, path: file.name })),
    envFiles,
    (file, again) => flexguard.lint(file.text, { filename: file.name, rules: request.rules, ...again }),
  );
  for (const [i, file] of read.entries()) {
    const report = finals[i];
    // The engine lints a map through its sources and names them; the page shows their texts.
    const sources = file.name.toLowerCase().endsWith(".map") ? flexguard.mapSources(file.text, file.name) : [];
    if (sources.length === 0) {
      documents.push({ name: file.name, bytes: file.bytes, text: file.bytes <= MAX_EDITOR_BYTES ? file.text : undefined, report });
      continue;
    }
    maps.push({ name: file.name, sources: sources.map((source) => source.name) });
    // One document per embedded source, holding the findings the engine reported in it.
    for (const source of sources.filter((source) => source.text !== undefined)) {
      const findings = report.findings.filter((finding) => finding.file === source.name);
      const diagnostics = report.diagnostics.filter((diagnostic) => diagnostic.file === source.name);
      const size = encoder.encode(source.text!).length;
      documents.push({ name: source.name, map: file.name, bytes: size, text: size <= MAX_EDITOR_BYTES ? source.text : undefined, report: { findings, diagnostics } });
    }
  }
  post({ type: "result", id: request.id, documents, maps });
}

// dist/ layout: worker.js next to wasm/flexguard.js (the web glue) and wasm/flexguard_bg.wasm.
const loaded = loadFlexguard({ glueUrl: new URL("./wasm/flexguard.js", import.meta.url) });

let queue = Promise.resolve();
self.addEventListener("message", (event: MessageEvent<ToWorker>) => {
  const request = event.data;
  queue = queue.then(async () => {
    try {
      await lint(await loaded, request);
    } catch (error) {
      post({ type: "error", id: request.id, message: String(error) });
    }
  });
});

loaded.then(
  (flexguard) => post({ type: "ready", rules: flexguard.rules(), version: flexguard.version() }),
  (error) => post({ type: "failed", message: String(error) }),
);
