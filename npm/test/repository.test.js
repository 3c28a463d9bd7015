// Repository rules in a lint of directories (no git needed): a Flex plugin or a Twilio Functions
// service whose .env no .gitignore from the root down covers.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { project, run } = require("./helpers");
const api = require("../dist/node.js");

const PLUGIN = JSON.stringify({ name: "plugin-demo", dependencies: { "@twilio/flex-plugin": "^7" } });
const PLUGIN_V4 = JSON.stringify({ name: "plugin-demo", devDependencies: { "flex-plugin-scripts": "4.2.2" } });
const SERVICE = JSON.stringify({ name: "demo-functions", dependencies: { "@twilio/runtime-handler": "1.3.0" }, devDependencies: { "twilio-run": "^3" } });
const OTHER = JSON.stringify({ name: "tooling", dependencies: { twilio: "^4" } });

/** [file, message] of every env-file-not-ignored finding of `lintFiles(paths)` in `dir`. */
async function unignored(dir, paths = ["."], options = {}) {
  const reports = await api.lintFiles(paths, { cwd: dir, ...options });
  return reports.flatMap((r) => r.findings.filter((f) => f.ruleId === "env-file-not-ignored").map((f) => [f.file, f.message]));
}

test("a plugin and a Functions service whose .env is not ignored are reported at their .gitignore", async () => {
  const dir = project({
    "package.json": PLUGIN_V4,
    "src/index.js": "export default 1;\n",
    "serverless/package.json": SERVICE,
    // Only local variants: serverless/.env itself would be committed.
    "serverless/.gitignore": "node_modules/\n.env.local\n.env.*.local\n",
    "serverless/functions/hello.js": "exports.handler = (context, event, callback) => callback(null, 'hi');\n",
    "tools/package.json": OTHER,
  });
  assert.deepEqual(await unignored(dir), [
    [".gitignore", "git does not ignore .env in this Flex plugin, so `git add .` would commit it"],
    ["serverless/.gitignore", "git does not ignore serverless/.env in this Twilio Functions service (its .env holds the values `twilio-run deploy` uploads), so `git add .` would commit it"],
  ]);
});

test("an ignore anywhere from the root down covers the package, negations and ignored folders count", async () => {
  assert.deepEqual(await unignored(project({ "package.json": PLUGIN, ".gitignore": ".env\n" })), []);
  assert.deepEqual(await unignored(project({ "package.json": PLUGIN, ".gitignore": ".env*\n!.env.example\n" })), []);
  // A pattern without a slash in the root .gitignore covers every package below it.
  assert.deepEqual(await unignored(project({ ".gitignore": ".env\n", "plugins/a/package.json": PLUGIN, "functions-svc/package.json": SERVICE })), []);
  // An anchored pattern covers the root only.
  assert.deepEqual((await unignored(project({ ".gitignore": "/.env\n", "package.json": PLUGIN, "svc/package.json": SERVICE }))).map(([file]) => file), ["svc/.gitignore"]);
  // A package in an ignored folder is not walked, so not judged.
  assert.deepEqual(await unignored(project({ ".gitignore": "vendor/\n", "vendor/pkg/package.json": PLUGIN })), []);
  // Ignored again by a later negation: reported.
  assert.deepEqual((await unignored(project({ ".gitignore": ".env\n!.env\n", "package.json": PLUGIN }))).map(([file]) => file), [".gitignore"]);
});

test("a .twilioserverlessrc marks a Functions service; other packages and broken manifests are not judged", async () => {
  assert.deepEqual((await unignored(project({ "svc/.twilioserverlessrc": "{}\n", "svc/functions/a.js": "exports.handler = () => {};\n" }))).map(([file]) => file), ["svc/.gitignore"]);
  assert.deepEqual(await unignored(project({ "package.json": OTHER })), []);
  assert.deepEqual(await unignored(project({ "package.json": "{ not json" })), []);
});

test("the rule follows the config and the command line, and a named file alone is not a package walk", async () => {
  const dir = project({ "package.json": PLUGIN, "src/a.js": "export default 1;\n" });
  assert.deepEqual(await unignored(dir, ["."], { rules: { "env-file-not-ignored": "off" } }), []);
  assert.deepEqual(await unignored(dir, ["src/a.js"]), []);
  const cli = run(["--format", "json", "."], { cwd: dir });
  assert.equal(cli.status, 0, "a warning does not fail the run");
  assert.deepEqual(JSON.parse(cli.stdout).findings.map((f) => [f.file, f.ruleId, f.line]), [[".gitignore", "env-file-not-ignored", 1]]);
  assert.equal(run(["--max-warnings", "0", "."], { cwd: dir }).status, 1);
});
