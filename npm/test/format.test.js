// Reporters: SARIF validates against the SARIF 2.1.0 schema; github workflow commands; stylish
// code frame and colours only on a TTY; --output; json shape.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { Writable } = require("node:stream");
const Ajv = require("ajv-draft-04");
const addFormats = require("ajv-formats");
const { fill } = require("./testgen");
const { run, project } = require("./helpers");
const api = require("../dist/node.js");
const { main } = require("../dist/cli.js");

const SCHEMA = require("./vendor/sarif-2.1.0-rtm.5.json");
const SID = (seed) => fill("AC{hex32}", seed);
const SOURCE = (seed) => `// a Flex plugin service\nexport const sid = '${SID(seed)}';\nfetch('https://api.twilio.com/2010-04-01/Accounts.json');\n`;

function validator() {
  // unicodeRegExp off: the published schema's `language` pattern is not valid in /u mode.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(SCHEMA);
}

test("sarif: valid SARIF 2.1.0 with rules from the registry, locations and partialFingerprints", () => {
  const report = api.lint(SOURCE(1), { filename: "src/services/a b.js" });
  const withDiagnostic = api.lint("let x = ;", { filename: "broken.js" });
  const log = JSON.parse(api.formatters.sarif([report, withDiagnostic], { rules: api.rules(), version: api.flexguard.version() }));
  const validate = validator();
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  // The validator can fail: a broken log is rejected.
  assert.equal(validate({ ...log, version: "2.0.0" }), false);
  assert.equal(validate({ version: "2.1.0", runs: [{ tool: { driver: {} }, results: [] }] }), false);

  const run0 = log.runs[0];
  assert.deepEqual(run0.tool.driver.rules.map((r) => r.id), api.rules().map((r) => r.id));
  const sidRule = run0.tool.driver.rules.find((r) => r.id === "account-sid");
  assert.match(sidRule.help.markdown, /## How to fix/);
  assert.equal(sidRule.defaultConfiguration.level, "warning");
  assert.equal(run0.results.length, 2);
  const [sid, call] = run0.results;
  assert.equal(sid.ruleId, "account-sid");
  assert.equal(run0.tool.driver.rules[sid.ruleIndex].id, "account-sid");
  assert.equal(call.level, "error");
  const region = sid.locations[0].physicalLocation.region;
  assert.deepEqual([region.startLine, region.startColumn], [2, report.findings[0].column]);
  assert.equal(sid.locations[0].physicalLocation.artifactLocation.uri, "src/services/a%20b.js");
  assert.equal(sid.partialFingerprints["flexguard/v1"], report.findings[0].fingerprint);
  assert.equal(run0.invocations[0].toolExecutionNotifications[0].descriptor.id, "parse-error");
});

test("sarif from the CLI validates too (every format, --output)", () => {
  const dir = project({ "src/a.js": SOURCE(2), "src/b.ts": "let x: = ;\n" });
  const out = path.join(dir, "reports", "flexguard.sarif");
  const result = run(["--format", "sarif", "--output", out, "--no-config", "src"], { cwd: dir });
  assert.equal(result.status, 1, result.stderr);
  assert.equal(result.stdout, "", "--output writes nothing to stdout");
  const log = JSON.parse(fs.readFileSync(out, "utf8"));
  const validate = validator();
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  assert.deepEqual(log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri), ["src/a.js", "src/a.js"]);
});

test("github: one workflow command per finding, properties and data escaped", () => {
  const report = api.lint(SOURCE(3), { filename: "src/a,b.js" });
  const lines = api.formatters.github([report]).trimEnd().split("\n");
  assert.equal(lines.length, 2);
  const f = report.findings[0];
  assert.equal(lines[0].split("::")[1], `warning file=src/a%2Cb.js,line=2,col=${f.column},endLine=${f.endLine},endColumn=${f.endColumn},title=flexguard account-sid`);
  assert.match(lines[1], /^::error file=src\/a%2Cb\.js,line=3,col=1,/);
  // Message and help are one line: newlines are %0A.
  assert.match(lines[1], /::.+%0A.+$/);
  const noticed = api.formatters.github([{ findings: [{ ...f, severity: "info", message: "50% done\r\n" }], diagnostics: [] }]);
  assert.match(noticed, /^::notice .*::50%25 done%0D%0A%0A/);
});

test("stylish: grouped by file, redacted code frame with a marker, summary line", () => {
  const report = api.lint(SOURCE(4), { filename: "src/a.js" });
  const text = api.formatters.stylish([report]);
  const sid = SID(4);
  assert.ok(!text.includes(sid));
  assert.match(text, /^src\/a\.js$/m);
  assert.match(text, / 2 │ export const sid = 'AC\w{2}…\w{2}';/);
  const frame = text.split("\n").findIndex((l) => l.includes(" 2 │ "));
  const caret = text.split("\n")[frame + 1];
  assert.match(caret, /^\s+\^+$/);
  // The marker sits under the redacted value.
  assert.equal(text.split("\n")[frame].slice(caret.indexOf("^"), caret.length), `${sid.slice(0, 4)}…${sid.slice(-2)}`);
  assert.match(text, /✖ 2 problems \(1 error, 1 warning\) in 1 file/);
  assert.ok(!text.includes("\u001b["), "no colours unless asked");
  assert.ok(api.formatters.stylish([report], { color: true }).includes("\u001b[31m"));
});

test("colours only on a TTY", async () => {
  const dir = project({ "a.js": SOURCE(5) });
  const capture = (isTTY) => {
    let text = "";
    const stream = new Writable({ write: (chunk, _e, done) => ((text += chunk), done()) });
    stream.isTTY = isTTY;
    return { stream, text: () => text };
  };
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    for (const tty of [true, false]) {
      const out = capture(tty), err = capture(false);
      assert.equal(await main(["--no-config", "a.js"], out.stream, err.stream), 1);
      assert.equal(out.text().includes("\u001b["), tty);
    }
  } finally {
    process.chdir(cwd);
  }
  // Through a pipe (the subprocess) there are none.
  assert.ok(!run(["--no-config", "a.js"], { cwd: dir }).stdout.includes("\u001b["));
});

test("json keeps the skeleton's shape", () => {
  const report = api.lint(SOURCE(6), { filename: "a.js" });
  const parsed = JSON.parse(api.formatters.json([report]));
  assert.deepEqual(Object.keys(parsed), ["findings", "errors"]);
  assert.deepEqual(Object.keys(parsed.findings[0]), ["ruleId", "severity", "file", "line", "column", "endLine", "endColumn", "message", "help", "excerpt", "fingerprint", "runtime"]);
});
