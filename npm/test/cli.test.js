// The CLI as a subprocess: JSON shape, exit codes 0 / 1 / 2.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { fill } = require("./testgen");

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "npm", "bin", "flexguard.js");
const run = (args, options = {}) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: ROOT, ...options });

test("lints examples/: the planted SID and direct call, exit 1", () => {
  const result = run(["--no-config", "examples", "--format", "json"]);
  assert.equal(result.status, 1, result.stderr);
  const { findings, errors } = JSON.parse(result.stdout);
  assert.deepEqual(errors, []);
  const service = findings.filter((f) => f.file === "examples/flex-plugin/src/services/twilioApi.js");
  const sid = service.find((f) => f.ruleId === "account-sid");
  const call = service.find((f) => f.ruleId === "direct-api-call");
  assert.ok(sid && call, JSON.stringify(findings, null, 2));
  const lines = fs.readFileSync(path.join(ROOT, "examples/flex-plugin/src/services/twilioApi.js"), "utf8").split("\n");
  assert.match(lines[sid.line - 1], /const ACCOUNT_SID = 'AC/);
  assert.match(lines[call.line - 1], /fetch\(/);
  for (const key of ["ruleId", "severity", "file", "line", "column", "endLine", "endColumn", "message", "help", "excerpt", "fingerprint"]) {
    assert.ok(key in sid, `finding has ${key}`);
  }
  const planted = /AC[0-9a-f]{32}/.exec(lines[sid.line - 1])[0];
  assert.ok(!result.stdout.includes(planted), "output must be redacted");
});

test("a path named on the command line wins over the config's ignore (the quick start's command)", () => {
  // The repository's flexguard.config.json ignores examples/** for the self-lint of `.`.
  assert.equal(run(["--max-warnings", "0", "."]).status, 0);
  const named = run(["examples", "--format", "json"]);
  assert.equal(named.status, 1, named.stderr);
  assert.deepEqual([...new Set(JSON.parse(named.stdout).findings.map((f) => f.ruleId))].sort(), ["account-sid", "direct-api-call"]);
});

test("clean input exits 0; stylish is the default", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-cli-"));
  fs.writeFileSync(path.join(dir, "clean.js"), "export const greet = (name) => `hi ${name}`;\n");
  const result = run([dir]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /No problems found/);
});

test("warnings alone exit 0; errors exit 1", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-cli-"));
  fs.writeFileSync(path.join(dir, "warn.ts"), fill("const sid: string = 'AC{hex32}';\n", 5));
  assert.equal(run([dir]).status, 0);
  fs.writeFileSync(path.join(dir, "err.js"), "fetch('https://api.twilio.com/2010-04-01/Accounts.json');\n");
  const result = run([dir]);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /err\.js[\s\S]*direct-api-call/);
});

test("--max-warnings turns too many warnings into exit 1", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-cli-"));
  fs.writeFileSync(path.join(dir, "warn.js"), fill("const sid = 'AC{hex32}';\n", 6));
  assert.equal(run([dir, "--max-warnings", "1"]).status, 0);
  assert.equal(run([dir, "--max-warnings", "0"]).status, 1);
  assert.equal(run([dir, "--max-warnings", "x"]).status, 2);
});

test("usage and I/O errors exit 2", () => {
  assert.equal(run([]).status, 2);
  assert.equal(run(["--no-such-flag", "x"]).status, 2);
  assert.equal(run(["--format", "xml", "examples"]).status, 2);
  const missing = run(["does/not/exist.js"]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /exist/);
});

test("--list-rules prints the registry", () => {
  const result = run(["--list-rules"]);
  assert.equal(result.status, 0);
  assert.match(result.stdout, /^account-sid\s+warning/m);
  assert.match(result.stdout, /^direct-api-call\s+error/m);
});

test("skips node_modules and .git when walking directories", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-cli-"));
  for (const sub of ["node_modules/pkg", ".git"]) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
    fs.writeFileSync(path.join(dir, sub, "x.js"), "fetch('https://api.twilio.com/x');\n");
  }
  assert.equal(run([dir]).status, 0);
});
