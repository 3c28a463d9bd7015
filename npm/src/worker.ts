/**
 * A `lintFiles` worker thread: instantiates the engine from the module its parent compiled, lints
 * the batches of files it is sent, or its share of one large bundle's modules, and posts each
 * batch's reports back in one message. Only file names, lint options, module plans, a shared
 * view of a bundle's bytes and redacted reports cross the thread boundary.
 */
import { parentPort, workerData } from "worker_threads";
import type { LintOptions, Plan, Report } from "./core";
import { adoptCompiledEngine, flexguard, lintFileReport } from "./engine";

/** A batch: files with their lint options, or some modules of one bundle (see `WorkerPool#lintLarge`). */
export type WorkerRequest = { batch: number; files: string[]; options: LintOptions[] } | { batch: number; bundle: BundleShare };

/**
 * Modules of a planned bundle: `source` is its bytes in a `SharedArrayBuffer` (shared, not
 * copied), `which` indexes `plan.parts`, and `options` are complete (file name, source map).
 */
export interface BundleShare {
  source: Uint8Array;
  options: LintOptions;
  plan: Plan;
  which: number[];
}

/** One report per file of a batch; for a bundle share, its report, or `null` (lint the bundle whole). */
export interface WorkerResponse {
  batch: number;
  reports: (Report | null)[];
}

export interface WorkerData {
  module: WebAssembly.Module;
}

adoptCompiledEngine((workerData as WorkerData).module);

parentPort?.on("message", (request: WorkerRequest) => {
  const response: WorkerResponse = { batch: request.batch, reports: "bundle" in request ? [lintShare(request.bundle)] : request.files.map((file, i) => lintFileReport(file, request.options[i])) };
  parentPort!.postMessage(response);
});

function lintShare({ source, options, plan, which }: BundleShare): Report | null {
  return flexguard.lintBundleModules(source, options, plan, which, false) ?? null;
}
