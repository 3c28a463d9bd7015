#!/usr/bin/env node
// The ESLint plugin's cost in an editor: `ESLint#lintText` of one ~5 KB plugin file with ESLint's
// recommended rules, with and without `flexguard.configs.recommended` (real ESLint 9 from
// tools/setup-eslint.sh). Every call gets a new text (a keystroke), so nothing is served from
// the plugin's per-text cache; the two setups alternate, after a warm-up. Prints JSON:
// medians and 90th percentiles in ms, and the median overhead.
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

async function main() {
  const file = path.resolve(process.argv[2]);
  const iterations = Number(process.argv[3]) || 200;
  const text = fs.readFileSync(file, "utf8");
  const base = { files: ["**/*.js"], languageOptions: { ecmaVersion: "latest", sourceType: "module", parserOptions: { ecmaFeatures: { jsx: true } } } };
  const cwd = path.dirname(file);
  const without = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: [js.configs.recommended, base] });
  const withPlugin = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: [js.configs.recommended, base, flexguard.configs.recommended] });

  const times = { without: [], with: [] };
  let flexguardMessages = 0;
  for (let i = 0; i < iterations + 20; i++) {
    for (const [name, eslint] of i % 2 ? [["without", without], ["with", withPlugin]] : [["with", withPlugin], ["without", without]]) {
      const source = `${text}// keystroke ${i} ${name}\n`;
      const start = performance.now();
      const [result] = await eslint.lintText(source, { filePath: file });
      const ms = performance.now() - start;
      if (i >= 20) times[name].push(ms);
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
    flexguardMessages,
  };
  out.overheadMedianMs = round(out.withMedianMs - out.withoutMedianMs);
  console.log(JSON.stringify(out));
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
