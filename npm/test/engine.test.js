// The built wasm engine through the package's Node entry.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { fill } = require("./testgen");
const flexguard = require("..");

test("testgen matches the Rust generator", () => {
  assert.equal(fill("{hex8}-{alnum6}-{b64url4}", 42), "5bdd73e7-7Mctsf-wgNe");
});

test("finds an account SID and a direct REST call with positions", () => {
  const source = fill("const sid = 'AC{hex32}';\nfetch(`https://api.twilio.com/2010-04-01/Accounts/${sid}/Calls.json`);\n", 1);
  const report = flexguard.lint(source, { filename: "plugin.js" });
  const byRule = Object.fromEntries(report.findings.map((f) => [f.ruleId, f]));
  assert.deepEqual(Object.keys(byRule).sort(), ["account-sid", "direct-api-call"]);
  assert.equal(byRule["account-sid"].line, 1);
  assert.equal(byRule["account-sid"].column, 14);
  assert.equal(byRule["direct-api-call"].line, 2);
  assert.equal(byRule["direct-api-call"].severity, "error");
  const sid = /AC[0-9a-f]{32}/.exec(source)[0];
  assert.ok(!JSON.stringify(report).includes(sid), "the full SID must never appear in a report");
});

test("parse errors are diagnostics, and the text is still scanned", () => {
  const report = flexguard.lint(fill("let = ;\n'AC{hex32}'", 2), { filename: "broken.js" });
  assert.equal(report.diagnostics[0].code, "parse-error");
  assert.equal(report.findings[0].ruleId, "account-sid");
});

test("rule settings, and unknown rule ids are errors", () => {
  const source = fill("const sid = 'AC{hex32}';", 3);
  assert.equal(flexguard.lint(source, { rules: { "account-sid": "error" } }).findings[0].severity, "error");
  assert.equal(flexguard.lint(source, { rules: { "account-sid": "off" } }).findings.length, 0);
  assert.throws(() => flexguard.lint(source, { rules: { "no-such-rule": "off" } }), /no-such-rule/);
});

test("rules() lists the registry", () => {
  const ids = flexguard.rules().map((r) => r.id);
  assert.ok(ids.includes("account-sid") && ids.includes("direct-api-call"));
  assert.deepEqual(ids, [...ids].sort());
  for (const rule of flexguard.rules()) assert.ok(rule.summary && rule.docs.includes("## How to fix"), rule.id);
});

test("a trapped engine is replaced and the next file is scanned", () => {
  const { Flexguard } = flexguard;
  let instances = 0;
  const engine = new Flexguard(() => {
    instances++;
    const real = require("../wasm/nodejs/flexguard.js");
    return instances === 1
      ? { ...real, lint: () => { throw new WebAssembly.RuntimeError("unreachable"); } }
      : real;
  });
  const trapped = engine.lint("x", { filename: "bad.js" });
  assert.equal(trapped.diagnostics[0].code, "internal-error");
  assert.equal(trapped.diagnostics[0].file, "bad.js");
  const next = engine.lint(fill("'AC{hex32}'", 4), { filename: "good.js" });
  assert.equal(next.findings.length, 1);
  assert.equal(instances, 2);
});

test("ESM import works", async () => {
  const esm = await import("flexguard");
  assert.equal(typeof esm.lint, "function");
  assert.equal(esm.lint("const a = 1;").findings.length, 0);
});
