/**
 * `flexguard-action`: the logic of the GitHub Action (action.yml at the repository root runs it).
 * A thin client of the Node API: lints the checkout, writes annotations (workflow commands on
 * stdout), a SARIF file for code scanning, the step's outputs and a job summary with every
 * finding. Reads what GitHub gives a step: `GITHUB_WORKSPACE`, `GITHUB_OUTPUT`,
 * `GITHUB_STEP_SUMMARY`, `GITHUB_EVENT_PATH`, `RUNNER_TEMP`, and the inputs as `INPUT_*`.
 * Exit codes: 0 (the outcome is in the `failed` output, so the SARIF upload still runs), 2 for
 * bad inputs or config.
 */
import * as fs from "fs";
import * as path from "path";
import type { Diagnostic, Finding, Report } from "./core";
import { summarize } from "./core";
import { parseBaseline } from "./baseline";
import { github, sarif } from "./format";
import { flexguard, lintFiles, rules } from "./node";

/** GitHub shows at most this many annotations of each level per step; the rest are dropped. */
export const ANNOTATIONS_PER_LEVEL = 10;

const FAIL_ON = ["error", "warning", "never"] as const;
type FailOn = (typeof FAIL_ON)[number];

export interface ActionInputs {
  paths: string[];
  baseline?: string;
  failOn: FailOn;
  uploadSarif: boolean;
}

class InputError extends Error {}

/** `INPUT_*` as the action passes them: paths one per line, or on one line separated by spaces. */
export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  // action.yml passes `fail-on` as INPUT_FAIL_ON (a shell-safe name).
  const input = (name: string) => (env[`INPUT_${name.toUpperCase().replace(/[ -]/g, "_")}`] ?? "").trim();
  const raw = input("paths");
  const paths = (raw.includes("\n") ? raw.split(/\r?\n/) : raw.split(/\s+/)).map((p) => p.trim()).filter(Boolean);
  const failOn = (input("fail-on") || "error") as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new InputError(`fail-on must be one of ${FAIL_ON.join(", ")}, got "${failOn.slice(0, 40)}"`);
  const upload = input("upload-sarif").toLowerCase() || "true";
  if (upload !== "true" && upload !== "false") throw new InputError(`upload-sarif must be true or false, got "${upload.slice(0, 40)}"`);
  return { paths: paths.length ? paths : ["."], baseline: input("baseline") || undefined, failOn, uploadSarif: upload === "true" };
}

/** What the event says about the run: the commit to link to, and whether code scanning accepts an upload. */
interface EventInfo {
  sha?: string;
  /** A pull request from a fork gets a read-only token: code scanning refuses its SARIF. */
  fromFork: boolean;
  pullRequest?: number;
}

function readEvent(env: NodeJS.ProcessEnv): EventInfo {
  let event: { pull_request?: { number?: number; head?: { sha?: string; repo?: { full_name?: string } }; base?: { repo?: { full_name?: string } } } } = {};
  try {
    if (env.GITHUB_EVENT_PATH) event = JSON.parse(fs.readFileSync(env.GITHUB_EVENT_PATH, "utf8"));
  } catch {
    // No readable event: link to GITHUB_SHA and try the upload.
  }
  const pr = event.pull_request;
  const head = pr?.head?.repo?.full_name;
  return {
    sha: pr?.head?.sha ?? env.GITHUB_SHA,
    fromFork: pr !== undefined && head !== undefined && head !== pr.base?.repo?.full_name,
    pullRequest: pr?.number,
  };
}

/** Up to `ANNOTATIONS_PER_LEVEL` per level, errors first; the count left out per level. */
export function pickAnnotations(reports: Report[]): { shown: Report[]; omitted: { error: number; warning: number; notice: number } } {
  const budget = { error: ANNOTATIONS_PER_LEVEL, warning: ANNOTATIONS_PER_LEVEL, notice: ANNOTATIONS_PER_LEVEL };
  const omitted = { error: 0, warning: 0, notice: 0 };
  const take = (level: keyof typeof budget) => (budget[level] > 0 ? (budget[level]--, true) : (omitted[level]++, false));
  const findings = reports.flatMap((r) => r.findings);
  const level = (f: Finding) => (f.severity === "info" ? "notice" : f.severity);
  const order = { error: 0, warning: 1, info: 2 };
  const chosen = new Set([...findings].sort((a, b) => order[a.severity] - order[b.severity]).filter((f) => take(level(f))));
  // Diagnostics (files not read or not fully scanned) are warnings, after the findings.
  const diagnostics: Diagnostic[] = reports.flatMap((r) => r.diagnostics).filter(() => take("warning"));
  return { shown: [{ findings: findings.filter((f) => chosen.has(f)), diagnostics }], omitted };
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "&#124;").replace(/\r?\n/g, " ");
/** A table cell holding code: `<code>` with HTML escaping (a backtick in the excerpt cannot end it). */
const codeCell = (s: string) => (s ? `<code>${escapeHtml(s)}</code>` : "");

/**
 * GitHub refuses a step summary over 1 MiB. Every finding is listed within this budget: as a
 * table row with its excerpt while they fit, then as one short line each.
 */
const SUMMARY_BYTES = 900_000;

/** The job summary: totals, annotations left out, a count per rule and file, then every finding. */
export function jobSummary(reports: Report[], options: { omitted: { error: number; warning: number; notice: number }; fileUrl?: (file: string, line: number) => string; sarifFile?: string; baselined?: boolean }): string {
  const findings = reports.flatMap((r) => r.findings).sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const diagnostics = reports.flatMap((r) => r.diagnostics);
  const { errors, warnings, infos } = summarize(reports);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  let out = `## flexguard\n\n`;
  if (findings.length === 0) out += `No findings${options.baselined ? " beyond the baseline" : ""}.\n`;
  else out += `**${plural(findings.length, "finding")}**: ${plural(errors, "error")}, ${plural(warnings, "warning")}, ${infos} info${options.baselined ? " (beyond the baseline)" : ""}.\n`;
  const { error, warning, notice } = options.omitted;
  if (error + warning + notice > 0) {
    const parts = [error && plural(error, "error"), warning && plural(warning, "warning"), notice && plural(notice, "notice")].filter(Boolean);
    out += `\n${parts.join(", ")} not shown as annotations: GitHub shows at most ${ANNOTATIONS_PER_LEVEL} of each level per step. Every finding is listed below${options.sarifFile ? " and in the SARIF file" : ""}.\n`;
  }
  if (findings.length > 0) {
    const counts = new Map<string, { rule: string; file: string; severity: string; n: number }>();
    for (const f of findings) {
      const key = `${f.ruleId}\0${f.file}`;
      const row = counts.get(key) ?? { rule: f.ruleId, file: f.file, severity: f.severity, n: 0 };
      row.n++;
      counts.set(key, row);
    }
    let table = `\n| Rule | File | Findings |\n|---|---|---|\n`;
    for (const row of counts.values()) table += `| \`${row.rule}\` | ${codeCell(row.file)} | ${row.n} |\n`;
    if (Buffer.byteLength(table) > SUMMARY_BYTES / 8) {
      // Findings spread over very many files: counted per rule, so the findings themselves fit.
      const perRule = new Map<string, { files: number; n: number }>();
      for (const row of counts.values()) {
        const total = perRule.get(row.rule) ?? { files: 0, n: 0 };
        perRule.set(row.rule, { files: total.files + 1, n: total.n + row.n });
      }
      table = `\n| Rule | Files | Findings |\n|---|---|---|\n`;
      for (const [rule, { files, n }] of perRule) table += `| \`${rule}\` | ${files} | ${n} |\n`;
    }
    out += table;
    const row = (f: Finding) => {
      const where = `${f.file}:${f.line}`;
      const link = options.fileUrl ? `<a href="${escapeHtml(options.fileUrl(f.file, f.line))}">${escapeHtml(where)}</a>` : codeCell(where);
      return `| ${f.severity} | \`${f.ruleId}\` | ${link} | ${escapeHtml(f.message)} | ${codeCell(f.excerpt)} |\n`;
    };
    const line = (f: Finding) => `- ${f.severity} \`${f.ruleId}\` ${codeCell(`${f.file}:${f.line}:${f.column}`)}\n`;
    // The table while every finding still fits as a short line after it.
    const rows: string[] = [];
    let size = Buffer.byteLength(out);
    const shortSize = findings.reduce((n, f) => n + Buffer.byteLength(line(f)), 0);
    let rest = shortSize;
    for (const f of findings) {
      const full = row(f);
      const short = Buffer.byteLength(line(f));
      // (1 KB for the line that introduces the short ones.)
      if (size + Buffer.byteLength(full) + (rest - short) > SUMMARY_BYTES - 1024) break;
      rows.push(full);
      size += Buffer.byteLength(full);
      rest -= short;
    }
    out += `\n| Severity | Rule | Where | Finding | Excerpt |\n|---|---|---|---|---|\n${rows.join("")}`;
    const remaining = findings.slice(rows.length);
    if (remaining.length > 0) {
      out += `\n${remaining.length} more findings, in short (GitHub limits a step summary to 1 MiB)${options.sarifFile ? "; the SARIF file has their messages" : ""}:\n\n`;
      let [listed, used] = [0, Buffer.byteLength(out)];
      for (const f of remaining) {
        const next = line(f);
        used += Buffer.byteLength(next);
        if (used > SUMMARY_BYTES) break;
        out += next;
        listed++;
      }
      if (listed < remaining.length) out += `\n${remaining.length - listed} findings did not fit in 1 MiB${options.sarifFile ? "; they are in the SARIF file" : ""}.\n`;
    }
  }
  if (diagnostics.length > 0) {
    out += `\n**Notes** (files not read or not fully scanned):\n\n`;
    for (const d of diagnostics) out += `- ${codeCell(`${d.file}:${d.line}`)} ${escapeHtml(d.message)} (${d.code})\n`;
  }
  return out;
}

/** `name=value` lines for `$GITHUB_OUTPUT` (values here are single-line). */
function writeOutputs(file: string | undefined, outputs: Record<string, string | number | boolean>): void {
  const text = Object.entries(outputs)
    .map(([name, value]) => `${name}=${String(value).replace(/\r?\n/g, " ")}\n`)
    .join("");
  if (file) fs.appendFileSync(file, text);
}

/** Run the action; resolves to the exit code. */
export async function runAction(env: NodeJS.ProcessEnv = process.env, stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  let inputs: ActionInputs;
  const workspace = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd());
  try {
    inputs = readInputs(env);
    const baseline = inputs.baseline ? parseBaseline(fs.readFileSync(path.resolve(workspace, inputs.baseline), "utf8"), inputs.baseline) : undefined;
    const reports = await lintFiles(inputs.paths, { cwd: workspace, baseline });
    const event = readEvent(env);

    const { shown, omitted } = pickAnnotations(reports);
    stdout.write(github(shown));

    const sarifFile = path.join(env.RUNNER_TEMP ?? workspace, "flexguard.sarif");
    fs.writeFileSync(sarifFile, sarif(reports, { rules: rules(), version: flexguard.version() }));

    const server = env.GITHUB_SERVER_URL ?? "https://github.com";
    const fileUrl = env.GITHUB_REPOSITORY && event.sha ? (file: string, line: number) => `${server}/${env.GITHUB_REPOSITORY}/blob/${event.sha}/${file.split("/").map(encodeURIComponent).join("/")}#L${line}` : undefined;
    if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, jobSummary(reports, { omitted, fileUrl, sarifFile, baselined: baseline !== undefined }));

    const { errors, warnings, infos } = summarize(reports);
    const unreadable = reports.some((r) => r.diagnostics.some((d) => d.code === "io-error"));
    const failed = unreadable || (inputs.failOn === "error" && errors > 0) || (inputs.failOn === "warning" && errors + warnings > 0);
    const upload = inputs.uploadSarif && !event.fromFork;
    if (inputs.uploadSarif && event.fromFork) stdout.write(`::notice title=flexguard::SARIF not uploaded: a pull request from a fork cannot write code scanning alerts; the annotations and the job summary hold the findings.\n`);
    writeOutputs(env.GITHUB_OUTPUT, { findings: errors + warnings + infos, errors, warnings, "sarif-file": sarifFile, upload, failed });
    return 0;
  } catch (error) {
    // Bad inputs, an unreadable baseline or config: named, never their content.
    stdout.write(`::error title=flexguard::${(error as Error).message.replace(/%/g, "%25").replace(/\r?\n/g, "%0A")}\n`);
    writeOutputs(env.GITHUB_OUTPUT, { failed: true });
    return 2;
  }
}

if (require.main === module) {
  runAction().then((code) => (process.exitCode = code));
}
