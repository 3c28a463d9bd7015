/**
 * Node entry: the core over the `nodejs` wasm-bindgen build, plus files, config and workers.
 * `require('flexguard')` and `import 'flexguard'` both land here.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Engine, Flexguard, LintOptions, Report, RuleSetting } from "./core";
import { applyBaseline, Baseline, withoutFingerprints } from "./baseline";
import { applyFirstParty, ignoreMatcher, loadConfig, LoadedConfig } from "./config";
import { displayPath, expandPaths } from "./files";

export * from "./core";
export * from "./config";
export { formatters } from "./format";
export type { Formatter, FormatOptions, FormatterName, Verification, ReportedFinding } from "./format";
export { SOURCE_EXTENSIONS, TEXT_EXTENSIONS, SKIPPED_DIRECTORIES, expandPaths, displayPath, isLintable } from "./files";
export type { ExpandOptions } from "./files";
export { globToRegExp } from "./glob";
export { verifyCredentials, verifyPair, credentialPairs, DEFAULT_TWILIO_API_BASE } from "./verify";
export type { CredentialPair, VerifyOptions } from "./verify";

const GLUE = path.join(__dirname, "..", "wasm", "nodejs", "flexguard.js");

/** Load a fresh instance: the glue instantiates at require time, so drop it from the cache. */
function instantiate(): Engine {
  delete require.cache[require.resolve(GLUE)];
  return require(GLUE) as Engine;
}

/** The process-wide engine. */
export const flexguard = new Flexguard(instantiate);

/**
 * For a one-shot process (the CLI, a commit hook): keep V8's baseline wasm compiler. Tiering the
 * engine's hot functions up to TurboFan costs more than a run of seconds gets back, and the
 * process would wait for those compile jobs before it exits. Measured on this 2-core machine:
 * one 5 KB file 0.45 s → 0.25 s; the 9.4 MB bench corpus 1.8 s → 1.3 s (bench/run.js). V8
 * flags are process-wide (worker threads included) and apply to modules compiled later, so
 * this is for processes, not libraries.
 */
export function preferFastStart(): void {
  // Loaded here: `v8` pulls in streams and heap utilities (~10 ms of start-up).
  (require("v8") as typeof import("v8")).setFlagsFromString("--liftoff-only");
}

/** Lint one source text. See `Flexguard#lint`. */
export function lint(source: string, options: LintOptions = {}): Report {
  return flexguard.lint(source, options);
}

/** Every rule of the registry. */
export function rules() {
  return flexguard.rules();
}

/**
 * The external source map of a bundle, as text: the file its `//# sourceMappingURL=` comment
 * names, else `<file>.map` next to it (Flex builds use `hidden-source-map`: no comment). Inline
 * `data:` maps are left to the engine; `.map` files themselves have none. Unreadable → undefined.
 */
export function readSourceMap(file: string, source: string): string | undefined {
  if (file.toLowerCase().endsWith(".map")) return undefined;
  // The comment is the last line of a bundle; look only at the tail (bundles are megabytes).
  const tail = source.slice(-2048);
  const url = /\/\/[#@] sourceMappingURL=([^\s'"*]+)\s*(?:\*\/)?\s*$/.exec(tail)?.[1];
  if (url?.startsWith("data:")) return undefined;
  const candidate = url && !/^[a-z][a-z0-9+.-]*:/i.test(url) ? path.resolve(path.dirname(file), decodeURIComponent(url.split(/[?#]/)[0])) : `${file}.map`;
  try {
    return fs.readFileSync(candidate, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Read and lint one file (invalid UTF-8 is replaced, the rest still scanned). A bundle's external
 * source map is read too (see `readSourceMap`), so findings carry their original position.
 */
export function lintFile(file: string, options: LintOptions = {}): Report {
  const source = fs.readFileSync(file, "utf8");
  const sourceMap = options.sourceMap ?? readSourceMap(file, source);
  return lint(source, { ...options, filename: options.filename ?? displayPath(file), ...(sourceMap === undefined ? {} : { sourceMap }) });
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

export interface LintFilesOptions {
  /** Paths are resolved, and findings' `file` shown, relative to this directory (default: cwd). */
  cwd?: string;
  /**
   * The config: a `LoadedConfig` (from `loadConfig`), `false` for none, or omitted to search
   * `flexguard.config.json` / package.json `"flexguard"` upward from `cwd`.
   */
  config?: LoadedConfig | false;
  /** Severity overrides by rule id; they win over the config's `rules`. */
  rules?: Record<string, RuleSetting>;
  /** Report only findings not in this baseline. */
  baseline?: Baseline;
  /** Honour .gitignore while walking directories (default true). */
  gitignore?: boolean;
  /** Worker threads to use (default: CPU count, at most 4; 1 = lint on this thread). */
  concurrency?: number;
  /** Use workers from this many files on (default 64), or from 1.5 MB of input: below both, start-up costs more than it saves. */
  parallelThreshold?: number;
  /** Called after each file with (done, total), in completion order. */
  onProgress?: (done: number, total: number) => void;
}

/** From this much input on, worker threads pay for their start-up even for a few big files (bundles). */
const PARALLEL_BYTES = 1.5 * 1024 * 1024;

/** A file's size, 0 when unreadable (it becomes an io-error diagnostic later). */
function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function totalBytes(files: string[]): number {
  let total = 0;
  for (const file of files) {
    total += fileSize(file);
    if (total >= PARALLEL_BYTES) break;
  }
  return total;
}

/** The config `lintFiles` uses for these options. */
export function resolveConfig(options: Pick<LintFilesOptions, "cwd" | "config"> = {}): LoadedConfig {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  if (options.config === false) return { config: {}, baseDir: cwd };
  return options.config ?? loadConfig(cwd, rules());
}

/**
 * What a config and a baseline do to reports once they exist: drop allowlisted fingerprints,
 * api-call findings outside first-party code, and baselined findings. Shared by `lintFiles`
 * and the CLI's `--stdin`.
 */
export function applyConfig(reports: Report[], loaded: LoadedConfig, options: { baseline?: Baseline; cwd?: string } = {}): Report[] {
  let out = withoutFingerprints(reports, loaded.config.allow ?? []);
  out = applyFirstParty(out, loaded, rules(), options.cwd);
  return options.baseline ? applyBaseline(out, options.baseline) : out;
}

/** Lint `files` on a small pool of worker threads; reports come back in `files` order. */
async function lintInWorkers(files: string[], optionsFor: (file: string) => LintOptions, workers: number, onDone: () => void): Promise<Report[]> {
  const { Worker } = await import("worker_threads");
  const reports: Report[] = new Array(files.length);
  // Largest first, so that no worker starts a big bundle when the others are nearly done.
  const order = files.map((file, index) => ({ index, size: fileSize(file) })).sort((a, b) => b.size - a.size);
  let next = 0;
  const runOne = (worker: InstanceType<typeof Worker>) =>
    new Promise<void>((resolve, reject) => {
      const send = () => {
        if (next >= order.length) return resolve();
        const { index } = order[next++];
        worker.postMessage({ index, file: files[index], options: optionsFor(files[index]) });
      };
      worker.on("message", ({ index, report }: { index: number; report: Report }) => {
        reports[index] = report;
        onDone();
        send();
      });
      worker.on("error", reject);
      send();
    });
  const pool = Array.from({ length: workers }, () => new Worker(path.join(__dirname, "worker.js")));
  try {
    await Promise.all(pool.map(runOne));
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return reports;
}

/**
 * Lint files, directories and globs. Resolves to one report per file, in a deterministic order
 * (arguments in turn, directory entries sorted), with the config (severities, `ignore`,
 * `allow`, `firstParty`) and the baseline applied. Unreadable files yield an `io-error`
 * diagnostic. Many files are linted in parallel on worker threads.
 */
export async function lintFiles(paths: string[], options: LintFilesOptions = {}): Promise<Report[]> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const loaded = resolveConfig(options);
  const files = expandPaths(paths, { cwd, isIgnored: ignoreMatcher(loaded), gitignore: options.gitignore });
  const ruleSettings = { ...loaded.config.rules, ...options.rules };
  const functionDomains = loaded.config.functionDomains;
  const optionsFor = (file: string): LintOptions => ({ filename: displayPath(file, cwd), rules: ruleSettings, ...(functionDomains ? { functionDomains } : {}) });
  // Invalid rule ids throw here, once, instead of in every worker.
  lint("", { rules: ruleSettings });

  let done = 0;
  const onDone = () => options.onProgress?.(++done, files.length);
  const workers = Math.max(1, Math.min(options.concurrency ?? Math.min(4, os.cpus().length), files.length));
  let reports: Report[];
  if (workers > 1 && (files.length >= (options.parallelThreshold ?? 64) || totalBytes(files) >= PARALLEL_BYTES)) {
    reports = await lintInWorkers(files, optionsFor, workers, onDone);
  } else {
    reports = [];
    for (const file of files) {
      reports.push(lintFileReport(file, optionsFor(file)));
      onDone();
    }
  }
  return applyConfig(reports, loaded, { baseline: options.baseline, cwd });
}
