/**
 * The report cache: each file's first-pass report (single-file findings and its summary for the
 * project stage), keyed by a hash of the engine version, the lint options and the file's bytes.
 * Cross-file findings are never cached: the project stage and the second pass run every time,
 * from the cached summaries. Stored in `node_modules/.cache/flexguard/` at the project root
 * (only where `node_modules` exists, as other tools do); it holds what the JSON output holds
 * (redacted excerpts, fingerprints) and summaries (URLs and names), never a credential.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { LintOptions, Report } from "./core";

/** Bumped when the stored shape changes; older files are ignored. */
const FORMAT = 1;

export class ReportCache {
  #entries = new Map<string, Report>();
  #used = new Map<string, Report>();
  #changed = false;

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
      const stored = JSON.parse(fs.readFileSync(cache.file, "utf8")) as { format?: number; engine?: string; entries?: Record<string, Report> };
      if (stored.format === FORMAT && stored.engine === engineVersion && stored.entries) cache.#entries = new Map(Object.entries(stored.entries));
    } catch {
      // Absent or unreadable: start empty.
    }
    return cache;
  }

  key(bytes: Buffer, options: LintOptions): string {
    return crypto.createHash("sha256").update(`${this.engineVersion}\0${JSON.stringify(options)}\0`).update(bytes).digest("hex");
  }

  get(key: string): Report | undefined {
    const report = this.#entries.get(key);
    if (report) this.#used.set(key, report);
    return report && (JSON.parse(JSON.stringify(report)) as Report);
  }

  set(key: string, report: Report): void {
    this.#used.set(key, JSON.parse(JSON.stringify(report)) as Report);
    this.#changed = true;
  }

  /** Write the entries this run used (others are stale); a failure to write is not an error. */
  save(): void {
    if (!this.#changed && this.#used.size === this.#entries.size) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}`;
      fs.writeFileSync(temporary, JSON.stringify({ format: FORMAT, engine: this.engineVersion, entries: Object.fromEntries(this.#used) }));
      fs.renameSync(temporary, this.file);
    } catch {
      // A read-only tree lints all the same, only without the cache.
    }
  }
}
