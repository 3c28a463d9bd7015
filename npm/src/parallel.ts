/**
 * Many files at once: large inputs are spread over worker threads (one wasm instance each), small
 * ones stay on the calling thread, where a worker's start-up (a node isolate plus a wasm
 * instantiation) would cost more than it saves. Results come back in input order.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import type { LintOptions, Report } from "./core";
import { lintFile } from "./node";

/** One file's outcome: a report, or the reason it could not be read. */
export interface FileResult {
  file: string;
  report?: Report;
  error?: string;
}

/** Below this many bytes in total one thread wins (measured with `make bench`, see README "Performance"). */
export const PARALLEL_MIN_BYTES = 1_500_000;

/** Worker threads used for large inputs: the CPUs, at most 4 (each holds a wasm instance). */
export function defaultThreads(): number {
  const cpus = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cpus));
}

/** Lint one file, turning I/O errors into a result. */
export function lintOne(file: string, options: LintOptions = {}): FileResult {
  try {
    return { file, report: lintFile(file, options) };
  } catch (error) {
    return { file, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

/** Lint files, in parallel when they are large enough to gain from it. */
export async function lintFiles(files: string[], options: LintOptions = {}, threads = defaultThreads()): Promise<FileResult[]> {
  const sizes = files.map((file) => {
    try {
      return fs.statSync(file).size;
    } catch {
      return 0;
    }
  });
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const lanes = Math.min(threads, files.length);
  if (lanes < 2 || total < PARALLEL_MIN_BYTES) return files.map((file) => lintOne(file, options));

  // Largest first, handed out one at a time, so the last file to finish is a small one.
  const queue = files.map((_, index) => index).sort((a, b) => sizes[b] - sizes[a]);
  const results: FileResult[] = new Array(files.length);
  const lane = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(path.join(__dirname, "worker.js"), { workerData: { options } });
      const next = () => {
        const index = queue.shift();
        if (index === undefined) worker.terminate().then(() => resolve(), reject);
        else worker.postMessage({ index, file: files[index] });
      };
      worker.on("message", ({ index, result }: { index: number; result: FileResult }) => {
        results[index] = result;
        next();
      });
      worker.on("error", reject);
      next();
    });
  await Promise.all(Array.from({ length: lanes }, lane));
  return results;
}
