/**
 * A `lintFiles` worker thread: instantiates the engine from the module its parent compiled, lints
 * the batches of files it is sent and posts each batch's reports back in one message. Only file
 * names, lint options and redacted reports cross the thread boundary.
 */
import { parentPort, workerData } from "worker_threads";
import type { LintOptions, Report } from "./core";
import { adoptCompiledEngine, lintFileReport } from "./engine";

/** A batch: files with their lint options. */
export interface WorkerRequest {
  batch: number;
  files: string[];
  options: LintOptions[];
}

export interface WorkerResponse {
  batch: number;
  reports: Report[];
}

export interface WorkerData {
  module: WebAssembly.Module;
}

adoptCompiledEngine((workerData as WorkerData).module);

parentPort?.on("message", ({ batch, files, options }: WorkerRequest) => {
  const response: WorkerResponse = { batch, reports: files.map((file, i) => lintFileReport(file, options[i])) };
  parentPort!.postMessage(response);
});
