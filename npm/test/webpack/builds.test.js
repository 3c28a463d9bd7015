// Real webpack 4 and webpack 5 builds of a plugin-shaped fixture with FlexguardWebpackPlugin.
// Credentials are generated here (testgen), planted in a temp copy, and must never be printed.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const os = require("node:os");
const { fill } = require("../testgen");
const { FlexguardWebpackPlugin } = require("../../dist/webpack.js");
const { fixtureProject, writeConfig, webpackBuild, FAILED_STATUS } = require("./helpers");

const SID = fill("AC{hex32}", 701);
const OTHER_SID = fill("AC{hex32}", 702);
const TOKEN = fill("{hex32}", 703);
const AS_ERROR = "{ rules: { 'account-sid': 'error' } }";

/** The generated values must not appear in any build output, in full. */
function assertNoSecret(output) {
  for (const secret of [SID, OTHER_SID, TOKEN]) assert.ok(!output.includes(secret), "a full credential was printed");
}

const plantedConfig = `// A credential pasted into plugin code.
export const config = {
  functionsUrl: 'https://flexguard-demo-1234.twil.io',
  accountSid: '${SID}',
};
`;

/** A git repository holding `plugin` (a fixture project) as `plugins/agent/`. */
function inMonorepo(plugin) {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-monorepo-"));
  fs.mkdirSync(path.join(repo, ".git"));
  fs.mkdirSync(path.join(repo, "plugins"));
  const dir = path.join(repo, "plugins", "agent");
  fs.renameSync(plugin, dir);
  return { repo, dir };
}

test("configuration mistakes throw when the config is loaded", () => {
  assert.throws(() => new FlexguardWebpackPlugin({ rules: { "no-such-rule": "error" } }), /unknown rule id.*no-such-rule/);
  assert.throws(() => new FlexguardWebpackPlugin({ failOn: "sometimes" }), /failOn must be/);
  // The plugin's own rule is not the engine's, but it is a known id.
  assert.doesNotThrow(() => new FlexguardWebpackPlugin({ rules: { "flex-env-credential": "off" } }));
});

for (const major of [4, 5]) {
  test(`webpack ${major}`, { timeout: 600_000 }, async (t) => {
    await t.test("a planted credential fails the build, reported once at its source line", () => {
      const dir = fixtureProject({ "src/services/config.js": plantedConfig });
      writeConfig(dir, major, { options: AS_ERROR });
      const { status, output } = webpackBuild(dir, major);
      assertNoSecret(output);
      assert.equal(status, FAILED_STATUS[major], output);
      assert.match(output, /flexguard: this bundle must not ship/);
      assert.match(output, /src\/services\/config\.js\n\s+4:16\s+error\s+.*account-sid/, output);
      assert.match(output, /│ accountSid: 'AC\w\w…\w\w',/, "redacted excerpt");
      // The SID is in the bundle and its source map too, but it is the same finding.
      assert.doesNotMatch(output, /build\/plugin-fixture\.js/, output);
      assert.equal(output.match(/account-sid/g).length, 1, output);
    });

    await t.test("adversarial modules never break the build: the engine gives up on the AST and still finds the credential", () => {
      // Deeper than the engine's nesting limit, shallow enough for webpack's own parser; plus a
      // 1 MB string literal. The credential sits in the deep file, found by the text scan.
      const chain = `window.c = ${"[".repeat(1000)}1${"]".repeat(1000)};`;
      const dir = fixtureProject({
        "src/services/config.js": `${plantedConfig}export function deep() {\n${chain}\n}\n`,
        "src/services/api.js": `export const blob = '${"x".repeat(1 << 20)}';\nexport function sendFollowUp() { return blob.length; }\n`,
      });
      writeConfig(dir, major, { options: AS_ERROR });
      const { status, output } = webpackBuild(dir, major);
      assertNoSecret(output);
      assert.equal(status, FAILED_STATUS[major], output);
      assert.match(output, /src\/services\/config\.js\n\s+4:16\s+error\s+.*account-sid/, output);
      assert.match(output, /nesting deeper than 200 levels/, output);
      assert.doesNotMatch(output, /could not (scan|check)|internal-error/, output);
    });

    await t.test("every emitted text asset is read by its kind: a copied JSON config and an HTML page fail the build; binary assets are skipped", () => {
      const appConfig = `{\n  "twilio": {\n    "authToken": "${TOKEN}"\n  }\n}\n`;
      const page = `<!doctype html>\n<script>\n  const accountSid = "${SID}";\n</script>\n`;
      // What a copy plugin does: assets that no module produced, added before optimisation.
      const copyPlugin = `[{ apply(compiler) {
        const asset = (content) => ({ source: () => content, buffer: () => Buffer.from(content), size: () => Buffer.byteLength(content), map: () => null, sourceAndMap: () => ({ source: content, map: null }), updateHash: (hash) => hash.update(content) });
        compiler.hooks.thisCompilation.tap('copy-configs', (compilation) => {
          compilation.hooks.additionalAssets.tap('copy-configs', () => {
            compilation.assets['config/appConfig.json'] = asset(${JSON.stringify(appConfig)});
            compilation.assets['debug.html'] = asset(${JSON.stringify(page)});
            compilation.assets['logo.png'] = asset(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
          });
        });
      } }]`;
      const dir = fixtureProject();
      writeConfig(dir, major, { options: AS_ERROR, extraPlugins: copyPlugin });
      const { status, output } = webpackBuild(dir, major);
      assertNoSecret(output);
      assert.equal(status, FAILED_STATUS[major], output);
      assert.match(output, /build\/config\/appConfig\.json\n\s+3:19\s+error\s+.*auth-token/, output);
      assert.match(output, /build\/debug\.html\n\s+3:23\s+error\s+.*account-sid/, output);
      assert.doesNotMatch(output, /logo\.png/, output);
    });

    await t.test("a clean plugin builds", () => {
      const dir = fixtureProject();
      writeConfig(dir, major, { options: AS_ERROR });
      const { status, output } = webpackBuild(dir, major);
      assert.equal(status, 0, output);
      assert.doesNotMatch(output, /flexguard/i);
      assert.ok(fs.existsSync(path.join(dir, "build", "plugin-fixture.js")));
    });

    await t.test("a suppressed finding builds", () => {
      const dir = fixtureProject({
        "src/services/config.js": plantedConfig.replace("  accountSid", "  // flexguard-ignore-next-line account-sid -- test account, rotated\n  accountSid"),
      });
      writeConfig(dir, major, { options: AS_ERROR });
      const { status, output } = webpackBuild(dir, major);
      assert.equal(status, 0, output);
    });

    await t.test("a direct REST call fails the build with default options", () => {
      const dir = fixtureProject({
        "src/services/api.js": "export function sendFollowUp(manager, config) {\n  return fetch('https://api.twilio.com/2010-04-01/Accounts.json');\n}\n",
      });
      writeConfig(dir, major);
      const { status, output } = webpackBuild(dir, major);
      assert.equal(status, FAILED_STATUS[major], output);
      assert.match(output, /src\/services\/api\.js\n\s+2:\d+\s+error\s+.*direct-api-call/, output);
    });

    await t.test("a Function URL defined in another module is followed to the call that omits the token", () => {
      const dir = fixtureProject({
        "src/services/config.js": "export const config = { functionsUrl: 'https://flexguard-demo-1234.twil.io' };\nexport const ENDPOINTS = { followUp: 'https://flexguard-demo-1234.twil.io/send-follow-up' };\n",
        "src/services/api.js": "import { ENDPOINTS } from './config';\nexport function sendFollowUp(manager, config) {\n  return fetch(ENDPOINTS.followUp, { method: 'POST', body: new URLSearchParams({ To: '+15005550006' }) });\n}\n",
      });
      writeConfig(dir, major);
      const { status, output } = webpackBuild(dir, major);
      assert.equal(status, 0, output);
      assert.match(output, /src\/services\/api\.js\n\s+3:\d+\s+warning\s+.*function-call-without-token/, output);
      assert.match(output, /see: src\/services\/config\.js:2/, output);
    });

    await t.test("in a monorepo, .env files between the plugin and the repository root document FLEX_APP_* values", () => {
      const plugin = fixtureProject({
        "src/services/api.js": "export function pause(sid) {\n  return fetch(`${process.env.FLEX_APP_BACKEND_URL}/pause`, { method: 'POST', body: JSON.stringify({ sid }) });\n}\n",
      });
      const { repo, dir } = inMonorepo(plugin);
      fs.writeFileSync(path.join(repo, "plugins", ".env.example"), "FLEX_APP_BACKEND_URL=https://backend-4321.twil.io\n");
      writeConfig(dir, major);
      const { status, output } = webpackBuild(dir, major);
      assert.equal(status, 0, output);
      assert.match(output, /src\/services\/api\.js\n\s+2:\d+\s+warning\s+.*function-call-without-token/, output);
      // Outside the plugin's folder, the place is shown in full.
      assert.match(output, /see: \S+\/plugins\/\.env\.example:1/, output);
    });

    await t.test("the repository's Functions judge the calls: one that validates settles a call, an open one is named", () => {
      const plugin = fixtureProject({
        "src/services/calls.js":
          "const base = 'https://calls-4321-dev.twil.io';\n" +
          "export const transfer = (sid) => fetch(`${base}/calls/transfer`, { method: 'POST', body: JSON.stringify({ sid }) });\n" +
          "export const hold = (sid) => fetch(`${base}/calls/hold`, { method: 'POST', body: JSON.stringify({ sid }) });\n",
      });
      fs.appendFileSync(path.join(plugin, "src", "index.js"), "export * from './services/calls';\n");
      const { repo, dir } = inMonorepo(plugin);
      const functions = path.join(repo, "serverless", "functions", "calls");
      fs.mkdirSync(functions, { recursive: true });
      fs.writeFileSync(
        path.join(functions, "transfer.js"),
        "const { functionValidator } = require('twilio-flex-token-validator');\nexports.handler = functionValidator(async (context, event, callback) => callback(null, await context.getTwilioClient().calls(event.sid).fetch()));\n",
      );
      fs.writeFileSync(path.join(functions, "hold.js"), "exports.handler = async (context, event, callback) => {\n  callback(null, await context.getTwilioClient().calls(event.sid).update({ twiml: '<Response/>' }));\n};\n");
      writeConfig(dir, major);
      const { status, output } = webpackBuild(dir, major);
      assert.equal(status, 0, output);
      assert.match(output, /src\/services\/calls\.js\n\s+3:\d+\s+warning\s+.*function-call-without-token/, output);
      assert.doesNotMatch(output, /\n\s+2:\d+\s+warning\s+.*function-call-without-token/, "the call to the Function that validates is settled");
      assert.match(output, /see: \S+\/serverless\/functions\/calls\/hold\.js:1: the Function it calls, which does not validate the Flex user token/, output);
    });

    await t.test("below failOn: a warning, the build passes; failOn 'warning' fails it", () => {
      const dir = fixtureProject({ "src/services/config.js": plantedConfig });
      writeConfig(dir, major); // account-sid is a warning by default
      const passing = webpackBuild(dir, major);
      assertNoSecret(passing.output);
      assert.equal(passing.status, 0, passing.output);
      assert.match(passing.output, /4:16\s+warning\s+.*account-sid/, passing.output);
      writeConfig(dir, major, { options: "{ failOn: 'warning' }" });
      const failing = webpackBuild(dir, major);
      assert.equal(failing.status, FAILED_STATUS[major], failing.output);
      assert.match(failing.output, /4:16\s+warning\s+.*account-sid/, failing.output);
    });

    await t.test("development mode defaults to failOn 'never'", () => {
      const dir = fixtureProject({ "src/services/config.js": plantedConfig });
      writeConfig(dir, major, { options: AS_ERROR, mode: "development" });
      const { status, output } = webpackBuild(dir, major);
      assert.equal(status, 0, output);
      assert.match(output, /4:16\s+error\s+.*account-sid/, output);
    });

    await t.test("a credential only in a dependency is reported in the bundle", () => {
      const dir = fixtureProject({
        "node_modules/sms-helper/package.json": JSON.stringify({ name: "sms-helper", version: "1.0.0", main: "index.js" }),
        "node_modules/sms-helper/index.js": `module.exports = { account: '${OTHER_SID}' };\n`,
        "src/services/config.js": "import { account } from 'sms-helper';\nexport const config = { functionsUrl: 'https://x.twil.io', account };\n",
      });
      writeConfig(dir, major, { options: AS_ERROR });
      const { status, output } = webpackBuild(dir, major);
      assertNoSecret(output);
      assert.equal(status, FAILED_STATUS[major], output);
      // node_modules sources are not scanned as modules: the bundle is where it shows.
      assert.match(output, /build\/plugin-fixture\.js\n\s+\d+:\d+\s+error\s+.*account-sid/, output);
    });

    await t.test("DefinePlugin process.env: credential names and values are reported", () => {
      // The plugin reads only a defined key: no credential reaches this bundle, but the build
      // environment holds them, and the next read of an undefined key would ship them all.
      const dir = fixtureProject({
        "src/services/config.js": "export const config = { functionsUrl: process.env.FLEX_APP_FUNCTIONS_URL };\n",
      });
      const define = `new webpack.DefinePlugin({ 'process.env': {
        FLEX_APP_FUNCTIONS_URL: JSON.stringify('https://x.twil.io'),
        FLEX_APP_TWILIO_AUTH_TOKEN: JSON.stringify('${TOKEN}'),
        FLEX_APP_ACCOUNT: JSON.stringify('${SID}'),
      } })`;
      writeConfig(dir, major, { options: AS_ERROR, extraPlugins: `[${define}]` });
      const { status, output } = webpackBuild(dir, major);
      assertNoSecret(output);
      assert.equal(status, FAILED_STATUS[major], output);
      assert.match(output, /<DefinePlugin process\.env>/);
      assert.match(output, /2:1\s+error\s+process\.env\.FLEX_APP_TWILIO_AUTH_TOKEN is inlined .* flex-env-credential/, output);
      assert.match(output, /3:\d+\s+error\s+.*account-sid/, output);
      assert.doesNotMatch(output, /FLEX_APP_FUNCTIONS_URL is inlined/);

      // Let the bundles be written to see what reaches them. Reading an undefined key inlines
      // the whole process.env object, SID included; it is still one finding, at the env.
      writeConfig(dir, major, { options: "{ rules: { 'account-sid': 'error' }, failOn: 'never' }", extraPlugins: `[${define}]` });
      const definedOnly = webpackBuild(dir, major);
      assert.equal(definedOnly.status, 0, definedOnly.output);
      assert.ok(!fs.readFileSync(path.join(dir, "build", "plugin-fixture.js"), "utf8").includes(SID));
      fs.writeFileSync(path.join(dir, "src/services/config.js"), "export const config = { functionsUrl: process.env.FLEX_APP_FUNCTIONS_URL, region: process.env.FLEX_APP_REGION };\n");
      const undefinedKey = webpackBuild(dir, major);
      assert.equal(undefinedKey.status, 0, undefinedKey.output);
      assertNoSecret(undefinedKey.output);
      assert.ok(fs.readFileSync(path.join(dir, "build", "plugin-fixture.js"), "utf8").includes(SID), "the whole env object is inlined");
      assert.equal(undefinedKey.output.match(/account-sid/g).length, 1, undefinedKey.output);
      assert.doesNotMatch(undefinedKey.output, /build\/plugin-fixture\.js/, undefinedKey.output);
    });

    await t.test("report and baseline: accepted findings no longer fail the build", () => {
      const dir = fixtureProject({ "src/services/config.js": plantedConfig });
      writeConfig(dir, major, { options: "{ rules: { 'account-sid': 'error' }, report: 'flexguard-report.json' }" });
      const first = webpackBuild(dir, major);
      assert.equal(first.status, FAILED_STATUS[major], first.output);
      const reportFile = path.join(dir, "build", "flexguard-report.json");
      const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));
      assert.deepEqual(report.findings.map((f) => [f.ruleId, f.file, f.line]), [["account-sid", "src/services/config.js", 4]]);
      assertNoSecret(fs.readFileSync(reportFile, "utf8"));

      fs.copyFileSync(reportFile, path.join(dir, "flexguard-baseline.json"));
      writeConfig(dir, major, { options: "{ rules: { 'account-sid': 'error' }, baseline: 'flexguard-baseline.json' }" });
      const second = webpackBuild(dir, major);
      assert.equal(second.status, 0, second.output);

      // A baseline that cannot be read accepts nothing: the build still fails, and says why.
      fs.rmSync(path.join(dir, "flexguard-baseline.json"));
      const third = webpackBuild(dir, major);
      assert.equal(third.status, FAILED_STATUS[major], third.output);
      assert.match(third.output, /baseline .*flexguard-baseline\.json not used: ENOENT/, third.output);
    });

    await t.test("the project's flexguard.config.json applies: rules, allow, ignore; the plugin's options win", () => {
      const dir = fixtureProject({ "src/services/config.js": plantedConfig });
      const config = (extra = {}) => fs.writeFileSync(path.join(dir, "flexguard.config.json"), JSON.stringify({ rules: { "account-sid": "error" }, ...extra }));
      config();
      writeConfig(dir, major, { options: "{ report: 'flexguard-report.json' }" });
      const strict = webpackBuild(dir, major);
      assert.equal(strict.status, FAILED_STATUS[major], strict.output);
      assert.match(strict.output, /4:16\s+error\s+.*account-sid/, strict.output);
      const [finding] = JSON.parse(fs.readFileSync(path.join(dir, "build", "flexguard-report.json"), "utf8")).findings;

      writeConfig(dir, major, { options: "{ config: false }" });
      assert.equal(webpackBuild(dir, major).status, 0, "config: false reads no config");
      writeConfig(dir, major, { options: "{ rules: { 'account-sid': 'warning' } }" });
      assert.equal(webpackBuild(dir, major).status, 0, "the plugin's rules win over the config's");

      writeConfig(dir, major);
      config({ allow: [finding.fingerprint] });
      const allowed = webpackBuild(dir, major);
      assert.equal(allowed.status, 0, allowed.output);
      assert.doesNotMatch(allowed.output, /account-sid/, "allowed at the module, and not reported again from the bundle");
      config({ ignore: ["src/services/**", "build/**"] });
      assert.equal(webpackBuild(dir, major).status, 0, "ignored like an exclude, modules and assets");

      fs.renameSync(path.join(dir, "flexguard.config.json"), path.join(dir, "strict.json"));
      writeConfig(dir, major, { options: "{ config: 'strict.json' }" });
      assert.equal(webpackBuild(dir, major).status, 0, "strict.json ignores src/services and build");
      fs.writeFileSync(path.join(dir, "strict.json"), "{ \"rules\": { \"no-such-rule\": \"off\" } }");
      const broken = webpackBuild(dir, major);
      assert.notEqual(broken.status, 0, broken.output);
      assert.match(broken.output, /strict\.json: "rules\.no-such-rule" is not a flexguard rule/, broken.output);
    });

    await t.test("include/exclude select what is scanned", () => {
      const dir = fixtureProject({ "src/services/config.js": plantedConfig });
      writeConfig(dir, major, { options: "{ rules: { 'account-sid': 'error' }, exclude: ['src/services/config.js', '**/*.js', '*.map'] }" });
      const excluded = webpackBuild(dir, major);
      assert.equal(excluded.status, 0, excluded.output);
      // Excluding the module alone is not enough: the bundle still carries the credential.
      writeConfig(dir, major, { options: "{ rules: { 'account-sid': 'error' }, exclude: 'src/services' }" });
      const bundleOnly = webpackBuild(dir, major);
      assert.equal(bundleOnly.status, FAILED_STATUS[major], bundleOnly.output);
      assert.match(bundleOnly.output, /build\/plugin-fixture\.js\n\s+\d+:\d+\s+error\s+.*account-sid/, bundleOnly.output);
    });
  });
}
