// Builds a plugin-shaped project with the real webpack 4 or 5 that tools/setup-bundles.sh installed
// under $HOME/.cache/flexguard/bundles/, in a child process (webpack 4 needs the legacy OpenSSL provider).
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const CACHE = process.env.FLEXGUARD_CACHE || path.join(os.homedir(), ".cache", "flexguard");

function webpackDir(major) {
  const dir = path.join(CACHE, "bundles", `webpack${major}`, "node_modules", "webpack");
  if (!fs.existsSync(dir)) throw new Error(`webpack ${major} is not installed: run tools/setup-bundles.sh`);
  return dir;
}

/** Run webpack `major` on `context` (entry ./src/index.js) into `outDir`/plugin.js; throws on build errors. */
function build({ major, mode, devtool, context, outDir }) {
  const config = {
    mode,
    context,
    devtool,
    entry: "./src/index.js",
    output: { path: outDir, filename: "plugin.js" },
    target: "web",
    resolve: { modules: [path.join(context, "node_modules")] },
  };
  const program = `
    const webpack = require(${JSON.stringify(webpackDir(major))});
    webpack(${JSON.stringify(config)}, (err, stats) => {
      if (err || stats.hasErrors()) { console.error(err || stats.toString("errors-only")); process.exit(1); }
    });`;
  const env = { ...process.env, NODE_OPTIONS: major === 4 ? "--openssl-legacy-provider" : "" };
  const run = spawnSync(process.execPath, ["-e", program], { env, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`webpack ${major} ${mode} failed: ${run.stderr}`);
  return path.join(outDir, "plugin.js");
}

module.exports = { build, CACHE };
