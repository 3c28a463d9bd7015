// Shared by the CLI-level tests: run the real bin in a subprocess, make temp projects.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "npm", "bin", "flexguard.js");

/** Run the CLI; `cwd` defaults to the repository root. */
const run = (args, options = {}) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: ROOT, ...options });

/** A temp directory holding `files` ({relative path: content}). */
function project(files = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-test-"));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

module.exports = { ROOT, BIN, run, project };
