// The wasm engine in node, in a fresh process: first call (instantiation + V8's first compile of
// the code; wall and CPU time) and steady state (best of 3, CPU time) over the files, then each file doubled; peak RSS.
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
// Best of 3, in CPU time of the process (on a shared machine wall time measures the neighbours).
const best = (inputs) => {
  let min = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = cpu();
    lintAll(inputs);
    min = Math.min(min, cpu() - start);
  }
  return min;
};
const steadyMs = best(files);
const steady2xMs = best(files.map(([f, t]) => [f, `${t}\n;\n${t}`]));
console.log(JSON.stringify({ firstMs, firstCpuMs, steadyMs, steady2xMs, findings, maxRssKiB: process.resourceUsage().maxRSS }));
