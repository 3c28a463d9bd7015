/**
 * The engine in Node: its wasm compiled once per process (worker threads receive the compiled
 * module instead of compiling their own), the process-wide instance, and linting a file from its
 * bytes. Kept apart from node.ts so that a worker thread loads only this.
 */
import * as fs from "fs";
import * as path from "path";
import { Engine, Flexguard, LintOptions, Report } from "./core";
import { displayPath } from "./files";

const GLUE = path.join(__dirname, "..", "wasm", "nodejs", "flexguard.js");
const WASM = path.join(__dirname, "..", "wasm", "nodejs", "flexguard_bg.wasm");
/** Where the nodejs glue looks for a module compiled by its host (see tools/build-wasm.sh). */
const COMPILED = Symbol.for("flexguard.wasmModule");
const shared = globalThis as { [COMPILED]?: WebAssembly.Module };

/**
 * The engine's compiled module, compiled on first use. V8 compiles a module's functions lazily,
 * on their first call, into code that every instance of the module shares, across threads too.
 */
export function compiledEngine(): WebAssembly.Module {
  return (shared[COMPILED] ??= new WebAssembly.Module(fs.readFileSync(WASM)));
}

/** Use a module compiled by another thread (a worker gets its parent's). */
export function adoptCompiledEngine(module: WebAssembly.Module): void {
  shared[COMPILED] = module;
}

/** A fresh instance: the glue instantiates when it is required, so drop it from the cache first. */
function instantiate(): Engine {
  compiledEngine();
  delete require.cache[require.resolve(GLUE)];
  return require(GLUE) as Engine;
}

/** The process-wide engine (one per thread). */
export const flexguard = new Flexguard(instantiate);

/**
 * The external source map of a bundle, as text: the file its `//# sourceMappingURL=` comment
 * names, else `<file>.map` next to it (Flex builds use `hidden-source-map`: no comment). Inline
 * `data:` maps are left to the engine; `.map` files themselves have none. Unreadable → undefined.
 */
export function readSourceMap(file: string, source: string | Uint8Array): string | undefined {
  if (file.toLowerCase().endsWith(".map")) return undefined;
  // The comment is the last line of a bundle; look only at the tail (bundles are megabytes).
  const tail = typeof source === "string" ? source.slice(-2048) : Buffer.from(source.buffer, source.byteOffset, source.byteLength).subarray(-2048).toString("utf8");
  const url = /\/\/[#@] sourceMappingURL=([^\s'"*]+)\s*(?:\*\/)?\s*$/.exec(tail)?.[1];
  if (url?.startsWith("data:")) return undefined;
  let candidate = `${file}.map`;
  if (url && !/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    try {
      candidate = path.resolve(path.dirname(file), decodeURIComponent(url.split(/[?#]/)[0]));
    } catch {
      return undefined; // a malformed URL names no file
    }
  }
  // Most files have no map: ask without the cost of a thrown error per file.
  if (!fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) return undefined;
  try {
    return fs.readFileSync(candidate, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Read and lint one file (invalid UTF-8 is replaced, the rest still scanned). Its bytes go to
 * the engine as they are. A bundle's external source map is read too (see `readSourceMap`), so
 * findings carry their original position.
 */
export function lintFile(file: string, options: LintOptions = {}): Report {
  const read = readForLint(file, options);
  return flexguard.lint(read.source, read.options);
}

/**
 * A file's bytes, and the options to lint it with: its display name and its source map added.
 * With `shared`, the bytes are in a `SharedArrayBuffer`, which worker threads read without a
 * copy. Throws if unreadable.
 */
export function readForLint(file: string, options: LintOptions, shared = false): { source: Uint8Array; options: LintOptions } {
  const source = shared ? readShared(file) : fs.readFileSync(file);
  const sourceMap = options.sourceMap ?? readSourceMap(file, source);
  return { source, options: { ...options, filename: options.filename ?? displayPath(file), ...(sourceMap === undefined ? {} : { sourceMap }) } };
}

function readShared(file: string): Uint8Array {
  const fd = fs.openSync(file, "r");
  try {
    const bytes = new Uint8Array(new SharedArrayBuffer(fs.fstatSync(fd).size));
    let read = 0;
    for (let n = 1; n > 0 && read < bytes.length; read += n) n = fs.readSync(fd, bytes, read, bytes.length - read, read);
    return read < bytes.length ? bytes.subarray(0, read) : bytes;
  } finally {
    fs.closeSync(fd);
  }
}

/** Like `lintFile`, but an unreadable file becomes an `io-error` diagnostic instead of a throw. */
export function lintFileReport(file: string, options: LintOptions = {}): Report {
  try {
    return lintFile(file, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!code) throw error;
    return { findings: [], diagnostics: [{ code: "io-error", message: `cannot read the file (${code})`, file: options.filename ?? displayPath(file), line: 1, column: 1 }] };
  }
}
