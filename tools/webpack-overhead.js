#!/usr/bin/env node
// What FlexguardWebpackPlugin adds to the example plugin's production build (`npx flex-plugin
// build`, webpack 4). Needs `make test-webpack` to have run once: it builds in the cached install
// (~/.cache/flexguard/flex-plugin) with flexguard installed there from the tarball.
// Usage: node tools/webpack-overhead.js [runs per variant, default 5]
// Alternates the two variants (no-op webpack.config.js / the example's) and prints median times.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const runs = Number(process.argv[2] || 5);
const cache = process.env.FLEXGUARD_CACHE || path.join(os.homedir(), ".cache", "flexguard");
const work = fs.realpathSync(path.join(cache, "flex-plugin"));
const example = path.join(__dirname, "..", "examples", "flex-plugin");
if (!fs.existsSync(path.join(work, "node_modules", "flexguard"))) {
  console.error("flexguard is not installed in the cached Flex plugin: run `make test-webpack` first");
  process.exit(2);
}

// A clean plugin (the build must succeed in both variants to compare like with like).
for (const entry of ["src", "public"]) {
  fs.rmSync(path.join(work, entry), { recursive: true, force: true });
  fs.cpSync(path.join(example, entry), path.join(work, entry), { recursive: true });
}
fs.writeFileSync(
  path.join(work, "src", "services", "twilioApi.js"),
  "export function sendSms(to, body) {\n  return fetch('https://flexguard-demo-1234.twil.io/send-sms', { method: 'POST', body: new URLSearchParams({ To: to, Body: body }) });\n}\n",
);
const variants = {
  without: "module.exports = (config) => config;\n",
  with: fs.readFileSync(path.join(example, "webpack.config.js"), "utf8"),
};

const times = { without: [], with: [] };
const inPlugin = [];
for (let i = 0; i < runs; i++) {
  for (const name of ["without", "with"]) {
    fs.writeFileSync(path.join(work, "webpack.config.js"), variants[name]);
    const started = process.hrtime.bigint();
    const result = spawnSync("npx", ["--no-install", "flex-plugin", "build"], { cwd: work, encoding: "utf8", env: { ...process.env, CI: "true", FLEXGUARD_TIMING: "1" } });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) {
      console.error(result.stdout, result.stderr);
      process.exit(1);
    }
    times[name].push(ms);
    const spent = /flexguard: (\d+) ms in/.exec(result.stderr);
    if (name === "with" && spent) inPlugin.push(Number(spent[1]));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const [without, withHook] = [median(times.without), median(times.with)];
console.log(`runs per variant: ${runs}`);
console.log(`without flexguard: median ${without.toFixed(0)} ms  (${times.without.map((t) => t.toFixed(0)).join(", ")})`);
console.log(`with flexguard:    median ${withHook.toFixed(0)} ms  (${times.with.map((t) => t.toFixed(0)).join(", ")})`);
console.log(`time inside the plugin (FLEXGUARD_TIMING): median ${median(inPlugin)} ms  (${inPlugin.join(", ")})`);
console.log(`overhead: ${(withHook - without).toFixed(0)} ms (${(((withHook - without) / without) * 100).toFixed(1)}%)`);
