// Node API: lint, lintFiles (parallel on workers, deterministic order), formatters, rules,
// generated types, ESM and CommonJS; CLI progress only on a TTY.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { Writable } = require("node:stream");
const { fill } = require("./testgen");
const { project } = require("./helpers");
const api = require("../dist/node.js");

const many = (n) => {
  const files = {};
  for (let i = 0; i < n; i++) {
    const body = i % 3 === 0 ? `export const sid${i} = '${fill("AC{hex32}", 300 + i)}';\n` : i % 3 === 1 ? "fetch('https://api.twilio.com/2010-04-01/Accounts.json');\n" : "export const x = 1;\n";
    files[`src/d${i % 4}/f${String(i).padStart(3, "0")}.js`] = body;
  }
  return project(files);
};

test("lint(source, {filename}) reports redacted, positioned findings", () => {
  const sid = fill("AC{hex32}", 9);
  const report = api.lint(`\nconst a = '${sid}';`, { filename: "src/a.ts", rules: { "account-sid": "error" } });
  assert.equal(report.findings.length, 1);
  const [f] = report.findings;
  assert.deepEqual([f.file, f.ruleId, f.severity, f.line, f.column], ["src/a.ts", "account-sid", "error", 2, 12]);
  assert.ok(!JSON.stringify(report).includes(sid));
  assert.throws(() => api.lint("", { rules: { nope: "off" } }), /nope/);
});

test("lintFiles: parallel on workers equals sequential, in a deterministic order", async () => {
  const dir = many(90);
  const progress = [];
  const sequential = await api.lintFiles(["src"], { cwd: dir, concurrency: 1 });
  const parallel = await api.lintFiles(["src"], { cwd: dir, concurrency: 3, parallelThreshold: 1, onProgress: (done, total) => progress.push([done, total]) });
  assert.equal(parallel.length, 90);
  assert.deepEqual(parallel, sequential);
  const files = parallel.flatMap((r) => r.findings.map((f) => f.file));
  assert.deepEqual(files, [...files].sort(), "directory order: sorted");
  assert.equal(files.length, 60);
  assert.deepEqual(progress.at(-1), [90, 90]);
  assert.equal(progress.length, 90);
  // Worker threads really ran: the engine in this thread did not see those files.
  const { Worker } = require("node:worker_threads");
  assert.ok(typeof Worker === "function" && fs.existsSync(path.join(__dirname, "..", "dist", "worker.js")));
});

/** A webpack 5 production bundle past the engine's split size: FAKE credentials in a few of its modules. */
function largeBundle() {
  const modules = [];
  for (let i = 0; i < 13000; i++) modules.push(`${i}:(e,t,n)=>{var a="{ not a brace",b=/\{[^}]*\}/g,c=\`x\${{k:${i}}.k}}\`,d=a.length/2/${i};e.exports={a,b,c,d}}`);
  for (const at of [7, 6999, 12998]) {
    const sid = fill("AC{hex32}", 700 + at);
    modules[at] = `${at}:(e,t,n)=>{const s${at}="${sid.slice(0, 12)}"+"${sid.slice(12)}";fetch("https://api.twilio.com/2010-04-01/Accounts/"+s${at}+"/Calls.json");fetch("https://demo-1234.twil.io/sync",{method:"POST"})}`;
  }
  return `(()=>{var e={${modules.join(",")}},t={};function n(r){var o=t[r];if(void 0!==o)return o.exports;var i=t[r]={exports:{}};return e[r](i,i.exports,n),i.exports}n(7)})();\n`;
}

test("lintFiles: a large bundle's modules are shared between threads, and reported as one thread reports them", async () => {
  const bundle = largeBundle();
  const filler = Array.from({ length: 40_000 }, (_, i) => `function f${i}(a,b){return a*b+${i}}`).join("\n");
  const sid = fill("AC{hex32}", 777);
  const dir = project({ "dist/main.js": bundle, "dist/vendor.js": `${filler}\nvar sid="${sid}";\n`, "src/a.js": "export const x = 1;\n" });
  const bytes = fs.readFileSync(path.join(dir, "dist/main.js"));
  assert.ok(bytes.length > 1 << 20);
  const { plan } = api.flexguard.lintOrPlan(bytes, { filename: "dist/main.js" });
  assert.equal(plan.parts.length, 13000);
  // Not a bundle: no plan, its report as `lint` gives it.
  const vendorBytes = fs.readFileSync(path.join(dir, "dist/vendor.js"));
  const { report } = api.flexguard.lintOrPlan(vendorBytes, { filename: "dist/vendor.js" });
  assert.deepEqual(report, api.lint(vendorBytes, { filename: "dist/vendor.js" }));
  assert.deepEqual(report.findings.map((f) => f.ruleId), ["account-sid"]);

  const options = { cwd: dir, config: false, cache: false };
  const one = await api.lintFiles(["dist", "src"], { ...options, concurrency: 1 });
  const { WorkerPool } = require("../dist/pool.js");
  await WorkerPool.shared().close();
  const two = await api.lintFiles(["dist", "src"], { ...options, concurrency: 2 });
  assert.equal(WorkerPool.shared().size, 1, "a worker took a share of the bundle");
  assert.deepEqual(two, one);
  const [main, vendor] = one;
  assert.deepEqual(
    main.findings.map((f) => [f.ruleId, f.module]),
    [7, 6999, 12998].flatMap((at) => [["account-sid", String(at)], ["direct-api-call", String(at)], ["function-call-without-token", String(at)]]),
  );
  assert.deepEqual(vendor.findings.map((f) => f.ruleId), ["account-sid"]);
  // The engine on this thread alone (`lint`) agrees too.
  assert.deepEqual(api.lint(bytes, { filename: main.findings[0].file }).findings, main.findings);
  assert.ok(!JSON.stringify(two).includes(sid));
});

test("lintFiles: workers start once for the process, keep it alive only while they lint, and the pool is sized to the input", async () => {
  const { spawnSync } = require("node:child_process");
  const dir = many(40);
  // A child process: the same workers serve a second call, and the process then exits on its own.
  const script = `
    const api = require(${JSON.stringify(path.join(__dirname, "..", "dist", "node.js"))});
    const { WorkerPool } = require(${JSON.stringify(path.join(__dirname, "..", "dist", "pool.js"))});
    (async () => {
      const options = { cwd: ${JSON.stringify(dir)}, config: false, cache: false, concurrency: 2, parallelThreshold: 1 };
      const first = await api.lintFiles(["src"], options);
      const size = WorkerPool.shared().size;
      const second = await api.lintFiles(["src"], options);
      const small = await api.lintFiles(["src/d0"], { ...options, parallelThreshold: undefined });
      console.log(JSON.stringify({ size, after: WorkerPool.shared().size, same: JSON.stringify(first) === JSON.stringify(second), findings: first.flatMap((r) => r.findings).length, small: small.length }));
    })();`;
  const started = Date.now();
  const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  const result = JSON.parse(child.stdout);
  assert.deepEqual(result, { size: 1, after: 1, same: true, findings: 27, small: 10 });
  assert.ok(Date.now() - started < 30_000);
  // The estimate: no worker for a few small files; workers for many; none for one big file (it
  // cannot be split across threads), and running workers cost nothing to start.
  const { workersFor } = require("../dist/pool.js");
  assert.equal(workersFor(Array(10).fill(1_000), 3), 0);
  assert.ok(workersFor(Array(3_000).fill(1_000), 3) >= 1);
  assert.equal(workersFor([10_000_000, 100], 3), 0);
  assert.ok(workersFor(Array(300).fill(1_000), 1, 1) >= workersFor(Array(300).fill(1_000), 1, 0));
});

test("lintFiles applies rules, unreadable files become io-error diagnostics", async () => {
  const dir = project({ "a.js": `const a = '${fill("AC{hex32}", 1)}';\n` });
  const [report] = await api.lintFiles(["a.js"], { cwd: dir, config: false, rules: { "account-sid": "off" } });
  assert.deepEqual(report.findings, []);
  fs.symlinkSync(path.join(dir, "missing.js"), path.join(dir, "dangling.js"));
  const reports = await api.lintFiles([path.join(dir, "dangling.js")], { cwd: dir, config: false });
  assert.equal(reports[0].diagnostics[0].code, "io-error");
  await assert.rejects(api.lintFiles(["nope/"], { cwd: dir, config: false }), /no such file/);
});

test("ESM and CommonJS expose the same API", async () => {
  const esm = await import("../esm/node.mjs");
  for (const name of ["lint", "lintFiles", "formatters", "rules", "loadConfig", "validateConfig", "createBaseline", "applyBaseline", "verifyPair", "credentialPairs", "ConfigError"]) {
    assert.equal(typeof esm[name], typeof api[name], name);
    assert.ok(api[name], `${name} exported from CommonJS`);
  }
  assert.deepEqual(Object.keys(esm.formatters).sort(), ["github", "gitlab", "json", "sarif", "stylish"]);
  assert.equal(esm.lint, api.lint, "one engine for both");
  const missing = Object.keys(api).filter((k) => !(k in esm) && k !== "__esModule");
  assert.deepEqual(missing, [], "every CommonJS export is re-exported by esm/node.mjs");
});

test("types: generated engine types are what the API declares", () => {
  const dts = fs.readFileSync(path.join(__dirname, "..", "dist", "node.d.ts"), "utf8");
  assert.match(dts, /export declare function lintFiles\(paths: string\[\], options\?: LintFilesOptions\): Promise<Report\[\]>/);
  const core = fs.readFileSync(path.join(__dirname, "..", "dist", "core.d.ts"), "utf8");
  assert.match(core, /from "\.\.\/wasm\/nodejs\/flexguard"/, "Finding, Report… come from the tsify-generated d.ts");
});

test("CLI progress goes to stderr on a TTY with many files, and nowhere otherwise", async () => {
  const { main } = require("../dist/cli.js");
  const dir = many(25);
  const sink = (isTTY) => {
    let text = "";
    const stream = new Writable({ write: (chunk, _e, done) => ((text += chunk), done()) });
    stream.isTTY = isTTY;
    return { stream, text: () => text };
  };
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const tty = sink(true), out1 = sink(false);
    await main(["--no-config", "src"], out1.stream, tty.stream);
    assert.match(tty.text(), /\rflexguard: 25\/25 files/);
    assert.ok(!out1.text().includes("25/25"), "progress never on stdout");
    const piped = sink(false), out2 = sink(false);
    await main(["--no-config", "src"], out2.stream, piped.stream);
    assert.equal(piped.text(), "");
    const few = sink(true);
    await main(["--no-config", "src/d0/f000.js"], sink(false).stream, few.stream);
    assert.equal(few.text(), "", "quiet for a few files");
  } finally {
    process.chdir(cwd);
  }
});
