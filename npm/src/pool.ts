/**
 * `lintFiles` on several threads: the calling thread and a few worker.ts threads share a queue of
 * batches, largest files first. Workers get the engine's compiled module from this thread, live
 * as long as the process (so repeated `lintFiles` calls and webpack's watch mode start them
 * once) and never keep it alive on their own. Only file names, lint options and redacted
 * reports cross threads, one message per batch each way.
 */
import * as fs from "fs";
import * as path from "path";
import type { Worker } from "worker_threads";
import type { LintOptions, Plan, Report } from "./core";
import { compiledEngine, flexguard, lintFileReport, readForLint } from "./engine";
import type { WorkerData, WorkerRequest, WorkerResponse } from "./worker";

/**
 * The cost model that sizes the pool, measured on a 2-core machine (Liftoff, `bench/compare.js`):
 * the engine lints about 5 MB/s per thread plus a fixed cost per file (reading it, crossing into
 * wasm, building the report), and a worker starts answering about 60 ms after it is created
 * (node's bootstrap, loading engine.js, instantiating the shared module), while this thread
 * already lints.
 */
const MS_PER_FILE = 0.15;
const BYTES_PER_MS = 5_000;
const WORKER_START_MS = 60;
/** A batch: up to this many files or bytes (a larger file is a batch of its own). */
const BATCH_FILES = 24;
const BATCH_BYTES = 256 * 1024;

/** Files this large are offered to the engine to be split along their webpack module table (the engine decides). */
export const SPLIT_BYTES = 1 << 20;

/** A file's size, 0 when unreadable (it becomes an io-error diagnostic later). */
export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

const estimateMs = (bytes: number, files: number) => files * MS_PER_FILE + bytes / BYTES_PER_MS;

/**
 * How many worker threads to use for `sizes` (the files' sizes in bytes) next to this thread, at
 * most `maxWorkers`: none when one thread finishes about as soon. With `k` workers, this thread
 * lints from the start and each new worker from its start-up on, so the batch takes about
 * (single + k × start-up) / (k + 1); `running` workers have started already. No thread can
 * finish before the largest file is done.
 */
export function workersFor(sizes: number[], maxWorkers: number, running = 0): number {
  if (maxWorkers < 1 || sizes.length < 2) return 0;
  const single = estimateMs(sizes.reduce((a, b) => a + b, 0), sizes.length);
  const largest = estimateMs(Math.max(...sizes), 1);
  let best = 0;
  let bestMs = single;
  for (let k = 1; k <= maxWorkers; k++) {
    const ms = Math.max(largest, (single + Math.max(0, k - running) * WORKER_START_MS) / (k + 1));
    if (ms < bestMs * 0.85) [best, bestMs] = [k, ms];
  }
  return best;
}

/** Files in batches, largest files first, so that no thread starts a big file when the others are nearly done. */
function batches(files: string[], sizes: number[]): number[][] {
  const order = files.map((_, index) => index).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const out: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const index of order) {
    if (current.length && (current.length >= BATCH_FILES || bytes + sizes[index] > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += sizes[index];
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * A worker lints its share of a bundle 20–30 % slower per byte than this thread, which has just
 * planned the bundle (measured on the bundle of `bench/compare.js`; warming the worker's
 * instance up first did not change it), so its share is that much smaller.
 */
const WORKER_BUNDLE_SLOWDOWN = 1.2;

/**
 * A bundle's planned modules in `workers + 1` shares of about equal cost, largest module first:
 * share 0 (this thread) starts with the runtime around the modules, and each of the `starting`
 * workers that are not running yet with its start-up.
 */
export function shareModules(plan: Plan, fileBytes: number, workers: number, starting: number): number[][] {
  const sizes = plan.parts.map((part) => part.function.end - part.function.start);
  const runtimeBytes = fileBytes - sizes.reduce((a, b) => a + b, 0);
  const load = [runtimeBytes, ...Array.from({ length: workers }, (_, k) => (k >= workers - starting ? WORKER_START_MS * BYTES_PER_MS : 0))];
  const shares: number[][] = load.map(() => []);
  const order = sizes.map((_, index) => index).sort((a, b) => sizes[b] - sizes[a] || a - b);
  for (const index of order) {
    const least = load.indexOf(Math.min(...load));
    shares[least].push(index);
    load[least] += sizes[index] * (least === 0 ? 1 : WORKER_BUNDLE_SLOWDOWN);
  }
  return shares.map((share) => share.sort((a, b) => a - b));
}

/** Batches posted to a worker before it answers the first: it never waits for this thread. */
const IN_FLIGHT = 2;

export class WorkerPool {
  static #shared: WorkerPool | undefined;
  #workers: Worker[] = [];
  #handlers = new Map<number, (response: WorkerResponse) => void>();
  #nextBatch = 0;
  #active = 0;

  /** The process-wide pool. */
  static shared(): WorkerPool {
    return (WorkerPool.#shared ??= new WorkerPool());
  }

  /** Worker threads running now. */
  get size(): number {
    return this.#workers.length;
  }

  /** Start workers up to `size` ahead of the work: they load while this thread prepares it. */
  prestart(size: number): void {
    this.#grow(size);
  }

  /** Start workers up to `size`; each gets this thread's compiled module. */
  #grow(size: number): void {
    if (this.#workers.length >= size) return;
    const { Worker } = require("worker_threads") as typeof import("worker_threads");
    const module = compiledEngine();
    while (this.#workers.length < size) {
      const data: WorkerData = { module };
      const worker = new Worker(path.join(__dirname, "worker.js"), { workerData: data });
      worker.on("message", (response: WorkerResponse) => this.#handlers.get(response.batch)?.(response));
      worker.once("exit", () => (this.#workers = this.#workers.filter((w) => w !== worker)));
      if (this.#active === 0) worker.unref();
      this.#workers.push(worker);
    }
  }

  /**
   * Lint `files` on this thread and `workers` worker threads (started if need be). Reports come
   * back in `files` order; `onDone` is called once per file, in completion order.
   */
  async lint(files: string[], optionsFor: (file: string) => LintOptions, onDone: () => void, workers: number, sizes = files.map(fileSize)): Promise<Report[]> {
    const reports: Report[] = new Array(files.length);
    const queue = batches(files, sizes);
    let next = 0;
    this.#grow(workers);
    if (this.#active++ === 0) for (const worker of this.#workers) worker.ref();
    try {
      const onWorkers = this.#workers.slice(0, workers).map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0;
            const fail = (error: unknown) => reject(error instanceof Error ? error : new Error(`flexguard: a worker thread stopped (${String(error)})`));
            const post = () => {
              while (inFlight < IN_FLIGHT && next < queue.length) {
                const indexes = queue[next++];
                const batch = this.#nextBatch++;
                this.#handlers.set(batch, ({ reports: done }) => {
                  this.#handlers.delete(batch);
                  indexes.forEach((index, i) => {
                    reports[index] = done[i] as Report;
                    onDone();
                  });
                  inFlight--;
                  post();
                });
                inFlight++;
                const request: WorkerRequest = { batch, files: indexes.map((i) => files[i]), options: indexes.map((i) => optionsFor(files[i])) };
                worker.postMessage(request);
              }
              if (inFlight === 0) {
                worker.off("error", fail).off("exit", fail);
                resolve();
              }
            };
            worker.on("error", fail).on("exit", fail);
            post();
          }),
      );
      // This thread takes its share, one batch at a time, letting workers' answers in between.
      while (next < queue.length) {
        for (const index of queue[next++]) {
          reports[index] = lintFileReport(files[index], optionsFor(files[index]));
          onDone();
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await Promise.all(onWorkers);
      return reports;
    } finally {
      if (--this.#active === 0) for (const worker of this.#workers) worker.unref();
    }
  }

  /**
   * Lint one large file on this thread and `workers` worker threads: a webpack bundle's modules
   * are shared out by size (this thread also takes the runtime around them, and the workers
   * not yet started take less); anything else is linted whole on this thread, as is a bundle
   * whose modules do not all parse on their own.
   */
  async lintLarge(file: string, options: LintOptions, workers: number): Promise<Report> {
    let read: ReturnType<typeof readForLint>;
    try {
      read = readForLint(file, options, workers > 0);
    } catch {
      return lintFileReport(file, options); // the io-error report
    }
    // Workers start now: their start-up overlaps the plan. If there is none, they stay idle.
    this.#grow(workers);
    if (workers === 0) return flexguard.lint(read.source, read.options);
    const planned = flexguard.lintOrPlan(read.source, read.options);
    if ("report" in planned) return planned.report;
    const { plan } = planned;
    if (this.#active++ === 0) for (const worker of this.#workers) worker.ref();
    try {
      const shares = shareModules(plan, read.source.length, workers, 0);
      const theirs = this.#workers.slice(0, workers).map(
        (worker, k) =>
          new Promise<Report | null>((resolve, reject) => {
            const batch = this.#nextBatch++;
            const fail = (error: unknown) => reject(error instanceof Error ? error : new Error(`flexguard: a worker thread stopped (${String(error)})`));
            this.#handlers.set(batch, ({ reports }) => {
              this.#handlers.delete(batch);
              worker.off("error", fail).off("exit", fail);
              resolve(reports[0]);
            });
            worker.on("error", fail).on("exit", fail);
            const request: WorkerRequest = { batch, bundle: { source: read.source, options: read.options, plan, which: shares[k + 1] } };
            worker.postMessage(request);
          }),
      );
      const mine = flexguard.lintBundleModules(read.source, read.options, plan, shares[0], true);
      const reports = [mine, ...(await Promise.all(theirs))];
      // A module that does not parse on its own: the engine finds it again and lints the file whole.
      if (reports.some((report) => !report)) return flexguard.lint(read.source, read.options);
      return flexguard.combineBundleReports(reports as Report[]);
    } finally {
      if (--this.#active === 0) for (const worker of this.#workers) worker.unref();
    }
  }

  /** Stop every worker (they are restarted on demand). */
  async close(): Promise<void> {
    const workers = this.#workers;
    this.#workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
