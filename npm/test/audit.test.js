// `flexguard audit` without a network: credentials, the host override, config and usage errors.
// The scenarios against Twilio's specs (through Prism) are in test/audit/ (make test-audit).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { BIN, project } = require("./helpers");
const { fill } = require("./testgen");
const { TwilioUrls } = require("../dist/twilio-hosts");
const { resolveCredentials, CredentialError } = require("../dist/audit/credentials");
const api = require("../dist/node");

const AC = fill("AC{hex32}", 71);
const SK = fill("SK{hex32}", 72);
const SECRET = fill("{alnum32}", 73);

/** Run the CLI asynchronously (a local server in this process must keep answering). */
function runAudit(args, env, cwd = os.tmpdir()) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "audit", ...args], { cwd, env: { PATH: process.env.PATH, HOME: cwd, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

test("hosts: regions and edges as twilio-node builds them; the override is one URL or a host map", () => {
  assert.equal(new TwilioUrls({ override: "" }).host("api"), "api.twilio.com");
  assert.equal(new TwilioUrls({ region: "ie1", edge: "dublin", override: "" }).host("iam"), "iam.dublin.ie1.twilio.com");
  assert.equal(new TwilioUrls({ edge: "sydney", override: "" }).host("voice"), "voice.sydney.us1.twilio.com");
  const one = new TwilioUrls({ override: "http://127.0.0.1:9/base" });
  assert.equal(one.api("iam", "/v1/Keys?PageSize=2").href, "http://127.0.0.1:9/base/v1/Keys?PageSize=2");
  const map = new TwilioUrls({ region: "ie1", edge: "dublin", override: JSON.stringify({ "iam.twilio.com": "http://localhost:7" }) });
  // A map keyed by default hosts applies to regional hosts too; anything else is refused.
  assert.equal(map.api("iam", "/v1/Keys").href, "http://localhost:7/v1/Keys");
  assert.throws(() => map.resolve("https://voice.twilio.com/v1/Settings"), /not in FLEXGUARD_TWILIO_API_BASE/);
  assert.throws(() => new TwilioUrls({ override: "http://example.com" }), /must be localhost/);
  // The override receives the credentials: an HTTPS host that is not Twilio's is refused too.
  assert.throws(() => new TwilioUrls({ override: "https://collector.example" }), /must be localhost/);
  assert.throws(() => new TwilioUrls({ override: "https://api.twilio.com.collector.example" }), /must be localhost/);
  assert.throws(() => new TwilioUrls({ override: JSON.stringify({ "api.twilio.com": "https://collector.example" }) }), /must be localhost/);
  assert.equal(new TwilioUrls({ override: "https://api.dublin.ie1.twilio.com" }).resolve("https://api.twilio.com/x").href, "https://api.dublin.ie1.twilio.com/x");
  assert.equal(new TwilioUrls({ override: "https://localhost:8443" }).overridden, true);
  assert.throws(() => new TwilioUrls({ override: "" }).resolve("http://api.twilio.com/x"), /plain HTTP/);
  assert.equal(TwilioUrls.isTwilioApi(new URL("https://api.twilio.com/x")), true);
  assert.equal(TwilioUrls.isTwilioApi(new URL("https://api.twilio.com.evil.example/x")), false);
  assert.equal(TwilioUrls.isTwilioApi(new URL("https://plugins-1.twil.io/x")), false);
});

test("credentials: API key first, then the auth token, then the active twilio-cli profile; never shown", () => {
  const token = fill("{hex32}", 74);
  const key = resolveCredentials(undefined, { TWILIO_ACCOUNT_SID: AC, TWILIO_API_KEY: SK, TWILIO_API_SECRET: SECRET, TWILIO_AUTH_TOKEN: token, TWILIO_REGION: "au1" });
  assert.equal(key.kind, "api-key");
  assert.equal(key.username, SK);
  assert.equal(key.region, "au1");
  assert.equal(typeof key.sign, "function", "the auth token, when also set, signs private bundles");
  assert.ok(!JSON.stringify(key).includes(SECRET) && !require("node:util").inspect(key).includes(SECRET));
  const tokenOnly = resolveCredentials(undefined, { TWILIO_ACCOUNT_SID: AC, TWILIO_AUTH_TOKEN: token });
  assert.equal(tokenOnly.kind, "auth-token");
  assert.equal(tokenOnly.authorization(), `Basic ${Buffer.from(`${AC}:${token}`).toString("base64")}`);

  const home = project({
    ".twilio-cli/config.json": JSON.stringify({ profiles: { dev: { accountSid: AC, apiKey: SK, apiSecret: SECRET, region: "ie1" }, prod: { accountSid: fill("AC{hex32}", 75), apiKey: fill("SK{hex32}", 76), apiSecret: SECRET } }, activeProject: "prod", edge: "dublin" }),
  });
  const active = resolveCredentials(undefined, { HOME: home });
  assert.equal(active.source, 'twilio-cli profile "prod"');
  assert.equal(active.edge, "dublin");
  const named = resolveCredentials("dev", { HOME: home, TWILIO_ACCOUNT_SID: fill("AC{hex32}", 77), TWILIO_AUTH_TOKEN: token });
  assert.equal(named.accountSid, AC, "--profile wins over the environment");
  assert.equal(named.region, "ie1");
  assert.equal(named.sign, undefined, "a token set for another account never signs for this one");
  const signing = resolveCredentials("dev", { HOME: home, TWILIO_AUTH_TOKEN: token });
  assert.equal(signing.kind, "api-key");
  assert.equal(typeof signing.sign, "function", "the profile's key reads, the auth token signs private bundles");
  assert.equal(typeof resolveCredentials("dev", { HOME: home, TWILIO_ACCOUNT_SID: AC, TWILIO_AUTH_TOKEN: token }).sign, "function");
  assert.throws(() => resolveCredentials("nope", { HOME: home }), (e) => e instanceof CredentialError && /no twilio-cli profile "nope"/.test(e.message));
  const legacy = project({ ".twilio-cli/config.json": JSON.stringify({ projects: [{ id: "old", accountSid: AC }], activeProject: "old" }) });
  assert.throws(() => resolveCredentials(undefined, { HOME: legacy }), /system keychain/);
  assert.throws(() => resolveCredentials(undefined, { TWILIO_ACCOUNT_SID: "ACnope", TWILIO_AUTH_TOKEN: token }), (e) => !e.message.includes(token) && /Account SID/.test(e.message));
});

test("config: audit thresholds are validated, named by key", () => {
  const rules = api.rules();
  assert.deepEqual(api.validateConfig({ audit: { keyMaxAgeDays: 90, voiceCountries: ["us", "CA"] } }, rules).audit, { keyMaxAgeDays: 90, voiceCountries: ["US", "CA"] });
  assert.throws(() => api.validateConfig({ audit: { keyMaxAgeDays: 0 } }, rules), /audit.keyMaxAgeDays/);
  assert.throws(() => api.validateConfig({ audit: { voiceCountries: ["USA"] } }, rules), /audit.voiceCountries\[0\]/);
  assert.throws(() => api.validateConfig({ audit: { other: 1 } }, rules), /unknown key "audit.other"/);
});

test("the account rules are registered: --list-rules lists them with kind account", () => {
  const account = api.rules().filter((r) => r.kind === "account").map((r) => r.id);
  assert.deepEqual(account, ["account-api-key-age", "account-manual-checks", "account-not-checked", "account-usage-triggers", "account-voice-dialing-countries", "account-voice-high-risk-dialing"]);
});

test("usage errors exit 2: an unknown check, paths, missing credentials", async () => {
  let result = await runAudit(["--only", "keys,nope"], { TWILIO_ACCOUNT_SID: AC, TWILIO_API_KEY: SK, TWILIO_API_SECRET: SECRET });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown check "nope"/);
  result = await runAudit(["src"], {});
  assert.equal(result.status, 2);
  result = await runAudit([], { HOME: fs.mkdtempSync(path.join(os.tmpdir(), "fg-")) });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /no credentials: set TWILIO_ACCOUNT_SID/);
});

test("refused credentials are one clear error (exit 2), sent over GET only, never echoed", async () => {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push(req.method);
    res.writeHead(401, { "content-type": "application/json" }).end('{"code":20003,"status":401}');
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const result = await runAudit(["--no-config"], { TWILIO_ACCOUNT_SID: AC, TWILIO_API_KEY: SK, TWILIO_API_SECRET: SECRET, FLEXGUARD_TWILIO_API_BASE: `http://127.0.0.1:${server.address().port}` });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Twilio refused the credentials from the environment \(401\)/);
    assert.ok(!result.stderr.includes(SECRET) && !result.stdout.includes(SECRET));
    assert.deepEqual([...new Set(seen)], ["GET"]);
  } finally {
    server.close();
  }
});

test("--verify shares the override: a host map sends its one GET to the local server", async () => {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const baseUrl = JSON.stringify({ "api.twilio.com": `http://127.0.0.1:${server.address().port}` });
    assert.equal(await api.verifyPair({ accountSid: AC, username: SK, password: SECRET, fingerprints: [] }, { baseUrl }), "live");
    assert.deepEqual(seen, [`GET /2010-04-01/Accounts/${AC}.json`]);
    // A map without api.twilio.com never reaches a real host: the result stays unknown.
    assert.equal(await api.verifyPair({ accountSid: AC, username: SK, password: SECRET, fingerprints: [] }, { baseUrl: JSON.stringify({ "iam.twilio.com": "http://127.0.0.1:1" }) }), "unknown");
  } finally {
    server.close();
  }
});

test("account findings in every format: SARIF 2.1.0 valid with logicalLocations, JSON with the resource, github without a file", () => {
  const Ajv = require("ajv-draft-04");
  const addFormats = require("ajv-formats");
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(require("./vendor/sarif-2.1.0-rtm.5.json"));
  const token = fill("{hex32}", 78);
  const report = api.flexguard.judgeFacts([
    { kind: "apiKeys", accountSid: AC, list: "iam-v1", keys: [{ sid: SK, friendlyName: "ci", ageDays: 300 }] },
    { kind: "deployedText", resource: { accountSid: AC, kind: "flex-configuration", id: "ui_attributes" }, runtime: "plugin", text: `const ui_attributes = {\n  "authToken": "${token}"\n};\n` },
  ]);
  const log = JSON.parse(api.formatters.sarif([report], { rules: api.rules(), version: api.flexguard.version() }));
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  const results = log.runs[0].results;
  const key = results.find((r) => r.ruleId === "account-api-key-age");
  assert.deepEqual(key.locations[0].logicalLocations, [{ name: SK, fullyQualifiedName: `twilio://${AC}/key/${SK}`, kind: "resource" }]);
  const inConfig = results.find((r) => r.ruleId === "auth-token");
  assert.equal(inConfig.locations[0].physicalLocation.artifactLocation.uri, `twilio://${AC}/flex-configuration/ui_attributes`);
  assert.equal(inConfig.locations[0].physicalLocation.region.startLine, 2);
  const json = JSON.parse(api.formatters.json([report]));
  assert.deepEqual(json.findings.find((f) => f.ruleId === "account-api-key-age").resource, { accountSid: AC, kind: "key", id: SK });
  const github = api.formatters.github([report]);
  assert.match(github, new RegExp(`^::warning title=flexguard account-api-key-age::twilio://${AC}/key/${SK}: `, "m"));
  for (const text of [JSON.stringify(log), JSON.stringify(json), github, api.formatters.stylish([report])]) assert.ok(!text.includes(token));
});

test("responses unlike Twilio's cost their check, never the audit: each is reported as not checked", async () => {
  const server = http.createServer((req, res) => {
    if (req.url === `/2010-04-01/Accounts/${AC}.json`) return res.writeHead(200, { "content-type": "application/json" }).end("{}");
    // Lists without their items, a page that links to itself, and text that is not JSON.
    if (req.url.startsWith("/v1/DialingPermissions/Countries")) return res.writeHead(200).end(JSON.stringify({ content: [], meta: { next_page_url: `https://voice.twilio.com${req.url}` } }));
    if (req.url.startsWith("/v1/Services")) return res.writeHead(200).end(JSON.stringify({ services: [{ sid: 7 }], meta: { next_page_url: "::not a url" } }));
    res.writeHead(200).end(req.url.includes("Keys") ? "null" : "<html>");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const result = await runAudit(["--no-config", "--format", "json"], { TWILIO_ACCOUNT_SID: AC, TWILIO_API_KEY: SK, TWILIO_API_SECRET: SECRET, FLEXGUARD_TWILIO_API_BASE: `http://127.0.0.1:${server.address().port}` });
    assert.equal(result.status, 0, result.stderr);
    const findings = JSON.parse(result.stdout).findings;
    const notChecked = findings.filter((f) => f.message.startsWith("not checked"));
    const rules = new Set(notChecked.map((f) => f.ruleId));
    for (const rule of ["account-api-key-age", "account-voice-high-risk-dialing", "account-voice-dialing-countries", "account-usage-triggers", "account-not-checked"]) assert.ok(rules.has(rule), `${rule}: ${JSON.stringify(notChecked)}`);
    assert.ok(notChecked.some((f) => /same page/.test(f.message)));
    assert.ok(findings.some((f) => f.ruleId === "account-manual-checks"));
  } finally {
    server.close();
  }
});
