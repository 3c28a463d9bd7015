// The wasm engine in node, in a fresh process: first call (instantiation + V8's first compile of
// the code; wall and CPU time) and steady state (best of 3, CPU time) over the files and each file doubled; peak RSS.
"use strict";
const fs = require("fs");
const { performance } = require("perf_hooks");
const files = process.argv.slice(2).map((f) => [f, fs.readFileSync(f, "utf8")]);

const cpu = () => process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000;
const t0 = performance.now();
const c0 = cpu();
const { lint } = require("../npm/dist/node.js");
const lintAll = (inputs) => inputs.reduce((n, [filename, text]) => n + lint(text, { filename }).findings.length, 0);
const findings = lintAll(files);
const firstMs = performance.now() - t0;
const firstCpuMs = cpu() - c0;
// Best of 3, in CPU time of the process (on a shared machine wall time measures the neighbours),
// the input and the doubled input taken in turns so that a noisy neighbour slows both alike.
const doubled = files.map(([f, t]) => [f, `${t}\n;\n${t}`]);
let steadyMs = Infinity;
let steady2xMs = Infinity;
for (let i = 0; i < 3; i++) {
  for (const [inputs, record] of [[files, (ms) => (steadyMs = Math.min(steadyMs, ms))], [doubled, (ms) => (steady2xMs = Math.min(steady2xMs, ms))]]) {
    const start = cpu();
    lintAll(inputs);
    record(cpu() - start);
  }
}
console.log(JSON.stringify({ firstMs, firstCpuMs, steadyMs, steady2xMs, findings, maxRssKiB: process.resourceUsage().maxRSS }));
