/** Messages between the page and the lint worker. Reports are the core's `Report`, already redacted. */
import type { Report, RuleInfo, RuleSetting } from "../../src/core";

/** One input: typed text (the editor) or a `File` the worker reads itself (large bundles never block the page). */
export interface Input {
  name: string;
  text?: string;
  file?: File;
}

export type RuleSettings = Record<string, RuleSetting>;

export type ToWorker = { type: "lint"; id: number; inputs: Input[]; rules: RuleSettings };

/** A linted document: a file, or one `sourcesContent` entry of a source map. */
export interface LintedDocument {
  name: string;
  /** The source map it came from, if any. */
  map?: string;
  bytes: number;
  /** The text, when small enough to open in the editor. */
  text?: string;
  report: Report;
}

export type FromWorker =
  | { type: "ready"; rules: RuleInfo[]; version: string }
  | { type: "failed"; message: string }
  | { type: "progress"; id: number; done: number; total: number; current: string; bytes: number }
  | { type: "result"; id: number; documents: LintedDocument[]; maps: { name: string; sources: string[] }[] }
  | { type: "error"; id: number; message: string };

/** Documents up to this size can be opened in the editor; larger ones are only linted. */
export const MAX_EDITOR_BYTES = 1_000_000;
