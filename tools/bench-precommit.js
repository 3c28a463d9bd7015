#!/usr/bin/env node
// Wall time of `flexguard --staged` for a commit of 20 small staged files (the README's number):
// a temp repo, 20 files of ~30 lines staged, then N timed runs of the CLI as a hook would start it
// (a fresh node process: node start, wasm instantiation, git plumbing, lint, output).
// Usage: node tools/bench-precommit.js [runs=15]
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const runs = Number(process.argv[2] ?? 15);
const bin = path.join(__dirname, "..", "npm", "bin", "flexguard.js");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-bench-"));
const env = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: "1" };
const git = (...args) => execFileSync("git", args, { cwd: dir, env, stdio: "ignore" });

git("init", "-q");
fs.mkdirSync(path.join(dir, "src", "components"), { recursive: true });
for (let i = 0; i < 20; i++) {
  const body = Array.from({ length: 10 }, (_, j) => `  const value${j} = props.items?.[${j}] ?? "item ${i}.${j}";\n  if (!value${j}) return null;\n`).join("");
  fs.writeFileSync(
    path.join(dir, "src", "components", `Component${i}.jsx`),
    `import React from "react";\n\nexport default function Component${i}(props) {\n${body}  return <div className="c${i}">{props.label}</div>;\n}\n`,
  );
}
git("add", ".");

/** Wall times of `runs` runs of node with `args` (after one warm-up run), sorted. */
function time(args) {
  const times = [];
  for (let i = 0; i < runs + 1; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: dir, env, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${result.status}:\n${result.stdout}${result.stderr}`);
    if (i > 0) times.push(ms); // the first run warms the OS file cache
  }
  return times.sort((a, b) => a - b);
}
/** CPU seconds (user + sys, git children included) per run, via /usr/bin/time: less load-sensitive than wall. */
function cpu(args) {
  if (!fs.existsSync("/usr/bin/time")) return undefined;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const result = spawnSync("/usr/bin/time", ["-f", "%U %S", process.execPath, ...args], { cwd: dir, env, encoding: "utf8" });
    const [user, sys] = result.stderr.trim().split("\n").pop().split(" ").map(Number);
    times.push((user + sys) * 1000);
  }
  return times.sort((a, b) => a - b);
}
const show = (times) => `median ${times[times.length >> 1].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)})`;
// Interleaving would be fairer on a busy machine, but the baseline is only context.
const staged = time([bin, "--staged"]);
const bare = time(["-e", "0"]);
const stagedCpu = cpu([bin, "--staged"]);
const bareCpu = cpu(["-e", "0"]);
if (stagedCpu) console.log(`CPU time (user+sys): flexguard --staged ${show(stagedCpu)}; node -e 0 ${show(bareCpu)}`);
console.log(`flexguard --staged, 20 staged files: ${show(staged)} over ${runs} runs; bare \`node -e 0\`: ${show(bare)} (node ${process.version}, load ${require("node:os").loadavg()[0].toFixed(1)})`);
fs.rmSync(dir, { recursive: true, force: true });
