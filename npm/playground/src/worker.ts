/**
 * The lint worker: owns the engine (through the web entry), reads dropped files, expands source
 * maps and lints, so that a 10 MB bundle never blocks the page. One request at a time, in order.
 */
import { loadFlexguard, type BrowserFlexguard } from "../../src/web";
import { MAX_EDITOR_BYTES, type FromWorker, type Input, type LintedDocument, type ToWorker } from "./protocol";

const post = (message: FromWorker) => (self as unknown as Worker).postMessage(message);

interface SourceMap {
  sources?: unknown;
  sourcesContent?: unknown;
}

/** A file is treated as a source map when it is named `.map` or is JSON with `sources` and `mappings`. */
function asSourceMap(name: string, text: string): SourceMap | undefined {
  const looksLikeMap = name.endsWith(".map") || /^\s*\{[\s\S]*"mappings"\s*:/.test(text.slice(0, 4096));
  if (!looksLikeMap) return undefined;
  try {
    const map = JSON.parse(text) as SourceMap;
    return Array.isArray(map.sources) ? map : undefined;
  } catch {
    return undefined;
  }
}

const encoder = new TextEncoder();

/** The documents to lint for one input: itself, or each embedded source of a source map. */
function documentsOf(input: Input, text: string) {
  const map = asSourceMap(input.name, text);
  if (!map) return { documents: [{ name: input.name, text }], map: undefined };
  const sources = (map.sources as unknown[]).map(String);
  const contents = Array.isArray(map.sourcesContent) ? map.sourcesContent : [];
  const documents = sources.flatMap((source, i) => (typeof contents[i] === "string" ? [{ name: source, text: contents[i] as string, map: input.name }] : []));
  return { documents, map: { name: input.name, sources } };
}

async function lint(flexguard: BrowserFlexguard, request: ToWorker) {
  const documents: LintedDocument[] = [];
  const maps: { name: string; sources: string[] }[] = [];
  const pending: { name: string; text: string; map?: string }[] = [];
  for (const input of request.inputs) {
    const text = input.text ?? (await input.file!.text());
    const expanded = documentsOf(input, text);
    pending.push(...expanded.documents);
    if (expanded.map) maps.push(expanded.map);
  }
  for (const [index, doc] of pending.entries()) {
    const bytes = encoder.encode(doc.text).length;
    post({ type: "progress", id: request.id, done: index, total: pending.length, current: doc.name, bytes });
    await flexguard.ready(); // after a trap, the replacement instance may still be loading
    const report = flexguard.lint(doc.text, { filename: doc.name, rules: request.rules });
    documents.push({ name: doc.name, map: doc.map, bytes, text: bytes <= MAX_EDITOR_BYTES ? doc.text : undefined, report });
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
