// The best case of linting one webpack bundle module by module (docs/performance.md, "A 10 MB
// bundle"), against which the engine's split (crate/src/split.rs, with its plan and merge) is
// judged: each module function is linted as a text of its own, on this thread alone or on this
// thread and a worker thread. Its module spans are handed over for free (from a whole-file
// parse in another process) and nothing is merged, so the numbers bound what a split can
// reach. Each variant runs in a fresh node process: whole-process wall time, CPU and peak RSS,
// medians of paired runs, and whether its findings (rule, line, column, message) are the
// engine's.
// Usage: node bench/split.js [FILE] [--runs N]   (FILE: the bundle of bench/compare.js)
"use strict";
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const DIST = path.join(ROOT, "npm", "dist");

function main(args) {
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 5;
  const file = args[0] ?? path.join(os.homedir(), ".cache", "flexguard", "bench", "bundle", "main.js");
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: \`node bench/compare.js --only bundle\` builds it`);
  execFileSync("cargo", ["build", "--quiet", "--release", "--example", "memory"], { cwd: ROOT, stdio: "inherit" });
  const spansFile = path.join(os.tmpdir(), `flexguard-split-${process.pid}.txt`);
  fs.writeFileSync(spansFile, execFileSync(path.join(ROOT, "target", "release", "examples", "memory"), [file, "spans"], { maxBuffer: 64 << 20 }));
  const variants = {
    engine: "the engine's split, one thread",
    pool: "the engine's split, two threads",
    split1: "best case, one thread",
    split2: "best case, two threads",
  };
  const samples = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
  const findings = {};
  for (let run = 0; run < runs; run++) {
    for (const variant of Object.keys(variants)) {
      const started = process.hrtime.bigint();
      const out = spawnSync(process.execPath, [__filename, "--child", variant, file, spansFile], { encoding: "utf8", maxBuffer: 64 << 20 });
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (out.status !== 0) throw new Error(`${variant} failed: ${out.stderr}`);
      const result = JSON.parse(out.stdout);
      samples[variant].push({ wallMs, cpuMs: result.cpuMs, peakRssMiB: result.peakRssMiB });
      findings[variant] = result.findings;
    }
  }
  fs.rmSync(spansFile);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const engine = new Set(findings.engine);
  console.log(`${path.basename(file)}: ${(fs.statSync(file).size / 1e6).toFixed(1)} MB, ${runs} paired runs, medians`);
  for (const [variant, label] of Object.entries(variants)) {
    const s = samples[variant];
    const same = findings[variant].length === engine.size && findings[variant].every((f) => engine.has(f));
    console.log(
      `  ${label.padEnd(32)} ${String(Math.round(median(s.map((x) => x.wallMs)))).padStart(5)} ms wall` +
        `  ${String(Math.round(median(s.map((x) => x.cpuMs)))).padStart(5)} ms CPU` +
        `  ${String(median(s.map((x) => x.peakRssMiB))).padStart(4)} MiB` +
        `  ${findings[variant].length} findings${variant === "engine" ? "" : same ? ", the same" : ", DIFFERENT"}`,
    );
  }
}

/** One variant in this process; prints its CPU, peak RSS and findings as JSON. */
function child([variant, file, spansFile]) {
  const { Worker } = require("worker_threads");
  require(path.join(DIST, "node.js")).preferFastStart(); // as the CLI runs
  const engine = require(path.join(DIST, "engine.js"));
  const bytes = fs.readFileSync(file);
  const options = { filename: "dist/main.js" };
  const report = (found) => {
    const cpu = process.cpuUsage();
    const peakRssMiB = Math.round(Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync("/proc/self/status", "utf8"))[1]) / 1024);
    console.log(JSON.stringify({ cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssMiB, findings: found }));
  };
  const lines = (r) => r.findings.map((f) => `${f.ruleId} ${f.line}:${f.column} ${f.message}`);
  if (variant === "engine") return report(lines(engine.flexguard.lint(bytes, options)));
  if (variant === "pool") {
    const { WorkerPool } = require(path.join(DIST, "pool.js"));
    return WorkerPool.shared().lintLarge(file, options, 1).then((r) => report(lines(r)));
  }
  const spans = fs.readFileSync(spansFile, "utf8").trim().split("\n").map((line) => line.split(" ").map(Number));
  const threads = variant === "split2" ? 2 : 1;
  // Largest module first, each to the thread with the fewest bytes so far.
  const shares = Array.from({ length: threads }, () => ({ bytes: 0, spans: [] }));
  for (const span of [...spans].sort((a, b) => b[1] - b[0] - (a[1] - a[0]))) {
    const share = shares.reduce((least, s) => (s.bytes < least.bytes ? s : least));
    share.spans.push(span);
    share.bytes += span[1] - span[0];
  }
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  const module = engine.compiledEngine();
  const workers = shares.slice(1).map(
    (share) =>
      new Promise((resolve, reject) => {
        const worker = new Worker(PART_WORKER, { eval: true, workerData: { dist: DIST, module, shared, spans: share.spans, options } });
        worker.once("message", (found) => worker.terminate().then(() => resolve(found)));
        worker.once("error", reject);
      }),
  );
  const mine = lintModules(engine, shared, shares[0].spans, options);
  Promise.all(workers).then((theirs) => report(mine.concat(...theirs)));
}

/** Lint each module function as its own text and place its findings in the bundle. */
function lintModules(engine, shared, spans, options) {
  const bytes = Buffer.from(shared.buffer);
  const lineStarts = [0];
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lineStarts.push(i + 1);
  const position = (offset) => {
    let lo = 0;
    for (let hi = lineStarts.length - 1; lo < hi; ) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return [lo + 1, offset - lineStarts[lo] + 1];
  };
  const found = [];
  for (const [start, end] of spans) {
    // A module is a function expression: parenthesised, it is a statement of its own.
    const text = Buffer.concat([Buffer.from("("), bytes.subarray(start, end), Buffer.from(")")]);
    const [line, column] = position(start);
    for (const f of engine.flexguard.lint(text, options).findings) {
      // Columns count characters; the bundle of bench/compare.js is ASCII, so bytes do too.
      const at = f.line === 1 ? `${line}:${column + f.column - 2}` : `${line + f.line - 1}:${f.column}`;
      found.push(`${f.ruleId} ${at} ${f.message}`);
    }
  }
  return found;
}

const PART_WORKER = `
const { parentPort, workerData } = require("worker_threads");
const engine = require(require("path").join(workerData.dist, "engine.js"));
engine.adoptCompiledEngine(workerData.module);
parentPort.postMessage((${lintModules})(engine, workerData.shared, workerData.spans, workerData.options));
`;

if (process.argv[2] === "--child") child(process.argv.slice(3));
else main(process.argv.slice(2));
