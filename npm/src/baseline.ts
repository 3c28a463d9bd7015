/**
 * Baselines and allowlists: accepted findings, identified by fingerprint. A fingerprint is a
 * one-way hash of rule id, file and matched value, without the line, so a baselined finding
 * stays baselined when code above it moves. Pure functions: the CLI and the webpack plugin
 * share them, and nothing here ever sees or writes a secret.
 */
import type { Report } from "./core";

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
    if (typeof entry?.fingerprint !== "string" || !/^[0-9a-f]{24}$/.test(entry.fingerprint)) throw new Error(`${source}: "findings[${i}].fingerprint" must be 24 hex digits`);
  });
  return value as Baseline;
}

/** Reports without the findings whose fingerprint is in `fingerprints`. Diagnostics are kept. */
export function withoutFingerprints(reports: Report[], fingerprints: Iterable<string>): Report[] {
  const accepted = new Set(fingerprints);
  if (accepted.size === 0) return reports;
  return reports.map((report) => ({ ...report, findings: report.findings.filter((f) => !accepted.has(f.fingerprint)) }));
}

/** Only the findings that are new relative to a baseline. */
export function applyBaseline(reports: Report[], baseline: Baseline): Report[] {
  return withoutFingerprints(
    reports,
    baseline.findings.map((entry) => entry.fingerprint),
  );
}
