// `--format gitlab`: a GitLab Code Quality report, checked against the documented format
// (test/schemas/gitlab-code-quality.schema.json; GitLab publishes no schema of its own).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const Ajv = require("ajv");
const { run, project } = require("./helpers");
const { fill } = require("./testgen");

const validate = new Ajv({ allErrors: true }).compile(require("./schemas/gitlab-code-quality.schema.json"));

const SID = fill("AC{hex32}", 41);
const TOKEN = fill("{hex32}", 42);

/** The same SID twice in a file (one flexguard fingerprint); a token and a REST call in another. */
const sids = (padding = "") => `${padding}const first = "${SID}";\nconst again = "${SID}";\n`;
const CLIENT = [
  `const client = { accountSid: process.env.SID, authToken: "${TOKEN}" };`,
  "fetch('https://api.twilio.com/2010-04-01/Accounts.json', client);",
  "",
].join("\n");

function report(dir, args = [], status = 1) {
  const result = run(["--no-config", "--no-cache", "--format", "gitlab", ...args, "src"], { cwd: dir });
  assert.equal(result.status, status, result.stderr);
  const issues = JSON.parse(result.stdout);
  assert.ok(validate(issues), JSON.stringify(validate.errors, null, 2));
  for (const secret of [SID, TOKEN]) assert.ok(!result.stdout.includes(secret), "no full secret in the report");
  return issues;
}

test("gitlab: valid, severities mapped, one fingerprint per finding, the first the baseline's", () => {
  const dir = project({ "src/plugin.js": sids(), "src/client.js": CLIENT });
  const issues = report(dir);
  const byRule = (id) => issues.filter((i) => i.check_name === `flexguard/${id}`);
  assert.deepEqual(byRule("account-sid").map((i) => [i.severity, i.location.path, i.location.lines.begin]), [
    ["major", "src/plugin.js", 1],
    ["major", "src/plugin.js", 2],
  ]);
  assert.deepEqual(byRule("auth-token").map((i) => i.severity), ["critical"]);
  assert.deepEqual(byRule("direct-api-call").map((i) => [i.severity, i.location.lines.begin]), [["critical", 2]]);
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length, "fingerprints are unique");
  assert.match(byRule("account-sid")[0].description, new RegExp(`${SID.slice(0, 4)}…${SID.slice(-2)}`));

  // The baseline (and JSON) fingerprint is the first occurrence's; the second gets "-2".
  const json = JSON.parse(run(["--no-config", "--no-cache", "--format", "json", "src"], { cwd: dir }).stdout);
  const sidPrints = json.findings.filter((f) => f.ruleId === "account-sid").map((f) => f.fingerprint);
  assert.equal(sidPrints[0], sidPrints[1], "one flexguard fingerprint for the same value twice");
  assert.deepEqual(byRule("account-sid").map((i) => i.fingerprint), [sidPrints[0], `${sidPrints[0]}-2`]);
  run(["--no-config", "--no-cache", "--write-baseline", "baseline.json", "src"], { cwd: dir });
  const baseline = JSON.parse(fs.readFileSync(path.join(dir, "baseline.json"), "utf8"));
  assert.ok(baseline.findings.some((f) => f.fingerprint === sidPrints[0]));
  assert.ok(!JSON.stringify(baseline).includes(`${sidPrints[0]}-2`), "the baseline keeps flexguard's fingerprints");

  // Moving the code down keeps every GitLab fingerprint (lines are not part of it).
  fs.writeFileSync(path.join(dir, "src/plugin.js"), sids("\n\n\n"));
  const moved = report(dir);
  assert.deepEqual(moved.map((i) => i.fingerprint), issues.map((i) => i.fingerprint));
  const shift = (i) => (i.location.path === "src/plugin.js" ? 3 : 0);
  assert.deepEqual(moved.map((i) => i.location.lines.begin), issues.map((i) => i.location.lines.begin + shift(i)));
});

test("gitlab: info findings are info; no findings is an empty array", () => {
  const dir = project({ "src/plugin.js": sids(), "src/clean.js": "export const x = 1;\n" });
  const issues = report(dir, ["--rule", "account-sid=info"], 0);
  assert.deepEqual([...new Set(issues.filter((i) => i.check_name === "flexguard/account-sid").map((i) => i.severity))], ["info"]);
  const clean = run(["--no-config", "--no-cache", "--format", "gitlab", "src/clean.js"], { cwd: dir });
  assert.equal(clean.status, 0, clean.stderr);
  assert.deepEqual(JSON.parse(clean.stdout), []);
});
