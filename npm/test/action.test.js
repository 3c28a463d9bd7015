// The GitHub Action (action.yml at the repository root): its steps run as GitHub runs a composite
// action's steps (inputs and `github.workspace` substituted, `if:` on earlier steps' outputs),
// in the environment GitHub gives a step (GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
// GITHUB_EVENT_PATH for a pull request, RUNNER_TEMP), with flexguard from the `npm pack` tarball.
// The code-scanning upload step (github/codeql-action) needs GitHub: its condition is checked.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { ROOT, run } = require("./helpers");
const { fill } = require("./testgen");

/**
 * The steps of action.yml: each `- ` item of `runs.steps` with its `id`, `if`, `uses`, `env`
 * and `run` (a `|` block). Enough YAML for this one file; anything else in a step fails here.
 */
function actionSteps() {
  const lines = fs.readFileSync(path.join(ROOT, "action.yml"), "utf8").split("\n");
  const inputs = {};
  let section = "";
  const steps = [];
  let step;
  let block; // [object, key, indent] of a block being read (env map or run text)
  for (const line of lines) {
    if (/^\S/.test(line)) section = line.replace(/:.*/, "");
    if (section === "inputs") {
      const name = /^ {2}([\w-]+):$/.exec(line);
      if (name) inputs[name[1]] = "";
      const def = /^ {4}default: (.*)$/.exec(line);
      if (def) inputs[Object.keys(inputs).pop()] = def[1].replace(/^"(.*)"$/, "$1");
      continue;
    }
    if (section !== "runs") continue;
    const indent = line.length - line.trimStart().length;
    if (block && (line.trim() === "" || indent > block[2])) {
      if (block[1] === "run") block[0].run += line.slice(block[2] + 2) + "\n";
      else if (line.trim() && !line.trim().startsWith("#")) {
        const [k, ...v] = line.trim().split(": ");
        block[0][block[1]][k] = v.join(": ");
      }
      continue;
    }
    block = undefined;
    const item = /^ {4}- (.*)$/.exec(line);
    const field = item ? item[1] : / {6}(\S.*)$/.exec(line)?.[1];
    if (!field || field.startsWith("#")) continue;
    if (item) steps.push((step = { env: {}, with: {}, run: "" }));
    const [key, ...rest] = field.split(": ");
    const value = rest.join(": ");
    if (key === "run: |" || (key === "run" && value === "|")) block = [step, "run", 6];
    else if (key === "env:") block = [step, "env", 6];
    else if (key === "with:") block = [step, "with", 6];
    else if (["id", "if", "uses", "shell", "working-directory", "continue-on-error"].includes(key)) step[key] = value;
    else throw new Error(`action.yml: unexpected step field ${field}`);
  }
  return { inputs, steps };
}

/** Run the action's steps; returns the step results, the outputs and the files GitHub would read. */
function runAction(workspace, given, event) {
  const { inputs: defaults, steps } = actionSteps();
  const inputs = { ...defaults, ...given };
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-runner-"));
  const files = { GITHUB_OUTPUT: path.join(temp, "output"), GITHUB_STEP_SUMMARY: path.join(temp, "summary.md"), GITHUB_EVENT_PATH: path.join(temp, "event.json") };
  fs.writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(event));
  for (const file of [files.GITHUB_OUTPUT, files.GITHUB_STEP_SUMMARY]) fs.writeFileSync(file, "");
  const outputs = () => Object.fromEntries(fs.readFileSync(files.GITHUB_OUTPUT, "utf8").split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  const expand = (text) =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr) => {
      if (expr === "github.workspace") return workspace;
      const input = /^inputs\.([\w-]+)$/.exec(expr);
      if (input) return inputs[input[1]] ?? "";
      const output = /^steps\.(\w+)\.outputs\.([\w-]+)$/.exec(expr);
      if (output) return outputs()[output[2]] ?? "";
      throw new Error(`unsupported expression ${expr}`);
    });
  const ran = [];
  for (const step of steps) {
    if (step.if) {
      const cond = /^steps\.(\w+)\.outputs\.([\w-]+) == '(\w+)'$/.exec(step.if);
      assert.ok(cond, `unsupported if: ${step.if}`);
      if ((outputs()[cond[2]] ?? "") !== cond[3]) {
        ran.push({ step, skipped: true });
        continue;
      }
    }
    if (step.uses) {
      ran.push({ step, skipped: false, uses: step.uses, with: Object.fromEntries(Object.entries(step.with).map(([k, v]) => [k, expand(v)])) });
      continue;
    }
    assert.equal(step.shell, "bash");
    const env = { ...process.env, ...files, GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: "pull_request", GITHUB_REPOSITORY: "acme/plugin-agent-tools", GITHUB_SHA: "0".repeat(40), GITHUB_SERVER_URL: "https://github.com", RUNNER_TEMP: temp, CI: "true" };
    for (const [k, v] of Object.entries(step.env)) env[k] = expand(v);
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", expand(step.run)], { cwd: step["working-directory"] ? expand(step["working-directory"]) : workspace, env, encoding: "utf8" });
    ran.push({ step, skipped: false, status: result.status, stdout: result.stdout, stderr: result.stderr });
    if (result.status !== 0) break;
  }
  return { ran, outputs: outputs(), summary: fs.readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"), temp };
}

const SIDS = Array.from({ length: 12 }, (_, i) => fill("AC{hex32}", 100 + i));
const TOKENS = Array.from({ length: 12 }, (_, i) => fill("{hex32}", 200 + i));
const SECRETS = [...SIDS, ...TOKENS];

let tarball;
let work;

test.before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-action-"));
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: path.join(ROOT, "npm"), encoding: "utf8" }).trim().split("\n").pop();
  tarball = path.join(work, name);
});
test.after(() => fs.rmSync(work, { recursive: true, force: true }));

/** A Flex plugin checkout: 12 SIDs alone (warnings) in one file, 12 tokens (errors) in others, a clean file. */
function checkout(name, { warningsOnly = false } = {}) {
  const dir = path.join(work, name);
  const write = (file, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  write("package.json", JSON.stringify({ name: "plugin-agent-tools", private: true, dependencies: { "@twilio/flex-plugin": "7.1.2" }, devDependencies: { "@twilio/flex-plugin-scripts": "7.1.2" } }));
  write("src/index.js", "import * as FlexPlugin from '@twilio/flex-plugin';\nimport Plugin from './Plugin';\nFlexPlugin.loadPlugin(Plugin);\n");
  write("src/config/sids.js", SIDS.map((sid, i) => `export const SID_${i} = "${sid}";`).join("\n") + "\n");
  if (!warningsOnly) {
    write("src/services/a|b.js", TOKENS.slice(0, 6).map((t, i) => `export const authToken${i} = "${t}";`).join("\n") + "\n");
    write("src/services/tokens.js", TOKENS.slice(6).map((t, i) => `export const authToken${i} = "${t}";`).join("\n") + "\n");
  }
  execFileSync("git", ["init", "-q"], { cwd: dir });
  return dir;
}

const PR_EVENT = (fork = false) => ({
  action: "synchronize",
  number: 7,
  pull_request: {
    number: 7,
    head: { sha: "a".repeat(40), ref: "feature", repo: { full_name: fork ? "someone/plugin-agent-tools" : "acme/plugin-agent-tools" } },
    base: { sha: "b".repeat(40), ref: "main", repo: { full_name: "acme/plugin-agent-tools" } },
  },
});

test("action: annotations within GitHub's limits, SARIF, outputs, a summary with every finding; fails on errors", { timeout: 180_000 }, () => {
  const dir = checkout("pr");
  const { ran, outputs, summary } = runAction(dir, { version: tarball, paths: "src" }, PR_EVENT());
  const [main, upload, fail] = ran;
  assert.equal(main.status, 0, main.stderr);

  // The CLI's own view of the same checkout is the reference.
  const reference = JSON.parse(run(["--format", "json", "--no-cache", "src"], { cwd: dir }).stdout).findings;
  const errors = reference.filter((f) => f.severity === "error").length;
  const warnings = reference.filter((f) => f.severity === "warning").length;
  assert.equal(errors, 12);
  assert.equal(warnings, 12);
  assert.deepEqual([outputs.findings, outputs.errors, outputs.warnings], [String(errors + warnings), String(errors), String(warnings)]);

  // At most 10 annotations per level; the summary says how many were left out.
  const annotations = main.stdout.split("\n").filter((l) => l.startsWith("::"));
  assert.equal(annotations.filter((l) => l.startsWith("::error ")).length, 10);
  assert.equal(annotations.filter((l) => l.startsWith("::warning ")).length, 10);
  for (const a of annotations) assert.match(a, /^::(error|warning) file=src\/[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=flexguard [a-z-]+::/);
  assert.ok(annotations.some((a) => a.includes("file=src/services/a|b.js")), "paths are escaped, not mangled");
  assert.match(summary, /2 errors, 2 warnings not shown as annotations: GitHub shows at most 10 of each level per step/);

  // The summary: totals, a table per rule and file, and a row for every finding with a link and a redacted excerpt.
  assert.match(summary, /\*\*24 findings\*\*: 12 errors, 12 warnings, 0 info/);
  assert.match(summary, /\| `auth-token` \| <code>src\/services\/tokens\.js<\/code> \| 6 \|/);
  assert.match(summary, /\| `auth-token` \| <code>src\/services\/a&#124;b\.js<\/code> \| 6 \|/);
  assert.match(summary, /\| `account-sid` \| <code>src\/config\/sids\.js<\/code> \| 12 \|/);
  const rows = summary.split("\n").filter((l) => /^\| (error|warning|info) \|/.test(l));
  assert.equal(rows.length, reference.length, "every finding has a row");
  for (const f of reference) {
    const url = `https://github.com/acme/plugin-agent-tools/blob/${"a".repeat(40)}/${f.file.split("/").map(encodeURIComponent).join("/")}#L${f.line}`;
    assert.ok(rows.some((r) => r.includes(`href="${url}"`) && r.includes(`\`${f.ruleId}\``)), `a row links ${f.file}:${f.line} at the pull request's head`);
  }
  assert.ok(rows.some((r) => r.includes(`<code>export const SID_0 = "${SIDS[0].slice(0, 4)}…${SIDS[0].slice(-2)}";</code>`)), "redacted excerpts");

  // SARIF for code scanning, and the upload step runs (same-repository pull request).
  const sarif = JSON.parse(fs.readFileSync(outputs["sarif-file"], "utf8"));
  assert.equal(sarif.runs[0].results.length, reference.length);
  assert.equal(outputs.upload, "true");
  assert.equal(upload.skipped, false);
  assert.match(upload.uses, /^github\/codeql-action\/upload-sarif@v\d+$/);
  assert.equal(upload.with.sarif_file, outputs["sarif-file"]);

  // fail-on: error (default) with errors: the last step fails the job.
  assert.equal(outputs.failed, "true");
  assert.equal(fail.status, 1);
  assert.match(fail.stdout, /::error title=flexguard::findings at or above fail-on 'error'/);

  // Nothing GitHub shows or stores holds a credential.
  const everything = [main.stdout, main.stderr, summary, JSON.stringify(outputs), fs.readFileSync(outputs["sarif-file"], "utf8")].join("\n");
  for (const secret of SECRETS) assert.ok(!everything.includes(secret), "no full secret anywhere");
});

test("action: fail-on warning and never; a fork's pull request does not upload; bad input fails clearly", { timeout: 180_000 }, () => {
  const dir = checkout("warnings", { warningsOnly: true });
  const onError = runAction(dir, { version: tarball, paths: "src" }, PR_EVENT());
  assert.equal(onError.outputs.failed, "false", "only warnings: fail-on error passes");
  assert.equal(onError.ran.at(-1).skipped, true);

  const onWarning = runAction(dir, { version: tarball, paths: "src", "fail-on": "warning" }, PR_EVENT());
  assert.equal(onWarning.outputs.failed, "true");
  assert.equal(onWarning.ran.at(-1).status, 1);

  const fork = runAction(dir, { version: tarball, paths: "src", "fail-on": "never" }, PR_EVENT(true));
  assert.equal(fork.outputs.failed, "false");
  assert.equal(fork.outputs.upload, "false");
  assert.equal(fork.ran[1].skipped, true, "no upload from a fork");
  assert.match(fork.ran[0].stdout, /::notice title=flexguard::SARIF not uploaded: a pull request from a fork/);

  // A baseline of today's findings: nothing new, nothing fails, the summary says so.
  run(["--no-cache", "--write-baseline", "flexguard-baseline.json", "src"], { cwd: dir });
  const baselined = runAction(dir, { version: tarball, paths: "src", baseline: "flexguard-baseline.json", "fail-on": "warning" }, PR_EVENT());
  assert.equal(baselined.outputs.findings, "0");
  assert.equal(baselined.outputs.failed, "false");
  assert.match(baselined.summary, /No findings beyond the baseline/);

  const bad = runAction(dir, { version: tarball, "fail-on": "sometimes" }, PR_EVENT());
  assert.equal(bad.ran[0].status, 2);
  assert.match(bad.ran[0].stdout, /::error title=flexguard::fail-on must be one of error, warning, never/);
});

test("action: a summary of thousands of findings lists every one within GitHub's 1 MiB", () => {
  const { jobSummary } = require("../dist/action");
  const finding = (i) => ({
    ruleId: i % 2 ? "auth-token" : "account-sid",
    severity: i % 2 ? "error" : "warning",
    file: `src/generated/module-${i}.js`,
    line: i + 1,
    column: 7,
    message: `Twilio auth token 9f3a…c1 bound to \`token${i}\`; ${"a long explanation ".repeat(8)}`,
    excerpt: `const token${i} = "9f3a…c1"; // ${"context ".repeat(10)}`,
    help: "",
    fingerprint: String(i),
  });
  for (const count of [50, 4_000, 60_000]) {
    const findings = Array.from({ length: count }, (_, i) => finding(i));
    const summary = jobSummary([{ file: "", findings, diagnostics: [] }], { omitted: { error: 0, warning: 0, notice: 0 }, sarifFile: "flexguard.sarif" });
    assert.ok(Buffer.byteLength(summary) <= 1 << 20, `${count} findings: ${Buffer.byteLength(summary)} bytes`);
    const listed = findings.filter((f) => summary.includes(`${f.file}:${f.line}`)).length;
    const untold = Number(/(\d+) findings did not fit in 1 MiB/.exec(summary)?.[1] ?? 0);
    // Every finding is in the summary, as a row or a short line, and none is left out untold.
    assert.equal(listed + untold, count);
    if (count <= 4_000) assert.equal(untold, 0, `${count} findings all fit`);
  }
});
