#!/usr/bin/env node
// What the project stage costs: `lintFiles` on a repository with and without following imports
// across files (`project: false`), each in a fresh process, runs interleaved. The repository is
// a generated 1,000-file Flex layout (plugin modules importing a config module, Functions
// wrapped by a shared helper), or a checkout given as the first argument.
// Usage: node bench/project.js [DIR] [--runs N]
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const NODE_API = path.join(__dirname, "..", "npm", "dist", "node.js");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 5;
const given = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--runs");

/** A plugin with 700 modules and a serverless service with 300 Functions. */
function generateRepository() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-project-bench-"));
  const write = (file, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  write(".env.example", "FLEX_APP_FUNCTIONS_BASE=https://bench-service-1234.twil.io\n");
  write("plugin/src/config.js", "export const ENDPOINTS = {\n" + Array.from({ length: 50 }, (_, i) => `  op${i}: '/op-${i}',\n`).join("") + "};\nexport const BASE = 'https://bench-service-1234.twil.io';\n");
  for (let i = 0; i < 700; i++) {
    const body = i % 3 === 0 ? "{ Token: manager.user.token }" : "{ id }";
    write(
      `plugin/src/features/f${i % 40}/Component${i}.js`,
      `import { ENDPOINTS, BASE } from '../../config';\nimport React from 'react';\n\nexport async function load${i}(manager, id) {\n  const response = await fetch(\`\${BASE}\${ENDPOINTS.op${i % 50}}\`, { method: 'POST', body: JSON.stringify(${body}) });\n  return response.json();\n}\n\nexport const Component${i} = () => React.createElement('div', null, 'feature ${i}');\n`,
    );
  }
  write(
    "serverless/functions/common/helper.private.js",
    "const TokenValidator = require('twilio-flex-token-validator').functionValidator;\nexports.prepareFlexFunction = (params, fn) => TokenValidator((context, event, callback) => fn(context, event, callback));\n",
  );
  for (let i = 0; i < 300; i++) {
    write(
      `serverless/functions/flex/op-${i}.js`,
      `const { prepareFlexFunction } = require(Runtime.getFunctions()['common/helper'].path);\n\nexports.handler = prepareFlexFunction([], async (context, event, callback) => {\n  const client = context.getTwilioClient();\n  const tasks = await client.taskrouter.v1.workspaces(context.WORKSPACE_SID).tasks.list({ limit: 20 });\n  return callback(null, { tasks: tasks.length, op: ${i} });\n});\n`,
    );
  }
  return dir;
}

/** One `lintFiles` run in a fresh process: wall and CPU milliseconds, and the findings count. */
function measure(dir, project) {
  const script = `
    const started = process.hrtime.bigint();
    const api = require(${JSON.stringify(NODE_API)});
    // As the CLI runs it: V8's baseline wasm compiler only.
    api.preferFastStart();
    api.lintFiles(["."], { config: false, project: ${project} }).then((reports) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e6;
      const usage = process.resourceUsage();
      const findings = reports.reduce((n, r) => n + r.findings.length, 0);
      console.log(JSON.stringify({ wall, cpu: (usage.userCPUTime + usage.systemCPUTime) / 1000, findings }));
    });`;
  const child = spawnSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const dir = given ? path.resolve(given) : generateRepository();
const results = { with: [], without: [] };
measure(dir, true); // warm the file system cache
for (let i = 0; i < runs; i++) {
  results.without.push(measure(dir, false));
  results.with.push(measure(dir, true));
}
const summary = (xs) => ({ wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)), findings: xs[0].findings });
const without = summary(results.without);
const withProject = summary(results.with);
console.log(`repository: ${given ? dir : "generated (1,000 files)"}; ${runs} runs each, medians`);
console.log(`file by file:       ${without.wall.toFixed(0)} ms wall, ${without.cpu.toFixed(0)} ms CPU, ${without.findings} findings`);
console.log(`with project stage: ${withProject.wall.toFixed(0)} ms wall, ${withProject.cpu.toFixed(0)} ms CPU, ${withProject.findings} findings`);
console.log(`project stage adds: ${(((withProject.wall - without.wall) / without.wall) * 100).toFixed(0)} % wall, ${(((withProject.cpu - without.cpu) / without.cpu) * 100).toFixed(0)} % CPU (target: at most 15 % of a cold run)`);
if (!given) fs.rmSync(dir, { recursive: true, force: true });
