// One small Flex plugin project, linted by every Node host: the CLI (run from a subdirectory), the
// Node API, pre-commit and the webpack plugin must report the same findings for the same file,
// with the project's config applied: same rule, severity, line and column, and same fingerprint.
// The credentials are generated here (testgen), so this repository holds none.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { fill } = require("./testgen");
const { BIN } = require("./helpers");
const { CACHE } = require("./webpack/helpers");
const { lintFiles } = require("../dist/node.js");
const { lintStaged } = require("../dist/pre-commit.js");
const { FlexguardWebpackPlugin } = require("../dist/webpack.js");

// Git without the machine's global or system config, and never another repository's index.
const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: "1" };
for (const name of ["GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"]) {
  delete GIT_ENV[name];
  delete process.env[name]; // lintStaged runs git in this process's environment
}
const git = (dir, ...args) => execFileSync("git", args, { cwd: dir, env: GIT_ENV, stdio: "pipe" });

const SID = fill("AC{hex32}", 901);
const TOKEN = fill("{hex32}", 902);
const IGNORED_SID = fill("AC{hex32}", 903);
const SOURCE = "src/services/twilio.js";
/** A Function host of the team's own (config `functionDomains`): only the config makes it one. */
const FUNCTION_DOMAIN = "functions.example.com";

const PROJECT = {
  ".gitignore": "node_modules/\nbuild/\n",
  "flexguard.config.json": JSON.stringify({ rules: { "account-sid": "error" }, ignore: ["src/legacy/**"], functionDomains: [FUNCTION_DOMAIN] }, null, 2),
  "src/index.js": `import { listCalls, sendSms, notify } from "./services/twilio";\nexport default { listCalls, sendSms, notify };\n`,
  [SOURCE]: `const accountSid = '${SID}';
const authToken = '${TOKEN}';

export function listCalls() {
  return fetch(\`https://api.twilio.com/2010-04-01/Accounts/\${accountSid}/Calls.json\`, {
    headers: { Authorization: 'Basic ' + btoa(accountSid + ':' + authToken) },
  });
}

export function sendSms(to) {
  return fetch('https://hosts-test-1234.twil.io/send-sms', { method: 'POST', body: JSON.stringify({ to }) });
}

export function notify(text) {
  return fetch('https://${FUNCTION_DOMAIN}/notify', { method: 'POST', body: JSON.stringify({ text }) });
}
`,
  // Not imported, so webpack never sees it; the other hosts must skip it (config `ignore`).
  "src/legacy/old.js": `export const sid = '${IGNORED_SID}';\n`,
};

function writeProject() {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-hosts-")), "plugin");
  for (const [file, content] of Object.entries(PROJECT)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  git(dir, "init", "-q");
  git(dir, "add", ".");
  return dir;
}

/** Findings of `SOURCE`, whose `file` is shown relative to `base`, as comparable keys. */
function findingsOf(findings, base, dir) {
  const source = path.join(dir, SOURCE);
  return findings
    .filter((f) => path.resolve(base, f.file) === source)
    .map(({ ruleId, severity, line, column, fingerprint }) => ({ ruleId, severity, line, column, fingerprint }))
    .sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}

const where = (findings) => findings.map(({ ruleId, severity, line, column }) => `${ruleId} ${severity} ${line}:${column}`);
const fingerprints = (findings) => findings.map((f) => `${f.ruleId} ${f.line}:${f.column} ${f.fingerprint}`);
const allFindings = (reports) => reports.flatMap((r) => r.findings);

/** webpack 5 as tools/setup-webpack.sh installs it, or why it is not there. */
const WEBPACK5 = path.join(CACHE, "webpack5");
const webpackMissing = fs.existsSync(path.join(WEBPACK5, ".flexguard-installed")) ? false : `webpack 5 is not installed at ${WEBPACK5}: run tools/setup-webpack.sh`;

/** A development build (no minifier, no eval devtool) with the plugin writing its JSON report. */
function webpackBuild(dir) {
  const webpack = require(path.join(WEBPACK5, "node_modules", "webpack"));
  const compiler = webpack({
    mode: "development",
    devtool: false,
    context: dir,
    entry: "./src/index.js",
    output: { path: path.join(dir, "build"), filename: "plugin.js" },
    plugins: [new FlexguardWebpackPlugin({ report: "flexguard.json" })],
  });
  return new Promise((resolve, reject) => {
    compiler.run((error, stats) => {
      compiler.close(() => {});
      if (error) return reject(error);
      const report = path.join(dir, "build", "flexguard.json");
      if (!fs.existsSync(report)) return reject(new Error(`no report written:\n${stats.toString()}`));
      resolve(JSON.parse(fs.readFileSync(report, "utf8")));
    });
  });
}

test("every host reports the same findings for the same file, config applied", async (t) => {
  const dir = writeProject();
  const reference = allFindings(await lintFiles(["."], { cwd: dir }));
  assert.ok(!reference.some((f) => f.file.startsWith("src/legacy/")), "lintFiles skips the config's ignored paths");
  const expected = findingsOf(reference, dir, dir);

  // What the config changes is in the reference, so each comparison below checks it too.
  const lines = PROJECT[SOURCE].split("\n");
  const expectAt = (text, rule, why) => {
    const line = lines.findIndex((l) => l.includes(text)) + 1;
    const found = expected.some((f) => f.line === line && `${f.ruleId} ${f.severity}`.startsWith(rule));
    assert.ok(found, `${why}: ${rule} on line ${line}\n${where(expected).join("\n")}`);
  };
  expectAt("const accountSid", "account-sid error", "the config's rules");
  expectAt("const authToken", "auth-token error", "the paired auth token");
  expectAt("api.twilio.com", "direct-api-call error", "the direct REST call");
  expectAt("twil.io", "function-call-without-token", "a *.twil.io Function called without the token");
  expectAt(FUNCTION_DOMAIN, "function-call-without-token", "the config's functionDomains");

  // Two checks per host, so that a failure says which of the two differs.
  const same = async (context, host, findings) => {
    await context.test(`${host}: same rules, severities and positions`, () => assert.deepEqual(where(findings), where(expected)));
    await context.test(`${host}: same fingerprints`, () => assert.deepEqual(fingerprints(findings), fingerprints(expected)));
  };

  const subdirectory = path.join(dir, "src");
  const cli = spawnSync(process.execPath, [BIN, "--format", "json", "."], { cwd: subdirectory, encoding: "utf8" });
  assert.equal(cli.status, 1, cli.stderr);
  const cliFindings = JSON.parse(cli.stdout).findings;
  assert.ok(!cliFindings.some((f) => f.file.startsWith("legacy/")), "the CLI skips the config's ignored paths");
  await same(t, "CLI, run from src/", findingsOf(cliFindings, subdirectory, dir));

  const staged = lintStaged({ cwd: dir });
  assert.ok(!allFindings(staged.reports).some((f) => f.file.startsWith("src/legacy/")), "pre-commit skips the config's ignored paths");
  await same(t, "pre-commit (lintStaged)", findingsOf(allFindings(staged.reports), staged.root, dir));

  // `make test-webpack` sets FLEXGUARD_REQUIRE_WEBPACK: there a missing webpack fails, never skips.
  await t.test("webpack 5 plugin", { skip: process.env.FLEXGUARD_REQUIRE_WEBPACK ? false : webpackMissing }, async (t) => {
    const report = await webpackBuild(dir);
    await same(t, "webpack plugin", findingsOf(report.findings, dir, dir));
  });
});
