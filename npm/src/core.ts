/**
 * The one JS API over the flexguard wasm engine. The CLI, the webpack plugin, the pre-commit
 * script and the playground all go through `Flexguard`; none of them touches wasm directly.
 */
import type { Diagnostic, Finding, Options, Report, RuleInfo, RuleSetting, Severity } from "../wasm/nodejs/flexguard";

export type { Diagnostic, Finding, Options, Report, RuleInfo, RuleSetting, Severity };
// Baselines and allowlists are pure functions of reports: every client (web included) shares them.
export * from "./baseline";

/** What a wasm-bindgen build of the engine exports (the nodejs and web targets alike). */
export interface Engine {
  lint(source: string, options?: Options | null): Report;
  rules(): RuleInfo[];
  version(): string;
}

/** Options of `Flexguard#lint`: the engine's options (file name, per-rule severities). */
export type LintOptions = Options;

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

/** A report for a file the engine could not scan. Names the file, never its content. */
export function internalError(file: string, reason: string): Report {
  return {
    findings: [],
    diagnostics: [{ code: "internal-error", message: `the engine failed on this file (${reason}); it was not scanned`, file, line: 1, column: 1 }],
  };
}

export class Flexguard {
  #engine: Engine | undefined;
  #rules: RuleInfo[] | undefined;

  /** @param instantiate returns a fresh engine instance; called again after a trap. */
  constructor(private readonly instantiate: () => Engine) {}

  get engine(): Engine {
    return (this.#engine ??= this.instantiate());
  }

  /**
   * Lint one source text. Never throws for the content of `source`: if the engine traps, the
   * instance is replaced and the report carries an `internal-error` diagnostic for this file.
   * Throws for invalid options (for example an unknown rule id).
   */
  lint(source: string, options: LintOptions = {}): Report {
    try {
      return this.engine.lint(source, options);
    } catch (error) {
      if (!isTrap(error)) throw error;
      this.#engine = undefined;
      return internalError(options.filename ?? "<input>", error instanceof RangeError ? "stack overflow" : "wasm trap");
    }
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

