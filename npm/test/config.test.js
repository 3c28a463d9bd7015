// flexguard.config.json / package.json "flexguard": search, validation (exit 2 naming the key),
// rules, ignore, allow, firstParty, functionDomains; and --rule overrides.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const { fill } = require("./testgen");
const { run, project } = require("./helpers");
const api = require("../dist/node.js");

const SID = (seed) => fill("AC{hex32}", seed);
const CALL = "fetch('https://api.twilio.com/2010-04-01/Accounts.json');\n";
const json = (result) => JSON.parse(result.stdout);

test("config is found upward from the cwd; flexguard.config.json wins over package.json", () => {
  const dir = project({
    "package.json": JSON.stringify({ name: "p", flexguard: { rules: { "account-sid": "error" } } }),
    "pkg/src/a.js": `const a = '${SID(1)}';\n`,
  });
  const nested = path.join(dir, "pkg", "src");
  const loaded = api.loadConfig(nested, api.rules());
  assert.equal(loaded.path, path.join(dir, "package.json"));
  assert.deepEqual(loaded.config.rules, { "account-sid": "error" });
  // The package.json severity makes the warning an error: exit 1.
  assert.equal(run(["a.js"], { cwd: nested }).status, 1);
  require("node:fs").writeFileSync(path.join(dir, "pkg", "flexguard.config.json"), JSON.stringify({ rules: { "account-sid": "off" } }));
  const result = run(["a.js", "--format", "json"], { cwd: nested });
  assert.equal(result.status, 0);
  assert.deepEqual(json(result).findings, []);
  // No config anywhere: an empty one.
  assert.deepEqual(api.loadConfig("/", api.rules()).config, {});
});

test("invalid config exits 2 with a message naming the key (and never echoing allow values)", () => {
  const cases = [
    [{ rules: { "no-such-rule": "error" } }, /rules\.no-such-rule/],
    [{ rules: { "account-sid": "loud" } }, /rules\.account-sid.*off, info, warning, error/],
    [{ ignore: "examples" }, /"ignore" must be an array/],
    [{ ignore: [1] }, /"ignore\[0\]"/],
    [{ allow: [SID(3)] }, /"allow\[0\]" is not a finding fingerprint/],
    [{ functionDomains: ["not a host"] }, /"functionDomains\[0\]"/],
    [{ firstParty: {} }, /"firstParty" must be an array/],
    [{ rulez: {} }, /unknown key "rulez"/],
  ];
  for (const [config, message] of cases) {
    const dir = project({ "flexguard.config.json": JSON.stringify(config), "a.js": "export {};\n" });
    const result = run(["a.js"], { cwd: dir });
    assert.equal(result.status, 2, JSON.stringify(config));
    assert.match(result.stderr, message);
    assert.match(result.stderr, /flexguard\.config\.json/);
    assert.ok(!result.stderr.includes(SID(3)), "an allow value is never echoed");
  }
  const broken = project({ "flexguard.config.json": "{ nope", "a.js": "" });
  assert.match(run(["a.js"], { cwd: broken }).stderr, /not valid JSON/);
  assert.throws(() => api.validateConfig({ rules: { x: "off" } }, api.rules(), "cfg"), api.ConfigError);
});

test("ignore globs, allow fingerprints and firstParty patterns filter findings", () => {
  const dir = project({
    "src/a.js": `const a = '${SID(4)}';\n${CALL}`,
    "vendor/lib.js": CALL,
    "examples/demo/x.js": `const x = '${SID(5)}';\n`,
  });
  const before = json(run(["--format", "json", "."], { cwd: dir })).findings;
  assert.deepEqual(before.map((f) => `${f.file}:${f.ruleId}`).sort(), ["examples/demo/x.js:account-sid", "src/a.js:account-sid", "src/a.js:direct-api-call", "vendor/lib.js:direct-api-call"]);
  const allowed = before.find((f) => f.file === "src/a.js" && f.ruleId === "account-sid").fingerprint;
  require("node:fs").writeFileSync(
    path.join(dir, "flexguard.config.json"),
    JSON.stringify({ ignore: ["examples/**"], allow: [allowed], firstParty: ["src/**"], functionDomains: ["my-service-1234.twil.io"] }),
  );
  const after = json(run(["--format", "json", "."], { cwd: dir })).findings;
  assert.deepEqual(after.map((f) => `${f.file}:${f.ruleId}`), ["src/a.js:direct-api-call"]);
  // The same through the Node API, which loads the config from `cwd` too.
  return api.lintFiles(["."], { cwd: dir }).then((reports) => {
    assert.deepEqual(reports.flatMap((r) => r.findings.map((f) => `${f.file}:${f.ruleId}`)), ["src/a.js:direct-api-call"]);
  });
});

test("functionDomains: a custom Function domain must get the Flex user token too", async () => {
  const call = "fetch('https://functions.example.com/send-sms', { method: 'POST', body: JSON.stringify({ to: '+15555550100' }) });\n";
  const dir = project({ "src/send.js": call });
  const rulesOf = (result) => json(result).findings.map((f) => f.ruleId);
  assert.deepEqual(rulesOf(run(["--format", "json", "."], { cwd: dir })), []);
  require("node:fs").writeFileSync(path.join(dir, "flexguard.config.json"), JSON.stringify({ functionDomains: ["functions.example.com"] }));
  assert.deepEqual(rulesOf(run(["--format", "json", "."], { cwd: dir })), ["function-call-without-token"]);
  assert.deepEqual(rulesOf(run(["--format", "json", "--stdin", "--stdin-filename", "src/send.js"], { cwd: dir, input: call })), ["function-call-without-token"]);
  const reports = await api.lintFiles(["."], { cwd: dir });
  assert.deepEqual(reports.flatMap((r) => r.findings.map((f) => f.ruleId)), ["function-call-without-token"]);
});

test("--rule ID=level overrides config and defaults; bad values exit 2", () => {
  const dir = project({ "flexguard.config.json": JSON.stringify({ rules: { "direct-api-call": "warning" } }), "a.js": `const a = '${SID(6)}';\n${CALL}` });
  const severities = (args) => json(run(["--format", "json", ...args, "a.js"], { cwd: dir })).findings.map((f) => `${f.ruleId}:${f.severity}`);
  assert.deepEqual(severities([]), ["account-sid:warning", "direct-api-call:warning"]);
  assert.deepEqual(severities(["--rule", "account-sid=error"]), ["account-sid:error", "direct-api-call:warning"]);
  assert.deepEqual(severities(["--rule", "account-sid=off", "--rule=direct-api-call=info"]), ["direct-api-call:info"]);
  assert.deepEqual(severities(["--no-config"]), ["account-sid:warning", "direct-api-call:error"]);
  assert.equal(run(["--rule", "account-sid=error", "a.js"], { cwd: dir }).status, 1);
  assert.equal(run(["--rule", "nope=error", "a.js"], { cwd: dir }).status, 2);
  assert.equal(run(["--rule", "account-sid=loud", "a.js"], { cwd: dir }).status, 2);
  assert.equal(run(["--rule", "account-sid", "a.js"], { cwd: dir }).status, 2);
});

test("--config uses the given file; its globs are relative to it", () => {
  const dir = project({ "conf/strict.json": JSON.stringify({ rules: { "account-sid": "error" }, ignore: ["../skip/**"] }), "a.js": `const a = '${SID(7)}';\n`, "skip/b.js": CALL });
  const result = run(["--config", "conf/strict.json", "--format", "json", "."], { cwd: dir });
  assert.equal(result.status, 1);
  assert.deepEqual(json(result).findings.map((f) => `${f.file}:${f.severity}`), ["a.js:error"]);
  assert.equal(run(["--config", "conf/missing.json", "a.js"], { cwd: dir }).status, 2);
});
