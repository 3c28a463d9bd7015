// Bundles and source maps, end to end: a plugin-shaped project with planted FAKE credentials is built
// by real webpack 4 and webpack 5 (development and production, with external and inline source
// maps), and the built files are linted through the public Node API and the CLI.
// Needs tools/setup-bundles.sh (the Makefile's test-bundles target runs it).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { fill } = require("../testgen");
const { build } = require("./webpack");
const flexguard = require("../..");

const SID = fill("AC{hex32}", 501);
const CLI = path.join(__dirname, "..", "..", "bin", "flexguard.js");

// Minification rewrites these: Terser folds the concatenation of the inlined `PREFIX` into one
// string literal, so the bundle holds a shape the source never spells.
const SOURCES = {
  "src/config.js": `const PREFIX = "${SID.slice(0, 2)}";\nexport const ACCOUNT_SID = PREFIX + "${SID.slice(2, 18)}" + "${SID.slice(18)}";\n`,
  "src/index.js": [
    `import { ACCOUNT_SID } from "./config";`,
    `import { listCalls } from "fake-twilio-sdk";`,
    ``,
    `export default class DialerPlugin {`,
    `  init(flex, manager) {`,
    `    manager.store.dispatch({ type: "dialer/account", sid: ACCOUNT_SID });`,
    `    flex.Actions.addListener("afterAcceptTask", () => fetch("https://api.twilio.com/2010-04-01/Accounts.json", { method: "GET" }));`,
    `    return listCalls();`,
    `  }`,
    `}`,
    `window.DialerPlugin = DialerPlugin;`,
    ``,
  ].join("\n"),
  // Third-party code calling the REST API: the library's business, not the plugin's.
  "node_modules/fake-twilio-sdk/package.json": JSON.stringify({ name: "fake-twilio-sdk", version: "1.0.0", main: "index.js" }),
  "node_modules/fake-twilio-sdk/index.js": `exports.listCalls = function listCalls() {\n  return fetch("https://api.twilio.com/2010-04-01/Calls.json");\n};\n`,
};

// The same plugin with 400 more CommonJS modules of benign text (not concatenated by webpack 5):
// a bundle of over 1 MB, which the engine lints module by module.
const PADDED = { ...SOURCES, "src/index.js": `${Array.from({ length: 400 }, (_, i) => `require("./pad/p${i}.js");`).join("\n")}\n${SOURCES["src/index.js"]}` };
for (let i = 0; i < 400; i++) {
  const words = Array.from({ length: 300 }, (_, k) => `"label ${i}-${k}"`).join(", ");
  PADDED[`src/pad/p${i}.js`] = `module.exports = [${words}].map(function (label) { return label.toUpperCase(); });\n`;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-bundles-"));
for (const [project, sources] of [["project", SOURCES], ["padded", PADDED]]) {
  for (const [file, text] of Object.entries(sources)) {
    fs.mkdirSync(path.dirname(path.join(work, project, file)), { recursive: true });
    fs.writeFileSync(path.join(work, project, file), text);
  }
}
test.after(() => fs.rmSync(work, { recursive: true, force: true }));

const builds = {};
function built(name, major, mode, devtool, project = "project") {
  return (builds[name] ??= build({ major, mode, devtool, context: path.join(work, project), outDir: path.join(work, name) }));
}

const byRule = (report, rule) => report.findings.filter((f) => f.ruleId === rule);
const line = (file, needle) => SOURCES[file].split("\n").findIndex((l) => l.includes(needle)) + 1;

/** The report of the production bundle with its external map: folded SID found and mapped back, third-party call dropped. */
function assertProductionReport(report, sources = SOURCES) {
  assert.deepStrictEqual(report.diagnostics, []);
  const [sid, ...moreSids] = byRule(report, "account-sid");
  assert.strictEqual(moreSids.length, 0, JSON.stringify(report.findings));
  assert.ok(!sid.excerpt.includes(SID) && !JSON.stringify(report).includes(SID), "redacted");
  assert.ok(sid.excerpt.length < 200, "bounded excerpt from a one-line bundle");
  assert.match(sid.original.source, /src\/config\.js$/);
  assert.strictEqual(sid.original.line, line("src/config.js", "ACCOUNT_SID ="));
  // The plugin's own call stays; the library's is dropped: the map puts it in node_modules.
  const calls = byRule(report, "direct-api-call");
  const fetchLine = sources["src/index.js"].split("\n").findIndex((l) => l.includes("fetch(")) + 1;
  assert.deepStrictEqual(calls.map((f) => [f.original.source.replace(/^.*\/src\//, "src/"), f.original.line]), [["src/index.js", fetchLine]]);
}

for (const major of [4, 5]) {
  test(`webpack ${major} bundle of over 1 MB, linted module by module (on two threads by the CLI): the same findings`, () => {
    const bundle = built(`wp${major}-prod-padded`, major, "production", "source-map", "padded");
    const bytes = fs.readFileSync(bundle);
    assert.ok(bytes.length > 1 << 20, `${bytes.length} bytes`);
    assert.ok(flexguard.flexguard.lintOrPlan(bytes, { filename: "plugin.js" }).plan.parts.length >= 400, "split");
    const report = flexguard.lintFile(bundle);
    assertProductionReport(report, PADDED);
    const run = spawnSync(process.execPath, [CLI, "--no-config", "--format", "json", bundle], { encoding: "utf8" });
    assert.strictEqual(run.status, 1, run.stderr);
    assert.deepStrictEqual(JSON.parse(run.stdout).findings.map((f) => [f.ruleId, f.line, f.column, f.original]), report.findings.map((f) => [f.ruleId, f.line, f.column, f.original]));

    const dev = flexguard.lintFile(built(`wp${major}-dev-padded`, major, "development", false, "padded"));
    assert.deepStrictEqual(dev.diagnostics, []);
    assert.deepStrictEqual(dev.findings.map((f) => [f.ruleId, f.module]).sort(), [
      ["account-sid", "./src/config.js"],
      ["direct-api-call", "./src/index.js"],
    ]);
  });

  test(`webpack ${major} production bundle with external map: folded SID found and mapped back, third-party call dropped`, () => {
    const bundle = built(`wp${major}-prod`, major, "production", "source-map");
    const text = fs.readFileSync(bundle, "utf8");
    assert.ok(text.includes(SID), "Terser folded the concatenation into one literal");
    assert.ok(text.length > 500 && text.split("\n").length <= 3, "one minified line");

    const report = flexguard.lintFile(bundle);
    assertProductionReport(report);

    // Without the map, a production bundle does not say where its modules came from: both calls are reported.
    const unmapped = flexguard.lint(text, { filename: "plugin.js" });
    assert.strictEqual(byRule(unmapped, "direct-api-call").length, 2);
    assert.ok(unmapped.findings.every((f) => f.original === undefined));
  });

  test(`webpack ${major} .map file: sourcesContent scanned as the original files`, () => {
    const bundle = built(`wp${major}-prod`, major, "production", "source-map");
    const report = flexguard.lintFile(`${bundle}.map`, { filename: "build/plugin.js.map" });
    assert.deepStrictEqual(report.diagnostics, []);
    const sids = byRule(report, "account-sid");
    assert.strictEqual(sids.length, 1, JSON.stringify(report.findings));
    assert.match(sids[0].file, /src\/config\.js$/);
    assert.strictEqual(sids[0].viaMap, "build/plugin.js.map");
    assert.strictEqual(sids[0].line, line("src/config.js", "ACCOUNT_SID ="));
    const calls = byRule(report, "direct-api-call");
    assert.deepStrictEqual(calls.map((f) => [f.file.replace(/^.*\/src\//, "src/"), f.line]), [["src/index.js", line("src/index.js", "fetch(")]]);
  });
}

test("webpack 4 development bundle: module paths name each finding's module; node_modules calls dropped", () => {
  const report = flexguard.lintFile(built("wp4-dev", 4, "development", false));
  assert.deepStrictEqual(report.diagnostics, []);
  assert.deepStrictEqual(report.findings.map((f) => [f.ruleId, f.module]).sort(), [
    ["account-sid", "./src/config.js"],
    ["direct-api-call", "./src/index.js"],
  ]);
});

test("webpack 5 development bundle with inline map: modules and original positions", () => {
  const bundle = built("wp5-dev-inline", 5, "development", "inline-source-map");
  assert.ok(fs.readFileSync(bundle, "utf8").includes("sourceMappingURL=data:application/json"));
  assert.ok(!fs.existsSync(`${bundle}.map`));
  const report = flexguard.lintFile(bundle);
  assert.deepStrictEqual(report.diagnostics, []);
  const found = report.findings.map((f) => [f.ruleId, f.module, f.original && f.original.source.replace(/^.*\/src\//, "src/"), f.original && f.original.line]);
  found.sort();
  assert.deepStrictEqual(found, [
    ["account-sid", "./src/config.js", "src/config.js", line("src/config.js", "ACCOUNT_SID =")],
    ["direct-api-call", "./src/index.js", "src/index.js", line("src/index.js", "fetch(")],
  ]);
});

test("an empty map next to a bundle (Flex production builds) maps nothing and does not error", () => {
  const dir = path.join(work, "flex-like");
  fs.mkdirSync(dir, { recursive: true });
  const text = fs.readFileSync(built("wp5-prod", 5, "production", "source-map"), "utf8").replace(/\/\/# sourceMappingURL=.*$/m, "");
  fs.writeFileSync(path.join(dir, "plugin.js"), text);
  fs.writeFileSync(path.join(dir, "plugin.js.map"), JSON.stringify({ version: 3, file: "plugin.js", sources: [], names: [], mappings: "" }));
  const report = flexguard.lintFile(path.join(dir, "plugin.js"));
  assert.deepStrictEqual(report.diagnostics, []);
  assert.strictEqual(byRule(report, "account-sid").length, 1);
  assert.ok(report.findings.every((f) => f.original === undefined));
  assert.deepStrictEqual(flexguard.lintFile(path.join(dir, "plugin.js.map")), { findings: [], diagnostics: [] });
});

test("CLI on a build folder: bundle and map both linted, JSON carries original, module and viaMap", () => {
  const dir = path.dirname(built("wp5-prod", 5, "production", "source-map"));
  const run = spawnSync(process.execPath, [CLI, "--format", "json", dir], { encoding: "utf8" });
  assert.strictEqual(run.status, 1, run.stderr);
  assert.ok(!run.stdout.includes(SID));
  const { findings } = JSON.parse(run.stdout);
  const sids = findings.filter((f) => f.ruleId === "account-sid");
  assert.strictEqual(sids.length, 2);
  assert.ok(sids.some((f) => f.file.endsWith("plugin.js") && /src\/config\.js$/.test(f.original.source)));
  assert.ok(sids.some((f) => /src\/config\.js$/.test(f.file) && f.viaMap.endsWith("plugin.js.map")));
});
