/**
 * Baselines and allowlists: accepted findings, identified by fingerprint. A fingerprint is a
 * one-way hash of rule id, file and matched value, without the line, so a baselined finding
 * stays baselined when code above it moves. Pure functions: the CLI and the webpack plugin
 * share them, and nothing here ever sees or writes a secret.
 */
import type { Finding, Report } from "./core";

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
}

export interface Baseline {
  /** Format version of this file. */
  version: 1;
  tool: "flexguard";
  findings: BaselineEntry[];
}

/** A finding's fingerprint: 24 hex digits. */
const FINGERPRINT = /^[0-9a-f]{24}$/;

/** Every current finding as a baseline entry, sorted and deduplicated (stable diffs). */
export function createBaseline(reports: Report[]): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const report of reports) {
    for (const f of report.findings) entries.set(f.fingerprint, { fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.file });
  }
  const findings = [...entries.values()].sort((a, b) => (a.file + "\0" + a.ruleId + "\0" + a.fingerprint < b.file + "\0" + b.ruleId + "\0" + b.fingerprint ? -1 : 1));
  return { version: 1, tool: "flexguard", findings };
}

/** Parse a baseline file's text; throws an Error naming what is wrong (never echoing values). */
export function parseBaseline(text: string, source = "baseline"): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${source}: is not valid JSON`);
  }
  const value = raw as Partial<Baseline>;
  if (typeof raw !== "object" || raw === null || value.version !== 1 || !Array.isArray(value.findings)) {
    throw new Error(`${source}: not a flexguard baseline (expected {"version": 1, "findings": [...]}; write one with --write-baseline)`);
  }
  value.findings.forEach((entry, i) => {
    if (typeof entry?.fingerprint !== "string" || !FINGERPRINT.test(entry.fingerprint)) throw new Error(`${source}: "findings[${i}].fingerprint" must be 24 hex digits`);
  });
  return value as Baseline;
}

/**
 * The fingerprints a file accepts, in any shape that lists them: a baseline (checked by
 * `parseBaseline`), the CLI's JSON report (`--format json`: `{ findings: [{ fingerprint }] }`),
 * `{ "fingerprints": [...] }` or a plain array. The webpack plugin's `baseline` takes all four.
 */
export function baselineFingerprints(text: string, source = "baseline"): string[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${source}: is not valid JSON`);
  }
  if ((raw as Partial<Baseline> | null)?.version !== undefined) return parseBaseline(text, source).findings.map((entry) => entry.fingerprint);
  const object = raw as { fingerprints?: unknown; findings?: unknown } | null;
  const list = Array.isArray(raw) ? raw : Array.isArray(object?.fingerprints) ? object.fingerprints : Array.isArray(object?.findings) ? object.findings : undefined;
  if (!list) throw new Error(`${source}: lists no fingerprints (expected a baseline, the JSON report, {"fingerprints": [...]} or an array)`);
  return list.map((entry: unknown, i) => {
    const fingerprint = typeof entry === "string" ? entry : (entry as { fingerprint?: unknown } | null)?.fingerprint;
    if (typeof fingerprint !== "string" || !FINGERPRINT.test(fingerprint)) throw new Error(`${source}: entry ${i} is not a fingerprint (24 hex digits)`);
    return fingerprint;
  });
}

/** Reports without the findings whose fingerprint is in `fingerprints`. Diagnostics are kept. */
export function withoutFingerprints(reports: Report[], fingerprints: Iterable<string>): Report[] {
  const accepted = new Set(fingerprints);
  if (accepted.size === 0) return reports;
  // Entries written by older versions hold a finding's legacy fingerprint; new ones its current one.
  const isAccepted = (f: Finding) => accepted.has(f.fingerprint) || (f.legacyFingerprints ?? []).some((old) => accepted.has(old));
  return reports.map((report) => ({ ...report, findings: report.findings.filter((f) => !isAccepted(f)) }));
}

/** Only the findings that are new relative to a baseline. */
export function applyBaseline(reports: Report[], baseline: Baseline): Report[] {
  return withoutFingerprints(
    reports,
    baseline.findings.map((entry) => entry.fingerprint),
  );
}
