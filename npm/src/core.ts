/**
 * The one JS API over the flexguard wasm engine. The CLI, the webpack plugin, the pre-commit
 * script and the playground all go through `Flexguard`; none of them touches wasm directly.
 */
import type { AccountResource, AuditSettings, Diagnostic, EnvFile, Fact, FileSummary, Finding, MapSource, Options, PackageKind, Plan, Project, ProjectInput, Related, Report, RuleInfo, RuleSetting, Runtime, Severity } from "../wasm/nodejs/flexguard";

export type { AccountResource, AuditSettings, Diagnostic, EnvFile, Fact, FileSummary, Finding, MapSource, Options, PackageKind, Plan, Project, ProjectInput, Related, Report, RuleInfo, RuleSetting, Runtime, Severity };
// Baselines and allowlists are pure functions of reports: every client (web included) shares them.
export * from "./baseline";

/** What a wasm-bindgen build of the engine exports (the nodejs and web targets alike). */
export interface Engine {
  lint(source: string, options?: Options | null): Report;
  lintBytes(source: Uint8Array, options?: Options | null): Report;
  lintOrPlan(source: Uint8Array, options?: Options | null): { plan: Plan } | { report: Report };
  lintBundleModules(source: Uint8Array, options: Options | null | undefined, plan: Plan, which: Uint32Array, withSkeleton: boolean): Report | undefined;
  combineBundleReports(reports: Report[]): Report;
  lintAfterFailure(source: string, options: Options | null | undefined, reason: string): Report;
  failureReport(options: Options | null | undefined, reason: string): Report;
  judgeFacts(facts: Fact[], options?: Options | null): Report;
  resolveProjectJson(input: string): string;
  pairFunctionsJson(input: string): string;
  packageKind(manifest: string): PackageKind | undefined;
  mapSources(text: string, mapFile: string): MapSource[];
  rules(): RuleInfo[];
  version(): string;
}

/** Options of `Flexguard#lint`: the engine's options (file name, per-rule severities). */
export type LintOptions = Options;

/**
 * Every rule level, lowest first: what `--rule` and a config's `rules` accept.
 * `satisfies` refuses a level the engine does not know; `CoversRuleSetting` below refuses to
 * compile when the engine's generated `RuleSetting` gains one this list lacks.
 */
export const RULE_SETTINGS = ["off", "info", "warning", "error"] as const satisfies readonly RuleSetting[];
type MustBeTrue<T extends true> = T;
type CoversRuleSetting = MustBeTrue<[RuleSetting] extends [(typeof RULE_SETTINGS)[number]] ? true : false>;

/** True for a rule level (`off`, `info`, `warning`, `error`). */
export function isRuleSetting(value: unknown): value is RuleSetting {
  return (RULE_SETTINGS as readonly unknown[]).includes(value);
}

/**
 * True for errors that mean the wasm instance trapped (panic, stack overflow, out of memory):
 * such an instance is poisoned and must be replaced. Errors the engine throws on purpose (bad
 * options) are plain `Error`s and leave it usable.
 */
function isTrap(error: unknown): boolean {
  return (
    (typeof WebAssembly !== "undefined" && error instanceof WebAssembly.RuntimeError) ||
    error instanceof RangeError
  );
}

/** Placeholders in the engine's "not scanned" report, filled in for the file that failed. */
const FILE_MARK = "\u0000file";
const REASON_MARK = "\u0000reason";

export class Flexguard {
  #engine: Engine | undefined;
  #rules: RuleInfo[] | undefined;
  #notScanned: Diagnostic | undefined;

  /** @param instantiate returns a fresh engine instance; called again after a trap. */
  constructor(private readonly instantiate: () => Engine) {}

  get engine(): Engine {
    if (!this.#engine) {
      this.#engine = this.instantiate();
      // The engine's words for a file it could not scan, kept for when no instance is left to ask.
      this.#notScanned ??= this.#engine.failureReport({ filename: FILE_MARK }, REASON_MARK).diagnostics[0];
    }
    return this.#engine;
  }

  /**
   * Lint one source: a text, or its UTF-8 bytes as read from a file (handed to the engine as they
   * are; invalid UTF-8 is replaced, as when decoding). Never throws for the content of `source`:
   * if the engine traps, the instance is replaced, the text is scanned again for credential
   * shapes only (no parse, no recursion), and the report carries an `internal-error` diagnostic
   * for this file.
   * Throws for invalid options (for example an unknown rule id).
   */
  lint(source: string | Uint8Array, options: LintOptions = {}): Report {
    try {
      return typeof source === "string" ? this.engine.lint(source, options) : this.engine.lintBytes(source, options);
    } catch (error) {
      if (!isTrap(error)) throw error;
      this.#engine = undefined;
      const reason = error instanceof RangeError ? "stack overflow" : "wasm trap";
      try {
        const text = typeof source === "string" ? source : new TextDecoder("utf-8", { ignoreBOM: true }).decode(source);
        return this.engine.lintAfterFailure(text, options, reason);
      } catch (fallbackError) {
        // The text-only scan cannot recurse; but the fresh instance may trap too, or a browser
        // may have none ready yet. The file is then reported as not scanned.
        if (isTrap(fallbackError)) this.#engine = undefined;
        return this.#notScannedReport(options.filename ?? "<input>", reason);
      }
    }
  }

  /**
   * A large webpack bundle's plan for linting its modules on several threads (see
   * `lintBundleModules`), or, for any other file, its report as `lint` gives it (the plan is
   * not looked for twice). If the engine traps, the report of `lint`.
   */
  lintOrPlan(source: Uint8Array, options: LintOptions = {}): { plan: Plan } | { report: Report } {
    return this.#orUndefined(() => this.engine.lintOrPlan(source, options)) ?? { report: this.lint(source, options) };
  }

  /**
   * Lint the modules `which` (indices into `plan.parts`) of a planned bundle, and its skeleton
   * (the runtime around the modules) when `withSkeleton`. Every part linted once, by any
   * threads, then `combineBundleReports`, is what `lint` reports for the bundle. `undefined`
   * when a module does not parse on its own or the engine traps: lint the whole file instead.
   */
  lintBundleModules(source: Uint8Array, options: LintOptions, plan: Plan, which: number[], withSkeleton: boolean): Report | undefined {
    return this.#orUndefined(() => this.engine.lintBundleModules(source, options, plan, Uint32Array.from(which), withSkeleton));
  }

  /** The reports of one bundle's parts (`lintBundleModules`) as one report. */
  combineBundleReports(reports: Report[]): Report {
    return this.engine.combineBundleReports(reports);
  }

  #orUndefined<T>(call: () => T | undefined): T | undefined {
    try {
      return call();
    } catch (error) {
      if (!isTrap(error)) throw error;
      this.#engine = undefined;
      return undefined;
    }
  }

  /**
   * Judge facts a host observed outside source text (staged files, ignore rules, what a build
   * defines on `process.env`): the findings of the rules that own them, built by the engine.
   */
  judgeFacts(facts: Fact[], options: LintOptions = {}): Report {
    return this.engine.judgeFacts(facts, options);
  }

  /**
   * The project stage: resolve file summaries (from `lint` with `summarize: true`) against each
   * other. Lint each file that gets a context again, with `options.context`.
   */
  resolveProject(input: ProjectInput): Project {
    return JSON.parse(this.engine.resolveProjectJson(JSON.stringify(input))) as Project;
  }

  /**
   * The project stage as every host runs it: `files` are first-pass reports (linted with
   * `summarize: true`) by project path. `contexts[i]` is set only when file `i` must be linted
   * again with `options.context`: the project resolved something and the file's checks needed it.
   * `runtimes[i]` is set when its package says file `i` is not plugin code (a Node backend, a
   * Functions service's scripts): lint it again with `options.runtime`. `secondPasses[i]` holds
   * both, the options to add for file `i`'s second pass, or is undefined when it needs none.
   * `unresolved` is complete only with `listUnresolved`, for first passes linted with
   * `allImports`.
   */
  contextsFor(
    files: { path: string; report: Report }[],
    envFiles: EnvFile[],
    listUnresolved = false,
  ): {
    contexts: (Project["contexts"][string] | undefined)[];
    runtimes: (Runtime | undefined)[];
    secondPasses: (LintOptions | undefined)[];
    unresolved: Project["unresolved"];
  } {
    // A summary that offers nothing and asks for nothing changes no other file's result, but an
    // import of its file leads somewhere.
    const matters = (s: FileSummary) =>
      listUnresolved ||
      s.needsContext || s.imports.length > 0 || Object.keys(s.exports).length > 0 || s.reexports?.length || s.aliases || s.package || s.runtimeByDefault;
    const summaries = files.flatMap(({ path, report }) => (report.summary && matters(report.summary) ? [{ path, summary: report.summary }] : []));
    const project = this.resolveProject({ files: summaries, envFiles, onlyNeeded: true });
    const contexts = files.map(({ path, report }) => (report.summary?.needsContext ? project.contexts[path] : undefined));
    const runtimes = files.map(({ path }) => project.runtimes?.[path]);
    const secondPasses = files.map((_, i) => {
      const [context, runtime] = [contexts[i], runtimes[i]];
      return context || runtime ? { ...(context ? { context } : {}), ...(runtime ? { runtime } : {}) } : undefined;
    });
    return { contexts, runtimes, secondPasses, unresolved: project.unresolved };
  }

  /**
   * The project stage as the synchronous hosts run it, after every file's first pass (linted with
   * `summarize: true`): resolve the files against each other, lint again each file the project
   * gives a context or runtime (`secondPass`, which may decline by returning the first report),
   * then pair calls with the Functions they reach. `reported: false` marks a file given as
   * context only. Returns each file's final report, in order, without its summary.
   */
  judgeProject<F extends { path: string; report: Report; reported?: boolean }>(
    files: F[],
    envFiles: EnvFile[],
    secondPass: (file: F, options: LintOptions, index: number) => Report,
  ): Report[] {
    const { runtimes, secondPasses } = this.contextsFor(files, envFiles);
    const paired = this.pairFunctions(
      files.map((file, i) => {
        const again = secondPasses[i];
        return {
          path: file.path,
          report: again ? secondPass(file, again, i) : file.report,
          summary: file.report.summary,
          runtime: runtimes[i],
          ...(file.reported === false ? { reported: false } : {}),
        };
      }),
    );
    return paired.map(({ summary: _summary, ...report }) => report);
  }

  /**
   * The project stage's last step: pair browser calls with the repository's Functions they
   * reach, and judge each pair as one problem (see the engine's `project::pair`). `files` are
   * every file's final report (its second pass, when it needs one) by project path, with its
   * first pass's `summary` and the runtime the project stage gave it (`contextsFor`'s
   * `runtimes`), if any; `reported: false` marks a file given as context only, whose findings
   * are not shown. Returns the reports without
   * their `functionCalls`, `openHandler` and `held`.
   */
  pairFunctions(files: { path: string; report: Report; summary?: FileSummary; runtime?: Runtime; reported?: boolean }[]): Report[] {
    const reports = files.map(({ report: { functionCalls: _calls, openHandler: _open, held: _held, ...report } }) => report);
    // Callers, Functions, manifests, and files with findings (a page that is not the plugin
    // loses its call findings) take part.
    const input = files.flatMap(({ path, report, summary }, i) =>
      report.functionCalls?.length || report.findings.length || summary?.runtime === "function" || /(^|\/)(package\.json|\.twilioserverlessrc)$/.test(path) ? [i] : [],
    );
    if (!input.some((i) => files[i].report.functionCalls?.length)) return reports;
    const judged: Finding[][] = JSON.parse(
      this.engine.pairFunctionsJson(
        JSON.stringify(
          input.map((i) => {
            const { path, report, summary, runtime, reported } = files[i];
            return {
              path,
              runtime: runtime ?? summary?.runtime,
              package: summary?.package,
              functionCalls: report.functionCalls,
              findings: report.findings,
              openHandler: report.openHandler,
              held: report.held,
              reported,
            };
          }),
        ),
      ),
    );
    input.forEach((index, j) => {
      const report = reports[index];
      // What pairing settled is judged: a host that meets the same value elsewhere (the webpack
      // plugin, in the emitted bundle's source map) treats it as suppressed.
      const kept = new Set(judged[j].map((f) => `${f.ruleId}:${f.line}:${f.column}`));
      const settled = report.findings.filter((f) => !kept.has(`${f.ruleId}:${f.line}:${f.column}`)).map((f) => f.valueHash);
      const suppressed = settled.length ? [...new Set([...(report.suppressed ?? []), ...settled])] : report.suppressed;
      reports[index] = { ...report, findings: judged[j], ...(suppressed ? { suppressed } : {}) };
    });
    return reports;
  }

  #notScannedReport(file: string, reason: string): Report {
    const template = this.#notScanned;
    if (!template) throw new Error(`flexguard: the engine failed on ${file} (${reason}) and no instance is available`);
    const message = template.message.replace(REASON_MARK, reason);
    return { findings: [], diagnostics: [{ ...template, file, message }] };
  }

  /** A report for a file that could not be linted at all (`internal-error`, naming the file only). */
  failureReport(options: LintOptions, reason: string): Report {
    return this.engine.failureReport(options, reason);
  }

  /** What a `package.json` text makes its directory: a Flex plugin, another web app, a Functions service, a Node backend. */
  packageKind(manifest: string): PackageKind | undefined {
    return this.engine.packageKind(manifest);
  }

  /**
   * The sources a `.map` file embeds, each named as `lint` names the findings in it (the map's
   * `sourceRoot` applied), with its text where the map holds it.
   */
  mapSources(text: string, mapFile: string): MapSource[] {
    return this.engine.mapSources(text, mapFile);
  }

  /** Every rule of the engine's registry: id, default severity, kind, summary, docs. */
  rules(): RuleInfo[] {
    return (this.#rules ??= this.engine.rules());
  }

  version(): string {
    return this.engine.version();
  }

}

/** Exit-relevant totals of a set of reports. */
export function summarize(reports: Report[]): { errors: number; warnings: number; infos: number } {
  const counts = { errors: 0, warnings: 0, infos: 0 };
  for (const report of reports) {
    for (const finding of report.findings) {
      if (finding.severity === "error") counts.errors++;
      else if (finding.severity === "warning") counts.warnings++;
      else counts.infos++;
    }
  }
  return counts;
}

