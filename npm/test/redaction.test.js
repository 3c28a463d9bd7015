// The redaction guarantee: plant one credential of every kind, run every format (and the
// baseline, --output, --verify, stdin and error paths), and grep all output for the values and
// their distinctive bodies.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { fill } = require("./testgen");
const { run, project } = require("./helpers");

const SECRETS = {
  accountSid: fill("AC{hex32}", 101),
  keySid: fill("SK{hex32}", 102),
  authToken: fill("{hex32}", 103),
  keySecret: fill("{alnum32}", 104),
  sendgrid: fill("SG.{b64url22}.{b64url43}", 105),
};

// Each value, and the parts that identify it without its prefix: the 32-character bodies and
// any 12-character window from their middle.
function needles() {
  const out = [];
  for (const value of Object.values(SECRETS)) {
    out.push(value);
    const body = value.replace(/^(AC|SK|SG\.)/, "");
    out.push(body);
    for (let i = 4; i + 12 <= body.length - 2; i += 6) out.push(body.slice(i, i + 12));
  }
  return out;
}

const PLUGIN = `import { FlexPlugin } from '@twilio/flex-plugin';
const twilio = {
  accountSid: '${SECRETS.accountSid}',
  authToken: '${SECRETS.authToken}',
};
const apiKey = { sid: '${SECRETS.keySid}', secret: '${SECRETS.keySecret}' };
const SENDGRID_API_KEY = '${SECRETS.sendgrid}';
export const call = () => fetch(\`https://api.twilio.com/2010-04-01/Accounts/\${twilio.accountSid}/Calls.json\`, {
  headers: { Authorization: 'Basic ' + btoa(twilio.accountSid + ':' + twilio.authToken) },
});
`;
const ENV = `TWILIO_ACCOUNT_SID=${SECRETS.accountSid}\nTWILIO_AUTH_TOKEN=${SECRETS.authToken}\nSENDGRID_API_KEY=${SECRETS.sendgrid}\n`;

// One row per file kind the engine reads: each holds the auth token beside its name.
const KIND_FILES = {
  ".env": ENV,
  "config/app.json": JSON.stringify({ sid: SECRETS.accountSid, token: SECRETS.authToken }),
  "src/config.yml": `twilio:\n  account_sid: ${SECRETS.accountSid}\n  auth_token: ${SECRETS.authToken}\n  api_secret: ${SECRETS.keySecret}\n`,
  "public/debug.html": `<meta name="twilio-auth-token" content="${SECRETS.authToken}">\n<script>const authToken = "${SECRETS.authToken}";</script>\n`,
  "README.md": `# Setup\n\n\`\`\`js\nconst client = require('twilio')('${SECRETS.accountSid}', '${SECRETS.authToken}');\n\`\`\`\n\n\`\`\`sh\nexport SENDGRID_API_KEY=${SECRETS.sendgrid}\n\`\`\`\n`,
};

test("no output of any format, file or error path contains a planted credential", async () => {
  const dir = project({ "src/plugin.js": PLUGIN, ...KIND_FILES, "broken.js": `const x = '${SECRETS.authToken}' +;\n` });
  // A server that answers every verify request, so --verify runs its whole path.
  const http = require("node:http");
  const server = http.createServer((req, res) => res.writeHead(401).end());
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const env = { ...process.env, FLEXGUARD_TWILIO_API_BASE: `http://127.0.0.1:${server.address().port}` };
  const outputs = [];
  let jsonStdout = "";
  const record = (label, result) => outputs.push([label, result.stdout + result.stderr]);
  try {
    for (const format of ["stylish", "json", "sarif", "github"]) {
      const runAsync = (args, options) => new Promise((resolve) => {
        const child = require("node:child_process").spawn(process.execPath, [require("./helpers").BIN, ...args], { cwd: dir, env, ...options });
        let stdout = "", stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        if (options?.input) child.stdin.end(options.input);
        else child.stdin.end();
        child.on("close", (status) => resolve({ status, stdout, stderr }));
      });
      const plain = await runAsync(["--no-config", "--format", format, "."]);
      if (format === "json") jsonStdout = plain.stdout;
      record(format, plain);
      record(`${format} --verify`, await runAsync(["--no-config", "--verify", "--format", format, "."]));
      record(`${format} --stdin`, await runAsync(["--no-config", "--stdin", "--stdin-filename", "x.js", "--format", format], { input: PLUGIN }));
      const out = path.join(dir, `out.${format}`);
      const toFile = await runAsync(["--no-config", "--format", format, "--output", out, "."]);
      record(`${format} --output`, toFile);
      outputs.push([`${format} file`, fs.readFileSync(out, "utf8")]);
    }
    const baseline = path.join(dir, "baseline.json");
    record("write-baseline", run(["--no-config", "--write-baseline", baseline, "."], { cwd: dir }));
    outputs.push(["baseline file", fs.readFileSync(baseline, "utf8")]);
    record("with baseline", run(["--no-config", "--baseline", baseline, "."], { cwd: dir }));
    // Error paths: a secret-bearing config value and a bad --rule.
    fs.writeFileSync(path.join(dir, "flexguard.config.json"), JSON.stringify({ allow: [SECRETS.authToken, SECRETS.sendgrid] }));
    record("bad config", run(["."], { cwd: dir }));
    record("bad rule", run(["--rule", `${SECRETS.keySecret}=off`, "."], { cwd: dir }));
    record("bad rule id", run(["--rule", `${SECRETS.authToken}=off`, "."], { cwd: dir }));
    record("bad option", run([`--${SECRETS.authToken}`, "."], { cwd: dir }));
    fs.writeFileSync(path.join(dir, "flexguard.config.json"), JSON.stringify({ rules: { [SECRETS.authToken]: "off" } }));
    record("bad config rule", run(["."], { cwd: dir }));
    fs.writeFileSync(path.join(dir, "suppressed.js"), `// flexguard-ignore-next-line ${SECRETS.authToken} -- x\nconst y = 1;\n`);
    fs.rmSync(path.join(dir, "flexguard.config.json"));
    record("suppression with a secret id", run(["--no-config", "--format", "json", "suppressed.js"], { cwd: dir }));
  } finally {
    server.close();
  }

  const all = outputs.map(([, text]) => text).join("\n");
  // The test is meaningful: findings were reported, at least the SID in three files.
  const json = JSON.parse(jsonStdout);
  assert.ok(json.findings.filter((f) => f.ruleId === "account-sid").length >= 3, JSON.stringify(json.findings.map((f) => f.ruleId)));
  for (const file of Object.keys(KIND_FILES)) {
    assert.ok(json.findings.some((f) => f.file === file && f.ruleId === "auth-token"), `${file}: the auth token is reported`);
  }
  for (const needle of needles()) {
    for (const [label, text] of outputs) assert.ok(!text.includes(needle), `${label} output contains a planted credential fragment`);
  }
  assert.ok(all.length > 1000);
});
