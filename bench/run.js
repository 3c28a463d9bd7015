#!/usr/bin/env node
// `make bench`: builds the corpus (bench/corpus.js) and measures the native engine, the wasm engine
// in node, the CLI as a whole process, peak memory, linearity and cold start. Prints a table and
// checks the performance targets in docs/performance.md, and the ESLint plugin's overhead
// (bench/eslint.js). Options: --json (machine-readable),
// --runs N (CLI runs, default 3).
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { performance } = require("perf_hooks");
const { buildCorpus } = require("./corpus");

const ROOT = path.join(__dirname, "..");
const CLI = path.join(ROOT, "npm", "bin", "flexguard.js");
const NATIVE = path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, "target"), "release", "examples", "bench");
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 3;

function run(cmd, args, env = {}) {
  const start = performance.now();
  const child = spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  const ms = performance.now() - start;
  if (child.status !== 0 && child.status !== 1) throw new Error(`${cmd} ${args.join(" ")} exited ${child.status}: ${child.stderr}`);
  return { ms, stdout: child.stdout, status: child.status };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const corpus = buildCorpus();
const MB = corpus.bytes / 1e6;
const mbps = (ms, bytes = corpus.bytes) => bytes / 1e6 / (ms / 1e3);

// (a) native engine, and a bare swc parse of the same input
const native = JSON.parse(run(NATIVE, corpus.files).stdout);
// (b) wasm in node: a fresh process, so the first call is a real first call
const wasm = JSON.parse(run(process.execPath, [path.join(__dirname, "wasm.js"), ...corpus.files]).stdout);
// (c) the CLI as a whole process on the corpus directory, (d) its peak RSS
const rssFile = path.join(os.tmpdir(), `flexguard-bench-rss-${process.pid}`);
const cli = [];
const cliCpu = [];
let cliRssKiB = 0, cliFindings = 0;
for (let i = 0; i < runs; i++) {
  const r = run(process.execPath, ["--require", path.join(__dirname, "maxrss.js"), CLI, "--format", "json", corpus.dir], { FLEXGUARD_BENCH_RSS: rssFile });
  cli.push(r.ms);
  const usage = JSON.parse(fs.readFileSync(rssFile, "utf8"));
  cliRssKiB = Math.max(cliRssKiB, usage.maxRssKiB);
  cliCpu.push(usage.cpuMs);
  cliFindings = JSON.parse(r.stdout).findings.length;
}
fs.rmSync(rssFile, { force: true });
// cold start: the CLI on one 5 KB file
const cold = [];
for (let i = 0; i < 7; i++) cold.push(run(process.execPath, [CLI, corpus.small]).ms);
// (e) the ESLint plugin in an editor: ESLint#lintText of the 5 KB file, with and without it
const eslint = JSON.parse(run(process.execPath, [path.join(__dirname, "eslint.js"), corpus.small]).stdout);

const planted = 4 * corpus.files.length; // two plantings of two findings per file
const results = {
  corpusMB: +MB.toFixed(2),
  files: corpus.files.length,
  nativeParseMBps: +mbps(native.parseMs).toFixed(1),
  nativeEngineMBps: +mbps(native.scanMs).toFixed(1),
  engineOverheadPct: +((native.scanMs / native.parseMs - 1) * 100).toFixed(1),
  nativeLinearity2x: +(native.scan2xMs / native.scanMs).toFixed(2),
  wasmFirstCallMBps: +mbps(wasm.firstMs).toFixed(1),
  wasmFirstCallCpuMBps: +mbps(wasm.firstCpuMs).toFixed(1),
  wasmSteadyMBps: +mbps(wasm.steadyMs).toFixed(1),
  wasmLinearity2x: +(wasm.steady2xMs / wasm.steadyMs).toFixed(2),
  wasmPeakRssMiB: +(wasm.maxRssKiB / 1024).toFixed(0),
  cliMBps: +mbps(Math.min(...cli)).toFixed(1),
  cliWallMs: +Math.min(...cli).toFixed(0),
  cliCpuMs: +Math.min(...cliCpu).toFixed(0),
  loadAverage: os.loadavg()[0],
  cliPeakRssMiB: +(cliRssKiB / 1024).toFixed(0),
  coldStartMs: +median(cold).toFixed(0),
  eslint,
  findings: { native: native.findings, wasm: wasm.findings, cli: cliFindings, plantedAtLeast: planted },
};
const targets = [
  ["engine overhead over bare swc parse ≤ 25%", results.engineOverheadPct <= 25],
  ["CLI ≥ 40 MB/s (whole process)", results.cliMBps >= 40],
  ["CLI peak RSS ≤ 200 MiB", results.cliPeakRssMiB <= 200],
  ["2x input ⇒ ≤ 2.2x time (native, wasm)", results.nativeLinearity2x <= 2.2 && results.wasmLinearity2x <= 2.2],
  ["cold start (CLI, one 5 KB file) ≤ 150 ms", results.coldStartMs <= 150],
  ["ESLint#lintText, one 5 KB file: flexguard adds ≤ 15 ms (median)", eslint.overheadMedianMs <= 15],
  ["every planted finding found", [native.findings, wasm.findings, cliFindings].every((n) => n >= planted)],
];

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ results, targets: Object.fromEntries(targets) }, null, 2));
} else {
  const rows = [
    ["corpus", `${results.corpusMB} MB in ${results.files} files (${os.cpus().length} CPUs, node ${process.versions.node})`],
    ["load average (1 min)", `${results.loadAverage.toFixed(1)} (wall times are only meaningful near 0)`],
    ["(a) native: bare swc parse", `${results.nativeParseMBps} MB/s of CPU time`],
    ["(a) native: engine", `${results.nativeEngineMBps} MB/s of CPU time (overhead ${results.engineOverheadPct}%, 2x input ${results.nativeLinearity2x}x time)`],
    ["(b) wasm in node: first call", `${results.wasmFirstCallMBps} MB/s wall, ${results.wasmFirstCallCpuMBps} MB/s of CPU time (instantiation included)`],
    ["(b) wasm in node: steady state", `${results.wasmSteadyMBps} MB/s of CPU time (2x input ${results.wasmLinearity2x}x time, peak RSS ${results.wasmPeakRssMiB} MiB)`],
    ["(c) CLI, whole process", `${results.cliMBps} MB/s wall (${results.cliWallMs} ms, best of ${runs}; ${results.cliCpuMs} ms CPU on all threads)`],
    ["(d) CLI peak RSS", `${results.cliPeakRssMiB} MiB`],
    ["cold start, one 5 KB file", `${results.coldStartMs} ms (median of 7)`],
    ["(e) ESLint plugin, 5 KB lintText", `+${eslint.overheadMedianMs} ms CPU, median (${eslint.withoutMedianMs} → ${eslint.withMedianMs} ms; p90 ${eslint.withoutP90Ms} → ${eslint.withP90Ms} ms; wall ${eslint.withoutWallMedianMs} → ${eslint.withWallMedianMs} ms)`],
    ["(e) ESLint plugin, cross-file", `+${eslint.crossFile.overheadMedianMs} ms CPU, median (${eslint.crossFile.flexguardMessages} findings needing another module; wall ${eslint.crossFile.withoutWallMedianMs} → ${eslint.crossFile.withWallMedianMs} ms)`],
    ["findings (native/wasm/CLI)", `${native.findings}/${wasm.findings}/${cliFindings} (${planted} planted)`],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(32)} ${v}`);
  console.log("");
  for (const [name, ok] of targets) console.log(`${ok ? "PASS" : "MISS"}  ${name}`);
}
