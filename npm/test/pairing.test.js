// Browser calls and the Functions they reach, judged together by every host that lints a
// repository: the CLI (and so the Node API) and pre-commit. The repository is the project
// fixture `functions-paired-with-callers` (a plugin, a Functions service, a customer web app),
// whose expected findings the engine's own fixture test checks.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { ROOT, run } = require("./helpers");
const { lintStaged } = require("../dist/pre-commit.js");

const FIXTURE = path.join(ROOT, "tests", "fixtures", "projects", "functions-paired-with-callers");
const HOLD = "serverless-dialer/functions/calls/hold.js";
const CALLS = "plugin-dialer/src/services/CallService.js";

const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: "1" };
for (const name of ["GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"]) {
  delete GIT_ENV[name];
  delete process.env[name];
}
const git = (dir, ...args) => execFileSync("git", args, { cwd: dir, env: GIT_ENV, stdio: "pipe" });

function repository() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-pairing-"));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  fs.rmSync(path.join(dir, "expected.json"));
  git(dir, "init", "-q");
  git(dir, "config", "user.email", "test@example.com");
  git(dir, "config", "user.name", "test");
  return dir;
}

test("the CLI reports an open Function once, with the plugin's call sites", (t) => {
  const dir = repository();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const result = run(["--format", "json", "--no-cache", "."], { cwd: dir });
  const { findings } = JSON.parse(result.stdout);
  const expected = JSON.parse(fs.readFileSync(path.join(FIXTURE, "expected.json"), "utf8"));
  assert.deepEqual(
    findings.map((f) => ({ file: f.file, line: f.line, ruleId: f.ruleId })),
    expected,
  );
  const hold = findings.find((f) => f.file === HOLD);
  assert.match(hold.message, /the plugin calls it from 2 places$/);
  assert.deepEqual(
    hold.related.map((r) => `${r.file}:${r.line}`),
    [`${CALLS}:6`, `${CALLS}:13`],
  );
  const transfer = findings.find((f) => f.file === CALLS);
  assert.deepEqual(
    transfer.related.map((r) => r.file),
    ["serverless-dialer/functions/calls/secure-transfer.js"],
    "a call without the token names the Function that will refuse it",
  );
  assert.ok(!JSON.stringify(findings).includes("functionCalls") && !result.stdout.includes('"functionCalls"'), "calls are the engine's facts, not output");
});

test("pre-commit judges a staged call with the Functions already committed", (t) => {
  const dir = repository();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  git(dir, "add", "-A", "--", ".", `:!${CALLS}`);
  git(dir, "commit", "-q", "-m", "functions and the customer app");
  git(dir, "add", CALLS);
  const findings = lintStaged({ cwd: dir, cache: false }).reports.flatMap((r) => r.findings);
  // The open Function is not part of this commit: each staged call to it is reported, naming it.
  const holdCalls = findings.filter((f) => f.ruleId === "function-call-without-token" && f.related?.some((r) => r.file === HOLD));
  assert.deepEqual(
    holdCalls.map((f) => f.line),
    [6, 13],
  );
  assert.ok(!findings.some((f) => f.file === HOLD), "committed files are context only");

  // Staging the Function instead: one finding, with the committed call sites.
  git(dir, "commit", "-q", "-m", "plugin");
  fs.appendFileSync(path.join(dir, HOLD), "// reviewed\n");
  git(dir, "add", HOLD);
  const staged = lintStaged({ cwd: dir, cache: false }).reports.flatMap((r) => r.findings);
  assert.deepEqual(
    staged.map((f) => [f.file, f.ruleId, f.related?.length]),
    [[HOLD, "function-without-token-validator", 2]],
  );
});
