// The report cache: a warm run gives the same reports as a cold one, a changed file is linted
// again, cross-file findings follow a change in another file, nothing secret is stored, and
// `cache: false` / `--no-cache` neither read nor write it.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { lintFiles } = require("../dist/node.js");
const { fill } = require("./testgen");
const { project, run } = require("./helpers");

const SID = fill("AC{hex32}", 401);
const TOKEN = fill("{hex32}", 402);

function repository() {
  return project({
    "node_modules/.keep": "",
    "src/config.js": "export const ENDPOINTS = { pause: 'https://tasks-1234.twil.io/pause' };\n",
    "src/api.js": "import { ENDPOINTS } from './config';\nexport const pause = () => fetch(ENDPOINTS.pause, { method: 'POST', body: '{}' });\n",
    "src/keys.js": `export const accountSid = '${SID}';\nexport const authToken = '${TOKEN}';\n`,
  });
}

const cacheFile = (dir) => path.join(dir, "node_modules", ".cache", "flexguard", "reports.json");
const shape = (reports) => reports.flatMap((r) => r.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.fingerprint}`)).sort();

test("a warm run reuses each unchanged file's report, and cross-file findings are recomputed", async () => {
  const dir = repository();
  const cold = await lintFiles(["."], { cwd: dir, config: false });
  assert.ok(fs.existsSync(cacheFile(dir)), "the cold run writes the cache");
  const stored = fs.readFileSync(cacheFile(dir), "utf8");
  assert.ok(!stored.includes(SID) && !stored.includes(TOKEN), "the cache holds no credential");

  const warm = await lintFiles(["."], { cwd: dir, config: false });
  assert.deepEqual(shape(warm), shape(cold));
  assert.ok(shape(cold).some((line) => line.startsWith("src/api.js:2:") && line.includes("function-call-without-token")));

  // Only config.js changes: api.js's cached first pass meets the new context.
  fs.writeFileSync(path.join(dir, "src/config.js"), "export const ENDPOINTS = { pause: 'https://crm.example.com/pause' };\n");
  const after = await lintFiles(["."], { cwd: dir, config: false });
  assert.ok(!shape(after).some((line) => line.includes("function-call-without-token")), shape(after).join("\n"));

  // A changed file is linted again.
  fs.writeFileSync(path.join(dir, "src/keys.js"), "export const none = 1;\n");
  const cleaned = await lintFiles(["."], { cwd: dir, config: false });
  assert.deepEqual(shape(cleaned), []);
});

test("the project stage's result is reused only while every file and env file is unchanged", async () => {
  const dir = project({
    "node_modules/.keep": "",
    ".env.example": "FLEX_APP_BACKEND=https://backend-5678.twil.io\n",
    "src/api.js": "export const pause = () => fetch(`${process.env.FLEX_APP_BACKEND}/pause`, { method: 'POST', body: '{}' });\n",
  });
  const flagged = (reports) => shape(reports).filter((line) => line.includes("function-call-without-token"));
  assert.equal(flagged(await lintFiles(["."], { cwd: dir, config: false })).length, 1);
  const projectKey = () => JSON.parse(fs.readFileSync(cacheFile(dir), "utf8")).project?.key;
  const first = projectKey();
  assert.ok(first, "the project stage's result is stored");
  assert.equal(flagged(await lintFiles(["."], { cwd: dir, config: false })).length, 1, "warm: the same finding");
  assert.equal(projectKey(), first, "warm: the stored result stands");
  // Only the env file changes: no first pass changes, the project stage runs again.
  fs.writeFileSync(path.join(dir, ".env.example"), "FLEX_APP_BACKEND=https://crm.example.com\n");
  assert.deepEqual(flagged(await lintFiles(["."], { cwd: dir, config: false })), []);
  assert.notEqual(projectKey(), first);
  // A file added elsewhere changes the project too.
  fs.writeFileSync(path.join(dir, ".env.example"), "FLEX_APP_BACKEND=https://backend-5678.twil.io\n");
  fs.writeFileSync(path.join(dir, "src/other.js"), "export const other = 1;\n");
  assert.equal(flagged(await lintFiles(["."], { cwd: dir, config: false })).length, 1);
});

test("cache: false and --no-cache neither read nor write the cache", async () => {
  const dir = repository();
  await lintFiles(["."], { cwd: dir, config: false, cache: false });
  assert.ok(!fs.existsSync(cacheFile(dir)));
  const result = run(["--no-config", "--no-cache", "--format", "json", "."], { cwd: dir });
  assert.equal(result.status, 1, result.stderr);
  assert.ok(!fs.existsSync(cacheFile(dir)));
  // A cache that lies is not read with --no-cache.
  fs.mkdirSync(path.dirname(cacheFile(dir)), { recursive: true });
  run(["--no-config", "--format", "json", "."], { cwd: dir });
  const poisoned = JSON.parse(fs.readFileSync(cacheFile(dir), "utf8"));
  for (const report of Object.values(poisoned.entries)) report.findings = [];
  fs.writeFileSync(cacheFile(dir), JSON.stringify(poisoned));
  const honest = JSON.parse(run(["--no-config", "--no-cache", "--format", "json", "."], { cwd: dir }).stdout);
  assert.ok(honest.findings.some((f) => f.ruleId === "auth-token"));
});
