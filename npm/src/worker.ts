/**
 * A `lintFiles` worker: lints the files it is sent with its own engine instance and posts each
 * report back. Only file names and redacted reports cross the thread boundary.
 */
import { parentPort } from "worker_threads";
import { lintFileReport, LintOptions } from "./node";

export interface WorkerRequest {
  index: number;
  file: string;
  options: LintOptions;
}

parentPort?.on("message", (request: WorkerRequest) => {
  parentPort!.postMessage({ index: request.index, report: lintFileReport(request.file, request.options) });
});
