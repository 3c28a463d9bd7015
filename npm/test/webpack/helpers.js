// Shared by the webpack tests: where tools/setup-webpack.sh installed things, and real builds.
"use strict";
const { spawnSync, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const NPM_DIR = path.join(__dirname, "..", "..");
const CACHE = process.env.FLEXGUARD_CACHE || path.join(os.homedir(), ".cache", "flexguard");
const FIXTURE = path.join(__dirname, "fixture");

function requireSetup(dir) {
  if (!fs.existsSync(path.join(dir, ".flexguard-installed"))) {
    throw new Error(`${dir} is missing: run tools/setup-webpack.sh (make test-webpack does)`);
  }
  return dir;
}

/** The cached webpack 4 or 5 install (webpack + webpack-cli). */
function webpackInstall(major) {
  return requireSetup(path.join(CACHE, `webpack${major}`));
}

/**
 * Exit status of webpack's CLI when the compilation has errors: webpack-cli 3 (webpack 4) exits 2,
 * webpack-cli 5 exits 1. (webpack 4.47 hashes md4 in wasm, so Node 17+ needs no
 * --openssl-legacy-provider; checked on Node 20.)
 */
const FAILED_STATUS = { 4: 2, 5: 1 };

/**
 * A fresh copy of the plain fixture in a temp dir, `flexguard` resolvable from it (a symlink to
 * this package, so `require('flexguard/webpack')` goes through package.json `exports`), and
 * `files` (relative path → content) written over it.
 */
function fixtureProject(files = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-webpack-"));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(NPM_DIR, path.join(dir, "node_modules", "flexguard"), "dir");
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

/**
 * A webpack.config.js for the fixture: production mode, source maps, the plugin with `options`
 * (a JS expression), and `extraPlugins` (a JS expression using `webpack`, the cached install).
 */
function writeConfig(dir, major, { options = "{}", mode = "production", extraPlugins = "[]" } = {}) {
  const webpackModule = path.join(webpackInstall(major), "node_modules", "webpack");
  fs.writeFileSync(
    path.join(dir, "webpack.config.js"),
    `const path = require('path');
const webpack = require(${JSON.stringify(webpackModule)});
const { FlexguardWebpackPlugin } = require('flexguard/webpack');
module.exports = {
  mode: ${JSON.stringify(mode)},
  context: __dirname,
  entry: './src/index.js',
  output: { path: path.join(__dirname, 'build'), filename: 'plugin-fixture.js' },
  devtool: 'source-map',
  plugins: [...${extraPlugins}, new FlexguardWebpackPlugin(${options})],
};
`,
  );
}

/** Run webpack's own CLI on the project; returns exit status and everything it printed. */
function webpackBuild(dir, major) {
  const cli = path.join(webpackInstall(major), "node_modules", "webpack-cli", "bin", "cli.js");
  const result = spawnSync(process.execPath, [cli, "--config", "webpack.config.js"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** `npm pack` this package into `dir`; returns the tarball path. */
function packTarball(dir) {
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: NPM_DIR, encoding: "utf8" }).trim().split("\n").pop();
  return path.join(dir, name);
}

module.exports = { NPM_DIR, CACHE, FIXTURE, requireSetup, webpackInstall, FAILED_STATUS, fixtureProject, writeConfig, webpackBuild, packTarball };
