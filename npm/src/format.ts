/**
 * Reporters: pure functions `(reports, options) => string`. They only ever see redacted
 * findings (the engine redacts before anything crosses the wasm boundary), so no reporter can
 * print a secret. The CLI, the webpack plugin and the playground all use these.
 */
import type { Diagnostic, Finding, Report, RuleInfo } from "./core";
import { summarize } from "./core";

/** Outcome of the optional live check (`--verify`) attached to a finding. */
export type Verification = "live" | "rejected" | "unknown";

/** A finding as reporters accept it: the engine's, optionally with a verification result. */
export type ReportedFinding = Finding & { verification?: Verification };

export interface FormatOptions {
  /** ANSI colours (the CLI sets this only when stdout is a TTY). */
  color?: boolean;
  /** The engine's rule registry: SARIF lists it as `tool.driver.rules`. */
  rules?: RuleInfo[];
  /** The tool version reported by SARIF. */
  version?: string;
}

export type Formatter = (reports: Report[], options?: FormatOptions) => string;

const verificationOf = (f: Finding) => (f as ReportedFinding).verification;

/** The CLI's JSON shape: stable, one object on stdout. */
export function json(reports: Report[]): string {
  const findings = reports.flatMap((r) =>
    r.findings.map((f: Finding) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      message: f.message,
      help: f.help,
      excerpt: f.excerpt,
      fingerprint: f.fingerprint,
      ...(f.runtime === undefined ? {} : { runtime: f.runtime }),
      // Cross-file findings: where their parts were defined.
      ...(f.related?.length ? { related: f.related } : {}),
      ...(verificationOf(f) ? { verification: verificationOf(f) } : {}),
      // Bundles and source maps (absent for plain source files).
      ...(f.module === undefined ? {} : { module: f.module }),
      ...(f.original === undefined ? {} : { original: f.original }),
      ...(f.viaMap === undefined ? {} : { viaMap: f.viaMap }),
      // `flexguard audit`: the account resource (`file` is its twilio:// URI).
      ...(f.resource === undefined ? {} : { resource: f.resource }),
      // A mechanical edit that resolves the finding, where the engine has one.
      ...(f.fix === undefined ? {} : { fix: f.fix }),
    })),
  );
  const errors = reports.flatMap((r) => r.diagnostics);
  return JSON.stringify({ findings, errors }, null, 2) + "\n";
}

/** Where a bundle finding came from: original position, webpack module, source map. */
function whereInBundle(f: Finding): string {
  const parts: string[] = [];
  if (f.original) parts.push(`${f.original.source}:${f.original.line}:${f.original.column}`);
  if (f.module) parts.push(`module ${f.module}`);
  if (f.viaMap) parts.push(`from ${f.viaMap}`);
  return parts.join(", ");
}

const paint = (on: boolean, code: number) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/**
 * Where to underline in an excerpt: the redacted credential the message names (`AC12…ef`), if
 * the excerpt shows it. The excerpt is trimmed and windowed, so columns cannot be used.
 */
function underline(finding: Finding): [number, number] | undefined {
  const redacted = /(\S*…\S*)$/.exec(finding.message)?.[1];
  if (!redacted) return undefined;
  const at = finding.excerpt.indexOf(redacted);
  return at < 0 ? undefined : [at, redacted.length];
}

/** Grouped by file: position, severity, message, rule id; a redacted code frame; help; a summary. */
export function stylish(reports: Report[], options: FormatOptions = {}): string {
  const color = options.color ?? false;
  const red = paint(color, 31), yellow = paint(color, 33), dim = paint(color, 2), bold = paint(color, 1), blue = paint(color, 34), green = paint(color, 32);
  const byFile = new Map<string, { findings: Finding[]; diagnostics: Diagnostic[] }>();
  const entry = (file: string) => {
    if (!byFile.has(file)) byFile.set(file, { findings: [], diagnostics: [] });
    return byFile.get(file)!;
  };
  for (const report of reports) {
    for (const f of report.findings) entry(f.file).findings.push(f);
    for (const d of report.diagnostics) entry(d.file).diagnostics.push(d);
  }
  let out = "";
  for (const [file, { findings, diagnostics }] of byFile) {
    out += `\n${bold(file)}\n`;
    for (const d of diagnostics) out += `  ${`${d.line}:${d.column}`.padEnd(7)}  ${blue("note   ")}  ${d.message}  ${dim(d.code)}\n`;
    for (const f of findings) {
      const severity = f.severity === "error" ? red("error  ") : f.severity === "warning" ? yellow("warning") : blue("info   ");
      const verified = verificationOf(f);
      const badge = verified ? ` ${verified === "live" ? red(bold("[live]")) : verified === "rejected" ? green("[rejected]") : dim("[unverified]")}` : "";
      // An account finding names a resource, not a place in a file (unless it is in deployed code).
      const position = isWholeResource(f) ? "" : `${f.line}:${f.column}`;
      out += `  ${position.padEnd(7)}  ${severity}  ${f.message}${badge}  ${dim(f.ruleId)}\n`;
      if (f.excerpt) {
        // A one-line code frame: the (redacted) source line, and a marker under the credential.
        const gutter = ` ${String(f.line)} │ `;
        out += `    ${dim(gutter)}${f.excerpt}\n`;
        const mark = underline(f);
        if (mark) out += `    ${" ".repeat(gutter.length)}${" ".repeat([...f.excerpt.slice(0, mark[0])].length)}${red("^".repeat([...f.excerpt.substr(mark[0], mark[1])].length))}\n`;
      }
      if (f.original || f.module || f.viaMap) out += `    ${dim("where:")} ${whereInBundle(f)}\n`;
      for (const related of f.related ?? []) out += `    ${dim("see:")} ${related.file}:${related.line}: ${related.message}\n`;
      out += `    ${dim("help:")} ${f.help}\n`;
    }
  }
  const { errors, warnings, infos } = summarize(reports);
  const total = errors + warnings + infos;
  const files = new Set(reports.flatMap((r) => r.findings.map((f) => f.file))).size;
  // `flexguard audit` reports on account resources, not files.
  const where = reports.every((r) => r.findings.every((f) => f.resource)) ? "resource" : "file";
  if (total === 0) return out + (out ? "\n" : "") + green("No problems found.") + "\n";
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const line = `✖ ${plural(total, "problem")} (${plural(errors, "error")}, ${plural(warnings, "warning")}${infos ? `, ${infos} info` : ""}) in ${plural(files, where)}`;
  return out + "\n" + (errors ? red(bold(line)) : yellow(bold(line))) + "\n";
}

/** An account finding about a whole resource (a key, a country), not a position in deployed code. */
const isWholeResource = (f: Finding) => f.resource !== undefined && f.span.end === 0 && !f.excerpt;

const SARIF_LEVEL = { error: "error", warning: "warning", info: "note" } as const;

/** `account-sid` → `AccountSid`: SARIF's `reportingDescriptor.name` convention. */
const pascal = (id: string) => id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

/** A repository-relative path as a SARIF URI (percent-encoded segments, forward slashes). */
const uriOf = (file: string) => file.split("/").map(encodeURIComponent).join("/");

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF consumers: `tool.driver.rules` from the
 * registry (summary, full docs as help), one result per finding with its region, redacted snippet
 * and `partialFingerprints` (line-independent, so alerts survive code moving), and engine
 * diagnostics as tool notifications.
 */
export function sarif(reports: Report[], options: FormatOptions = {}): string {
  const findings = reports.flatMap((r) => r.findings);
  // Without a registry, describe at least the rules that have results.
  const registry: RuleInfo[] =
    options.rules ??
    [...new Set(findings.map((f) => f.ruleId))].sort().map((id) => ({ id, defaultSeverity: "warning", kind: "credential", summary: id, docs: "" }) as RuleInfo);
  const index = new Map(registry.map((r, i) => [r.id, i]));
  const rules = registry.map((r) => ({
    id: r.id,
    name: pascal(r.id),
    shortDescription: { text: r.summary },
    fullDescription: { text: r.summary },
    help: { text: r.docs || r.summary, markdown: r.docs || r.summary },
    defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
    properties: { tags: ["security", r.kind], precision: r.kind === "credential" ? "high" : "medium" },
  }));
  const results = findings.map((f) => {
    const verified = verificationOf(f);
    return {
      ruleId: f.ruleId,
      ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
      level: SARIF_LEVEL[f.severity],
      message: { text: `${f.message}\n${f.help}` },
      locations: [
        {
          ...(isWholeResource(f)
            ? {}
            : {
                physicalLocation: {
                  artifactLocation: f.resource ? { uri: f.file } : { uri: uriOf(f.file), uriBaseId: "%SRCROOT%" },
                  region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn, snippet: { text: f.excerpt } },
                },
              }),
          // `flexguard audit`: the account resource the finding names.
          ...(f.resource ? { logicalLocations: [{ name: f.resource.id, fullyQualifiedName: f.file, kind: "resource" }] } : {}),
        },
      ],
      ...(f.related?.length
        ? {
            relatedLocations: f.related.map((related, id) => ({
              id,
              message: { text: related.message },
              physicalLocation: { artifactLocation: { uri: uriOf(related.file), uriBaseId: "%SRCROOT%" }, region: { startLine: related.line } },
            })),
          }
        : {}),
      partialFingerprints: { "flexguard/v1": f.fingerprint },
      ...(verified || f.resource ? { properties: { ...(verified ? { verification: verified } : {}), ...(f.resource ? { resource: f.resource } : {}) } } : {}),
    };
  });
  const notifications = reports
    .flatMap((r) => r.diagnostics)
    .map((d) => ({
      level: d.code === "internal-error" ? "error" : "warning",
      message: { text: d.message },
      descriptor: { id: d.code },
      locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(d.file), uriBaseId: "%SRCROOT%" }, region: { startLine: d.line, startColumn: d.column } } }],
    }));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "flexguard",
            ...(options.version ? { version: options.version, semanticVersion: options.version } : {}),
            rules,
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The directory flexguard was run from." } } },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}

/** Workflow-command escaping: data and property values (GitHub's toolkit `escapeData`/`escapeProperty`). */
const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

const GITHUB_COMMAND = { error: "error", warning: "warning", info: "notice" } as const;

/** GitHub Actions workflow commands: one `::error file=…,line=…,col=…::…` annotation per finding. */
export function github(reports: Report[]): string {
  let out = "";
  for (const report of reports) {
    for (const d of report.diagnostics) {
      out += `::warning file=${escapeProperty(d.file)},line=${d.line},col=${d.column},title=${escapeProperty(`flexguard ${d.code}`)}::${escapeData(d.message)}\n`;
    }
    for (const f of report.findings) {
      const title = `title=${escapeProperty(`flexguard ${f.ruleId}`)}`;
      // An account resource is no file of the repository: the annotation names it in its text.
      if (f.resource) out += `::${GITHUB_COMMAND[f.severity]} ${title}::${escapeData(`${f.file}: ${f.message}\n${f.help}`)}\n`;
      else {
        const props = [`file=${escapeProperty(f.file)}`, `line=${f.line}`, `col=${f.column}`, `endLine=${f.endLine}`, `endColumn=${f.endColumn}`, title];
        out += `::${GITHUB_COMMAND[f.severity]} ${props.join(",")}::${escapeData(`${f.message}\n${f.help}`)}\n`;
      }
    }
  }
  return out;
}

const GITLAB_SEVERITY = { error: "critical", warning: "major", info: "info" } as const;

/**
 * GitLab Code Quality (`artifacts:reports:codequality`): a JSON array of Code Climate issues with
 * the fields GitLab reads (`description`, `check_name`, `fingerprint`, `severity`,
 * `location.path`, `location.lines.begin`). GitLab shows one issue per fingerprint, so the
 * second and later findings that share a flexguard fingerprint (the same value twice in a file)
 * get `-2`, `-3`, …: each stays unique, and the first is the fingerprint `allow` and baselines use.
 */
export function gitlab(reports: Report[]): string {
  const seen = new Map<string, number>();
  const issues = reports.flatMap((r) =>
    r.findings.map((f) => {
      const occurrence = (seen.get(f.fingerprint) ?? 0) + 1;
      seen.set(f.fingerprint, occurrence);
      return {
        type: "issue",
        check_name: `flexguard/${f.ruleId}`,
        description: f.message,
        content: { body: `${f.help}\n\n    ${f.excerpt}` },
        categories: ["Security"],
        fingerprint: occurrence === 1 ? f.fingerprint : `${f.fingerprint}-${occurrence}`,
        severity: GITLAB_SEVERITY[f.severity],
        location: { path: f.file, lines: { begin: f.line, end: f.endLine } },
      };
    }),
  );
  return JSON.stringify(issues, null, 2) + "\n";
}

export const formatters: { stylish: Formatter; json: Formatter; sarif: Formatter; github: Formatter; gitlab: Formatter } = { stylish, json, sarif, github, gitlab };
export type FormatterName = keyof typeof formatters;
