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

/**
 * A report for a file the engine failed on: an `internal-error` that names the file, never its
 * content, in front of whatever the text-only fallback scan found (`partial`), if it ran.
 */
export function internalError(file: string, reason: string, partial?: Report): Report {
  const outcome = partial ? "it was scanned for credential shapes only" : "it was not scanned";
  return {
    ...partial,
    findings: partial?.findings ?? [],
    diagnostics: [
      { code: "internal-error", message: `the engine failed on this file (${reason}); ${outcome}`, file, line: 1, column: 1 },
      ...(partial?.diagnostics ?? []),
    ],
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
   * instance is replaced, the text is scanned again for credential shapes only (no parse, no
   * recursion), and the report carries an `internal-error` diagnostic for this file.
   * Throws for invalid options (for example an unknown rule id).
   */
  lint(source: string, options: LintOptions = {}): Report {
    try {
      return this.engine.lint(source, options);
    } catch (error) {
      if (!isTrap(error)) throw error;
      this.#engine = undefined;
      const reason = error instanceof RangeError ? "stack overflow" : "wasm trap";
      let partial: Report | undefined;
      try {
        partial = this.engine.lint(source, { ...options, textOnly: true });
      } catch (fallbackError) {
        // Best effort: no fresh instance yet (a browser restarting), or the text scan trapped too.
        if (isTrap(fallbackError)) this.#engine = undefined;
      }
      return internalError(options.filename ?? "<input>", reason, partial);
    }
  }

  /** Every rule of the engine's registry: id, default severity, kind, summary, docs. */
  rules(): RuleInfo[] {
    return (this.#rules ??= this.engine.rules());
  }

  version(): string {
    return this.engine.version();
  }

  /**
   * A finding about a whole file rather than a place in it: what the repository rules
   * (`env-file-committed`, `env-file-not-ignored`) report from git, outside the engine. It has
   * the engine's `Finding` shape at line 1, column 1, with no excerpt. No secret is involved, so
   * the fingerprint is a hash of rule id and file. Returns `undefined` when `options.rules` turns
   * the rule off; throws for an unknown rule id.
   */
  fileFinding(ruleId: string, file: string, text: { message: string; help: string }, options: LintOptions = {}): Finding | undefined {
    const rule = this.rules().find((r) => r.id === ruleId);
    if (!rule) throw new Error(`unknown rule id "${ruleId}"`);
    const setting = options.rules?.[ruleId] ?? rule.defaultSeverity;
    if (setting === "off") return undefined;
    return {
      ruleId,
      severity: setting,
      message: text.message,
      help: text.help,
      file,
      span: { start: 0, end: 0 },
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      excerpt: "",
      fingerprint: fnv1a128(`${ruleId}\0${file}\0`).slice(0, 24),
      valueHash: fnv1a128(`${ruleId}\0${file}\0value`).slice(0, 24),
    };
  }
}

/** FNV-1a, 128-bit, over UTF-8, as hex: small, dependency-free and the same in node and browsers. */
function fnv1a128(text: string): string {
  const prime = (1n << 88n) + 0x13bn;
  const mask = (1n << 128n) - 1n;
  let hash = 0x6c62272e07bb014262b821756295c58dn;
  for (const byte of new TextEncoder().encode(text)) hash = ((hash ^ BigInt(byte)) * prime) & mask;
  return hash.toString(16).padStart(32, "0");
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

