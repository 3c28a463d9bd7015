#!/usr/bin/env node
// The ESLint plugin's cost in an editor: `ESLint#lintText` of one ~5 KB plugin file with ESLint's
// recommended rules, with and without `flexguard.configs.recommended` (real ESLint 9 from
// tools/setup-eslint.sh). Every call gets a new text (a keystroke), so nothing is served from
// the plugin's per-text cache; the two setups alternate, after a warm-up. Prints JSON: medians
// and 90th percentiles in ms of CPU time (this process; robust on a shared, loaded machine),
// the wall-clock medians, and the median overhead by CPU time.
// Two files: the given one (the corpus's 5 KB plugin file), and a 5 KB module of a generated
// project whose requests use a URL from another module, so the plugin's project stage runs on
// every keystroke (two engine passes and the project's summaries), in a project of 11 modules
// and in one of 1,001 (where every keystroke could resolve a thousand summaries).
// Usage: node bench/eslint.js <file.js> [iterations]
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { performance } = require("perf_hooks");

const ENVS = process.env.FLEXGUARD_ESLINT || path.join(os.homedir(), ".cache", "flexguard", "eslint");
const ESLINT = path.join(ENVS, "eslint9", "node_modules", "eslint");
if (!fs.existsSync(ESLINT)) throw new Error(`${ESLINT} is missing: run tools/setup-eslint.sh`);
const { ESLint } = require(ESLINT);
const js = require(path.join(ENVS, "eslint9", "node_modules", "@eslint", "js"));
const flexguard = require(path.join(__dirname, "..", "npm", "dist", "eslint.js"));

/** A Flex plugin project in a temp directory; returns its 5 KB module that needs the project. */
function crossFileProject(others) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-bench-eslint-"));
  const write = (file, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  fs.mkdirSync(path.join(dir, ".git"));
  write("package.json", JSON.stringify({ name: "plugin-bench", private: true, dependencies: { "@twilio/flex-plugin": "7.1.2" } }));
  write("src/config/endpoints.js", "export const SEND_SMS_URL = 'https://agent-tools-4821-dev.twil.io/send-sms';\n");
  let module = 'import { SEND_SMS_URL } from "../config/endpoints";\n';
  for (let i = 0; module.length < 5000; i++) module += `export function send${i}(to) {\n  return fetch(SEND_SMS_URL, { method: "POST", body: JSON.stringify({ to, n: ${i} }) });\n}\n`;
  for (let i = 0; i < others; i++) write(`src/services/other${i}.js`, module);
  write("src/services/sms.js", module);
  return { dir, file: path.join(dir, "src/services/sms.js") };
}

async function measure(file, iterations) {
  const text = fs.readFileSync(file, "utf8");
  const base = { files: ["**/*.js"], languageOptions: { ecmaVersion: "latest", sourceType: "module", parserOptions: { ecmaFeatures: { jsx: true } } } };
  const cwd = path.dirname(file);
  const without = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: [js.configs.recommended, base] });
  const withPlugin = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: [js.configs.recommended, base, flexguard.configs.recommended] });

  const times = { without: [], with: [] };
  const walls = { without: [], with: [] };
  let flexguardMessages = 0;
  for (let i = 0; i < iterations + 20; i++) {
    for (const [name, eslint] of i % 2 ? [["without", without], ["with", withPlugin]] : [["with", withPlugin], ["without", without]]) {
      const source = `${text}// keystroke ${i} ${name}\n`;
      const start = performance.now();
      const cpu = process.cpuUsage();
      const [result] = await eslint.lintText(source, { filePath: file });
      const used = process.cpuUsage(cpu);
      if (i >= 20) {
        times[name].push((used.user + used.system) / 1000);
        walls[name].push(performance.now() - start);
      }
      if (name === "with") flexguardMessages = result.messages.filter((m) => m.ruleId?.startsWith("flexguard/")).length;
    }
  }
  const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
  const round = (ms) => +ms.toFixed(2);
  const out = {
    bytes: Buffer.byteLength(text),
    iterations,
    withoutMedianMs: round(quantile(times.without, 0.5)),
    withMedianMs: round(quantile(times.with, 0.5)),
    withoutP90Ms: round(quantile(times.without, 0.9)),
    withP90Ms: round(quantile(times.with, 0.9)),
    withoutWallMedianMs: round(quantile(walls.without, 0.5)),
    withWallMedianMs: round(quantile(walls.with, 0.5)),
    flexguardMessages,
  };
  out.overheadMedianMs = round(out.withMedianMs - out.withoutMedianMs);
  return out;
}

async function main() {
  const iterations = Number(process.argv[3]) || 200;
  const small = await measure(path.resolve(process.argv[2]), iterations);
  const results = { ...small };
  for (const [name, others] of [["crossFile", 10], ["crossFileLargeProject", 1000]]) {
    const project = crossFileProject(others);
    try {
      results[name] = await measure(project.file, iterations);
    } finally {
      fs.rmSync(project.dir, { recursive: true, force: true });
    }
  }
  console.log(JSON.stringify(results));
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
