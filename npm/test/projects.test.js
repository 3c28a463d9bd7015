// Project fixtures (tests/fixtures/projects/, whose expected findings the engine's own fixture
// test checks) through the hosts that lint a repository, the CLI (and so the Node API) and
// pre-commit: what the project stage decides must reach them (second passes with a runtime,
// calls paired with the Functions they reach).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { ROOT, run } = require("./helpers");
const { fill } = require("./testgen");
const { lintStaged } = require("../dist/pre-commit.js");

const FIXTURES = path.join(ROOT, "tests", "fixtures", "projects");
const FIXTURE = path.join(FIXTURES, "functions-paired-with-callers");
/** The seed the engine's fixture runner fills templates with. */
const SEED = 1;
const HOLD = "serverless-dialer/functions/calls/hold.js";
const CALLS = "plugin-dialer/src/services/CallService.js";

const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: "1" };
for (const name of ["GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"]) {
  delete GIT_ENV[name];
  delete process.env[name];
}
const git = (dir, ...args) => execFileSync("git", args, { cwd: dir, env: GIT_ENV, stdio: "pipe" });

/** A git repository holding a fixture, its `*.template.*` files filled as the engine's runner does. */
function repository(fixture = FIXTURE) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-project-"));
  fs.cpSync(fixture, dir, { recursive: true });
  fs.rmSync(path.join(dir, "expected.json"));
  for (const file of fs.readdirSync(dir, { recursive: true })) {
    const [stem, extension] = String(file).split(".template.");
    if (extension === undefined) continue;
    fs.writeFileSync(path.join(dir, `${stem}.${extension}`), fill(fs.readFileSync(path.join(dir, file), "utf8"), SEED));
    fs.rmSync(path.join(dir, file));
  }
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
    [`${CALLS}:7`, `${CALLS}:14`],
  );
  assert.ok(!findings.some((f) => f.file === CALLS), "the call to a Function that validates is settled by it");
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
    [7, 14],
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

test("the CLI lints code of a package that is no browser app as tooling, and still finds its credentials", (t) => {
  const fixture = path.join(FIXTURES, "runtime-from-package-manifests");
  const dir = repository(fixture);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { findings } = JSON.parse(run(["--format", "json", "--no-cache", "."], { cwd: dir }).stdout);
  assert.deepEqual(
    findings.map((f) => ({ file: f.file, line: f.line, ruleId: f.ruleId })),
    JSON.parse(fs.readFileSync(path.join(fixture, "expected.json"), "utf8")),
  );
  assert.equal(findings.find((f) => f.ruleId === "auth-token")?.runtime, "tooling");
  const printed = run(["--print-project", "--no-cache", "."], { cwd: dir }).stdout;
  assert.match(printed, /tooling\s+token-server\/index\.js/);
  assert.match(printed, /tooling\s+serverless-queue\/lib\/provision\.js/);
  assert.match(printed, /plugin\s+plugin-queue\/src\/api\.js/);
});

test("pre-commit lints a staged backend file by its package", (t) => {
  const dir = repository(path.join(FIXTURES, "runtime-from-package-manifests"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  git(dir, "add", "-A", "--", ".", ":!token-server/index.js");
  git(dir, "commit", "-q", "-m", "everything but the server");
  git(dir, "add", "token-server/index.js");
  const findings = lintStaged({ cwd: dir, cache: false }).reports.flatMap((r) => r.findings);
  assert.deepEqual(findings, [], "the server SDK, REST calls and Basic auth belong in a backend");
});

test("pre-commit judges an untouched Function with its context before it settles a staged call", (t) => {
  // The Function reaches the account only through a Runtime helper: alone, it looks harmless.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-project-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const files = {
    ".gitignore": "node_modules/\n.env\n",
    "package.json": JSON.stringify({ devDependencies: { "@twilio/flex-ui": "^2" } }),
    "serverless/package.json": JSON.stringify({ devDependencies: { "twilio-run": "^3" } }),
    "serverless/.gitignore": ".env\n",
    "serverless/functions/lib/calls.private.js": "exports.listCalls = () => fetch(process.env.CALLS_URL).then((r) => r.json());\n",
    "serverless/functions/calls.js":
      "const { listCalls } = require(Runtime.getFunctions()['lib/calls'].path);\nexports.handler = async (context, event, callback) => callback(null, await listCalls());\n",
    "src/api.js": "export const calls = () => fetch('https://svc-1234-dev.twil.io/calls', { method: 'POST', body: JSON.stringify({ page: 1 }) });\n",
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  git(dir, "init", "-q");
  git(dir, "config", "user.email", "test@example.com");
  git(dir, "config", "user.name", "test");
  git(dir, "add", "-A", "--", ".", ":!src/api.js");
  git(dir, "commit", "-q", "-m", "functions");
  git(dir, "add", "src/api.js");
  const staged = lintStaged({ cwd: dir, cache: false }).reports.flatMap((r) => r.findings);
  const cli = JSON.parse(run(["--format", "json", "--no-cache", "."], { cwd: dir }).stdout).findings;
  // The CLI sees one open Function that the plugin calls; pre-commit, the staged call to it.
  assert.deepEqual(
    cli.map((f) => [f.file, f.ruleId]),
    [["serverless/functions/calls.js", "function-without-token-validator"]],
  );
  assert.deepEqual(
    staged.map((f) => [f.file, f.ruleId, f.related?.[0]?.file]),
    [["src/api.js", "function-call-without-token", "serverless/functions/calls.js"]],
  );
});
