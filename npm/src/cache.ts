/**
 * The report cache: each file's first-pass report (single-file findings and its summary for the
 * project stage), keyed by a hash of the engine version, the lint options and the file's bytes.
 * Cross-file findings are never cached on one file's hash: the project stage's result is kept
 * under a key of all its inputs (every file's first-pass key and the env files), and a second
 * pass is keyed by the file and its context. Stored in `node_modules/.cache/flexguard/` at the project root
 * (only where `node_modules` exists, as other tools do); it holds what the JSON output holds
 * (redacted excerpts, fingerprints), summaries and the project stage's contexts (URLs and
 * names), never a credential.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { LintOptions, Report } from "./core";

/** Bumped when the stored shape changes; older files are ignored. */
const FORMAT = 2;

/** The project stage's result, stored under a key of every input it had. */
interface StoredProject {
  key: string;
  value: unknown;
}

export class ReportCache {
  #entries = new Map<string, Report>();
  #used = new Map<string, Report>();
  #changed = false;
  #project: StoredProject | undefined;

  private constructor(
    readonly file: string,
    private readonly engineVersion: string,
  ) {}

  /** The cache of the project at `root`, or undefined where there is no `node_modules`. */
  static open(root: string, engineVersion: string): ReportCache | undefined {
    const nodeModules = path.join(root, "node_modules");
    if (!fs.existsSync(nodeModules)) return undefined;
    const cache = new ReportCache(path.join(nodeModules, ".cache", "flexguard", "reports.json"), engineVersion);
    try {
      const stored = JSON.parse(fs.readFileSync(cache.file, "utf8")) as { format?: number; engine?: string; entries?: Record<string, Report>; project?: StoredProject };
      if (stored.format === FORMAT && stored.engine === engineVersion && stored.entries) {
        cache.#entries = new Map(Object.entries(stored.entries));
        cache.#project = stored.project;
      }
    } catch {
      // Absent or unreadable: start empty.
    }
    return cache;
  }

  key(bytes: Buffer, options: LintOptions): string {
    return crypto.createHash("sha256").update(`${this.engineVersion}\0${JSON.stringify(options)}\0`).update(bytes).digest("hex");
  }

  /**
   * The stored report: a shallow copy, whose findings, diagnostics and summary are shared with
   * the cache (hosts replace those, never change them in place).
   */
  get(key: string): Report | undefined {
    const report = this.#entries.get(key);
    if (report) this.#used.set(key, report);
    return report && { ...report };
  }

  /** The stored report for these bytes and options, else the one `lint` makes, stored. */
  report(bytes: Buffer, options: LintOptions, lint: () => Report): Report {
    const key = this.key(bytes, options);
    const hit = this.get(key);
    if (hit) return hit;
    const report = lint();
    this.set(key, report);
    return report;
  }

  set(key: string, report: Report): void {
    this.#used.set(key, JSON.parse(JSON.stringify(report)) as Report);
    this.#changed = true;
  }

  /**
   * A key for the project stage from everything it reads: each file's project path and
   * first-pass key, and the env files. Undefined when a file has no key (not cacheable).
   */
  projectKey(files: { path: string; key: string | undefined }[], envFiles: { path: string; text: string }[]): string | undefined {
    if (files.some((file) => file.key === undefined)) return undefined;
    return crypto.createHash("sha256").update(`${this.engineVersion}\0project\0`).update(JSON.stringify([files, envFiles])).digest("hex");
  }

  /** The project stage's stored result for `key`, if the last run stored it under that key. */
  getProject<T>(key: string): T | undefined {
    return this.#project?.key === key ? (this.#project.value as T) : undefined;
  }

  /** Keep the project stage's result (only the latest one: a project has one state at a time). */
  setProject(key: string, value: unknown): void {
    if (this.#project?.key === key) return;
    this.#project = { key, value };
    this.#changed = true;
  }

  /** Write the entries this run used (others are stale); a failure to write is not an error. */
  save(): void {
    if (!this.#changed && this.#used.size === this.#entries.size) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}`;
      fs.writeFileSync(temporary, JSON.stringify({ format: FORMAT, engine: this.engineVersion, entries: Object.fromEntries(this.#used), project: this.#project }));
      fs.renameSync(temporary, this.file);
    } catch {
      // A read-only tree lints all the same, only without the cache.
    }
  }
}
