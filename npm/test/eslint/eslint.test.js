// flexguard/eslint and eslint-plugin-flexguard in real ESLint 8, 9 and 10 (tools/setup-eslint.sh
// installs them into $HOME/.cache/flexguard/eslint/): the Node API (ESLint, lintText, lintFiles)
// and the CLI, flat config and .eslintrc, espree for .js/.jsx and @typescript-eslint/parser for
// .ts/.tsx, on a project laid out as `twilio flex:plugins:create` lays one out. Both packages are
// installed from their `npm pack` tarballs. Fake credentials are generated here, never stored.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { fill } = require("../testgen");

const NPM_DIR = path.join(__dirname, "..", "..");
const ENVS = process.env.FLEXGUARD_ESLINT || path.join(os.homedir(), ".cache", "flexguard", "eslint");
const VERSIONS = ["eslint8.39", "eslint8", "eslint9", "eslint10"];
for (const env of VERSIONS) {
  if (!fs.existsSync(path.join(ENVS, env, ".flexguard-installed"))) throw new Error(`${path.join(ENVS, env)} is missing: run tools/setup-eslint.sh`);
}

// The planted values, and the (redacted) forms messages may show.
const SID = fill("AC{hex32}", 11);
const TOKEN = fill("{hex32}", 12);
const SENDGRID = fill("SG.{b64url22}.{b64url43}", 13);
const KEY_SID = fill("SK{hex32}", 14);
const KEY_SECRET = fill("{alnum32}", 15);
const SUPPRESSED_SID = fill("AC{hex32}", 16);
const IGNORED_SID = fill("AC{hex32}", 17);
const SECRETS = [SID, TOKEN, SENDGRID, KEY_SID, KEY_SECRET, SUPPRESSED_SID, IGNORED_SID];

/** A Flex plugin project (the layout of `twilio flex:plugins:create`, plus TypeScript files). */
const FILES = {
  "package.json": JSON.stringify(
    {
      name: "plugin-agent-tools",
      version: "0.0.1",
      private: true,
      dependencies: { "@twilio/flex-plugin": "7.1.2", "prop-types": "^15.7.2", react: "17.0.2", "react-dom": "17.0.2" },
      devDependencies: { "@twilio/flex-plugin-scripts": "7.1.2", "@twilio/flex-ui": "^2", "react-test-renderer": "17.0.2" },
    },
    null,
    2,
  ),
  "webpack.config.js": "module.exports = (config, { isProd, isDev, isTest }) => {\n  return config;\n};\n",
  "public/appConfig.example.js": "var appConfig = {\n  pluginService: { enabled: true, url: '/plugins' },\n  logLevel: 'info',\n};\n",
  "src/index.js": "import * as FlexPlugin from '@twilio/flex-plugin';\n\nimport AgentToolsPlugin from './AgentToolsPlugin';\n\nFlexPlugin.loadPlugin(AgentToolsPlugin);\n",
  "src/AgentToolsPlugin.js": [
    "import React from 'react';",
    "import { FlexPlugin } from '@twilio/flex-plugin';",
    "",
    "import CustomTaskInfo from './components/CustomTaskInfo/CustomTaskInfo';",
    "",
    "const PLUGIN_NAME = 'AgentToolsPlugin';",
    "",
    "export default class AgentToolsPlugin extends FlexPlugin {",
    "  constructor() {",
    "    super(PLUGIN_NAME);",
    "  }",
    "",
    "  async init(flex, manager) {",
    "    flex.TaskInfoPanel.Content.add(<CustomTaskInfo key=\"task-info\" manager={manager} />, { sortOrder: -1 });",
    "  }",
    "}",
    "",
  ].join("\n"),
  "src/components/CustomTaskInfo/CustomTaskInfo.jsx": [
    "import React from 'react';",
    "",
    `const twilioConfig = { accountSid: "${SID}", authToken: "${TOKEN}" };`,
    `const SENDGRID_KEY = "${SENDGRID}";`,
    "",
    "const CustomTaskInfo = ({ task }) => <div data-sid={twilioConfig.accountSid}>{task.sid}{SENDGRID_KEY.length}</div>;",
    "",
    "export default CustomTaskInfo;",
    "",
  ].join("\n"),
  "src/components/Status/Status.tsx": [
    "import React from 'react';",
    "",
    "interface StatusProps<T extends string> {",
    "  label: T;",
    "  count?: number;",
    "}",
    "",
    "export function Status<T extends string>({ label, count = 0 }: StatusProps<T>): JSX.Element {",
    "  const shown = (label as string).toUpperCase();",
    "  return <span title={shown}>{count satisfies number}</span>;",
    "}",
    "",
  ].join("\n"),
  "src/components/Suppressed/Suppressed.tsx": [
    "import React from 'react';",
    "",
    "// eslint-disable-next-line flexguard/account-sid -- the public demo account from the docs",
    `export const DEMO_SID: string = "${SUPPRESSED_SID}";`,
    "// flexguard-ignore-next-line account-sid -- the docs' sandbox account",
    `export const SANDBOX_SID: string = "${IGNORED_SID}";`,
    "export const Suppressed = (): JSX.Element => <i>{DEMO_SID}{SANDBOX_SID}</i>;",
    "",
  ].join("\n"),
  // A component given the manager: its Function call without the token has a suggested fix.
  "src/components/SmsButton/SmsButton.jsx": [
    "import React from 'react';",
    "",
    "export const SmsButton = ({ manager, to }) => (",
    "  <button onClick={() => fetch('https://agent-tools-4821-dev.twil.io/send-sms', { method: 'POST', body: JSON.stringify({ to }) })}>",
    "    SMS {manager.workerClient.name}",
    "  </button>",
    ");",
    "",
  ].join("\n"),
  "src/services/keys.ts": [
    "type Key = { sid: string; secret: string };",
    "",
    `export const apiKey: Key = { sid: "${KEY_SID}", secret: "${KEY_SECRET}" };`,
    "",
    "export async function messages(): Promise<unknown> {",
    "  const response = await fetch('https://api.twilio.com/2010-04-01/Accounts.json');",
    "  return (await response.json()) as unknown;",
    "}",
    "",
  ].join("\n"),
  "src/config/endpoints.js": "export const SEND_SMS_URL = 'https://agent-tools-4821-dev.twil.io/send-sms';\n",
  "src/services/sms.ts": [
    "import { SEND_SMS_URL } from '../config/endpoints';",
    "",
    "export const send = (to: string): Promise<Response> =>",
    "  fetch(SEND_SMS_URL, { method: 'POST', body: JSON.stringify({ to }) });",
    "",
  ].join("\n"),
  // Flat config: ESLint 9 and 10 by default, ESLint 8 with ESLINT_USE_FLAT_CONFIG=true.
  "eslint.config.mjs": [
    "import flexguard from 'flexguard/eslint';",
    "import tsParser from '@typescript-eslint/parser';",
    "",
    "export default [",
    "  { files: ['**/*.{js,jsx}'], languageOptions: { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } } },",
    "  { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tsParser } },",
    "  flexguard.configs.recommended,",
    "];",
    "",
  ].join("\n"),
  // The same with Babel's parser for .js/.jsx (ESLint 9 with --config).
  "eslint.babel.config.mjs": [
    "import flexguard from 'flexguard/eslint';",
    "import babelParser from '@babel/eslint-parser';",
    "import tsParser from '@typescript-eslint/parser';",
    "",
    "export default [",
    "  { files: ['**/*.{js,jsx}'], languageOptions: { parser: babelParser, parserOptions: { requireConfigFile: false, babelOptions: { presets: ['@babel/preset-react'] } } } },",
    "  { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tsParser } },",
    "  flexguard.configs.recommended,",
    "];",
    "",
  ].join("\n"),
  // .eslintrc: ESLint 8 by default, ESLint 9 with ESLINT_USE_FLAT_CONFIG=false (ESLint 10 ignores it).
  ".eslintrc.json": JSON.stringify(
    {
      root: true,
      env: { browser: true, es2022: true },
      parserOptions: { ecmaVersion: 2022, sourceType: "module", ecmaFeatures: { jsx: true } },
      extends: ["plugin:flexguard/recommended"],
      overrides: [{ files: ["*.ts", "*.tsx"], parser: "@typescript-eslint/parser" }],
    },
    null,
    2,
  ),
};

const CLEAN = ["src/index.js", "src/AgentToolsPlugin.js", "src/components/Status/Status.tsx", "src/components/Suppressed/Suppressed.tsx", "src/config/endpoints.js", "public/appConfig.example.js", "webpack.config.js"];

/** 1-based line and column of `needle` in a file (its first occurrence). */
function where(file, needle) {
  const text = FILES[file];
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in ${file}`);
  const before = text.slice(0, at).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Findings every run must report: rule, file and the exact range. */
function expectedExact() {
  const value = (ruleId, file, secret) => {
    const start = where(file, secret);
    return { ruleId: `flexguard/${ruleId}`, file, ...start, endLine: start.line, endColumn: start.column + secret.length };
  };
  return [
    value("account-sid", "src/components/CustomTaskInfo/CustomTaskInfo.jsx", SID),
    value("auth-token", "src/components/CustomTaskInfo/CustomTaskInfo.jsx", TOKEN),
    value("sendgrid-key", "src/components/CustomTaskInfo/CustomTaskInfo.jsx", SENDGRID),
    value("api-key-sid", "src/services/keys.ts", KEY_SID),
    value("api-key-secret", "src/services/keys.ts", KEY_SECRET),
  ];
}

let work;
let projectDir;

test.before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-eslint-"));
  const pack = (dir) => path.join(work, execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: dir, encoding: "utf8" }).trim().split("\n").pop());
  const tarballs = [pack(NPM_DIR), pack(path.join(NPM_DIR, "eslint-plugin-flexguard"))];
  // The companion package ships with its licence and a README, as a published package must.
  const listed = execFileSync("tar", ["-tzf", tarballs[1]], { encoding: "utf8" }).split("\n");
  for (const file of ["package/LICENSE", "package/README.md", "package/index.js"]) assert.ok(listed.includes(file), `${file} in ${listed.join(", ")}`);
  projectDir = path.join(work, "plugin-agent-tools");
  for (const [name, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(projectDir, name)), { recursive: true });
    fs.writeFileSync(path.join(projectDir, name), text);
  }
  execFileSync("git", ["init", "-q"], { cwd: projectDir });
  // The plugin's own dependencies are not needed to lint it; ESLint and the parser come from the
  // cache (the parser linked into the project, where both config systems resolve it).
  fs.writeFileSync(path.join(projectDir, "package.json"), JSON.stringify({ name: "plugin-agent-tools", version: "0.0.1", private: true }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", "--legacy-peer-deps", "--no-save", ...tarballs], { cwd: projectDir, stdio: "pipe" });
  fs.writeFileSync(path.join(projectDir, "package.json"), FILES["package.json"]);
  for (const dep of ["@typescript-eslint", "typescript", "@babel"]) fs.symlinkSync(path.join(ENVS, "eslint9", "node_modules", dep), path.join(projectDir, "node_modules", dep));
});

test.after(() => fs.rmSync(work, { recursive: true, force: true }));

/** ESLint's results as comparable rows (flexguard's messages only; any other is a failure). */
function rows(results) {
  const out = [];
  for (const result of results) {
    const file = path.relative(projectDir, result.filePath).split(path.sep).join("/");
    for (const m of result.messages) {
      assert.ok(m.ruleId?.startsWith("flexguard/"), `${file}: unexpected message ${JSON.stringify(m)}`);
      out.push({ ruleId: m.ruleId, file, line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn, message: m.message, severity: m.severity });
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}

/** What the flexguard CLI reports on the same project, for the rules ESLint has (the reference). */
function cliFindings() {
  const bin = path.join(projectDir, "node_modules", ".bin", "flexguard");
  const result = spawnSync(bin, ["--format", "json", "--no-cache", "src", "public", "webpack.config.js"], { cwd: projectDir, encoding: "utf8" });
  assert.equal(result.status, 1, result.stderr);
  const eslintRules = new Set(Object.keys(require(path.join(projectDir, "node_modules", "flexguard", "dist", "eslint.js")).rules));
  return JSON.parse(result.stdout)
    .findings.filter((f) => eslintRules.has(f.ruleId))
    .map((f) => ({ ruleId: `flexguard/${f.ruleId}`, file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn }));
}

/** The checks every ESLint run over the project must pass. */
function assertProject(found, label) {
  const key = (r) => `${r.ruleId} ${r.file}:${r.line}:${r.column}-${r.endLine}:${r.endColumn}`;
  const got = found.map(key);
  for (const want of expectedExact()) assert.ok(got.includes(key(want)), `${label}: missing ${key(want)} in\n${got.join("\n")}`);
  // Everything the CLI reports, except what `eslint-disable-next-line` suppressed.
  const disabled = where("src/components/Suppressed/Suppressed.tsx", SUPPRESSED_SID);
  const reference = cliFindings();
  assert.ok(reference.some((r) => r.file.endsWith("Suppressed.tsx") && r.line === disabled.line), "the CLI sees the eslint-disabled SID");
  assert.deepEqual(got.slice().sort(), reference.filter((r) => !(r.file.endsWith("Suppressed.tsx") && r.line === disabled.line)).map(key).sort(), label);
  for (const file of CLEAN) assert.deepEqual(found.filter((r) => r.file === file), [], `${label}: ${file} is clean`);
  // The REST call spans its statement; the Function call is judged with the URL from another module.
  assert.ok(found.some((r) => r.ruleId === "flexguard/direct-api-call" && r.file === "src/services/keys.ts" && r.line === 6 && r.severity === 2), label);
  const call = found.find((r) => r.ruleId === "flexguard/function-call-without-token" && r.file === "src/services/sms.ts");
  assert.ok(call && call.file === "src/services/sms.ts" && call.line === 4 && call.severity === 1, `${label}: function-call-without-token in sms.ts`);
  assert.match(call.message, /agent-tools-4821-dev\.twil\.io.*see src\/config\/endpoints\.js:1/, label);
  assert.match(call.message, /Token: manager\.user\.token/, `${label}: the help is in the message`);
  // Redacted as everywhere: first 4 and last 2 characters, never the value.
  for (const r of found) for (const secret of SECRETS) assert.ok(!r.message.includes(secret), `${label}: ${r.ruleId} message leaks a secret`);
  assert.ok(found.some((r) => r.message.includes(`${SID.slice(0, 4)}…${SID.slice(-2)}`)), `${label}: redacted SID shown`);
}

const eslintBin = (env) => path.join(ENVS, env, "node_modules", "eslint", "bin", "eslint.js");

function runCli(env, args, extraEnv = {}) {
  const result = spawnSync(process.execPath, [eslintBin(env), "--format", "json", ...args], { cwd: projectDir, encoding: "utf8", env: { ...process.env, ...extraEnv } });
  assert.ok(result.status === 1, `${env} ${args.join(" ")} exited ${result.status}: ${result.stderr}\n${result.stdout.slice(0, 2000)}`);
  return rows(JSON.parse(result.stdout));
}

const LEGACY_ARGS = ["--ext", ".js,.jsx,.ts,.tsx", "src", "public", "webpack.config.js"];
const FLAT_ARGS = ["src", "public", "webpack.config.js"];

test("CLI: ESLint 8 with .eslintrc (plugin:flexguard/recommended from eslint-plugin-flexguard)", { timeout: 120_000 }, () => {
  assertProject(runCli("eslint8", LEGACY_ARGS, { ESLINT_USE_FLAT_CONFIG: "false" }), "eslint 8 eslintrc");
});

test("CLI: ESLint 8.39 (no context.sourceCode yet: the plugin falls back to getSourceCode)", { timeout: 120_000 }, () => {
  assertProject(runCli("eslint8.39", LEGACY_ARGS), "eslint 8.39 eslintrc");
});

test("CLI: ESLint 8 with eslint.config.mjs", { timeout: 120_000 }, () => {
  assertProject(runCli("eslint8", ["--config", "eslint.config.mjs", ...FLAT_ARGS], { ESLINT_USE_FLAT_CONFIG: "true" }), "eslint 8 flat");
});

test("CLI: ESLint 9 with flat config and with .eslintrc", { timeout: 120_000 }, () => {
  assertProject(runCli("eslint9", FLAT_ARGS), "eslint 9 flat");
  assertProject(runCli("eslint9", LEGACY_ARGS, { ESLINT_USE_FLAT_CONFIG: "false" }), "eslint 9 eslintrc");
});

test("CLI: ESLint 9 with @babel/eslint-parser for .js/.jsx", { timeout: 120_000 }, () => {
  assertProject(runCli("eslint9", ["--config", "eslint.babel.config.mjs", ...FLAT_ARGS]), "eslint 9 babel");
});

test("CLI: ESLint 10 with flat config", { timeout: 120_000 }, () => {
  assertProject(runCli("eslint10", FLAT_ARGS), "eslint 10 flat");
});

/**
 * The Node API in this process: `lintFiles` over the project, `lintText` of one file (the
 * engine runs once for it, whichever rules ask), and `lintText` without a path.
 */
async function nodeApi(env, ESLintClass, options, label) {
  const flexguard = require(path.join(projectDir, "node_modules", "flexguard")).flexguard;
  const eslint = new ESLintClass({ cwd: projectDir, ...options });
  assertProject(rows(await eslint.lintFiles(["src", "public", "webpack.config.js"])), `${label} lintFiles`);

  const file = "src/components/CustomTaskInfo/CustomTaskInfo.jsx";
  // A new text each time, so no earlier run's result is reused: one engine run for twelve rules.
  const text = `${FILES[file]}// ${label}\n`;
  const lint = flexguard.lint;
  let runs = 0;
  // Counting the runs on this text (re-reading the config also validates it with an empty lint).
  flexguard.lint = function (...args) {
    if (args[0] === text) runs++;
    return lint.apply(this, args);
  };
  let results;
  try {
    results = await eslint.lintText(text, { filePath: path.join(projectDir, file) });
  } finally {
    flexguard.lint = lint;
  }
  assert.equal(runs, 1, `${label}: the engine ran ${runs} times for one file`);
  const found = rows(results);
  assert.deepEqual(
    found.map((r) => r.ruleId),
    ["flexguard/account-sid", "flexguard/auth-token", "flexguard/sendgrid-key"],
    label,
  );
  const sendgrid = found.find((r) => r.ruleId === "flexguard/sendgrid-key");
  assert.deepEqual([sendgrid.line, sendgrid.column, sendgrid.endColumn], [where(file, SENDGRID).line, where(file, SENDGRID).column, where(file, SENDGRID).column + SENDGRID.length]);

  // The engine's fix as an ESLint suggestion: applied, the finding is gone.
  const button = "src/components/SmsButton/SmsButton.jsx";
  const [before] = await eslint.lintText(FILES[button], { filePath: path.join(projectDir, button) });
  const [call] = before.messages.filter((m) => m.ruleId === "flexguard/function-call-without-token");
  assert.ok(call, `${label}: ${JSON.stringify(before.messages)}`);
  assert.equal(call.line, 4);
  assert.equal(call.suggestions?.length, 1, `${label}: one suggestion`);
  assert.match(call.suggestions[0].desc, /Token: manager\.user\.token/);
  const { range, text: inserted } = call.suggestions[0].fix;
  const fixed = FILES[button].slice(0, range[0]) + inserted + FILES[button].slice(range[1]);
  assert.match(fixed, /JSON\.stringify\(\{ to, Token: manager\.user\.token \}\)/);
  const [after] = await eslint.lintText(fixed, { filePath: path.join(projectDir, button) });
  assert.deepEqual(after.messages, [], `${label}: the suggestion resolves the finding`);

  // No path: the text alone (no project, no config) still has its credentials found.
  const bare = await eslint.lintText(`const authToken = "${TOKEN}";\n`);
  assert.deepEqual(
    bare[0].messages.map((m) => [m.ruleId, m.line, m.column]),
    [["flexguard/auth-token", 1, 20]],
    `${label} lintText without a path`,
  );
}

test("Node API: ESLint 8 (.eslintrc, and flat config through loadESLint)", { timeout: 120_000 }, async () => {
  const eslint = require(path.join(ENVS, "eslint8", "node_modules", "eslint"));
  await nodeApi("eslint8", eslint.ESLint, { extensions: [".js", ".jsx", ".ts", ".tsx"] }, "eslint 8 ESLint");
  const Flat = await eslint.loadESLint({ useFlatConfig: true });
  await nodeApi("eslint8", Flat, { overrideConfigFile: "eslint.config.mjs" }, "eslint 8 FlatESLint");
});

test("Node API: ESLint 9 (flat, and .eslintrc through loadESLint)", { timeout: 120_000 }, async () => {
  const eslint = require(path.join(ENVS, "eslint9", "node_modules", "eslint"));
  await nodeApi("eslint9", eslint.ESLint, {}, "eslint 9 ESLint");
  const Legacy = await eslint.loadESLint({ useFlatConfig: false });
  await nodeApi("eslint9", Legacy, { extensions: [".js", ".jsx", ".ts", ".tsx"] }, "eslint 9 LegacyESLint");
});

test("an editor session follows a change in another module once the project refreshes", { timeout: 60_000 }, async () => {
  const eslint = require(path.join(ENVS, "eslint9", "node_modules", "eslint"));
  const session = new eslint.ESLint({ cwd: projectDir });
  // Its Function URL comes from src/config/endpoints.js.
  const sms = "src/services/sms.ts";
  const config = path.join(projectDir, "src/config/endpoints.js");
  const calls = async (n) => {
    // A new text each time (a keystroke), so only the project can change the answer.
    const [result] = await session.lintText(`${FILES[sms]}// ${n}\n`, { filePath: path.join(projectDir, sms) });
    return result.messages.filter((m) => m.ruleId === "flexguard/function-call-without-token").length;
  };
  assert.equal(await calls(1), 1);
  assert.equal(await calls(2), 1, "the same answer while nothing changed");
  try {
    fs.writeFileSync(config, "export const SEND_SMS_URL = 'https://sms-gateway.example.com/send';\n");
    // The project is re-read at most every 2 s.
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    assert.equal(await calls(3), 0, "the URL is no longer a Function's");
  } finally {
    fs.writeFileSync(config, FILES["src/config/endpoints.js"]);
  }
  await new Promise((resolve) => setTimeout(resolve, 2_200));
  assert.equal(await calls(4), 1);
  // Changed and changed back between two refreshes: nothing to see.
  fs.writeFileSync(config, "export const SEND_SMS_URL = 'https://sms-gateway.example.com/send';\n");
  await new Promise((resolve) => setTimeout(resolve, 2_200));
  fs.writeFileSync(config, FILES["src/config/endpoints.js"]);
  await new Promise((resolve) => setTimeout(resolve, 2_200));
  assert.equal(await calls(5), 1, "changed back");
});

test("Node API: ESLint 10", { timeout: 120_000 }, async () => {
  const eslint = require(path.join(ENVS, "eslint10", "node_modules", "eslint"));
  await nodeApi("eslint10", eslint.ESLint, {}, "eslint 10 ESLint");
});

test("an invalid flexguard.config.json is reported on the file, which is still linted", { timeout: 60_000 }, async () => {
  const { ESLint } = require(path.join(ENVS, "eslint10", "node_modules", "eslint"));
  const dir = path.join(projectDir, "broken");
  fs.mkdirSync(path.join(dir, "src"), { recursive: true });
  fs.writeFileSync(path.join(dir, "flexguard.config.json"), '{ "rules": { "auth-token": "loud" } }');
  const eslint = new ESLint({ cwd: projectDir });
  const [result] = await eslint.lintText(`const authToken = "${TOKEN}";\n`, { filePath: path.join(dir, "src", "a.js") });
  const messages = result.messages.map((m) => [m.line, m.column, m.message]);
  assert.equal(result.fatalErrorCount, 0);
  assert.ok(messages.some(([line, column, message]) => line === 1 && column === 1 && /^flexguard: .*flexguard\.config\.json.*auth-token.*linting without the config$/.test(message)), JSON.stringify(messages));
  assert.ok(result.messages.some((m) => m.ruleId === "flexguard/auth-token" && m.column === 20), "still linted");
  assert.ok(!JSON.stringify(result.messages).includes(TOKEN));
});

test("the plugin object: rules from the registry (text rules only), docs, both config shapes", () => {
  const plugin = require(path.join(projectDir, "node_modules", "flexguard", "dist", "eslint.js"));
  const companion = require(path.join(projectDir, "node_modules", "eslint-plugin-flexguard"));
  const registry = require(path.join(projectDir, "node_modules", "flexguard")).rules();
  const textRules = registry.filter((r) => r.kind === "credential" || r.kind === "api-call").map((r) => r.id);
  assert.ok(textRules.length >= 10 && registry.length > textRules.length, "the registry has text and non-text rules");
  assert.deepEqual(Object.keys(plugin.rules), textRules);
  for (const r of registry) {
    const rule = plugin.rules[r.id];
    if (!textRules.includes(r.id)) {
      assert.equal(rule, undefined, `${r.id} (${r.kind}) is not an ESLint rule`);
      continue;
    }
    assert.equal(rule.meta.type, "problem");
    assert.equal(rule.meta.docs.description, r.summary);
    assert.match(rule.meta.docs.url, new RegExp(`^https://github\\.com/.+/docs/rules/${r.id}\\.md$`));
  }
  assert.equal(plugin.meta.name, "flexguard");
  assert.equal(plugin.configs.recommended.plugins.flexguard, plugin, "flat: plugins as an object");
  assert.deepEqual(plugin.configs["recommended-legacy"].plugins, ["flexguard"], "legacy: plugins as names");
  assert.equal(plugin.configs.recommended.rules["flexguard/auth-token"], "error");
  assert.equal(plugin.configs.recommended.rules["flexguard/account-sid"], "warn");
  assert.deepEqual(companion.configs.recommended, plugin.configs["recommended-legacy"]);
  assert.equal(companion.rules, plugin.rules);
  assert.equal(companion.configs["flat/recommended"].plugins.flexguard, companion);
});
