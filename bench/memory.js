// Where the memory of one large file goes: the peak RSS of this node process after each step of
// linting it with the built engine (in wasm, with the CLI's V8 flags), in MiB.
// Usage: node bench/memory.js FILE [--text-only]
// `--text-only` stops after copying the bytes into wasm (a credential-shape scan, no parse).
"use strict";
const fs = require("fs");
const path = require("path");

const [file, flag] = process.argv.slice(2);
if (!file) throw new Error("usage: node bench/memory.js FILE [--text-only]");
const peakMiB = () => Math.round(Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync("/proc/self/status", "utf8"))[1]) / 1024);

const node = require(path.join(__dirname, "..", "npm", "dist", "node.js"));
node.preferFastStart();
const steps = { loaded: peakMiB() };
node.lint(Buffer.from("var a = 1"), { filename: "warm-up.js" });
steps.instantiated = peakMiB();
const bytes = fs.readFileSync(file);
steps.read = peakMiB();
const cpu = process.cpuUsage();
const report = node.lint(bytes, { filename: path.basename(file), textOnly: flag === "--text-only" });
const used = process.cpuUsage(cpu);
steps[flag === "--text-only" ? "copiedIntoWasm" : "linted"] = peakMiB();
console.log(JSON.stringify({ peakMiB: steps, findings: report.findings.length, lintCpuMs: Math.round((used.user + used.system) / 1000) }));
