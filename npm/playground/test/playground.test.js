// The built playground (playground/dist) in a real headless Chromium (Debian's, driven by
// playwright-core), served by a tiny static server under a path prefix. Run by `make test-playground`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { chromium } = require("playwright-core");
const { fill } = require("../../test/testgen");
const { run, project } = require("../../test/helpers");

const DIST = path.join(__dirname, "..", "dist");
const WEB_ENTRY = path.join(__dirname, "..", "..", "dist", "web.mjs");
const REPO = path.join(__dirname, "..", "..", "..");
const PREFIX = "/some/prefix/";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
// Flags from the machine notes: without the background-networking ones Chromium dials out at start.
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const TYPES = { ".svg": "image/svg+xml", ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm" };

/** Serve dist/ under PREFIX, plus the package's web entry (for the re-instantiation test) under __test__/. */
function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    let file;
    if (url.pathname === `${PREFIX}__test__/web.mjs`) file = WEB_ENTRY;
    else if (url.pathname.startsWith(PREFIX)) file = path.join(DIST, path.normalize(url.pathname.slice(PREFIX.length) || "index.html"));
    if (!file || !file.startsWith(path.dirname(WEB_ENTRY)) && !file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let server, browser, base, origin;

test.before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, "index.html")), "build the playground first: make playground");
  server = await serve();
  origin = `http://127.0.0.1:${server.address().port}`;
  base = `${origin}${PREFIX}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

test.after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh page that records every request and every console error, loaded and ready. */
async function openPlayground(url = base) {
  const context = await browser.newContext({ acceptDownloads: true });
  const requests = [];
  const errors = [];
  context.on("request", (request) => requests.push(request.url()));
  const page = await context.newPage();
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(url);
  await page.locator("#status", { hasText: /^(ready|done)$/ }).waitFor();
  await page.locator("#status", { hasText: "done" }).waitFor(); // the first lint (example or shared code)
  return { context, page, requests, errors };
}

/** Replace the editor's text as a user pasting would (one input event, no auto-closing brackets). */
async function typeCode(page, code) {
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(code);
}

const editorText = (page) => page.locator(".cm-line").evaluateAll((lines) => lines.map((l) => l.textContent).join("\n"));
const sameOrigin = (url) => new URL(url).origin === origin;

test("the page loads from a path prefix, with no console errors and only same-origin requests", async () => {
  const { context, page, requests, errors } = await openPlayground();
  try {
    assert.deepEqual(errors, []);
    assert.ok(requests.length >= 5, `recorded ${requests.length} requests`);
    assert.deepEqual(requests.filter((url) => !sameOrigin(url)), []);
    // The recorder sees the worker's own fetches too (else the same-origin check would prove little).
    assert.ok(requests.some((url) => url.endsWith(`${PREFIX}wasm/flexguard_bg.wasm`)), requests.join("\n"));
    assert.ok(requests.every((url) => url.startsWith(base)), requests.join("\n"));
    // The example plugin's planted fakes are found; excerpts are redacted.
    await page.locator("#findings [data-rule=account-sid]").first().waitFor();
    await page.locator("#findings [data-rule=direct-api-call]").first().waitFor();
    const sid = /AC[0-9a-f]{32}/.exec(await editorText(page))[0];
    assert.ok(!(await page.locator("#findings").textContent()).includes(sid), "the full SID must not appear in the findings");
    // The rules panel comes from the engine registry.
    const ruleIds = await page.locator("#rules li").evaluateAll((items) => items.map((li) => li.dataset.rule));
    assert.ok(ruleIds.includes("account-sid") && ruleIds.includes("direct-api-call"), ruleIds.join());

    await page.setViewportSize({ width: 1400, height: 820 });
    const shot = await page.screenshot();
    const artifacts = path.join(REPO, "target", "playground");
    fs.mkdirSync(artifacts, { recursive: true });
    fs.writeFileSync(path.join(artifacts, "screenshot.png"), shot);
    if (process.env.UPDATE_SCREENSHOT) fs.writeFileSync(path.join(__dirname, "..", "screenshot.png"), shot);
  } finally {
    await context.close();
  }
});

test("typed code is linted as you type: findings in the list, inline and in the gutter; nothing leaves the page", async () => {
  const { context, page, requests, errors } = await openPlayground();
  try {
    const loaded = requests.length;
    const code = fill("const sid = 'AC{hex32}';\n\nfetch(`https://api.twilio.com/2010-04-01/Accounts/${sid}/Calls.json`);\n", 9);
    await typeCode(page, code);
    await page.locator('#findings [data-rule=account-sid][data-line="1"]').waitFor();
    await page.locator('#findings [data-rule=direct-api-call][data-line="3"]').waitFor();
    assert.equal(await page.locator("#findings [data-rule]").count(), 2);
    assert.equal(await page.locator("#status").textContent(), "done");
    assert.ok((await page.locator(".cm-lintRange-error").count()) >= 1, "inline underline");
    assert.ok((await page.locator(".cm-gutter-lint .cm-lint-marker").count()) >= 2, "gutter markers");
    assert.match(await page.locator('#findings [data-rule=account-sid]').textContent(), /error|warning/);

    // Hovering the underline shows the message.
    await page.locator(".cm-lintRange-error").first().hover();
    await page.locator(".cm-tooltip-lint").waitFor();

    // Clicking a finding moves the cursor to its line.
    await page.locator('#findings [data-rule=direct-api-call]').click();
    assert.equal((await page.locator(".cm-activeLineGutter").first().textContent()).trim(), "3");

    // Rule toggles: turning account-sid off removes its finding, on brings it back.
    await page.locator("[data-rule-toggle=account-sid]").uncheck();
    await page.locator("#findings [data-rule=account-sid]").waitFor({ state: "detached" });
    assert.equal(await page.locator("#findings [data-rule=direct-api-call]").count(), 1);
    await page.locator("[data-rule-toggle=account-sid]").check();
    await page.locator("#findings [data-rule=account-sid]").waitFor();

    // Download the results as JSON (a blob: URL of the page's own origin).
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download-json").click()]);
    const json = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
    assert.deepEqual(json.findings.map((f) => f.ruleId).sort(), ["account-sid", "direct-api-call"]);
    assert.ok(!JSON.stringify(json).includes(/AC[0-9a-f]{32}/.exec(code)[0]), "downloads are redacted");

    assert.deepEqual(errors, []);
    const after = requests.slice(loaded).filter((url) => !url.startsWith("blob:"));
    assert.deepEqual(after, [], "no requests after load (linting runs in the page)");
    assert.deepEqual(requests.filter((url) => !url.startsWith("blob:") && !sameOrigin(url)), []);
  } finally {
    await context.close();
  }
});

/** A minified bundle with one planted fake SID and one direct REST call on its single line. */
function minifiedBundle(bytes, seed) {
  const filler = "var a=function(n){return n*2+1},b=[1,2,3].map(a);";
  const body = filler.repeat(Math.ceil(bytes / filler.length));
  return `!function(){${body}${fill("var s='AC{hex32}';", seed)}fetch("https://api.twilio.com/2010-04-01/Accounts.json",{method:"POST"})}();\n`;
}

test("opening a minified bundle (> 1 MB) lints it in the worker as a file", async () => {
  const { context, page, requests, errors } = await openPlayground();
  try {
    const loaded = requests.length;
    await page.locator("#file-input").setInputFiles({ name: "bundle.min.js", mimeType: "text/javascript", buffer: Buffer.from(minifiedBundle(1_200_000, 21)) });
    await page.locator('#findings [data-rule=account-sid][data-file="bundle.min.js"][data-line="1"]').waitFor({ timeout: 60_000 });
    await page.locator('#findings [data-rule=direct-api-call][data-file="bundle.min.js"]').waitFor();
    assert.equal(await page.locator("#status").textContent(), "done");
    assert.match(await page.locator("#source-label").textContent(), /bundle\.min\.js/);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests.slice(loaded), []);
  } finally {
    await context.close();
  }
});

test("dropping a source map lists its sources (sourceRoot applied) and lints each embedded source", async () => {
  const { context, page, requests, errors } = await openPlayground();
  try {
    const loaded = requests.length;
    const map = JSON.stringify({
      version: 3,
      file: "plugin.js",
      // The engine names sources with the root applied; the page must show the same names.
      sourceRoot: "webpack://demo/",
      sources: ["./src/config.js", "./src/api.js", "./src/empty.js"],
      sourcesContent: [fill("// config\nexport const sid = 'AC{hex32}';\n", 31), "export const send = () => fetch('https://api.twilio.com/2010-04-01/Accounts.json');\n", "export {};\n"],
      mappings: "AAAA",
    });
    const before = await editorText(page);
    // A real drop event carrying a File, as the browser dispatches it.
    await page.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], "plugin.js.map", { type: "application/json" }));
      for (const type of ["dragenter", "dragover", "drop"]) {
        // On the editor itself: CodeMirror must not paste the file's text.
        document.querySelector(".cm-content").dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }
    }, map);
    await page.locator('#findings [data-rule=account-sid][data-file="webpack://demo/./src/config.js"][data-line="2"]').waitFor();
    await page.locator('#findings [data-rule=direct-api-call][data-file="webpack://demo/./src/api.js"][data-line="1"]').waitFor();
    const listed = await page.locator("#map-sources li").allTextContents();
    assert.deepEqual(listed, ["webpack://demo/./src/config.js", "webpack://demo/./src/api.js", "webpack://demo/./src/empty.js"]);
    assert.ok(await page.locator("#drop-overlay").isHidden());
    assert.equal(await editorText(page), before, "the dropped map was not pasted into the editor");

    // Clicking a finding of an embedded source opens it in the editor at that line.
    await page.locator("#findings [data-rule=account-sid]").click();
    await page.locator("#source-label", { hasText: "webpack://demo/./src/config.js" }).waitFor();
    assert.match(await editorText(page), /^\/\/ config\nexport const sid/);
    assert.equal((await page.locator(".cm-activeLineGutter").first().textContent()).trim(), "2");
    assert.deepEqual(errors, []);
    assert.deepEqual(requests.slice(loaded), []);
  } finally {
    await context.close();
  }
});

/** Drop files on the editor as the browser dispatches a real drop: `files` is [{ name, text }]. */
async function dropFiles(page, files) {
  await page.evaluate((files) => {
    const transfer = new DataTransfer();
    for (const { name, text } of files) transfer.items.add(new File([text], name, { type: "text/javascript" }));
    for (const type of ["dragenter", "dragover", "drop"]) {
      document.querySelector(".cm-content").dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
    }
  }, files);
}

/** What hosts.test.js compares: rule, severity, position and fingerprint, sorted. */
const comparable = (findings) =>
  findings
    .map(({ ruleId, severity, line, column, fingerprint }) => ({ ruleId, severity, line, column, fingerprint }))
    .sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));

test("files dropped together are one project: a Function URL from one reaches the call in another", async () => {
  const { context, page, errors } = await openPlayground();
  try {
    await dropFiles(page, [
      { name: "config.js", text: "export const ENDPOINTS = { pause: 'https://tasks-1234.twil.io/pause' };\n" },
      { name: "api.js", text: "import { ENDPOINTS } from './config';\nexport const pause = () => fetch(ENDPOINTS.pause, { method: 'POST', body: '{}' });\n" },
    ]);
    await page.locator('#findings [data-rule=function-call-without-token][data-file="api.js"][data-line="2"]').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** A small repository: a config module, a call in another module, and what a walk skips. */
const REPOSITORY = {
  "src/config.js": "export const ENDPOINTS = { pause: 'https://tasks-1234.twil.io/pause' };\n",
  "src/api.js": "import { ENDPOINTS } from './config';\nexport const pause = () => fetch(ENDPOINTS.pause, { method: 'POST', body: '{}' });\n",
  "node_modules/sms-helper/index.js": `module.exports = { account: '${fill("AC{hex32}", 61)}' };\n`,
  "public/logo.png": "\x89PNG not text",
};

/** A .zip of `files` under `folder/` (as GitHub downloads a repository): deflated entries, written by hand. */
function zipOf(folder, files) {
  const zlib = require("node:zlib");
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const deflated = zlib.deflateRawSync(data);
    const fileName = Buffer.from(`${folder}/${name}`);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(8, 8);
    header.writeUInt32LE(zlib.crc32(data), 14);
    header.writeUInt32LE(deflated.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(fileName.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(8, 10);
    header.copy(entry, 16, 14, 26); // crc and sizes
    entry.writeUInt16LE(fileName.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(header, fileName, deflated);
    central.push(entry, fileName);
    offset += header.length + fileName.length + deflated.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The files the page lists findings for, and whether it found the cross-file call. */
async function listedFiles(page) {
  await page.locator('#findings [data-rule=function-call-without-token][data-file="src/api.js"][data-line="2"]').waitFor();
  return page.locator("#findings [data-file]").evaluateAll((items) => [...new Set(items.map((item) => item.dataset.file))].sort());
}

test("an opened folder is linted as a project, named by its paths, without what a walk skips", async () => {
  const { context, page, errors } = await openPlayground();
  try {
    const dir = path.join(project(Object.fromEntries(Object.entries(REPOSITORY).map(([name, text]) => [`plugin-repo/${name}`, text]))), "plugin-repo");
    await page.locator("#folder-input").setInputFiles(dir);
    assert.deepEqual(await listedFiles(page), ["src/api.js"]);
    assert.equal(await page.locator("#source-label").textContent(), "plugin-repo/");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a .zip of a repository is read in the page: its files linted as a project, a damaged archive noted", async () => {
  const { context, page, requests, errors } = await openPlayground();
  try {
    await page.locator("#file-input").setInputFiles({ name: "plugin-repo-main.zip", mimeType: "application/zip", buffer: zipOf("plugin-repo-main", REPOSITORY) });
    assert.deepEqual(await listedFiles(page), ["src/api.js"]);
    await page.locator("#file-input").setInputFiles([
      { name: "broken.zip", mimeType: "application/zip", buffer: Buffer.from("PK not really an archive") },
      { name: "api.js", mimeType: "text/javascript", buffer: Buffer.from(REPOSITORY["src/api.js"]) },
    ]);
    await page.locator("#notes li.note-unreadable", { hasText: /^broken\.zip:1:1 unreadable: not a \.zip archive/ }).waitFor();
    assert.ok(requests.every(sameOrigin), "nothing leaves the page");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("dropped .env, JSON, YAML, HTML and Markdown files are read by their kind: the secret beside its name is found", async () => {
  // Generated here, so this repository holds none.
  const token = fill("{hex32}", 81);
  const files = [
    { name: ".env.production", text: `# prod\nTWILIO_AUTH_TOKEN=${token}\n`, line: 2 },
    { name: "appConfig.json", text: `{\n  "twilio": { "authToken": "${token}" }\n}\n`, line: 2 },
    { name: "config.yml", text: `deploy:\n  twilio:\n    auth_token: ${token}\n`, line: 3 },
    { name: "debug.html", text: `<p>debug</p>\n<script>\n  const authToken = "${token}";\n</script>\n`, line: 3 },
    { name: "README.md", text: `# Setup\n\n\`\`\`js\nconst client = require('twilio')(process.env.SID, '${token}');\n\`\`\`\n`, line: 4 },
  ];
  const { context, page, errors } = await openPlayground();
  try {
    await dropFiles(page, files);
    for (const { name, line } of files) await page.locator(`#findings [data-rule=auth-token][data-file="${name}"][data-line="${line}"]`).waitFor();
    assert.ok(!(await page.content()).includes(token), "the token is never shown");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the playground worker reports the CLI's findings and fingerprints for the same dropped file", async () => {
  // One plugin file; its fake credentials are generated here, so this repository holds none.
  const source = [
    fill("const accountSid = 'AC{hex32}';", 71),
    fill("const authToken = '{hex32}';", 72),
    "",
    "export function sendSms(to) {",
    "  return fetch(`https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Messages.json`, {",
    "    method: 'POST',",
    "    headers: { Authorization: 'Basic ' + btoa(accountSid + ':' + authToken) },",
    "    body: new URLSearchParams({ To: to, Body: 'Hello' }),",
    "  });",
    "}",
    "",
    "export function notify() {",
    '  return fetch("https://svc-1234.twil.io/x", { method: "POST", body: "{}" });',
    "}",
    "",
  ].join("\n");
  const lines = source.split("\n");
  const lineOf = (text) => lines.findIndex((l) => l.includes(text)) + 1;
  const planted = [
    ["account-sid", lineOf("const accountSid")],
    ["auth-token", lineOf("const authToken")],
    ["direct-api-call", lineOf("api.twilio.com")],
    ["function-call-without-token", lineOf("twil.io")],
  ];

  // The CLI in a directory with no git repository and no config: the project root is that
  // directory, so the fingerprinted path is `plugin.js`, the name the page lints the file under.
  const dir = project({ "plugin.js": source });
  const cli = run(["--no-config", "--format", "json", "plugin.js"], { cwd: dir });
  assert.equal(cli.status, 1, cli.stderr);
  const cliFindings = JSON.parse(cli.stdout).findings;
  assert.deepEqual([...new Set(cliFindings.map((f) => f.file))], ["plugin.js"]);
  const expected = comparable(cliFindings);
  for (const f of expected) assert.match(f.fingerprint, /^[0-9a-f]{24}$/, `CLI: ${f.ruleId} ${f.line}:${f.column}`);
  for (const [rule, line] of planted) assert.ok(expected.some((f) => f.ruleId === rule && f.line === line), `CLI: ${rule} on line ${line}\n${JSON.stringify(expected, null, 2)}`);

  const { context, page, requests, errors } = await openPlayground();
  try {
    const loaded = requests.length;
    await dropFiles(page, [{ name: "plugin.js", text: source }]);
    // The page shows only results of the text in the editor (stale lints are dropped), so once
    // these are listed, the export below holds the dropped file's report.
    for (const [rule, line] of planted) await page.locator(`#findings [data-rule=${rule}][data-file="plugin.js"][data-line="${line}"]`).first().waitFor();
    assert.equal(await editorText(page), source);
    assert.equal(await page.locator("#status").textContent(), "done");

    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download-json").click()]);
    const json = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
    assert.deepEqual([...new Set(json.findings.map((f) => f.file))], ["plugin.js"]);
    assert.deepEqual(comparable(json.findings), expected);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests.slice(loaded).filter((url) => !url.startsWith("blob:")), []);
  } finally {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a large bundle is linted in the worker with progress while the page stays responsive", { timeout: 300_000 }, async () => {
  // The size: 10 MB (about 30 s of engine time here). PLAYGROUND_BIG_MB=2 for a quick run.
  const megabytes = Number(process.env.PLAYGROUND_BIG_MB ?? 10);
  const { context, page, errors } = await openPlayground();
  try {
    // Measure the longest gap between timer ticks on the page's main thread while the worker lints.
    await page.evaluate(() => {
      window.__gaps = { last: performance.now(), max: 0 };
      window.__gaps.timer = setInterval(() => {
        const now = performance.now();
        window.__gaps.max = Math.max(window.__gaps.max, now - window.__gaps.last);
        window.__gaps.last = now;
      }, 20);
    });
    await page.locator("#file-input").setInputFiles({ name: "big.min.js", mimeType: "text/javascript", buffer: Buffer.from(minifiedBundle(megabytes * 1e6, 41)) });
    await page.locator("#progress-label", { hasText: /Linting big\.min\.js \(\d+(\.\d)? MB\)/ }).waitFor();
    assert.ok(await page.locator("#progress").isVisible());
    // Count from here: handing the file to the page (playwright over CDP) is not the page's doing.
    await page.evaluate(() => (window.__gaps.max = 0));
    // The page answers (and can be typed into) while the lint runs.
    assert.equal(await page.locator("#status").textContent(), "linting");
    await page.locator('#findings [data-rule=account-sid][data-file="big.min.js"]').waitFor({ timeout: 280_000 });
    const maxGap = await page.evaluate(() => (clearInterval(window.__gaps.timer), window.__gaps.max));
    assert.ok(maxGap < 1000, `the main thread stalled for ${Math.round(maxGap)} ms`);
    assert.ok(await page.locator("#progress").isHidden());
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a share link round-trips the code through the URL fragment", async () => {
  const first = await openPlayground();
  let second;
  try {
    const code = fill("// shared ✓ ünïcödé\nconst sid = 'AC{hex32}';\n", 51);
    await typeCode(first.page, code);
    await first.page.locator('#findings [data-rule=account-sid][data-line="2"]').waitFor();
    await first.page.locator("#share").click();
    // The box appears once the link is compressed (asynchronously): wait, then check.
    await first.page.locator("#share-warning").waitFor({ state: "visible" });
    assert.ok(await first.page.locator("#share-warning").isVisible());
    assert.match(await first.page.locator("#share-warning").textContent(), /never share a link to code with real credentials/);
    const link = await first.page.locator("#share-link").inputValue();
    assert.ok(link.startsWith(`${base}#code=`), link.slice(0, 80));
    assert.ok(!link.includes(/AC[0-9a-f]{32}/.exec(code)[0]), "the link is compressed, not the plain code");

    second = await openPlayground(link);
    assert.equal(await editorText(second.page), code);
    await second.page.locator('#findings [data-rule=account-sid][data-line="2"]').waitFor();
    assert.deepEqual([...first.errors, ...second.errors], []);
  } finally {
    await first.context.close();
    await second?.context.close();
  }
});

test("the web entry replaces a trapped engine with a fresh instance in the browser", async () => {
  const { context, page, errors } = await openPlayground();
  try {
    const result = await page.evaluate(async (sidSource) => {
      const web = await import("./__test__/web.mjs");
      const loaded = await web.loadFlexguard({ glueUrl: new URL("./wasm/flexguard.js", location.href) });
      const first = loaded.engine;
      // A core whose first engine traps like a panicking wasm instance would.
      let instances = 0;
      const core = new web.BrowserFlexguard(loaded.factory);
      const trapping = new web.Flexguard(() => {
        const engine = loaded.factory.take();
        return instances++ === 0 ? { ...engine, lint: () => { throw new WebAssembly.RuntimeError("unreachable"); } } : engine;
      });
      await loaded.factory.ready();
      const trapped = trapping.lint("x", { filename: "bad.js" });
      await loaded.factory.ready();
      const next = trapping.lint(sidSource, { filename: "good.js" });
      await core.ready();
      return {
        trapped: trapped.diagnostics.map((d) => `${d.code}:${d.file}`),
        next: next.findings.map((f) => f.ruleId),
        instances,
        distinct: new Set([first, core.engine, trapping.engine]).size,
      };
    }, fill("const sid = 'AC{hex32}';", 61));
    assert.deepEqual(result.trapped, ["internal-error:bad.js"]);
    assert.deepEqual(result.next, ["account-sid"]);
    assert.equal(result.instances, 2);
    assert.equal(result.distinct, 3, "each engine is its own glue module and wasm instance");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("adversarial code in the editor: a clear note, the credential still found, nothing secret on the page", async () => {
  const { context, page, errors } = await openPlayground();
  try {
    const sid = fill("AC{hex32}", 62);
    // 100k-deep nesting: the engine scans it as text and says so.
    await typeCode(page, `const planted = '${sid}';\nx=${"[".repeat(100_000)}1${"]".repeat(100_000)};\n`);
    await page.locator(".note-limit").waitFor();
    await page.locator('#findings [data-rule=account-sid][data-line="1"]').waitFor();
    // A syntax error quoting a credential: a parse-error note, still scanned, quoted redacted.
    await typeCode(page, `const planted = '${sid}';\nlet ${sid} = ;\n`);
    await page.locator(".note-parse-error").waitFor();
    await page.locator("#findings [data-rule=account-sid]").first().waitFor();
    const visible = await page.locator("body").evaluate((body) => {
      const editor = body.querySelector(".cm-editor");
      const clone = body.cloneNode(true);
      clone.querySelector(".cm-editor")?.remove();
      return { text: clone.textContent, hasEditor: Boolean(editor) };
    });
    assert.ok(visible.hasEditor);
    assert.ok(!visible.text.includes(sid), "a full credential is shown outside the editor");
    assert.ok(!visible.text.includes(sid.slice(2)), "the credential's digits are shown outside the editor");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the built playground uses relative URLs only", () => {
  const html = fs.readFileSync(path.join(DIST, "index.html"), "utf8");
  const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(urls.length >= 2);
  for (const url of urls) assert.match(url, /^\.\//, url);
  assert.ok(fs.existsSync(path.join(DIST, "wasm", "flexguard_bg.wasm")));
});
