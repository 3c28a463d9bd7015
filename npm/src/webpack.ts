/**
 * `new FlexguardWebpackPlugin(options)`: make a (Flex plugin) build refuse to ship a bundle with
 * credentials or direct Twilio REST calls in it.
 *
 * Works with webpack 4 (what `@twilio/flex-plugin-scripts` 7.x runs) and webpack 5 without ever
 * requiring webpack: under the Twilio CLI the CLI's own webpack runs the build, so the hooks are
 * feature-detected on the compiler we are handed. It scans three things per compilation:
 *  1. every first-party module (outside node_modules), from its file on disk, so findings carry
 *     the real file and line even when a loader (Babel) transformed the code;
 *  2. every emitted text asset, after minification: the bundles and their source maps, where
 *     DefinePlugin-inlined `FLEX_APP_*` values and code from dependencies show up, and any
 *     JSON, HTML or other text the build copies or generates;
 *  3. the `process.env` keys DefinePlugin defines, by name and by value (the Flex env leak).
 * When the modules call Twilio Functions, the repository's Functions join the modules' project
 * stage as context (listed once per watch session): they settle or explain those calls.
 * A finding seen in a module and again in the bundle is reported once, at the module. The
 * project's flexguard.config.json applies as it does for the CLI (see `config`).
 */
import * as fs from "fs";
import * as path from "path";
import type { Finding, LintOptions, Report, RuleSetting, Severity } from "./core";
import { baselineFingerprints, summarize, withoutFingerprints } from "./core";
import { directoriesFrom, globToRegExp } from "./glob";
import { formatters } from "./format";
import { expandPaths } from "./files";
import { displayPath, envFiles, flexguard, lint, Project, resolveProject, rules, SOURCE_EXTENSIONS, withRelatedFrom } from "./node";

const PLUGIN_NAME = "FlexguardWebpackPlugin";


export type FailOn = "error" | "warning" | "never";
/** A path filter: a glob (`src/**`, `*.map`), a path prefix (`src/legacy`), a RegExp or a predicate. */
export type PathFilter = string | RegExp | ((file: string) => boolean);

export interface FlexguardWebpackOptions {
  /**
   * The lowest severity that fails the build (goes to `compilation.errors`); lower ones are
   * warnings. Default: `'error'` when webpack's mode is `production`, else `'never'`, so a dev
   * server (`twilio flex:plugins:start`) keeps running and shows them as warnings.
   */
  failOn?: FailOn;
  /** Per-rule severities by rule id, as in the CLI (`off`, `info`, `warning`, `error`); they win over the config's. */
  rules?: Record<string, RuleSetting>;
  /**
   * The flexguard config: a file (relative to webpack's context), `false` for none, or omitted to
   * search flexguard.config.json (or package.json's `"flexguard"`) upward from the context, as
   * the CLI does. Its `rules`, `ignore` (one more `exclude`), `allow`, `functionDomains` and
   * `firstParty` apply.
   */
  config?: string | false;
  /** Only scan modules and assets whose path (relative to webpack's context) matches. */
  include?: PathFilter | PathFilter[];
  /** Skip modules and assets whose path matches. node_modules sources are never scanned. */
  exclude?: PathFilter | PathFilter[];
  /**
   * A baseline file (relative to webpack's context): accepted findings by fingerprint. Either the
   * CLI's JSON output (`{ findings: [{ fingerprint }] }`), `{ fingerprints: [] }` or an array.
   */
  baseline?: string;
  /**
   * Also write the findings to a file, relative to the output directory: `'flexguard.json'`, or
   * `{ path, format }` with format `json` (the CLI's JSON) or `sarif` (inferred from a `.sarif` name).
   */
  report?: string | { path: string; format?: "json" | "sarif" };
}

// The few parts of webpack 4 and 5 we touch, typed structurally: we never import webpack.
interface Tapable<Args extends unknown[]> {
  tap(options: string | { name: string; stage?: number }, callback: (...args: Args) => void): void;
}
interface AssetSource {
  source(): string | Buffer;
}
interface WebpackModule {
  resource?: string;
  originalSource?(): AssetSource | null;
}
interface Compilation {
  hooks: {
    finishModules: Tapable<[Iterable<WebpackModule>]>;
    processAssets?: Tapable<[unknown]>;
    afterOptimizeAssets?: Tapable<[unknown]>;
  };
  assets: Record<string, AssetSource>;
  errors: unknown[];
  warnings: unknown[];
}
interface Compiler {
  context: string;
  options: { mode?: string; plugins?: unknown[]; output?: { path?: string } };
  hooks: { thisCompilation: Tapable<[Compilation, unknown]> };
  webpack?: {
    Compilation?: { PROCESS_ASSETS_STAGE_ANALYSE?: number };
    WebpackError?: new (message: string) => Error;
  };
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
const FAIL_RANK: Record<FailOn, number> = { warning: 1, error: 2, never: Infinity };
/** Emitted assets that are code; every other text asset is read by its kind (JSON, HTML, …). */
const CODE_ASSET_EXTENSIONS = [".js", ".mjs", ".cjs"];
/** Binary assets: never text, whatever their bytes happen to spell. */
const BINARY_ASSET_EXTENSIONS = new Set([".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".wasm", ".mp3", ".mp4", ".webm", ".ogg", ".wav", ".pdf", ".zip", ".gz", ".br", ".zst"]);

export class FlexguardWebpackPlugin {
  readonly options: FlexguardWebpackOptions;
  /** Module reports by file, reused while the file's text is unchanged (watch mode). */
  #moduleCache = new Map<string, { text: string; report: Report }>();
  #secondPassCache = new Map<string, { text: string; report: Report }>();
  /** The repository's files below a `functions/` directory, listed on the first compilation that needs them. */
  #functionResources: string[] | undefined;
  /** The config and the lint options it gives each file: set by `apply`, before any hook runs. */
  #project!: Project;

  constructor(options: FlexguardWebpackOptions = {}) {
    // Configuration mistakes throw here and in `apply` (the config file), like webpack's own
    // option validation; nothing after that may break the host build.
    if (options.failOn !== undefined && !(options.failOn in FAIL_RANK)) {
      throw new Error(`${PLUGIN_NAME}: failOn must be 'error', 'warning' or 'never', got ${JSON.stringify(options.failOn)}`);
    }
    if (options.config !== undefined && options.config !== false && typeof options.config !== "string") {
      throw new Error(`${PLUGIN_NAME}: config must be a file name or false, got ${JSON.stringify(options.config)}`);
    }
    this.options = { ...options };
    lint("", { rules: options.rules ?? {} }); // validates rule ids (throws on unknown ones)
  }

  apply(compiler: Compiler): void {
    this.#project = resolveProject({ cwd: compiler.context, config: this.options.config, rules: this.options.rules });
    const failOn: FailOn = this.options.failOn ?? (compiler.options.mode === "production" ? "error" : "never");
    const wrapError = (message: string, isError: boolean) => {
      const ErrorClass = compiler.webpack?.WebpackError ?? Error;
      const error = new ErrorClass(message) as Error & { hideStack?: boolean };
      error.name = isError ? "FlexguardError" : "FlexguardWarning";
      error.hideStack = true;
      error.stack = message; // stats presets that show stacks show the message, not our internals
      return error;
    };

    compiler.hooks.thisCompilation.tap(PLUGIN_NAME, (compilation) => {
      let sourceReports: Report[] = [];
      // FLEXGUARD_TIMING=1 prints the time spent in this plugin (how the README's overhead is measured).
      let spentMs = 0;
      const timed = <T>(work: () => T): T => {
        const started = process.hrtime.bigint();
        try {
          return work();
        } finally {
          spentMs += Number(process.hrtime.bigint() - started) / 1e6;
        }
      };
      compilation.hooks.finishModules.tap(PLUGIN_NAME, (modules) => {
        try {
          sourceReports = timed(() => this.#scanModules(compiler, modules));
        } catch (error) {
          compilation.warnings.push(wrapError(`flexguard could not scan the modules: ${describe(error)}`, false));
        }
      });

      const scanAssets = () => {
        try {
          const envReport = timed(() => this.#scanDefinedEnv(compiler));
          const assetReports = timed(() => this.#scanAssets(compiler, compilation.assets));
          if (process.env.FLEXGUARD_TIMING) process.stderr.write(`flexguard: ${spentMs.toFixed(0)} ms in ${sourceReports.length} modules and ${assetReports.length} assets\n`);
          // After the merge: an accepted module finding must not come back from the bundle.
          let reports = this.#project.applyConfig(mergeOnce([envReport, ...sourceReports], assetReports));
          if (this.options.baseline) {
            // An unreadable baseline must not pass the build: warn and check without it.
            const file = path.resolve(compiler.context, this.options.baseline);
            try {
              reports = withoutFingerprints(reports, baselineFingerprints(fs.readFileSync(file, "utf8"), file));
            } catch (error) {
              compilation.warnings.push(wrapError(`flexguard: baseline ${file} not used: ${describe(error)}`, false));
            }
          }
          if (this.options.report) {
            try {
              this.#writeReport(compiler, reports);
            } catch (error) {
              compilation.warnings.push(wrapError(`flexguard: could not write the report: ${describe(error)}`, false));
            }
          }

          const failing = (f: Finding) => SEVERITY_RANK[f.severity] >= FAIL_RANK[failOn];
          const errors = reports.map((r) => ({ findings: r.findings.filter(failing), diagnostics: [] }));
          const warnings = reports.map((r) => ({ findings: r.findings.filter((f) => !failing(f)), diagnostics: r.diagnostics }));
          const failed = errors.some((r) => r.findings.length > 0);
          const warned = warnings.some((r) => r.findings.length > 0 || r.diagnostics.length > 0);
          if (isFlexBuild(compiler) && (failed || warned)) {
            // Flex's scripts print webpack errors through a markdown filter that eats `_`, `..`
            // and backslashes (FLEX_APP_TOKEN → FLEXAPPTOKEN) and hide warnings when anything
            // failed: print every finding ourselves, and give webpack a plain summary.
            process.stderr.write(`\nflexguard\n${formatters.stylish(reports)}\n`);
            const { errors: e, warnings: w } = summarize(reports);
            const summary = `flexguard found ${e} error${e === 1 ? "" : "s"} and ${w} warning${w === 1 ? "" : "s"} in this build (listed above)`;
            if (failed) compilation.errors.push(wrapError(`${summary}: this bundle must not ship.`, true));
            else compilation.warnings.push(wrapError(`${summary}.`, false));
          } else {
            if (failed) compilation.errors.push(wrapError(`flexguard: this bundle must not ship\n${formatters.stylish(errors)}`, true));
            if (warned) compilation.warnings.push(wrapError(`flexguard\n${formatters.stylish(warnings)}`, false));
          }
        } catch (error) {
          compilation.warnings.push(wrapError(`flexguard could not check this build: ${describe(error)}`, false));
        }
      };

      const stage = compiler.webpack?.Compilation?.PROCESS_ASSETS_STAGE_ANALYSE;
      if (compilation.hooks.processAssets && stage !== undefined) {
        // webpack 5: after minification (OPTIMIZE_SIZE) and source maps (DEV_TOOLING).
        compilation.hooks.processAssets.tap({ name: PLUGIN_NAME, stage }, scanAssets);
      } else if (compilation.hooks.afterOptimizeAssets) {
        // webpack 4: runs after Terser (optimizeChunkAssets) and SourceMapDevToolPlugin.
        compilation.hooks.afterOptimizeAssets.tap(PLUGIN_NAME, scanAssets);
      } else {
        compilation.warnings.push(wrapError("flexguard: unsupported webpack version (no processAssets or afterOptimizeAssets hook); the bundle was not checked", false));
      }
    });
  }

  /** `include`, then `exclude` and the config's `ignore`, on a path relative to webpack's context. */
  #selected(file: string): boolean {
    if (this.#project.isIgnored(file)) return false;
    const include = toList(this.options.include);
    if (include.length > 0 && !include.some((filter) => matches(filter, file))) return false;
    return !toList(this.options.exclude).some((filter) => matches(filter, file));
  }

  #lint(source: string, filename: string, extra: LintOptions = {}): Report {
    const options = { ...this.#project.optionsFor(filename), ...extra };
    try {
      return lint(source, options);
    } catch (error) {
      // Nothing may fail the host build: the engine reports what it could not do.
      return flexguard.failureReport(options, describe(error));
    }
  }

  /** First-party modules, from their original text on disk (real lines, before any loader). */
  #scanModules(compiler: Compiler, modules: Iterable<WebpackModule>): Report[] {
    const reports: Report[] = [];
    const scanned: { file: string; text: string; report: Report }[] = [];
    const seen = new Set<string>();
    for (const module of modules) {
      const resource = module.resource?.split("?")[0];
      if (!resource || seen.has(resource) || /[\\/]node_modules[\\/]/.test(resource)) continue;
      const extension = path.extname(resource).toLowerCase();
      if (!SOURCE_EXTENSIONS.includes(extension) || extension === ".map") continue;
      seen.add(resource);
      const file = displayPath(resource, compiler.context);
      if (!this.#selected(file)) continue;
      let text: string;
      try {
        text = fs.readFileSync(resource, "utf8");
      } catch {
        const original = module.originalSource?.()?.source();
        if (original === undefined) continue;
        text = original.toString();
      }
      const cached = this.#moduleCache.get(resource);
      const report = cached && cached.text === text ? cached.report : this.#lint(text, file, { summarize: true });
      this.#moduleCache.set(resource, { text, report });
      scanned.push({ file, text, report });
    }
    // The repository's Functions, when the modules call any: an open one makes a call without
    // the token a problem, one that validates settles it. They are context only: the build
    // reports its own modules.
    const calls = scanned.some(({ report }) => report.functionCalls?.length);
    const functions = calls ? this.#functionFiles(compiler, new Set(seen)) : [];
    // The project stage over the build's own modules (and those Functions): URLs, helpers and
    // env values defined in one module and used in another. Modules whose checks needed that
    // are linted again.
    const projectPath = (file: string) => this.#project.optionsFor(file).projectPath ?? file;
    const all = [...scanned, ...functions];
    const resources = scanned.map(({ file }) => path.resolve(compiler.context, file));
    const finals = flexguard.judgeProject(
      all.map((entry, i) => ({ ...entry, path: projectPath(entry.file), reported: i < scanned.length })),
      // A plugin in `plugins/agent/` of a monorepo reads the `.env*` files above it too.
      envFiles(resources, this.#project.root, directoriesFrom(this.#project.root, compiler.context)),
      ({ file, text }, again) => {
        // A watch session lints a module again only when its text or its context changed.
        const key = `${file}\0${JSON.stringify(again)}`;
        const cached = this.#secondPassCache.get(key);
        if (cached && cached.text === text) return cached.report;
        const second = this.#lint(text, file, again);
        this.#secondPassCache.set(key, { text, report: second });
        return second;
      },
    );
    for (const final of finals.slice(0, scanned.length)) {
      reports.push(withoutParseErrors({ ...withRelatedFrom(final, this.#project.root, compiler.context), summary: undefined }));
    }
    return reports;
  }

  /**
   * The JS and TS files below a `functions/` directory of the repository (`seen`: the modules
   * already scanned), first-pass linted and cached like modules.
   */
  #functionFiles(compiler: Compiler, seen: Set<string>): { file: string; text: string; report: Report }[] {
    const root = this.#project.root;
    // The repository is walked once per plugin instance (a watch session), not per rebuild.
    if (!this.#functionResources) {
      let found: string[];
      try {
        found = expandPaths([root], { cwd: root, isIgnored: this.#project.isIgnored });
      } catch {
        found = [];
      }
      this.#functionResources = found.filter((resource) => {
        const extension = path.extname(resource).toLowerCase();
        const relative = path.relative(root, resource).split(path.sep).join("/");
        return SOURCE_EXTENSIONS.includes(extension) && extension !== ".map" && /(^|\/)functions\//i.test(relative);
      });
    }
    const out: { file: string; text: string; report: Report }[] = [];
    for (const resource of this.#functionResources) {
      if (seen.has(resource)) continue;
      let text: string;
      try {
        text = fs.readFileSync(resource, "utf8");
      } catch {
        continue;
      }
      const file = displayPath(resource, compiler.context);
      const cached = this.#moduleCache.get(resource);
      const report = cached && cached.text === text ? cached.report : this.#lint(text, file, { summarize: true });
      this.#moduleCache.set(resource, { text, report });
      out.push({ file, text, report });
    }
    return out;
  }

  /**
   * Every emitted text asset, after minification, named by where it will be written: the
   * bundles and their maps, and whatever else the build copies or generates (configs, pages,
   * `.txt`), each read by its kind. Binary assets are skipped.
   */
  #scanAssets(compiler: Compiler, assets: Record<string, AssetSource>): Report[] {
    const outputPath = compiler.options.output?.path ?? compiler.context;
    const reports: Report[] = [];
    for (const name of Object.keys(assets).sort()) {
      const bare = name.split("?")[0];
      const extension = path.extname(bare).toLowerCase();
      if (BINARY_ASSET_EXTENSIONS.has(extension)) continue;
      const file = displayPath(path.join(outputPath, bare), compiler.context);
      if (!this.#selected(file)) continue;
      const content = assets[name].source();
      if (typeof content !== "string" && content.subarray(0, 8192).includes(0)) continue; // binary
      const report = this.#lint(content.toString(), file);
      // Only the bundle is code the build produced; a map or a copied file that does not parse is not the build's error.
      reports.push(CODE_ASSET_EXTENSIONS.includes(extension) ? report : withoutParseErrors(report));
    }
    return reports;
  }

  /**
   * The Flex env leak. Flex defines every FLEX_APP_* / REACT_APP_* variable of the build shell and
   * `.env` files with DefinePlugin as one `process.env` object, and webpack (4 and 5: checked by
   * the tests) inlines that whole object as soon as the code reads a key it does not define. The
   * engine judges what the build defines (`flex-env-credential`, and credentials in the values),
   * whether or not this build's bundle happens to contain it.
   */
  #scanDefinedEnv(compiler: Compiler): Report {
    const entries = definedEnv(compiler.options.plugins ?? []);
    if (entries.length === 0) return { findings: [], diagnostics: [] };
    return flexguard.judgeFacts([{ kind: "definedEnv", entries }], this.#project.optionsFor(compiler.context));
  }

  #writeReport(compiler: Compiler, reports: Report[]): void {
    const spec = typeof this.options.report === "string" ? { path: this.options.report } : this.options.report!;
    const format = spec.format ?? (/\.sarif(\.json)?$/i.test(spec.path) ? "sarif" : "json");
    const target = path.resolve(compiler.options.output?.path ?? compiler.context, spec.path);
    const text = format === "sarif" ? formatters.sarif(reports, { rules: rules(), version: flexguard.version() }) : formatters.json(reports);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
}

/** A `@twilio/flex-plugin-scripts` build: its DefinePlugin defines `__FPB_*` build constants. */
function isFlexBuild(compiler: Compiler): boolean {
  return (compiler.options.plugins ?? []).some((plugin) => {
    const definitions = (plugin as { definitions?: unknown } | null)?.definitions;
    return !!definitions && typeof definitions === "object" && "__FPB_PLUGIN_UNIQUE_NAME" in definitions;
  });
}

/** `process.env` keys and string values from every DefinePlugin in the config (webpack 4 and 5 alike). */
export function definedEnv(plugins: unknown[]): { name: string; value: string }[] {
  const entries = new Map<string, string>();
  const decode = (code: unknown): string | undefined => {
    // DefinePlugin values are code: `JSON.stringify(value)` for strings.
    if (typeof code !== "string") return typeof code === "number" || typeof code === "boolean" ? String(code) : undefined;
    try {
      const value: unknown = JSON.parse(code);
      return typeof value === "string" ? value : String(value);
    } catch {
      return code;
    }
  };
  for (const plugin of plugins) {
    const definitions = (plugin as { definitions?: unknown } | null)?.definitions;
    if (!definitions || typeof definitions !== "object") continue;
    for (const [key, code] of Object.entries(definitions as Record<string, unknown>)) {
      if (key === "process.env" && code && typeof code === "object") {
        for (const [name, inner] of Object.entries(code as Record<string, unknown>)) {
          const value = decode(inner);
          if (value !== undefined) entries.set(name, value);
        }
      } else if (key.startsWith("process.env.")) {
        const value = decode(code);
        if (value !== undefined) entries.set(key.slice("process.env.".length), value);
      }
    }
  }
  return [...entries].map(([name, value]) => ({ name, value }));
}

/**
 * Module (and env) reports first, then asset reports without anything already reported or
 * suppressed at the source: a finding is the same when rule and value are (`valueHash` hashes
 * both), wherever it is.
 */
function mergeOnce(sourceReports: Report[], assetReports: Report[]): Report[] {
  const key = (f: Finding) => f.valueHash;
  const seen = new Set(sourceReports.flatMap((r) => [...r.findings.map(key), ...(r.suppressed ?? [])]));
  const assets = assetReports.map((r) => ({
    ...r,
    findings: r.findings.filter((f) => {
      const k = key(f);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }),
  }));
  return [...sourceReports, ...assets].filter((r) => r.findings.length > 0 || r.diagnostics.length > 0);
}

/** Parse errors in modules are webpack's to report; in maps they are expected (JSON). */
function withoutParseErrors(report: Report): Report {
  return { ...report, diagnostics: report.diagnostics.filter((d) => d.code !== "parse-error") };
}

function toList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function matches(filter: PathFilter, file: string): boolean {
  if (typeof filter === "function") return filter(file);
  if (filter instanceof RegExp) return filter.test(file);
  // A glob (`*.map` at any depth), or a plain path that also matches everything below it.
  const pattern = filter.replace(/^\.\//, "").replace(/\/$/, "");
  return globToRegExp(pattern, { matchBase: true }).test(file) || file.startsWith(`${pattern}/`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
