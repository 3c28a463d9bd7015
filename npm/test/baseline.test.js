// Baseline: --write-baseline records fingerprints (no secret), --baseline reports only new
// findings, and moved findings stay baselined. Inline suppressions through the CLI.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { fill } = require("./testgen");
const { run, project } = require("./helpers");
const api = require("../dist/node.js");

const SID = (seed) => fill("AC{hex32}", seed);
const findingsOf = (result) => JSON.parse(result.stdout).findings;

test("--write-baseline then --baseline reports only new findings; moving code keeps them baselined", () => {
  const dir = project({ "src/a.js": `const a = '${SID(1)}';\nfetch('https://api.twilio.com/2010-04-01/Accounts.json');\n` });
  const write = run(["--no-config", "--write-baseline", ".flexguard-baseline.json", "src"], { cwd: dir });
  assert.equal(write.status, 0, write.stderr);
  assert.match(write.stderr, /wrote 2 findings/);
  const baselineText = fs.readFileSync(path.join(dir, ".flexguard-baseline.json"), "utf8");
  const baseline = JSON.parse(baselineText);
  assert.equal(baseline.version, 1);
  assert.deepEqual(baseline.findings.map((e) => Object.keys(e)), [["fingerprint", "ruleId", "file"], ["fingerprint", "ruleId", "file"]]);
  assert.ok(!baselineText.includes(SID(1)) && !baselineText.includes(SID(1).slice(2, 30)), "no secret in a baseline");

  // Everything is baselined: clean, exit 0 although an error-severity finding exists.
  const again = run(["--no-config", "--baseline", ".flexguard-baseline.json", "--format", "json", "src"], { cwd: dir });
  assert.equal(again.status, 0, again.stdout);
  assert.deepEqual(findingsOf(again), []);

  // Code moves down; a new SID arrives. Only the new one is reported.
  fs.writeFileSync(path.join(dir, "src/a.js"), `// moved\n\n\nconst a = '${SID(1)}';\nconst b = '${SID(2)}';\nfetch('https://api.twilio.com/2010-04-01/Accounts.json');\n`);
  const moved = run(["--no-config", "--baseline", ".flexguard-baseline.json", "--format", "json", "src"], { cwd: dir });
  assert.deepEqual(findingsOf(moved).map((f) => [f.ruleId, f.line]), [["account-sid", 5]]);
  // Without the baseline all three are there.
  assert.equal(findingsOf(run(["--no-config", "--format", "json", "src"], { cwd: dir })).length, 3);
  // Rewriting a baseline while using one records everything, old and new.
  const rewrite = run(["--no-config", "--baseline", ".flexguard-baseline.json", "--write-baseline", ".flexguard-baseline.json", "src"], { cwd: dir });
  assert.match(rewrite.stderr, /wrote 3 findings/);
});

test("a bad baseline file exits 2", () => {
  const dir = project({ "a.js": "", "bad.json": JSON.stringify({ version: 1, findings: [{ fingerprint: "nope" }] }), "junk.json": "[" });
  for (const file of ["bad.json", "junk.json", "missing.json"]) {
    const result = run(["--no-config", "--baseline", file, "a.js"], { cwd: dir });
    assert.equal(result.status, 2, file);
    assert.match(result.stderr, new RegExp(file.replace(".", "\\.")));
  }
});

test("baseline functions are pure and shared (createBaseline / applyBaseline)", () => {
  const report = api.lint(`const a = '${SID(3)}';\nconst b = '${SID(4)}';\n`, { filename: "x.js" });
  const baseline = api.createBaseline([{ ...report, findings: report.findings.slice(0, 1) }]);
  assert.deepEqual(api.applyBaseline([report], baseline)[0].findings, report.findings.slice(1));
  assert.deepEqual(api.parseBaseline(JSON.stringify(baseline)), baseline);
  assert.throws(() => api.parseBaseline("{}"), /not a flexguard baseline/);
});

test("inline suppressions work through the CLI; a missing reason is reported", () => {
  const dir = project({
    "a.js": `// flexguard-ignore-next-line direct-api-call -- proxied by our Function in prod\nfetch('https://api.twilio.com/2010-04-01/Accounts.json');\nconst a = '${SID(5)}'; /* flexguard-ignore account-sid */\n`,
  });
  const result = run(["--no-config", "--format", "json", "a.js"], { cwd: dir });
  assert.equal(result.status, 0, result.stdout);
  const { findings, errors } = JSON.parse(result.stdout);
  assert.deepEqual(findings, []);
  assert.deepEqual(errors.map((e) => [e.code, e.line]), [["suppression", 3]]);
  assert.match(errors[0].message, /no reason/);
});
