// `npm pack` yields a tarball that installs into an empty project and works without Rust.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const NPM_DIR = path.join(__dirname, "..");

test("the packed tarball installs and its CLI runs", { timeout: 180_000 }, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-pack-"));
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: NPM_DIR, encoding: "utf8" }).trim().split("\n").pop();
  const tarball = path.join(work, name);
  const project = path.join(work, "project");
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "empty", version: "1.0.0", private: true }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", tarball], { cwd: project, stdio: "pipe" });

  fs.writeFileSync(path.join(project, "bad.js"), "fetch('https://api.twilio.com/2010-04-01/Accounts.json');\n");
  const bin = path.join(project, "node_modules", ".bin", "flexguard");
  const result = spawnSync(bin, ["bad.js", "--format", "json"], { cwd: project, encoding: "utf8" });
  assert.equal(result.status, 1, result.stderr);
  assert.equal(JSON.parse(result.stdout).findings[0].ruleId, "direct-api-call");

  const api = spawnSync(process.execPath, ["-e", "console.log(require('flexguard').lint('x').findings.length)"], { cwd: project, encoding: "utf8" });
  assert.equal(api.stdout.trim(), "0", api.stderr);
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" });
  assert.match(files, /package\/wasm\/nodejs\/flexguard_bg\.wasm/);
  assert.match(files, /package\/dist\/node\.d\.ts/);
});
