// `flexguard audit` against fixture accounts, through Prism validating every request and
// response against Twilio's OpenAPI specs (see harness.js). Fake credentials and SIDs are
// generated here at run time (testgen), never stored.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { Harness, available } = require("./harness");
const { fill } = require("../testgen");

if (!available()) {
  test("audit scenarios need tools/setup-audit.sh", { skip: "run tools/setup-audit.sh (make test-audit does)" }, () => {});
  return;
}

let seed = 1000;
const sid = (prefix) => fill(`${prefix}{hex32}`, seed++);
const daysAgo = (days) => new Date(Date.now() - days * 86_400_000);

/** A well-run account: every check passes (the manual checks are listed, at info). */
function healthy() {
  const accountSid = sid("AC");
  const service = sid("ZS");
  const validated = `const { functionValidator } = require("twilio-flex-token-validator");\nexports.handler = functionValidator(async (context, event, callback) => {\n  const client = context.getTwilioClient();\n  callback(null, await client.messages.list({ limit: 1 }));\n});\n`;
  return {
    accountSid,
    credentials: { apiKey: sid("SK"), apiSecret: fill("{alnum32}", seed++) },
    pageSize: 50,
    keys: [{ sid: sid("SK"), name: "ci", created: daysAgo(20) }],
    countries: [
      { iso: "US", name: "United States", low: true },
      { iso: "CA", name: "Canada", low: true },
      { iso: "CU", name: "Cuba", low: false },
    ],
    inheritance: true,
    triggers: [
      { sid: sid("UT"), category: "calls", callbackUrl: "https://alerts.example.com/calls" },
      { sid: sid("UT"), category: "sms" },
      { sid: sid("UT"), category: "totalprice", callbackUrl: "https://alerts.example.com/total" },
    ],
    configuration: { ui_attributes: { theme: { isLight: true }, colorTheme: { baseName: "FlexLight" } }, public_attributes: {} },
    release: { sid: sid("FK"), configurationSid: sid("FJ") },
    plugins: [{ sid: sid("FP"), versionSid: sid("FV"), name: "plugin-crm", version: "1.2.0", path: "/plugins/plugin-crm/1.2.0/bundle.js" }],
    files: {
      "/plugins/plugin-crm/1.2.0/bundle.js": { body: `(()=>{"use strict";var e={};e.init=function(m){m.strings.Hello="Hi"};window.__plugin=e})();\n` },
      "/config.json": { type: "application/json", body: JSON.stringify({ supportEmail: "help@example.com" }) },
    },
    services: [
      {
        sid: service,
        name: "flex-functions",
        environments: [
          {
            sid: sid("ZE"),
            name: "prod",
            build: {
              sid: sid("ZB"),
              functions: [
                { sid: sid("ZN"), parentSid: sid("ZH"), path: "/send-sms", visibility: "public", content: validated },
                // Twilio calls this one, with a signature: it needs no Flex token.
                { sid: sid("ZN"), parentSid: sid("ZH"), path: "/incoming-call", visibility: "protected", content: "exports.handler = (context, event, callback) => callback(null, {});\n" },
              ],
              assets: [{ sid: sid("ZN"), parentSid: sid("ZH"), path: "/config.json", visibility: "public" }],
            },
          },
        ],
      },
    ],
  };
}

const rulesOf = (result) => result.json.findings.map((f) => f.ruleId).sort();
const findingsOf = (result, rule) => result.json.findings.filter((f) => f.ruleId === rule);

const harness = new Harness();
test.before(() => harness.start(), { timeout: 240_000 });
test.after(() => harness.stop());

/**
 * Every scenario: only GET, credentials only to the API, nothing Prism rejected, no secret in the
 * output. Twilio's specs document only success responses, so each error status a scenario returns
 * on purpose (a 403, a 429) is one "Unable to match the returned status code" warning, expected.
 */
function assertClean(result, scenario, { undocumentedStatuses = 0 } = {}) {
  const undocumented = result.violations.filter((line) => line.includes("Unable to match the returned status code with those defined in the document: 200"));
  assert.equal(undocumented.length, undocumentedStatuses, result.violations.join("\n"));
  assert.deepEqual(result.violations.filter((line) => !undocumented.includes(line)), [], "Prism rejected a request or a response");
  assert.ok(result.requests.length > 0);
  for (const request of result.requests) {
    assert.equal(request.method, "GET", `${request.server} ${request.url}`);
    if (request.server === "direct") assert.equal(request.authorization, undefined, "credentials went to a file host");
  }
  for (const secret of [scenario.credentials.apiSecret, scenario.authToken].filter(Boolean)) {
    assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), "a credential was printed");
  }
}

test("the specs are Twilio's, patched only where its relative URIs fail Prism's format check", () => {
  assert.ok(harness.patchedUriFields > 10, `patched ${harness.patchedUriFields} uri fields`);
});

test("a healthy account: every API check passes, and the manual checks are listed, never passed", async () => {
  const scenario = healthy();
  const result = await harness.audit(scenario);
  assertClean(result, scenario);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(rulesOf(result), ["account-manual-checks"]);
  assert.match(result.stderr, new RegExp(`^flexguard audit: ${scenario.accountSid} as the environment \\(API key\\): keys, voice, usage-triggers, flex-configuration, plugins, functions, assets, manual; \\d+ GET requests\\n$`));
  const [manual] = result.json.findings;
  assert.equal(manual.severity, "info");
  assert.equal(manual.file, `twilio://${scenario.accountSid}/manual/console`);
  assert.match(manual.help, /Console → /);
  // Every check read what it needed: keys (both lists), voice, triggers, Flex, plugins, Functions, assets.
  const paths = result.requests.map((r) => `${r.server} ${r.url.split("?")[0]}`);
  for (const expected of ["api /2010-04-01/Accounts/" + scenario.accountSid + "/Keys.json", "iam /v1/Keys", "voice /v1/DialingPermissions/Countries", "voice /v1/Settings", "flex-api /v1/Configuration", "flex-api /v1/PluginService/Releases/Active", "direct /plugins/plugin-crm/1.2.0/bundle.js", "direct /config.json"]) {
    assert.ok(paths.includes(expected), `${expected} not requested: ${paths.join(", ")}`);
  }
  assert.ok(paths.some((p) => /serverless \/v1\/Services\/ZS\w+\/Functions\/ZH\w+\/Versions\/ZN\w+\/Content/.test(p)));
});

test("old keys: each key past audit.keyMaxAgeDays is named by its SID, from both key lists", async () => {
  const scenario = healthy();
  const old = { sid: sid("SK"), name: "legacy", created: daysAgo(400) };
  const restricted = { sid: sid("SK"), name: "restricted", created: daysAgo(200) };
  scenario.keys.push(old);
  scenario.restrictedKeys = [restricted];
  const result = await harness.audit(scenario, ["--format", "json", "--only", "keys"]);
  assertClean(result, scenario);
  const found = findingsOf(result, "account-api-key-age");
  assert.deepEqual(found.map((f) => f.resource.id).sort(), [old.sid, restricted.sid].sort());
  assert.equal(found.find((f) => f.resource.id === old.sid).file, `twilio://${scenario.accountSid}/key/${old.sid}`);
  assert.match(found[0].message, /days old, more than 180/);
  // Warnings only: exit 0, unless --max-warnings says otherwise.
  assert.equal(result.status, 0);
});

test("a standard key that may not list keys: the check says it did not run, and which credential would", async () => {
  const scenario = healthy();
  scenario.keysStatus = 403;
  const result = await harness.audit(scenario, ["--format", "json", "--only", "keys"]);
  assertClean(result, scenario, { undocumentedStatuses: 2 });
  const [finding, ...rest] = findingsOf(result, "account-api-key-age");
  assert.equal(rest.length, 0);
  assert.match(finding.message, /not checked: .*Standard key.*may not list keys \(403/);
  assert.match(finding.help, /auth token .* or a Main API key/);
  assert.equal(finding.severity, "warning");
});

test("a standard key refused the account resource itself still runs every check it may", async () => {
  const scenario = healthy();
  scenario.accountStatus = 401;
  scenario.keysStatus = 403;
  const result = await harness.audit(scenario, ["--format", "json", "--only", "keys,usage-triggers"]);
  // The account's 401 and the two key lists' 403s are not in the specs.
  assertClean(result, scenario, { undocumentedStatuses: 3 });
  assert.equal(result.status, 0, result.stderr);
  assert.match(findingsOf(result, "account-api-key-age")[0].message, /not checked: .*Standard key/);
  assert.ok(result.requests.some((r) => /Usage\/Triggers/.test(r.url)), "the triggers check ran");
});

test("one key list unreadable: the keys only it lists are reported as not checked, never as passed", async () => {
  const scenario = healthy();
  scenario.iamKeysStatus = 503;
  const result = await harness.audit(scenario, ["--format", "json", "--only", "keys"]);
  const found = findingsOf(result, "account-api-key-age");
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0].resource.id, "iam-v1");
  assert.match(found[0].message, /not checked: the iam-v1 key list could not be read .*keys only it lists were not checked/);
});

test("a twilio-cli profile: --profile picks it over the active one; a region still reaches the mapped hosts", async () => {
  const scenario = healthy();
  scenario.keysStatus = 403; // twilio-cli profiles hold a Standard key
  scenario.homeFiles = { ".twilio-cli/config.json": JSON.stringify({ profiles: { flex: { accountSid: scenario.accountSid, apiKey: scenario.credentials.apiKey, apiSecret: scenario.credentials.apiSecret } }, activeProject: "other" }) };
  const result = await harness.audit(scenario, ["--format", "json", "--only", "keys,voice", "--profile", "flex"], { TWILIO_ACCOUNT_SID: undefined, TWILIO_API_KEY: undefined, TWILIO_API_SECRET: undefined, TWILIO_REGION: "ie1", TWILIO_EDGE: "dublin" });
  assertClean(result, scenario, { undocumentedStatuses: 2 });
  assert.equal(result.status, 0, result.stderr);
  assert.match(findingsOf(result, "account-api-key-age")[0].message, /not checked: .*Standard key/);
  // Regional hosts (voice.dublin.ie1.twilio.com) reach the Prism mapped for voice.twilio.com
  // (how regional hosts are built is tested in test/audit.test.js).
  assert.ok(result.requests.some((r) => r.server === "voice"));
});

test("high-risk geo permissions are errors naming the country; many countries without a list are a warning", async () => {
  const scenario = healthy();
  scenario.countries.push({ iso: "LV", name: "Latvia", low: true, tollfraud: true }, { iso: "GB", name: "United Kingdom", low: true }, { iso: "FR", name: "France", low: true }, { iso: "DE", name: "Germany", low: true }, { iso: "MX", name: "Mexico", low: true });
  scenario.inheritance = false;
  scenario.pageSize = 3; // several pages of countries
  const result = await harness.audit(scenario, ["--format", "json", "--only", "voice"]);
  assertClean(result, scenario);
  assert.equal(result.status, 1);
  const [highRisk] = findingsOf(result, "account-voice-high-risk-dialing");
  assert.equal(highRisk.resource.id, "LV");
  assert.equal(highRisk.file, `twilio://${scenario.accountSid}/country/LV`);
  assert.equal(highRisk.severity, "error");
  const countries = findingsOf(result, "account-voice-dialing-countries").map((f) => f.resource.id).sort();
  assert.deepEqual(countries, ["countries", "inheritance"]);
  assert.ok(result.requests.filter((r) => r.url.startsWith("/v1/DialingPermissions/Countries")).length >= 3, "the countries list was not paginated");
});

test("no usage triggers at all is one finding; an HTTP callback is another", async () => {
  const scenario = healthy();
  scenario.triggers = [];
  let result = await harness.audit(scenario, ["--format", "json", "--only", "usage-triggers"]);
  assertClean(result, scenario);
  assert.deepEqual(findingsOf(result, "account-usage-triggers").map((f) => f.file), [`twilio://${scenario.accountSid}/usage-triggers/all`]);
  scenario.triggers = [{ sid: sid("UT"), category: "calls", callbackUrl: "http://alerts.example.com/calls" }];
  result = await harness.audit(scenario, ["--format", "json", "--only", "usage-triggers"]);
  assertClean(result, scenario);
  assert.deepEqual(findingsOf(result, "account-usage-triggers").map((f) => f.resource.id).sort(), [scenario.triggers[0].sid, "sms", "totalprice"].sort());
});

test("a token in ui_attributes is found by the credential rules, redacted, under the configuration resource", async () => {
  const scenario = healthy();
  const token = fill("{hex32}", seed++);
  scenario.configuration.ui_attributes.crm = { accountSid: scenario.accountSid, authToken: token };
  const result = await harness.audit(scenario, ["--format", "json", "--only", "flex-configuration"]);
  assertClean(result, scenario);
  assert.ok(!result.stdout.includes(token), "the token was printed");
  const found = findingsOf(result, "auth-token");
  assert.equal(found.length, 1, JSON.stringify(result.json.findings));
  assert.equal(found[0].file, `twilio://${scenario.accountSid}/flex-configuration/ui_attributes`);
  assert.equal(found[0].severity, "error");
  assert.equal(result.status, 1);
});

test("a deployed plugin bundle with a credential: plugin@version and the bundle position", async () => {
  const scenario = healthy();
  const key = sid("SK");
  const secret = fill("{alnum32}", seed++);
  scenario.files["/plugins/plugin-crm/1.2.0/bundle.js"].body = `(()=>{var e={};\ne.client=function(){return fetch("https://api.twilio.com/2010-04-01/Accounts",{headers:{Authorization:"Basic "+btoa("${key}:${secret}")}})};window.__plugin=e})();\n`;
  const result = await harness.audit(scenario, ["--format", "json", "--only", "plugins"]);
  assertClean(result, scenario);
  assert.ok(!result.stdout.includes(secret));
  const inBundle = result.json.findings.filter((f) => f.resource?.kind === "plugin");
  assert.ok(inBundle.some((f) => f.ruleId === "api-key-secret"), JSON.stringify(result.json.findings.map((f) => f.ruleId)));
  for (const f of inBundle) {
    assert.equal(f.resource.id, "plugin-crm@1.2.0");
    assert.equal(f.file, `twilio://${scenario.accountSid}/plugin/plugin-crm@1.2.0`);
    assert.equal(f.line, 2);
  }
  assert.equal(result.status, 1);
});

test("a private plugin bundle: not checked without the auth token, fetched with its signature when given", async () => {
  const scenario = healthy();
  scenario.authToken = fill("{hex32}", seed++);
  const bundlePath = "/plugins/plugin-crm/1.2.0/bundle.js";
  scenario.plugins[0].private = true;
  const realUrl = `https://flex-plugins-4821-dev.twil.io${bundlePath}`;
  scenario.files[bundlePath].signedWith = crypto.createHmac("sha1", scenario.authToken).update(realUrl).digest("base64");
  let result = await harness.audit(scenario, ["--format", "json", "--only", "plugins"]);
  assertClean(result, scenario);
  const [skipped] = findingsOf(result, "account-not-checked");
  assert.equal(skipped.resource.id, "plugin-crm@1.2.0");
  assert.match(skipped.help, /TWILIO_AUTH_TOKEN/);
  assert.ok(!result.requests.some((r) => r.server === "direct"), "a private bundle was requested unsigned");
  result = await harness.audit(scenario, ["--format", "json", "--only", "plugins"], { TWILIO_AUTH_TOKEN: scenario.authToken });
  assertClean(result, scenario);
  assert.deepEqual(findingsOf(result, "account-not-checked"), []);
  assert.ok(result.requests.some((r) => r.server === "direct" && r.headers["x-twilio-signature"] === scenario.files[bundlePath].signedWith));
  // A private bundle hosted outside Twilio never gets a signature made with the auth token.
  scenario.plugins[0].host = "cdn.example.com";
  result = await harness.audit(scenario, ["--format", "json", "--only", "plugins"], { TWILIO_AUTH_TOKEN: scenario.authToken });
  assertClean(result, scenario);
  assert.match(findingsOf(result, "account-not-checked")[0].message, /hosted outside Twilio \(cdn\.example\.com\)/);
  assert.ok(!result.requests.some((r) => r.server === "direct"));
});

test("an unvalidated public Function is a finding; a protected one is not", async () => {
  const scenario = healthy();
  const functions = scenario.services[0].environments[0].build.functions;
  functions[0].content = "exports.handler = async (context, event, callback) => {\n  const client = context.getTwilioClient();\n  callback(null, await client.messages.create({ to: event.To, from: context.FROM, body: event.Body }));\n};\n";
  functions[1].content = functions[0].content;
  const result = await harness.audit(scenario, ["--format", "json", "--only", "functions"]);
  assertClean(result, scenario);
  const found = findingsOf(result, "function-without-token-validator");
  assert.deepEqual(found.map((f) => f.resource.id), ["flex-functions/prod/send-sms"]);
  assert.equal(found[0].file, `twilio://${scenario.accountSid}/function/flex-functions/prod/send-sms`);
});

test("a public asset with an API key secret is found; protected assets are not fetched", async () => {
  const scenario = healthy();
  const secret = fill("{alnum32}", seed++);
  const assets = scenario.services[0].environments[0].build.assets;
  assets.push({ sid: sid("ZN"), parentSid: sid("ZH"), path: "/private-config.json", visibility: "protected" });
  scenario.files["/config.json"].body = JSON.stringify({ apiKey: sid("SK"), apiSecret: secret });
  scenario.files["/private-config.json"] = { body: "{}" };
  const result = await harness.audit(scenario, ["--format", "json", "--only", "assets"]);
  assertClean(result, scenario);
  assert.ok(!result.stdout.includes(secret));
  const found = result.json.findings.filter((f) => f.resource?.kind === "asset");
  assert.ok(found.length >= 1, JSON.stringify(result.json));
  assert.ok(found.every((f) => f.resource.id === "flex-functions/prod/config.json"));
  assert.ok(!result.requests.some((r) => r.url === "/private-config.json"));
});

test("paginated lists are read to the end, absolute next-page URLs rewritten to the local Prism", async () => {
  const scenario = healthy();
  scenario.pageSize = 2;
  for (let i = 0; i < 5; i++) scenario.keys.push({ sid: sid("SK"), name: `k${i}`, created: daysAgo(300 + i) });
  const result = await harness.audit(scenario, ["--format", "json", "--only", "keys"]);
  assertClean(result, scenario);
  // 6 keys, 2 a page: 3 pages from each list; the 5 old keys are found once each.
  assert.equal(result.requests.filter((r) => r.server === "api" && r.url.includes("/Keys.json")).length, 3);
  assert.equal(result.requests.filter((r) => r.server === "iam").length, 3);
  assert.equal(findingsOf(result, "account-api-key-age").length, 5);
});

test("429s are retried, honouring Retry-After, and the check still runs", async () => {
  const scenario = healthy();
  const triggers = `/2010-04-01/Accounts/${scenario.accountSid}/Usage/Triggers.json`;
  scenario.failures = { [triggers]: [429, 429] };
  const started = Date.now();
  const result = await harness.audit(scenario, ["--format", "json", "--only", "usage-triggers"]);
  assertClean(result, scenario, { undocumentedStatuses: 2 });
  assert.equal(result.requests.filter((r) => r.url.startsWith(triggers)).length, 3);
  assert.ok(Date.now() - started >= 2000, "Retry-After: 1 was not honoured");
  assert.deepEqual(findingsOf(result, "account-usage-triggers"), []);
  assert.equal(result.status, 0);
});

test("a host that times out: the resource is reported as not checked, and the audit finishes", async () => {
  const scenario = healthy();
  scenario.files["/config.json"].hang = true;
  const started = Date.now();
  const result = await harness.audit(scenario, ["--format", "json", "--only", "assets"]);
  assertClean(result, scenario);
  const [finding] = findingsOf(result, "account-not-checked");
  assert.equal(finding.resource.id, "flex-functions/prod/config.json");
  assert.match(finding.message, /timed out after 1.5 s/);
  assert.ok(Date.now() - started < 60_000);
});

test("formats: stylish names twilio:// resources, SARIF carries logicalLocations; baselines apply", async () => {
  const scenario = healthy();
  scenario.keys.push({ sid: sid("SK"), name: "legacy", created: daysAgo(400) });
  const stylish = await harness.audit(scenario, ["--only", "keys,manual"]);
  assertClean(stylish, scenario);
  assert.match(stylish.stdout, new RegExp(`twilio://${scenario.accountSid}/key/SK`));
  assert.match(stylish.stdout, /days old, more than 180/);
  const sarif = await harness.audit(scenario, ["--format", "sarif", "--only", "keys"]);
  const log = JSON.parse(sarif.stdout);
  const result = log.runs[0].results.find((r) => r.ruleId === "account-api-key-age");
  assert.equal(result.locations[0].logicalLocations[0].fullyQualifiedName, `twilio://${scenario.accountSid}/key/${scenario.keys[1].sid}`);
  assert.equal(result.properties.resource.id, scenario.keys[1].sid);
  assert.equal(result.locations[0].physicalLocation, undefined);
  // A baseline written from one audit accepts its findings in the next; a new old key still shows.
  const baseline = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-audit-baseline-")), "baseline.json");
  const written = await harness.audit(scenario, ["--only", "keys", "--write-baseline", baseline]);
  assert.equal(written.status, 0, written.stderr);
  scenario.keys.push({ sid: sid("SK"), name: "newer-but-old", created: daysAgo(250) });
  const next = await harness.audit(scenario, ["--format", "json", "--only", "keys", "--baseline", baseline]);
  assert.deepEqual(findingsOf(next, "account-api-key-age").map((f) => f.resource.id), [scenario.keys[2].sid]);
});

test("thresholds come from the config file: audit.keyMaxAgeDays and audit.voiceCountries", async () => {
  const scenario = healthy();
  scenario.keys.push({ sid: sid("SK"), name: "quarter", created: daysAgo(100) });
  scenario.countries.push({ iso: "MX", name: "Mexico", low: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-audit-config-"));
  const config = path.join(dir, "flexguard.config.json");
  fs.writeFileSync(config, JSON.stringify({ audit: { keyMaxAgeDays: 90, voiceCountries: ["US", "CA"] }, rules: { "account-manual-checks": "off" } }));
  const result = await harness.audit(scenario, ["--format", "json", "--only", "keys,voice,manual", "--config", config]);
  assertClean(result, scenario);
  assert.deepEqual(rulesOf(result), ["account-api-key-age", "account-voice-dialing-countries"]);
  assert.equal(findingsOf(result, "account-voice-dialing-countries")[0].resource.id, "MX");
});

test("a request outside the spec fails the test: Prism rejects it and the harness sees it", async () => {
  const mark = harness.mark();
  const port = harness.prisms.iam.port;
  const status = await new Promise((resolve) => require("node:http").get(`http://127.0.0.1:${port}/v1/NotAnEndpoint`, (res) => (res.resume(), resolve(res.statusCode))));
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(status, 404);
  assert.notDeepEqual(harness.violations(mark), []);
});

