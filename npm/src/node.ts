/**
 * Node entry: the core over the `nodejs` wasm-bindgen build, plus files, projects (a config and
 * the lint options it gives each file) and the worker pool.
 * `require('flexguard')` and `import 'flexguard'` both land here.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LintOptions, Report, RuleSetting, Runtime } from "./core";
import { applyBaseline, Baseline, withoutFingerprints } from "./baseline";
import { globsFromRoot, ignoreMatcher, loadConfig, LoadedConfig, readConfigFile } from "./config";
import { displayPath, expandPaths } from "./files";
import { gitRoot } from "./glob";
import { fileSize, SPLIT_BYTES, WorkerPool, workersFor } from "./pool";
import { flexguard, lintFileReport } from "./engine";
import { ReportCache } from "./cache";
import { PACKAGE_MARKERS, unignoredEnvFacts } from "./repository";

export * from "./core";
export * from "./config";
export { formatters } from "./format";
export type { Formatter, FormatOptions, FormatterName, Verification, ReportedFinding } from "./format";
export { SOURCE_EXTENSIONS, TEXT_EXTENSIONS, SKIPPED_DIRECTORIES, expandPaths, displayPath, isLintable } from "./files";
export type { ExpandOptions } from "./files";
export { globToRegExp } from "./glob";
export { verifyCredentials, verifyPair, credentialPairs, DEFAULT_TWILIO_API_BASE } from "./verify";
export type { CredentialPair, VerifyOptions } from "./verify";

export { flexguard, lintFile, lintFileReport, readSourceMap } from "./engine";

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

/** Lint one source text (or its UTF-8 bytes). See `Flexguard#lint`. */
export function lint(source: string | Uint8Array, options: LintOptions = {}): Report {
  return flexguard.lint(source, options);
}

/** Every rule of the registry. */
export function rules() {
  return flexguard.rules();
}

/** Where a project's config comes from, as every Node host accepts it. */
export interface ProjectOptions {
  /** Relative paths are resolved, the config searched and findings' `file` shown from here (default: cwd). */
  cwd?: string;
  /**
   * The config: a file (relative to `cwd`), a `LoadedConfig`, `false` for none, or omitted to
   * search `flexguard.config.json` / package.json `"flexguard"` upward from `cwd`.
   */
  config?: string | LoadedConfig | false;
  /** Severity overrides by rule id; they win over the config's `rules`. */
  rules?: Record<string, RuleSetting>;
  /** Show findings' `file` relative to this directory instead of `cwd` (pre-commit shows repository paths). */
  displayRoot?: string;
}

/** A project as every Node host lints it: one config, one way from it to the engine's options. */
export interface Project {
  /**
   * The project root: the nearest directory at or above `cwd` holding `.git` (a directory, or a
   * file in worktrees and submodules), else the config file's directory, else `cwd`.
   */
  root: string;
  /** The config in effect and where it came from. */
  loaded: LoadedConfig;
  /** The engine's options for one file (absolute, or relative to `cwd`): shown and project paths, rule levels, Function hosts. */
  optionsFor(file: string): LintOptions;
  /** True when the config's `ignore` globs match the file (absolute, or relative to `cwd`). */
  isIgnored(file: string): boolean;
  /** The config's `allow`, then the baseline, applied to finished reports. */
  applyConfig(reports: Report[], baseline?: Baseline): Report[];
}

/**
 * The one way from a config to lint options, for the CLI, `lintFiles`, pre-commit and the
 * webpack plugin. Throws a `ConfigError` for an invalid or unreadable config, and an `Error`
 * for an unknown rule id in `rules`.
 */
export function resolveProject(options: ProjectOptions = {}): Project {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const displayRoot = path.resolve(cwd, options.displayRoot ?? cwd);
  const loaded = loadProjectConfig(cwd, options.config);
  const root = gitRoot(cwd) ?? (loaded.path ? path.dirname(loaded.path) : cwd);
  const ruleSettings = { ...loaded.config.rules, ...options.rules };
  const { functionDomains, firstParty, runtimes } = loaded.config;
  const judging: LintOptions = {
    ...(functionDomains ? { functionDomains } : {}),
    ...(firstParty ? { firstParty: globsFromRoot(firstParty, loaded, root) } : {}),
    ...(runtimes ? { runtimes: Object.fromEntries(Object.entries(runtimes).map(([runtime, globs]) => [runtime, globsFromRoot(globs, loaded, root)])) } : {}),
  };
  // Unknown rule ids throw here, once, rather than for every file (or in every worker).
  lint("", { rules: ruleSettings });
  const ignored = ignoreMatcher(loaded);
  return {
    root,
    loaded,
    optionsFor: (file) => {
      const absolute = path.resolve(cwd, file);
      return {
        filename: displayPath(absolute, displayRoot),
        // Fingerprints hash the path from the project root: the same from any directory.
        projectPath: displayPath(absolute, root),
        rules: ruleSettings,
        ...judging,
      };
    },
    // Without `ignore` globs, no path is resolved for each of the walk's entries.
    isIgnored: ignored ? (file) => ignored(path.resolve(cwd, file)) : () => false,
    applyConfig: (reports, baseline) => applyConfig(reports, loaded, { baseline }),
  };
}

function loadProjectConfig(cwd: string, config: ProjectOptions["config"]): LoadedConfig {
  if (config === false) return { config: {}, baseDir: cwd };
  if (config === undefined) return loadConfig(cwd, rules);
  if (typeof config !== "string") return config;
  const file = path.resolve(cwd, config);
  return { config: readConfigFile(file, rules()), path: file, baseDir: path.dirname(file) };
}

/**
 * What a config and a baseline do to reports once they exist: drop allowlisted fingerprints,
 * and baselined findings (first-party code is the engine's to judge). `Project#applyConfig`
 * calls it for every host.
 */
export function applyConfig(reports: Report[], loaded: LoadedConfig, options: { baseline?: Baseline } = {}): Report[] {
  const out = withoutFingerprints(reports, loaded.config.allow ?? []);
  return options.baseline ? applyBaseline(out, options.baseline) : out;
}

export interface LintFilesOptions extends Omit<ProjectOptions, "displayRoot"> {
  /** Report only findings not in this baseline. */
  baseline?: Baseline;
  /** Honour .gitignore while walking directories (default true). */
  gitignore?: boolean;
  /**
   * Threads to lint on, this one included (default: CPU count, at most 4; 1 = this thread
   * only).
   * Worker threads are started only when they finish a batch sooner than this thread alone (an
   * estimate from the files' count and sizes), and then kept, idle and unreferenced, for later
   * calls in the same process.
   */
  concurrency?: number;
  /** Use every worker from this many files on, and none below, instead of the estimate. */
  parallelThreshold?: number;
  /** Called after each file with (done, total), in completion order. */
  onProgress?: (done: number, total: number) => void;
  /** Follow URLs, helpers and env values across files (default true); false lints file by file. */
  project?: boolean;
  /**
   * Reuse each unchanged file's first-pass report from `node_modules/.cache/flexguard` at the
   * project root (default true; only where `node_modules` exists). Cross-file findings are
   * recomputed whenever any file or env file changed.
   */
  cache?: boolean;
  /**
   * Called once with where each file runs and the imports the project stage could not follow.
   * Listing those costs the project stage every import of every file: pass it only to show it.
   */
  onProject?: (overview: ProjectOverview) => void;
}

/** What the project stage made of the linted files (`flexguard --print-project`). */
export interface ProjectOverview {
  files: { file: string; runtime: Runtime }[];
  unresolved: { file: string; line: number; specifier: string }[];
}

/**
 * Lint files, directories and globs. Resolves to one report per file, in a deterministic order
 * (arguments in turn, directory entries sorted), with the config (severities, `ignore`,
 * `allow`, `firstParty`) and the baseline applied. Unreadable files yield an `io-error`
 * diagnostic. Many files are linted in parallel on worker threads.
 */
export async function lintFiles(paths: string[], options: LintFilesOptions = {}): Promise<Report[]> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  // Threads in all, this one included; workers are started only for a batch worth them.
  const threads = Math.max(1, options.concurrency ?? Math.min(4, os.availableParallelism?.() ?? os.cpus().length));
  // A directory usually holds enough files to share: one worker starts now, so that its own
  // start-up overlaps the config and the walk instead of delaying the first batch.
  if (threads > 1 && options.parallelThreshold === undefined && paths.some((p) => isDirectory(path.resolve(cwd, p)))) WorkerPool.shared().prestart(1);
  const project = resolveProject({ cwd, config: options.config, rules: options.rules });
  const files = expandPaths(paths, { cwd, isIgnored: project.isIgnored, gitignore: options.gitignore });

  let done = 0;
  const onDone = () => options.onProgress?.(++done, files.length);
  const lintFilesOf = async (batch: string[], sizes: number[], optionsFor: (file: string) => LintOptions, progress: () => void): Promise<Report[]> => {
    if (threads > 1 && batch.length > 1) {
      const pool = WorkerPool.shared();
      const { parallelThreshold } = options;
      const workers = parallelThreshold === undefined ? workersFor(sizes, threads - 1, pool.size) : batch.length >= parallelThreshold ? threads - 1 : 0;
      if (workers > 0) return pool.lint(batch, optionsFor, progress, workers, sizes);
    }
    return batch.map((file) => {
      const report = lintFileReport(file, optionsFor(file));
      progress();
      return report;
    });
  };
  const lintAll: LintAll = async (batch, optionsFor, progress) => {
    const sizes = threads > 1 ? batch.map(fileSize) : [];
    const large = (i: number) => sizes[i] >= SPLIT_BYTES;
    if (!batch.some((_, i) => large(i))) return lintFilesOf(batch, sizes, optionsFor, progress);
    // A large bundle one at a time: its modules are shared between the threads.
    const reports: Report[] = new Array(batch.length);
    for (const [i, file] of batch.entries()) {
      if (!large(i)) continue;
      reports[i] = await WorkerPool.shared().lintLarge(file, optionsFor(file), threads - 1);
      progress();
    }
    const small = batch.map((_, i) => i).filter((i) => !large(i));
    const others = await lintFilesOf(small.map((i) => batch[i]), small.map((i) => sizes[i]), optionsFor, progress);
    small.forEach((i, k) => (reports[i] = others[k]));
    return reports;
  };
  const reports = await lintProject(files, project, options, lintAll, onDone);
  return withRepositoryFindings(reports, files, project, cwd, options.baseline);
}

/**
 * Reports of the repository facts found among `files` (packages whose `.env` git would not
 * ignore), each placed before the report of the manifest that marks its package. `reports` are
 * one per file, in `files`' order.
 */
function withRepositoryFindings(reports: Report[], files: string[], project: Project, cwd: string, baseline: Baseline | undefined): Report[] {
  const facts = unignoredEnvFacts(files, project.root);
  if (facts.length === 0) return reports;
  const options = project.optionsFor(path.join(project.root, "package.json"));
  const judged = facts.flatMap(({ fact, base }) =>
    flexguard.judgeFacts([fact], options).findings.map((finding) => ({ findings: [{ ...finding, file: displayPath(path.join(base, finding.file), cwd) }], diagnostics: [] })),
  );
  const shown = project.applyConfig(judged, baseline);
  const placed = shown.map((report) => {
    const dir = path.dirname(path.resolve(cwd, report.findings[0]?.file ?? ""));
    const at = files.findIndex((file) => path.dirname(file) === dir && PACKAGE_MARKERS.includes(path.basename(file)));
    return { report, at: at < 0 ? reports.length : at };
  });
  const out = [...reports];
  // From the last place to the first, so that each insertion leaves the earlier places valid.
  for (const { report, at } of placed.sort((a, b) => b.at - a.at)) out.splice(at, 0, report);
  return out;
}

async function lintProject(files: string[], project: Project, options: LintFilesOptions, lintAll: LintAll, onDone: () => void): Promise<Report[]> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  // Each file's options are asked for by every stage: compute them once.
  const optionsOf = new Map<string, LintOptions>();
  const optionsFor = (file: string): LintOptions => {
    let options = optionsOf.get(file);
    if (!options) optionsOf.set(file, (options = project.optionsFor(file)));
    return options;
  };
  // Three stages: every file once, with its summary; the project stage over the summaries; then
  // again, with its context, each file whose imports or env reads the project resolved.
  if (options.project === false) return project.applyConfig(await lintAll(files, optionsFor, onDone), options.baseline);
  const cache = options.cache === false ? undefined : ReportCache.open(project.root, flexguard.version());
  const allImports = options.onProject !== undefined;
  const firstPass = (file: string): LintOptions => ({ ...optionsFor(file), summarize: true, ...(allImports ? { allImports } : {}) });
  const keys: (string | undefined)[] = [];
  const timing = stageTimer();
  const reports = await lintCached(files, firstPass, cache, lintAll, onDone, keys);
  timing.done(`first pass of ${files.length} files`);
  const projectPaths = files.map((file) => optionsFor(file).projectPath ?? file);
  const env = envFiles(files, project.root);
  // The project stage's result depends on nothing but its inputs: every first pass (by key) and
  // the env files. When none changed, the last run's result stands.
  const projectKey = cache?.projectKey(
    files.map((_, i) => ({ path: projectPaths[i], key: keys[i] })),
    env,
  );
  type Stage = ReturnType<typeof flexguard.contextsFor>;
  let stage = projectKey ? cache?.getProject<Stage>(projectKey) : undefined;
  if (!stage) {
    stage = flexguard.contextsFor(
      reports.map((report, i) => ({ path: projectPaths[i], report })),
      env,
      allImports,
    );
    if (projectKey) cache?.setProject(projectKey, stage);
  }
  const { runtimes, secondPasses, unresolved } = stage;
  timing.done("project stage");
  // Where each file runs: its package's word where no convention decided, else its first pass's.
  const runtimeOf = (i: number) => runtimes[i] ?? reports[i].summary?.runtime;
  options.onProject?.({
    files: reports.flatMap((_, i) => {
      const runtime = runtimeOf(i);
      return runtime ? [{ file: displayPath(files[i], cwd), runtime }] : [];
    }),
    unresolved,
  });
  const again = files.flatMap((file, i) => (secondPasses[i] ? [i] : []));
  const secondOptions = new Map(again.map((i) => [files[i], secondPasses[i]]));
  // Keyed by the file and its context too: a change in another file changes the key.
  const second = await lintCached(
    again.map((i) => files[i]),
    (file) => ({ ...optionsFor(file), ...secondOptions.get(file) }),
    cache,
    lintAll,
    () => undefined,
  );
  timing.done(`second pass of ${again.length} files`);
  cache?.save();
  const summaries = reports.map(({ summary }) => summary);
  again.forEach((index, j) => (reports[index] = second[j]));
  const paired = flexguard.pairFunctions(reports.map((report, i) => ({ path: projectPaths[i], report, summary: summaries[i], runtime: runtimes[i] })));
  timing.done("pairing calls with Functions");
  return project.applyConfig(
    paired.map(({ summary: _summary, ...report }) => withRelatedFrom(report, project.root, cwd)),
    options.baseline,
  );
}

/** FLEXGUARD_TIMING=1 prints how long each stage of a project lint took, on stderr. */
function stageTimer(): { done(stage: string): void } {
  if (!process.env.FLEXGUARD_TIMING) return { done: () => undefined };
  let last = process.hrtime.bigint();
  return {
    done(stage) {
      const now = process.hrtime.bigint();
      process.stderr.write(`flexguard: ${(Number(now - last) / 1e6).toFixed(1)} ms in ${stage}\n`);
      last = now;
    },
  };
}

type LintAll = (batch: string[], optionsFor: (file: string) => LintOptions, progress: () => void) => Promise<Report[]>;

/**
 * The first pass, through the cache: files whose bytes, options and engine are unchanged get
 * their stored report; the others are linted (in the pool) and stored. Bundles with an external
 * source map depend on a second file, and unreadable files on the moment: neither is cached.
 * `keysOut[i]` receives file `i`'s key (undefined when it is not cached).
 */
async function lintCached(files: string[], optionsFor: (file: string) => LintOptions, cache: ReportCache | undefined, lintAll: LintAll, onDone: () => void, keysOut: (string | undefined)[] = []): Promise<Report[]> {
  if (!cache) return lintAll(files, optionsFor, onDone);
  const reports: Report[] = new Array(files.length);
  const keys: (string | undefined)[] = new Array(files.length);
  const misses: number[] = [];
  files.forEach((file, i) => {
    let bytes: Buffer | undefined;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      // An io-error, reported by the lint below.
    }
    const mapped = bytes !== undefined && (fs.existsSync(`${file}.map`) || bytes.subarray(-2048).includes("sourceMappingURL"));
    const key = bytes !== undefined && !mapped ? cache.key(bytes, optionsFor(file)) : undefined;
    keysOut[i] = key;
    const hit = key ? cache.get(key) : undefined;
    if (hit) {
      reports[i] = hit;
      onDone();
    } else {
      keys[i] = key;
      misses.push(i);
    }
  });
  const linted = await lintAll(
    misses.map((i) => files[i]),
    optionsFor,
    onDone,
  );
  misses.forEach((index, j) => {
    reports[index] = linted[j];
    const key = keys[index];
    if (key) cache.set(key, linted[j]);
  });
  return reports;
}

/**
 * The engine names related places by their project path; show them as findings' files are
 * shown (relative to `displayRoot`), so both read from the same directory.
 */
export function withRelatedFrom(report: Report, root: string, displayRoot: string): Report {
  if (!report.findings.some((f) => f.related?.length)) return report;
  const shown = (file: string) => displayPath(path.join(root, file), displayRoot);
  return { ...report, findings: report.findings.map((f) => (f.related?.length ? { ...f, related: f.related.map((r) => ({ ...r, file: shown(r.file) })) } : f)) };
}

/** Env files that document `FLEX_APP_*` values: templates first, then `.env` itself. */
const ENV_FILE_ORDER = [".env.example", ".env.sample", ".env.template", ".env.defaults", ".env"];

/**
 * The project's env files: those among the linted files, and those at the project root (and in
 * `extraDirs`). Read for the project stage only; findings name the variables, never their values.
 */
export function envFiles(files: string[], root: string, extraDirs: string[] = []): { path: string; text: string }[] {
  const dirs = [root, ...extraDirs];
  const candidates = new Set([...files.filter((file) => path.basename(file).startsWith(".env")), ...dirs.flatMap((dir) => ENV_FILE_ORDER.map((name) => path.join(dir, name)))]);
  const rank = (file: string) => {
    const at = ENV_FILE_ORDER.indexOf(path.basename(file));
    return at < 0 ? ENV_FILE_ORDER.length : at;
  };
  const out: { path: string; text: string }[] = [];
  for (const file of [...candidates].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))) {
    try {
      out.push({ path: displayPath(path.resolve(file), root), text: fs.readFileSync(file, "utf8") });
    } catch {
      // Absent or unreadable: it documents nothing.
    }
  }
  return out;
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
