// The real Flex build: examples/flex-plugin built by `npx flex-plugin build`
// (@twilio/flex-plugin-scripts 7.x, webpack 4), with flexguard installed from its `npm pack`
// tarball, as a plugin team would. The ~830 MB dependency install is done once by
// tools/setup-webpack.sh into $HOME/.cache/flexguard/flex-plugin; this test builds there.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { fill } = require("../testgen");
const { CACHE, requireSetup, packTarball } = require("./helpers");

const EXAMPLE = path.join(__dirname, "..", "..", "..", "examples", "flex-plugin");
const BUNDLE = "build/plugin-flexguard-demo.js";
const TOKEN = fill("{hex32}", 704);
const SID = fill("AC{hex32}", 705);
// The example's planted FAKE SID, read from it (so this file holds no credential-shaped literal).
const FAKE_SID = fs.readFileSync(path.join(EXAMPLE, "src", "services", "twilioApi.js"), "utf8").match(/AC[0-9a-f]{32}/)[0];

// The right way to send an SMS from a plugin: a Twilio Function, called with the agent's token.
const CLEAN_SERVICE = `import { Manager } from '@twilio/flex-ui';

export function sendSms(to, body) {
  const token = Manager.getInstance().user.token;
  return fetch(\`\${process.env.FLEX_APP_FUNCTIONS_URL}/send-sms\`, {
    method: 'POST',
    body: new URLSearchParams({ To: to, Body: body, Token: token }),
  });
}
`;

// The mistake this build must refuse: a token read from the build environment.
const ENV_TOKEN_SERVICE = `export function sendSms(to, body) {
  return fetch('https://flexguard-demo-1234.twil.io/send-sms', {
    method: 'POST',
    headers: { Authorization: \`Bearer \${process.env.FLEX_APP_TWILIO_AUTH_TOKEN}\` },
    body: new URLSearchParams({ To: to, Body: body }),
  });
}
`;

let work;

/** The example's files (not its package.json: the cached install has the workaround copy). */
function useExample(service, webpackConfig) {
  for (const entry of ["src", "public", "webpack.config.js"]) {
    fs.rmSync(path.join(work, entry), { recursive: true, force: true });
    fs.cpSync(path.join(EXAMPLE, entry), path.join(work, entry), { recursive: true });
  }
  if (service) fs.writeFileSync(path.join(work, "src", "services", "twilioApi.js"), service);
  if (webpackConfig) fs.writeFileSync(path.join(work, "webpack.config.js"), webpackConfig);
  fs.rmSync(path.join(work, "build"), { recursive: true, force: true });
}

function flexBuild(t, env = {}) {
  const started = Date.now();
  const result = spawnSync("npx", ["--no-install", "flex-plugin", "build"], {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, ...env, CI: "true", FORCE_COLOR: "0", NO_COLOR: "1" },
    timeout: 300_000,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  t.diagnostic(`flex-plugin build: exit ${result.status} in ${Date.now() - started} ms`);
  return { status: result.status, output, bundle: fs.existsSync(path.join(work, BUNDLE)) };
}

test("the real Flex build (flex-plugin-scripts 7, webpack 4)", { timeout: 900_000 }, async (t) => {
  work = fs.realpathSync(requireSetup(path.join(CACHE, "flex-plugin")));
  // Install flexguard as a user would: from the packed tarball (no --save: the cached manifest
  // stays the key of the cached install).
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-flex-"));
  const tarball = packTarball(tmp);
  execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--offline", "--legacy-peer-deps", tarball], { cwd: work, stdio: "pipe" });
  assert.ok(fs.existsSync(path.join(work, "node_modules", "flexguard", "dist", "webpack.js")));
  // Both module systems resolve `flexguard/webpack` through the package's `exports`.
  for (const [flag, code] of [
    ["--input-type=commonjs", "console.log(typeof require('flexguard/webpack').FlexguardWebpackPlugin)"],
    ["--input-type=module", "import { FlexguardWebpackPlugin } from 'flexguard/webpack'; console.log(typeof FlexguardWebpackPlugin)"],
  ]) {
    assert.equal(execFileSync(process.execPath, [flag, "-e", code], { cwd: work, encoding: "utf8" }).trim(), "function");
  }

  await t.test("the example as shipped (a planted FAKE SID and a direct REST call) fails the build", (t) => {
    useExample();
    const { status, output, bundle } = flexBuild(t);
    assert.equal(status, 1, output);
    assert.match(output, /Failed to compile/, output);
    assert.match(output, /src\/services\/twilioApi\.js/, output);
    assert.match(output, /7:10\s+error\s+Direct request to Twilio's REST API.*direct-api-call/, output);
    // The SID is a warning by default: Flex hides warnings of a failed build, flexguard does not.
    assert.match(output, /4:\d+\s+warning\s+.*account-sid/, output);
    assert.ok(output.includes(`${FAKE_SID.slice(0, 4)}…${FAKE_SID.slice(-2)}`), "the FAKE SID, redacted");
    assert.ok(!output.includes(FAKE_SID), "the FAKE SID is never printed in full");
    assert.match(output, /flexguard found 1 error and 1 warning in this build \(listed above\): this bundle must not ship/, output);
    assert.equal(bundle, false, "no bundle is written");
  });

  await t.test("a credential planted in src/ fails the build under a team policy (account-sid: error)", (t) => {
    const policy = `const { FlexguardWebpackPlugin } = require('flexguard/webpack');

module.exports = (config, { isProd }) => {
  config.plugins.push(new FlexguardWebpackPlugin({ rules: { 'account-sid': 'error' } }));
  return config;
};
`;
    useExample(CLEAN_SERVICE.replace("export function sendSms", `const ACCOUNT_SID = '${SID}';\n\nexport function sendSms`).replace("To: to,", "To: to, AccountSid: ACCOUNT_SID,"), policy);
    const { status, output, bundle } = flexBuild(t);
    assert.equal(status, 1, output);
    assert.match(output, /src\/services\/twilioApi\.js\n\s+3:22\s+error\s+.*account-sid/, output);
    assert.ok(output.includes(`${SID.slice(0, 4)}…${SID.slice(-2)}`), "redacted");
    assert.ok(!output.includes(SID), "never in full");
    assert.doesNotMatch(output, /build\//, "reported at the source, not again in the bundle");
    assert.equal(bundle, false);
  });

  await t.test("a clean plugin builds", (t) => {
    useExample(CLEAN_SERVICE);
    const { status, output, bundle } = flexBuild(t);
    assert.equal(status, 0, output);
    assert.equal(bundle, true, output);
    assert.doesNotMatch(output, /flexguard(?!-demo)/i, output);
  });

  await t.test("a FLEX_APP_*_TOKEN in the build environment, read by the plugin, fails the build", (t) => {
    useExample(ENV_TOKEN_SERVICE);
    const { status, output, bundle } = flexBuild(t, { FLEX_APP_TWILIO_AUTH_TOKEN: TOKEN });
    assert.equal(status, 1, output);
    assert.match(output, /process\.env\.FLEX_APP_TWILIO_AUTH_TOKEN is inlined .*flex-env-credential/, output);
    assert.ok(!output.includes(TOKEN), "the token is never printed");
    assert.equal(bundle, false);
    // Without the variable the read itself is still an error (public-env-secret: whatever the
    // variable holds at build time ships), but there is no environment finding.
    const unset = flexBuild(t);
    assert.equal(unset.status, 1, unset.output);
    assert.match(unset.output, /public-env-secret/, unset.output);
    assert.doesNotMatch(unset.output, /flex-env-credential/, unset.output);
  });
});
