/** A worker thread of `lintFiles` (parallel.ts): lints the files it is sent with its own wasm instance. */
import { parentPort, workerData } from "worker_threads";
import { lintOne } from "./parallel";

parentPort!.on("message", ({ index, file }: { index: number; file: string }) => {
  parentPort!.postMessage({ index, result: lintOne(file, workerData.options) });
});
