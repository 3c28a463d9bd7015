/** Reporters: text for people, JSON for tools. They only ever see redacted findings. */
import type { Diagnostic, Finding, Report } from "./core";
import { summarize } from "./core";

export interface FormatOptions {
  /** ANSI colours (the CLI sets this only when stdout is a TTY). */
  color?: boolean;
}

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
      // Bundles and source maps (absent for plain source files).
      ...(f.module === undefined ? {} : { module: f.module }),
      ...(f.original === undefined ? {} : { original: f.original }),
      ...(f.viaMap === undefined ? {} : { viaMap: f.viaMap }),
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

/** Grouped by file: position, severity, message, rule id, then the redacted excerpt and help. */
export function stylish(reports: Report[], options: FormatOptions = {}): string {
  const color = options.color ?? false;
  const red = paint(color, 31), yellow = paint(color, 33), dim = paint(color, 2), bold = paint(color, 1), blue = paint(color, 34);
  const byFile = new Map<string, { findings: Finding[]; diagnostics: Diagnostic[] }>();
  for (const report of reports) {
    for (const f of report.findings) {
      if (!byFile.has(f.file)) byFile.set(f.file, { findings: [], diagnostics: [] });
      byFile.get(f.file)!.findings.push(f);
    }
    for (const d of report.diagnostics) {
      if (!byFile.has(d.file)) byFile.set(d.file, { findings: [], diagnostics: [] });
      byFile.get(d.file)!.diagnostics.push(d);
    }
  }
  let out = "";
  for (const [file, { findings, diagnostics }] of byFile) {
    out += `\n${bold(file)}\n`;
    for (const d of diagnostics) out += `  ${d.line}:${d.column}  ${blue("note")}     ${d.message}  ${dim(d.code)}\n`;
    for (const f of findings) {
      const severity = f.severity === "error" ? red("error  ") : f.severity === "warning" ? yellow("warning") : blue("info   ");
      out += `  ${`${f.line}:${f.column}`.padEnd(7)}  ${severity}  ${f.message}  ${dim(f.ruleId)}\n`;
      if (f.excerpt) out += `           ${dim(">")} ${f.excerpt}\n`;
      if (f.original || f.module || f.viaMap) out += `           ${dim("where:")} ${whereInBundle(f)}\n`;
      out += `           ${dim("help:")} ${f.help}\n`;
    }
  }
  const { errors, warnings, infos } = summarize(reports);
  const total = errors + warnings + infos;
  if (total === 0) return out + (out ? "\n" : "") + "No problems found.\n";
  const line = `✖ ${total} problem${total === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}${infos ? `, ${infos} info` : ""})`;
  return out + "\n" + (errors ? red(bold(line)) : yellow(bold(line))) + "\n";
}

export const formatters = { stylish, json };
export type FormatterName = keyof typeof formatters;
