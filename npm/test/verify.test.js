// --verify: read-only GET of the account resource with Basic auth, against a local server that
// asserts method, path and header; live / rejected / unknown.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");
const { fill } = require("./testgen");
const { run, project } = require("./helpers");
const api = require("../dist/node.js");

const AC = fill("AC{hex32}", 201);
const TOKEN = fill("{hex32}", 202);
const SK = fill("SK{hex32}", 203);
const SECRET = fill("{alnum32}", 204);

/** A fake Twilio API: records requests, answers by credential. */
async function fakeTwilio(statusFor) {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
    const [user, pass] = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString().split(":");
    const status = statusFor(user, pass);
    if (status === "hang") return; // never answers: the client times out
    if (status === "drop") return req.socket.destroy();
    res.writeHead(status, { "content-type": "application/json" }).end("{}");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((r) => (server.closeAllConnections?.(), server.close(r))) };
}

const pair = (username, password) => ({ accountSid: AC, username, password, fingerprints: [] });

test("verifyPair: GET /2010-04-01/Accounts/{AC}.json with Basic auth; 200 live, 401 rejected, else unknown", async () => {
  const server = await fakeTwilio((user, pass) => (pass === TOKEN ? 200 : pass === "bad" ? 401 : pass === "busy" ? 429 : pass === "down" ? 503 : pass === "hang" ? "hang" : "drop"));
  try {
    assert.equal(await api.verifyPair(pair(AC, TOKEN), { baseUrl: server.base }), "live");
    assert.deepEqual(server.requests[0], { method: "GET", url: `/2010-04-01/Accounts/${AC}.json`, authorization: `Basic ${Buffer.from(`${AC}:${TOKEN}`).toString("base64")}` });
    assert.equal(await api.verifyPair(pair(AC, "bad"), { baseUrl: server.base }), "rejected");
    assert.equal(await api.verifyPair(pair(AC, "busy"), { baseUrl: server.base }), "unknown");
    assert.equal(await api.verifyPair(pair(AC, "down"), { baseUrl: server.base }), "unknown");
    assert.equal(await api.verifyPair(pair(AC, "hang"), { baseUrl: server.base, timeoutMs: 200 }), "unknown");
    assert.equal(await api.verifyPair(pair(AC, "reset"), { baseUrl: server.base }), "unknown");
    assert.ok(server.requests.every((r) => r.method === "GET"), "read-only: only GETs");
  } finally {
    await server.close();
  }
  // Nothing listening: a network error is unknown, never rejected.
  assert.equal(await api.verifyPair(pair(AC, TOKEN), { baseUrl: server.base }), "unknown");
});

test("credentialPairs: secrets pair with the SIDs next to them, by rule id and shape", () => {
  const source = `const c = { accountSid: "${AC}", authToken: "${TOKEN}" };\nconst k = { sid: "${SK}", secret: "${SECRET}" };\n`;
  const bytes = Buffer.from(source);
  const finding = (ruleId, value) => {
    const start = bytes.indexOf(value);
    return { ruleId, span: { start, end: start + Buffer.byteLength(value) }, fingerprint: `${ruleId}-fp` };
  };
  // The secret rules report auth tokens and key secrets; the pairing keys off their ids.
  const findings = [finding("account-sid", AC), finding("auth-token", TOKEN), finding("api-key-sid", SK), finding("api-key-secret", SECRET)];
  const pairs = api.credentialPairs(source, findings);
  assert.deepEqual(
    pairs.map((p) => [p.accountSid, p.username, p.password, p.fingerprints]),
    [
      [AC, AC, TOKEN, ["account-sid-fp", "auth-token-fp"]],
      [AC, SK, SECRET, ["api-key-sid-fp", "api-key-secret-fp"]],
    ],
  );
  // A SID alone is no pair.
  assert.deepEqual(api.credentialPairs(source, findings.slice(0, 1)), []);
});

test("--verify through the CLI: only GETs, results attached to the findings it could pair", async () => {
  const server = await fakeTwilio(() => 200);
  try {
    const dir = project({ "a.js": `const c = { accountSid: "${AC}", authToken: "${TOKEN}" };\n` });
    const result = await new Promise((resolve) => {
      const child = require("node:child_process").spawn(process.execPath, [require("./helpers").BIN, "--no-config", "--verify", "--format", "json", "a.js"], { cwd: dir, env: { ...process.env, FLEXGUARD_TWILIO_API_BASE: server.base } });
      let stdout = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.on("close", (status) => resolve({ status, stdout }));
    });
    const { findings } = JSON.parse(result.stdout);
    const hasTokenRule = api.rules().some((r) => r.id === "auth-token");
    if (hasTokenRule) {
      // With the credential rules merged, the pair is verified end to end.
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0].url, `/2010-04-01/Accounts/${AC}.json`);
      assert.ok(findings.some((f) => f.verification === "live"), JSON.stringify(findings));
    } else {
      // Only the SID is found yet: nothing to pair, so nothing is sent.
      assert.equal(server.requests.length, 0);
      assert.ok(findings.every((f) => f.verification === undefined));
    }
    assert.ok(server.requests.every((r) => r.method === "GET"));
    assert.ok(!result.stdout.includes(TOKEN));
  } finally {
    await server.close();
  }
});
