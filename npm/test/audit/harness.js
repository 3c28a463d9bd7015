// The audit's test bench: Twilio's own OpenAPI specs served by Stoplight Prism in proxy mode, one
// Prism per spec, in front of fixture servers of ours. Every request flexguard sends and every
// fixture response it reads passes through Prism, which validates both against Twilio's spec
// (`--errors`: a violation becomes an error response and a log line the tests fail on). Plugin
// bundles and assets, which are not REST API resources, come from a direct fixture server.
//
// One patch to the specs, in a temp copy: the 2010 API's `*_uri` and `uri` fields are declared
// `format: uri`, but Twilio returns them relative (`/2010-04-01/Accounts/AC…/Keys.json`), which
// Prism's format check rejects. The patch drops `format: uri` from those fields only.
"use strict";
const { execFile, spawn } = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { BIN } = require("../helpers");

const TOOLS = process.env.FLEXGUARD_AUDIT_TOOLS || path.join(process.env.FLEXGUARD_CACHE || path.join(os.homedir(), ".cache", "flexguard"), "audit");
const SPEC_DIR = path.join(TOOLS, "node_modules", "@twilio-alpha", "mcp", "twilio-oai", "spec", "json");
const PRISM = path.join(TOOLS, "node_modules", ".bin", "prism");

/** Product (first label of the host) → spec file. */
const SPECS = {
  api: "twilio_api_v2010.json",
  iam: "twilio_iam_v1.json",
  voice: "twilio_voice_v1.json",
  "flex-api": "twilio_flex_v1.json",
  serverless: "twilio_serverless_v1.json",
};

/** Hosts of deployed files in the scenarios: served by the direct fixture server. */
const PLUGIN_HOST = "flex-plugins-4821-dev.twil.io";
const SERVICE_HOST = "flex-functions-7310-prod.twil.io";

function available() {
  return fs.existsSync(PRISM) && fs.existsSync(path.join(SPEC_DIR, SPECS.api));
}

/** Copy the specs into `dir`, patching the 2010 `uri` fields (see above). Returns how many were patched. */
function copySpecs(dir) {
  let patched = 0;
  for (const file of Object.values(SPECS)) {
    const spec = JSON.parse(fs.readFileSync(path.join(SPEC_DIR, file), "utf8"));
    if (file === SPECS.api) {
      const walk = (node) => {
        if (!node || typeof node !== "object") return;
        if (node.properties && typeof node.properties === "object") {
          for (const [name, property] of Object.entries(node.properties)) {
            if (/(^|_)uri$/.test(name) && property && property.format === "uri") {
              delete property.format;
              patched++;
            }
          }
        }
        for (const value of Object.values(node)) walk(value);
      };
      walk(spec);
    }
    fs.writeFileSync(path.join(dir, file), JSON.stringify(spec));
  }
  return patched;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

function listen(handler) {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

/** Start one Prism proxy; resolves once it listens. Its log lines are collected. */
async function startPrism(spec, upstreamPort) {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(PRISM, ["proxy", spec, `http://127.0.0.1:${upstreamPort}`, "--port", String(port), "--host", "127.0.0.1", "--errors"], { stdio: ["ignore", "pipe", "pipe"] });
    const prism = { child, port, log: [] };
    const started = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 90_000);
      const onData = (chunk) => {
        for (const line of chunk.toString().split("\n")) {
          if (line.trim()) prism.log.push(line);
          if (line.includes("Prism is listening")) clearTimeout(timer), resolve(true);
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.on("exit", () => (clearTimeout(timer), resolve(false)));
    });
    if (started) return prism;
    child.kill();
    if (attempt === 2) throw new Error(`prism did not start for ${path.basename(spec)}:\n${prism.log.slice(-10).join("\n")}`);
  }
}

const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

class Harness {
  constructor() {
    /** Every request that reached a fixture server: { server, method, url, authorization, headers }. */
    this.requests = [];
    this.scenario = undefined;
    this.servers = [];
    this.prisms = {};
  }

  async start() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-audit-"));
    this.patchedUriFields = copySpecs(this.dir);
    const upstreams = {};
    for (const product of Object.keys(SPECS)) {
      const server = await listen((req, res) => this.#handle(product, req, res));
      this.servers.push(server);
      upstreams[product] = server.address().port;
    }
    this.direct = await listen((req, res) => this.#handleDirect(req, res));
    this.servers.push(this.direct);
    // Five Prisms at once: each takes a few seconds to read its spec.
    const started = await Promise.all(Object.entries(SPECS).map(async ([product, file]) => [product, await startPrism(path.join(this.dir, file), upstreams[product])]));
    this.prisms = Object.fromEntries(started);
  }

  async stop() {
    for (const prism of Object.values(this.prisms)) prism.child.kill();
    for (const server of this.servers) server.closeAllConnections?.(), server.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** The override map: every Twilio API host to its Prism, deployed-file hosts to the direct server. */
  override() {
    const map = {};
    for (const [product, prism] of Object.entries(this.prisms)) map[`${product}.twilio.com`] = `http://127.0.0.1:${prism.port}`;
    const direct = `http://127.0.0.1:${this.direct.address().port}`;
    map[PLUGIN_HOST] = direct;
    map[SERVICE_HOST] = direct;
    return JSON.stringify(map);
  }

  /** Prism's complaints since `from` (per-Prism log offsets from `mark()`). */
  violations(from = {}) {
    const out = [];
    for (const [product, prism] of Object.entries(this.prisms)) {
      for (const line of prism.log.slice(from[product] ?? 0)) {
        if (/✖|Violation|VIOLATIONS|NO_PATH_MATCHED|UNPROCESSABLE|UNAUTHORIZED|\berror\b/i.test(line) && !/Starting Prism|Prism is listening/.test(line)) out.push(`${product}: ${line}`);
      }
    }
    return out;
  }

  mark() {
    return Object.fromEntries(Object.entries(this.prisms).map(([product, prism]) => [product, prism.log.length]));
  }

  /** Run `flexguard audit` against the scenario; resolves to { status, stdout, stderr, json, violations, requests }. */
  async audit(scenario, args = ["--format", "json"], env = {}) {
    this.scenario = scenario;
    this.requests = [];
    const mark = this.mark();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-audit-home-"));
    for (const [name, content] of Object.entries(scenario.homeFiles ?? {})) {
      fs.mkdirSync(path.dirname(path.join(home, name)), { recursive: true });
      fs.writeFileSync(path.join(home, name), content);
    }
    const childEnv = {
      PATH: process.env.PATH,
      HOME: home,
      TWILIO_ACCOUNT_SID: scenario.accountSid,
      TWILIO_API_KEY: scenario.credentials.apiKey,
      TWILIO_API_SECRET: scenario.credentials.apiSecret,
      FLEXGUARD_TWILIO_API_BASE: this.override(),
      FLEXGUARD_AUDIT_TIMEOUT_MS: "1500",
      ...env,
    };
    for (const [name, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[name];
    const result = await new Promise((resolve) => {
      const config = args.includes("--config") || args.includes("-c") ? [] : ["--no-config"];
      execFile(process.execPath, [BIN, "audit", ...config, ...args], { env: childEnv, cwd: home, maxBuffer: 64 << 20, timeout: 120_000 }, (error, stdout, stderr) => {
        resolve({ status: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
      });
    });
    fs.rmSync(home, { recursive: true, force: true });
    // Prism logs asynchronously: give its last lines a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    let parsed;
    if (args.includes("json")) {
      try {
        parsed = JSON.parse(result.stdout);
      } catch {
        parsed = undefined;
      }
    }
    return { ...result, json: parsed, violations: this.violations(mark), requests: [...this.requests] };
  }

  #record(server, req) {
    this.requests.push({ server, method: req.method, url: req.url, authorization: req.headers.authorization, headers: req.headers });
  }

  /** Fail once for each status queued for this path (429s, 5xx), then answer. */
  #queuedFailure(req, res) {
    const queue = this.scenario.failures?.[new URL(req.url, "http://x").pathname];
    if (!queue || queue.length === 0) return false;
    const status = queue.shift();
    json(res, status, { code: 20429, message: "Too many requests", more_info: "https://www.twilio.com/docs/errors/20429", status }, { "retry-after": "1" });
    return true;
  }

  #handle(product, req, res) {
    this.#record(product, req);
    const s = this.scenario;
    const expected = `Basic ${Buffer.from(`${s.credentials.apiKey}:${s.credentials.apiSecret}`).toString("base64")}`;
    if (req.headers.authorization !== expected) return json(res, 401, { code: 20003, message: "Authenticate", more_info: "https://www.twilio.com/docs/errors/20003", status: 401 });
    if (this.#queuedFailure(req, res)) return;
    const url = new URL(req.url, `https://${product}.twilio.com`);
    const answer = routes(product, url, s);
    if (!answer) return json(res, 404, { code: 20404, message: "The requested resource was not found", more_info: "https://www.twilio.com/docs/errors/20404", status: 404 });
    json(res, answer.status ?? 200, answer.body);
  }

  #handleDirect(req, res) {
    this.#record("direct", req);
    const file = this.scenario.files?.[new URL(req.url, "http://x").pathname];
    if (!file) return res.writeHead(404).end();
    if (file.hang) return; // never answers: the client's timeout must end it
    if (file.signedWith && req.headers["x-twilio-signature"] !== file.signedWith) return res.writeHead(403).end();
    res.writeHead(200, { "content-type": file.type ?? "application/javascript" });
    res.end(file.body);
  }
}

// ---- Twilio API fixtures: responses shaped as the specs say -------------------------------------

const rfc2822 = (date) => date.toUTCString().replace("GMT", "+0000");

/** A 2010 API page: `next_page_uri` is relative. */
function page2010(url, items, key, pageSize) {
  const page = Number(url.searchParams.get("Page") ?? 0);
  const size = Math.min(Number(url.searchParams.get("PageSize") ?? 50), pageSize);
  const slice = items.slice(page * size, (page + 1) * size);
  const base = url.pathname;
  const at = (p) => `${base}?PageSize=${size}&Page=${p}${p ? `&PageToken=PA${p}` : ""}`;
  return {
    [key]: slice,
    start: page * size,
    end: page * size + Math.max(slice.length - 1, 0),
    page,
    page_size: size,
    uri: at(page),
    first_page_uri: at(0),
    previous_page_uri: page > 0 ? at(page - 1) : null,
    next_page_uri: (page + 1) * size < items.length ? at(page + 1) : null,
  };
}

/** A v1 API page: `meta.next_page_url` is absolute, on the real host. */
function pageV1(url, items, key, pageSize) {
  const page = Number(url.searchParams.get("Page") ?? 0);
  const size = Math.min(Number(url.searchParams.get("PageSize") ?? 50), pageSize);
  const slice = items.slice(page * size, (page + 1) * size);
  const keep = new URLSearchParams([...url.searchParams].filter(([name]) => !["Page", "PageSize", "PageToken"].includes(name)));
  const at = (p) => `https://${url.host}${url.pathname}?${keep.toString() ? `${keep}&` : ""}PageSize=${size}&Page=${p}${p ? `&PageToken=PT${p}` : ""}`;
  return {
    [key]: slice,
    meta: {
      page,
      page_size: size,
      first_page_url: at(0),
      previous_page_url: page > 0 ? at(page - 1) : null,
      next_page_url: (page + 1) * size < items.length ? at(page + 1) : null,
      url: at(page),
      key,
    },
  };
}

function routes(product, url, s) {
  const p = url.pathname;
  const size = s.pageSize ?? 50;
  const sid = s.accountSid;
  const key = (k) => ({ sid: k.sid, friendly_name: k.name, date_created: rfc2822(k.created), date_updated: rfc2822(k.created) });
  if (product === "api") {
    if (p === `/2010-04-01/Accounts/${sid}.json` && s.accountStatus) return { status: s.accountStatus, body: { code: 20003, message: "Authenticate", more_info: "https://www.twilio.com/docs/errors/20003", status: s.accountStatus } };
    if (p === `/2010-04-01/Accounts/${sid}.json`) return { body: { sid, friendly_name: "Flex audit fixture", status: "active", type: "Full", owner_account_sid: sid, auth_token: null, date_created: rfc2822(new Date("2020-01-01")), date_updated: rfc2822(new Date("2020-01-01")), subresource_uris: {}, uri: `/2010-04-01/Accounts/${sid}.json` } };
    if (p === `/2010-04-01/Accounts/${sid}/Keys.json`) return s.keysStatus ? { status: s.keysStatus, body: { code: 20003, message: "Permission denied", more_info: "https://www.twilio.com/docs/errors/20003", status: s.keysStatus } } : { body: page2010(url, s.keys.map(key), "keys", size) };
    if (p === `/2010-04-01/Accounts/${sid}/Usage/Triggers.json`)
      return {
        body: page2010(
          url,
          s.triggers.map((t) => ({ sid: t.sid, account_sid: sid, api_version: "2010-04-01", callback_method: "POST", callback_url: t.callbackUrl ?? null, current_value: "0", date_created: rfc2822(new Date("2024-01-01")), date_updated: rfc2822(new Date("2024-01-01")), date_fired: null, friendly_name: t.name ?? "", recurring: "daily", trigger_by: "price", trigger_value: "100", usage_category: t.category, uri: `/2010-04-01/Accounts/${sid}/Usage/Triggers/${t.sid}.json`, usage_record_uri: `/2010-04-01/Accounts/${sid}/Usage/Records.json?Category=${t.category}` })),
          "usage_triggers",
          size,
        ),
      };
  }
  if (product === "iam" && p === "/v1/Keys") {
    const status = s.keysStatus ?? s.iamKeysStatus;
    if (status) return { status, body: { code: 20003, message: "Permission denied", more_info: "https://www.twilio.com/docs/errors/20003", status } };
    return { body: pageV1(url, [...s.keys, ...(s.restrictedKeys ?? [])].map(key), "keys", size) };
  }
  if (product === "voice") {
    if (p === "/v1/DialingPermissions/Countries")
      return {
        body: pageV1(
          url,
          s.countries.map((c) => ({ iso_code: c.iso, name: c.name, continent: "NORTH_AMERICA", country_codes: ["+1"], low_risk_numbers_enabled: c.low, high_risk_special_numbers_enabled: c.special ?? false, high_risk_tollfraud_numbers_enabled: c.tollfraud ?? false, url: `https://voice.twilio.com/v1/DialingPermissions/Countries/${c.iso}`, links: { highrisk_special_prefixes: `https://voice.twilio.com/v1/DialingPermissions/Countries/${c.iso}/HighRiskSpecialPrefixes` } })),
          "content",
          size,
        ),
      };
    if (p === "/v1/Settings") return { body: { dialing_permissions_inheritance: s.inheritance, url: "https://voice.twilio.com/v1/Settings" } };
  }
  if (product === "flex-api") {
    if (p === "/v1/Configuration") return s.configuration ? { body: { account_sid: sid, status: "ok", url: "https://flex-api.twilio.com/v1/Configuration", ...s.configuration } } : undefined;
    if (p === "/v1/PluginService/Releases/Active") return s.release ? { body: { sid: s.release.sid, account_sid: sid, configuration_sid: s.release.configurationSid, date_created: "2024-05-01T00:00:00Z", url: `https://flex-api.twilio.com/v1/PluginService/Releases/${s.release.sid}` } } : undefined;
    const plugins = /^\/v1\/PluginService\/Configurations\/([^/]+)\/Plugins$/.exec(p);
    if (plugins && s.release && plugins[1] === s.release.configurationSid)
      return {
        body: pageV1(
          url,
          s.plugins.map((pl) => ({ account_sid: sid, configuration_sid: s.release.configurationSid, plugin_sid: pl.sid, plugin_version_sid: pl.versionSid, phase: 3, plugin_url: `https://${pl.host ?? PLUGIN_HOST}${pl.path}`, unique_name: pl.name, friendly_name: pl.name, description: "", plugin_archived: false, version: pl.version, changelog: "", plugin_version_archived: false, private: pl.private ?? false, date_created: "2024-05-01T00:00:00Z", url: `https://flex-api.twilio.com/v1/PluginService/Configurations/${s.release.configurationSid}/Plugins/${pl.sid}` })),
          "plugins",
          size,
        ),
      };
  }
  if (product === "serverless") {
    const services = s.services ?? [];
    const when = "2024-05-01T00:00:00Z";
    if (p === "/v1/Services") return { body: pageV1(url, services.map((sv) => ({ sid: sv.sid, account_sid: sid, friendly_name: sv.name, unique_name: sv.name, include_credentials: true, ui_editable: false, domain_base: "flex-functions-7310", date_created: when, date_updated: when, url: `https://serverless.twilio.com/v1/Services/${sv.sid}`, links: {} })), "services", size) };
    let m = /^\/v1\/Services\/([^/]+)\/Environments$/.exec(p);
    const service = m && services.find((sv) => sv.sid === m[1]);
    if (service) return { body: pageV1(url, service.environments.map((e) => ({ sid: e.sid, account_sid: sid, service_sid: service.sid, build_sid: e.build.sid, unique_name: e.name, domain_suffix: e.name, domain_name: SERVICE_HOST, date_created: when, date_updated: when, url: `https://serverless.twilio.com/v1/Services/${service.sid}/Environments/${e.sid}`, links: {} })), "environments", size) };
    m = /^\/v1\/Services\/([^/]+)\/Builds\/([^/]+)$/.exec(p);
    const env = m && services.find((sv) => sv.sid === m[1])?.environments.find((e) => e.build.sid === m[2]);
    if (env) {
      const version = (kind) => (v) => ({ sid: v.sid, account_sid: sid, service_sid: m[1], [`${kind}_sid`]: v.parentSid, path: v.path, visibility: v.visibility, date_created: when });
      return { body: { sid: env.build.sid, account_sid: sid, service_sid: m[1], status: "completed", asset_versions: env.build.assets.map(version("asset")), function_versions: env.build.functions.map(version("function")), dependencies: [], runtime: "node18", date_created: when, date_updated: when, url: `https://serverless.twilio.com/v1/Services/${m[1]}/Builds/${env.build.sid}`, links: {} } };
    }
    m = /^\/v1\/Services\/([^/]+)\/Functions\/([^/]+)\/Versions\/([^/]+)\/Content$/.exec(p);
    if (m) {
      const fn = services.find((sv) => sv.sid === m[1])?.environments.flatMap((e) => e.build.functions).find((f) => f.sid === m[3] && f.parentSid === m[2]);
      if (fn) return { body: { sid: fn.sid, account_sid: sid, service_sid: m[1], function_sid: fn.parentSid, content: fn.content, url: `https://serverless.twilio.com/v1/Services/${m[1]}/Functions/${m[2]}/Versions/${m[3]}/Content` } };
    }
  }
  return undefined;
}

module.exports = { Harness, available, PLUGIN_HOST, SERVICE_HOST, rfc2822 };
