/**
 * `lintFiles` on worker threads: a few worker.ts instances, each with its own engine, fed the
 * largest files first. Only file names, lint options and redacted reports cross threads.
 */
import * as fs from "fs";
import * as path from "path";
import type { LintOptions, Report } from "./core";
import type { WorkerRequest } from "./worker";

/** From this much input on, worker threads pay for their start-up even for a few big files (bundles). */
const PARALLEL_BYTES = 1.5 * 1024 * 1024;

/** A file's size, 0 when unreadable (it becomes an io-error diagnostic later). */
function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function totalBytes(files: string[]): number {
  let total = 0;
  for (const file of files) {
    total += fileSize(file);
    if (total >= PARALLEL_BYTES) break;
  }
  return total;
}

/** Whether workers save more than their start-up costs: from `minFiles` files, or from 1.5 MB of input. */
export function worthWorkers(files: string[], minFiles: number): boolean {
  return files.length >= minFiles || totalBytes(files) >= PARALLEL_BYTES;
}

/**
 * A few worker threads, each with its own engine, kept for several batches (the project stages
 * lint twice). Reports come back in `files` order; the largest files go first, so that no worker
 * starts a big bundle when the others are nearly done.
 */
export class WorkerPool {
  private constructor(private readonly workers: import("worker_threads").Worker[]) {}

  static async start(size: number): Promise<WorkerPool> {
    const { Worker } = await import("worker_threads");
    return new WorkerPool(Array.from({ length: size }, () => new Worker(path.join(__dirname, "worker.js"))));
  }

  async lint(files: string[], optionsFor: (file: string) => LintOptions, onDone: () => void): Promise<Report[]> {
    const reports: Report[] = new Array(files.length);
    const order = files.map((file, index) => ({ index, size: fileSize(file) })).sort((a, b) => b.size - a.size);
    let next = 0;
    const runOne = (worker: import("worker_threads").Worker) =>
      new Promise<void>((resolve, reject) => {
        const send = () => {
          if (next >= order.length) {
            worker.off("message", receive).off("error", reject);
            return resolve();
          }
          const { index } = order[next++];
          const request: WorkerRequest = { index, file: files[index], options: optionsFor(files[index]) };
          worker.postMessage(request);
        };
        const receive = ({ index, report }: { index: number; report: Report }) => {
          reports[index] = report;
          onDone();
          send();
        };
        worker.on("message", receive).on("error", reject);
        send();
      });
    await Promise.all(this.workers.map(runOne));
    return reports;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Lint `files` on a pool of worker threads started for this batch alone. */
export async function lintInWorkers(files: string[], optionsFor: (file: string) => LintOptions, workers: number, onDone: () => void): Promise<Report[]> {
  const pool = await WorkerPool.start(workers);
  try {
    return await pool.lint(files, optionsFor, onDone);
  } finally {
    await pool.close();
  }
}
