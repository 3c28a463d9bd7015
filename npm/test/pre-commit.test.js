// Pre-commit mode against real git repositories in temp dirs: `flexguard --staged` reads the
// index, not the work tree; the repository rules; `install-hook`; and, when
// FLEXGUARD_PRECOMMIT_TOOLS points at tools/setup-precommit.sh's cache (`make test-precommit`),
// husky, lint-staged and the pre-commit framework, each run by a real `git commit`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { fill } = require("./testgen");
const { rules } = require("../dist/node.js");

const NPM_DIR = path.join(__dirname, "..");
const ROOT = path.join(NPM_DIR, "..");
const BIN = path.join(NPM_DIR, "bin", "flexguard.js");
const TOOLS = process.env.FLEXGUARD_PRECOMMIT_TOOLS;
const needsTools = TOOLS ? {} : { skip: "set FLEXGUARD_PRECOMMIT_TOOLS (make test-precommit runs these)" };

// Git without the machine's global or system config (hooksPath, excludesFile, signing).
const ENV = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: "1", HUSKY: "" };
delete ENV.GIT_DIR;
delete ENV.GIT_INDEX_FILE;

const git = (dir, ...args) => execFileSync("git", args, { cwd: dir, env: ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const gitStatus = (dir, ...args) => spawnSync("git", args, { cwd: dir, env: ENV, encoding: "utf8" });

function tempRepo(name = "repo") {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-precommit-")), name);
  fs.mkdirSync(dir);
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.email", "dev@example.invalid");
  git(dir, "config", "user.name", "Flexguard Test");
  git(dir, "config", "commit.gpgsign", "false");
  return dir;
}

function write(dir, file, content) {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), content);
}

const flexguard = (dir, ...args) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: ENV, encoding: "utf8" });
const json = (result) => JSON.parse(result.stdout);

// Leaky plugin code: a (fake, generated) Account SID and a direct REST call, an error.
const sid = (seed) => fill("AC{hex32}", seed);
const leaky = (seed) => `const sid = '${sid(seed)}';\nexport const send = () => fetch(\`https://api.twilio.com/2010-04-01/Accounts/\${sid}/Messages.json\`);\n`;
const CLEAN = "export const greet = (name) => `hi ${name}`;\n";
const FLEX_MANIFEST = JSON.stringify({ name: "plugin-sample", dependencies: { "@twilio/flex-plugin": "^7.0.0" } }) + "\n";

test("a staged secret blocks: exit 1, redacted stylish output and how to fix or suppress", () => {
  const dir = tempRepo();
  write(dir, "src/service.js", leaky(1));
  git(dir, "add", ".");
  const result = flexguard(dir, "--staged");
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stdout, /^src\/service\.js$/m);
  assert.match(result.stdout, /account-sid/);
  assert.match(result.stdout, /direct-api-call/);
  assert.ok(!result.stdout.includes(sid(1)), "the SID must be redacted");
  assert.match(result.stdout, /To fix: follow each finding's help, `git add`/);
  assert.match(result.stdout, /flexguard-ignore-next-line <rule> -- <reason>/);
  assert.match(result.stdout, /baseline/);
});

test("--staged reads staged settings, JSON, YAML, HTML and Markdown by their kind: the index's text, not the work tree's", () => {
  const dir = tempRepo();
  const token = fill("{hex32}", 41);
  const files = {
    "serverless/.env": `AUTH_TOKEN=${token}\n`,
    "public/appConfig.json": `{ "authToken": "${token}" }\n`,
    "deploy/config.yml": `twilio:\n  auth_token: ${token}\n`,
    "public/debug.html": `<script>\nconst authToken = "${token}";\n</script>\n`,
    "README.md": `\`\`\`js\nconst authToken = "${token}";\n\`\`\`\n`,
  };
  for (const [file, text] of Object.entries(files)) write(dir, file, text);
  git(dir, "add", ".");
  // The work tree no longer holds the token: what is staged is what the commit holds.
  for (const file of Object.keys(files)) write(dir, file, "\n");
  const result = flexguard(dir, "--staged", "--format", "json");
  assert.equal(result.status, 1, result.stderr);
  const found = json(result).findings.filter((f) => f.ruleId === "auth-token").map((f) => [f.file, f.line]).sort();
  assert.deepEqual(found, [["README.md", 2], ["deploy/config.yml", 2], ["public/appConfig.json", 1], ["public/debug.html", 2], ["serverless/.env", 1]]);
  assert.ok(!result.stdout.includes(token));
});

test("adversarial staged files never crash the hook: each is scanned, the commit is blocked by what they hide", () => {
  const dir = tempRepo();
  const N = 100_000;
  const planted = (seed) => `const planted = '${sid(seed)}';\n`;
  write(dir, "src/deep.js", `${planted(21)}x=${"[".repeat(N)}1${"]".repeat(N)};\n`);
  write(dir, "src/chain.js", `${planted(22)}${"if(a)b;else ".repeat(N)}c;\n`);
  write(dir, "src/broken.ts", `${planted(23)}export const = ;;\n`);
  write(dir, "src/minified.js", `${planted(24).trim()}${"var a=1;".repeat(1 << 17)}\n`);
  // Invalid UTF-8 (no NUL, so not binary): read lossily, still scanned.
  fs.writeFileSync(path.join(dir, "src/latin1.js"), Buffer.concat([Buffer.from("// caf\xe9\n", "latin1"), Buffer.from(planted(25))]));
  git(dir, "add", ".");
  const result = flexguard(dir, "--staged", "-f", "json", "--no-config", "--max-warnings", "0");
  assert.equal(result.status, 1, result.stderr);
  const reports = json(result);
  const files = [...new Set(reports.findings.filter((f) => f.ruleId === "account-sid").map((f) => f.file))].sort();
  assert.deepEqual(files, ["src/broken.ts", "src/chain.js", "src/deep.js", "src/latin1.js", "src/minified.js"]);
  const codes = reports.errors.map((d) => `${d.file} ${d.code}`).sort();
  assert.deepEqual(codes, ["src/broken.ts parse-error", "src/chain.js limit", "src/deep.js limit"]);
  for (const seed of [21, 22, 23, 24, 25]) assert.ok(!result.stdout.includes(sid(seed)), "a full credential was printed");
});

test("--staged applies the config (ignore, rule levels) and a baseline written by the CLI", () => {
  const dir = tempRepo();
  write(dir, "src/service.js", leaky(2));
  git(dir, "add", ".");
  assert.equal(flexguard(dir, "--staged").status, 1);
  // A baseline written by the CLI from the repository root accepts the same findings.
  assert.equal(flexguard(dir, "--write-baseline", ".flexguard-baseline.json", "src").status, 0);
  const baselined = flexguard(dir, "--staged", "--baseline", ".flexguard-baseline.json");
  assert.equal(baselined.status, 0, baselined.stdout + baselined.stderr);
  // Config: ignored paths are not scanned; rule levels apply.
  write(dir, "flexguard.config.json", JSON.stringify({ ignore: ["src/**"] }));
  assert.equal(flexguard(dir, "--staged").status, 0);
  assert.equal(flexguard(dir, "--staged", "--no-config").status, 1);
  write(dir, "flexguard.config.json", JSON.stringify({ rules: { "direct-api-call": "off", "account-sid": "warning" } }));
  const relaxed = flexguard(dir, "--staged", "-f", "json");
  assert.equal(relaxed.status, 0, relaxed.stdout);
  assert.deepEqual(json(relaxed).findings.map((f) => f.ruleId), ["account-sid"]);
  // A broken config is a usage error naming the key, not a crash.
  write(dir, "flexguard.config.json", JSON.stringify({ rules: { "no-such-rule": "off" } }));
  const broken = flexguard(dir, "--staged");
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /no-such-rule/);
});

test("staged clean + dirty work tree passes; staged secret + clean work tree is blocked", () => {
  const dir = tempRepo();
  write(dir, "src/a.js", CLEAN);
  git(dir, "add", ".");
  write(dir, "src/a.js", leaky(2)); // not staged
  const clean = flexguard(dir, "--staged", "-f", "json");
  assert.equal(clean.status, 0, clean.stdout);
  assert.deepEqual(json(clean).findings, []);
  // The plain (work tree) CLI does see the unstaged secret: the difference is the point.
  assert.equal(flexguard(dir, "src/a.js").status, 1);

  write(dir, "src/b.js", leaky(3));
  git(dir, "add", "src/b.js");
  write(dir, "src/b.js", CLEAN); // the work tree is clean again, the index is not
  const blocked = flexguard(dir, "--staged", "-f", "json");
  assert.equal(blocked.status, 1);
  assert.deepEqual([...new Set(json(blocked).findings.map((f) => f.file))], ["src/b.js"]);
});

test("renames, deletions, binaries, symlinks, submodules, odd names, subdirectories, unborn HEAD", () => {
  const dir = tempRepo();
  // Unborn HEAD: nothing committed yet, everything staged is an addition.
  write(dir, "old name.js", leaky(4));
  write(dir, "gone.js", leaky(5));
  git(dir, "add", ".");
  assert.equal(gitStatus(dir, "rev-parse", "--verify", "-q", "HEAD").status, 1, "no commit yet");
  const unborn = json(flexguard(dir, "--staged", "-f", "json"));
  assert.deepEqual([...new Set(unborn.findings.map((f) => f.file))].sort(), ["gone.js", "old name.js"]);
  git(dir, "commit", "-q", "-m", "initial");

  fs.mkdirSync(path.join(dir, "dir with space"));
  git(dir, "mv", "old name.js", "dir with space/ünï cødé.js");
  git(dir, "rm", "-q", "gone.js");
  write(dir, "blob.js", Buffer.from([0x41, 0x43, 0x00, 0x01, 0x02]));
  fs.symlinkSync("dir with space/ünï cødé.js", path.join(dir, "link.js"));
  const sub = tempRepo("sub");
  write(sub, "secret.js", leaky(6));
  git(sub, "add", ".");
  git(sub, "commit", "-q", "-m", "sub");
  git(dir, "-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "vendor/sub");
  git(dir, "add", ".");

  const result = flexguard(path.join(dir, "dir with space"), "--staged", "-f", "json"); // from a subdirectory
  const report = json(result);
  const files = [...new Set(report.findings.map((f) => f.file))];
  assert.deepEqual(files, ["dir with space/ünï cødé.js"], "renamed file under its new name; deleted, link, submodule skipped");
  assert.deepEqual(report.errors.map((e) => [e.file, e.code]), [["blob.js", "binary"]]);
  assert.equal(result.status, 1);
});

test("lint-staged style paths: only those files, as staged (absolute or relative)", () => {
  const dir = tempRepo();
  write(dir, "a.js", leaky(7));
  write(dir, "b.js", leaky(8));
  git(dir, "add", ".");
  write(dir, "a.js", CLEAN);
  const one = flexguard(dir, "--staged", "-f", "json", path.join(dir, "a.js"));
  assert.equal(one.status, 1, one.stderr);
  assert.deepEqual([...new Set(json(one).findings.map((f) => f.file))], ["a.js"]);
  // Given paths that are not source files (lint-staged's "*" passes everything) are skipped.
  write(dir, "notes.txt", sid(9));
  git(dir, "add", "notes.txt");
  const none = flexguard(dir, "--staged", "-f", "json", "notes.txt");
  assert.equal(none.status, 0);
  assert.deepEqual(json(none).findings, []);
  assert.equal(flexguard(dir, "--staged", "/definitely/outside").status, 2);
});

test("staged files are one project: a Function URL from a staged config module, and from .env, reaches the call", () => {
  const dir = tempRepo();
  write(dir, ".gitignore", ".env\n");
  write(dir, ".env", "FLEX_APP_BACKEND=https://private-host-7777.twil.io\n");
  write(dir, "src/config.js", "export const ENDPOINTS = { pause: 'https://tasks-1234.twil.io/pause' };\n");
  write(dir, "src/api.js", "import { ENDPOINTS } from './config';\nexport const pause = () => fetch(ENDPOINTS.pause, { method: 'POST', body: '{}' });\nexport const list = () => fetch(`${process.env.FLEX_APP_BACKEND}/list`, { method: 'POST' });\n");
  git(dir, "add", ".");
  const result = flexguard(dir, "--staged", "-f", "json");
  const found = json(result).findings.map((f) => [f.file, f.line, f.ruleId, (f.related ?? []).map((r) => `${r.file}:${r.line}`).join()]);
  assert.deepEqual(found, [
    ["src/api.js", 2, "function-call-without-token", "src/config.js:1"],
    ["src/api.js", 3, "function-call-without-token", ".env:1"],
  ]);
  // The value in the ignored .env is named, never shown.
  assert.ok(!result.stdout.includes("private-host-7777"), result.stdout);
});

test("a staged file is judged with the committed files as context: the index's content, the config's ignore, the cache", () => {
  const dir = tempRepo();
  write(dir, "src/config.js", "export const ENDPOINTS = { pause: 'https://tasks-1234.twil.io/pause' };\n");
  write(dir, "src/helpers/http.js", "export const post = (url) => fetch(url, { method: 'POST', body: '{}' });\n");
  git(dir, "add", ".");
  git(dir, "commit", "-qm", "config and helper");
  // The work tree's config now points elsewhere: the index (the commit) is what counts.
  write(dir, "src/config.js", "export const ENDPOINTS = { pause: 'https://example.com/pause' };\n");
  write(dir, "src/api.js", "import { ENDPOINTS } from './config';\nexport const pause = () => fetch(ENDPOINTS.pause, { method: 'POST', body: '{}' });\n");
  git(dir, "add", "src/api.js");
  const found = (...args) => json(flexguard(dir, "--staged", "-f", "json", ...args)).findings.map((f) => [f.file, f.line, f.ruleId, (f.related ?? []).map((r) => `${r.file}:${r.line}`).join()]);
  assert.deepEqual(found(), [["src/api.js", 2, "function-call-without-token", "src/config.js:1"]]);
  // Only the staged file is reported, never the committed ones it is judged with.
  write(dir, "src/other.js", "export const x = 1;\n");
  git(dir, "add", "src/other.js");
  assert.deepEqual(found().map(([file]) => file), ["src/api.js"]);
  // With a node_modules, first passes are cached by content: the same answer from the cache.
  fs.mkdirSync(path.join(dir, "node_modules"));
  assert.deepEqual(found(), [["src/api.js", 2, "function-call-without-token", "src/config.js:1"]]);
  assert.ok(fs.existsSync(path.join(dir, "node_modules", ".cache", "flexguard", "reports.json")));
  assert.deepEqual(found(), [["src/api.js", 2, "function-call-without-token", "src/config.js:1"]]);
  assert.deepEqual(found("--no-cache"), [["src/api.js", 2, "function-call-without-token", "src/config.js:1"]]);
  // A committed file the config ignores gives no context.
  write(dir, "flexguard.config.json", JSON.stringify({ ignore: ["src/config.js"] }));
  assert.deepEqual(found(), []);
});

test("a staged .env is blocked; .env.example is scanned for real-looking values", () => {
  const dir = tempRepo();
  write(dir, ".env", "FLEX_APP_TOKEN_URL=https://example.invalid\n");
  write(dir, "config/.env.production.local", "X=1\n");
  write(dir, ".env.example", `# copy to .env\nTWILIO_ACCOUNT_SID=${sid(10)}\n`);
  git(dir, "add", "-f", ".");
  const result = flexguard(dir, "--staged", "-f", "json");
  assert.equal(result.status, 1);
  const found = json(result).findings.map((f) => [f.file, f.ruleId, f.severity, f.line]);
  assert.deepEqual(found, [
    [".env", "env-file-committed", "error", 1],
    [".env.example", "account-sid", "warning", 2],
    ["config/.env.production.local", "env-file-committed", "error", 1],
  ]);
  assert.deepEqual(json(result).errors, [], "no parse-error note for env files");
  const stylish = flexguard(dir, "--staged");
  assert.match(stylish.stdout, /\.env\n.*error.*env-file-committed/);
  assert.ok(!stylish.stdout.includes(sid(10)));
});

test(".env not ignored in a Flex plugin repo warns; a personal global ignore does not count", () => {
  const dir = tempRepo();
  write(dir, "package.json", FLEX_MANIFEST);
  write(dir, "src/index.js", CLEAN);
  git(dir, "add", ".");
  const warned = flexguard(dir, "--staged", "-f", "json");
  assert.equal(warned.status, 0, "a warning does not block");
  assert.deepEqual(json(warned).findings.map((f) => [f.file, f.ruleId, f.severity]), [[".gitignore", "env-file-not-ignored", "warning"]]);
  assert.equal(flexguard(dir, "--staged", "--max-warnings", "0").status, 1);

  const globalIgnore = path.join(dir, "..", "global-ignore");
  fs.writeFileSync(globalIgnore, ".env\n");
  fs.writeFileSync(path.join(dir, "..", "gitconfig"), `[core]\n\texcludesFile = ${globalIgnore}\n`);
  const withGlobal = spawnSync(process.execPath, [BIN, "--staged", "-f", "json"], { cwd: dir, env: { ...ENV, GIT_CONFIG_GLOBAL: path.join(dir, "..", "gitconfig") }, encoding: "utf8" });
  assert.equal(json(withGlobal).findings.length, 1, "still warned: the global ignore does not protect teammates");

  write(dir, ".gitignore", "node_modules/\n.env\n.env.*\n!.env.example\n");
  assert.deepEqual(json(flexguard(dir, "--staged", "-f", "json")).findings, []);

  // A plugin in a subdirectory (monorepo) is checked next to its own package.json.
  write(dir, "plugins/agent/package.json", FLEX_MANIFEST.replace("dependencies", "devDependencies").replace("flex-plugin", "flex-plugin-scripts"));
  git(dir, "add", ".");
  assert.equal(json(flexguard(dir, "--staged", "-f", "json")).findings.length, 0, "the root .gitignore's .env pattern applies below too");
  write(dir, ".gitignore", "/.env\n");
  const sub = json(flexguard(dir, "--staged", "-f", "json")).findings.map((f) => f.file);
  assert.deepEqual(sub, ["plugins/agent/.gitignore"]);

  // A Twilio Functions service beside it: twilio-run deploys its .env, so it must be ignored too.
  write(dir, "serverless/package.json", JSON.stringify({ name: "svc", devDependencies: { "twilio-run": "^3" } }));
  git(dir, "add", ".");
  const service = json(flexguard(dir, "--staged", "-f", "json")).findings;
  assert.deepEqual(service.map((f) => f.file), ["plugins/agent/.gitignore", "serverless/.gitignore"]);
  assert.match(service[1].message, /Twilio Functions service/);

  // Not a Flex plugin: no opinion about .env.
  const other = tempRepo();
  write(other, "package.json", JSON.stringify({ name: "x", dependencies: { react: "^18" } }));
  git(other, "add", ".");
  assert.deepEqual(json(flexguard(other, "--staged", "-f", "json")).findings, []);
});

test("repository rules' documented sh examples run for real", () => {
  const repositoryRules = rules().filter((r) => r.kind === "repository");
  assert.deepEqual(repositoryRules.map((r) => r.id), ["env-file-committed", "env-file-not-ignored"]);
  for (const rule of repositoryRules) {
    for (const tag of ["flags", "clean"]) {
      const blocks = [...rule.docs.matchAll(new RegExp("```sh," + tag + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);
      assert.ok(blocks.length > 0, `${rule.id} has sh,${tag}`);
      for (const block of blocks) {
        const dir = tempRepo();
        execFileSync("sh", ["-e", "-c", block], { cwd: dir, env: ENV });
        const found = json(flexguard(dir, "--staged", "-f", "json")).findings.filter((f) => f.ruleId === rule.id);
        assert.equal(found.length, tag === "flags" ? 1 : 0, `${rule.id} sh,${tag}:\n${block}`);
      }
    }
  }
});

test("not a git repository: exit 2 with a message", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-nogit-"));
  const result = flexguard(dir, "--staged");
  assert.equal(result.status, 2);
  assert.match(result.stderr, /flexguard: git rev-parse failed/);
});

test("install-hook: git commit itself is blocked; foreign hooks are kept; uninstall removes only ours", () => {
  const dir = tempRepo();
  const hook = path.join(dir, ".git", "hooks", "pre-commit");
  const installed = flexguard(dir, "install-hook");
  assert.equal(installed.status, 0, installed.stderr);
  assert.match(fs.readFileSync(hook, "utf8"), /flexguard-hook/);

  write(dir, "src/a.js", leaky(11));
  git(dir, "add", ".");
  const blocked = gitStatus(dir, "commit", "-m", "leak");
  assert.notEqual(blocked.status, 0, "the commit is refused");
  assert.match(blocked.stdout + blocked.stderr, /direct-api-call/);
  assert.equal(gitStatus(dir, "rev-parse", "--verify", "-q", "HEAD").status, 1, "nothing was committed");

  write(dir, "src/a.js", CLEAN);
  git(dir, "add", ".");
  write(dir, "src/a.js", leaky(12)); // dirty work tree, clean index: allowed
  const ok = gitStatus(dir, "commit", "-m", "clean");
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);

  // A foreign hook is not overwritten without --force, and --force keeps it as .bak.
  fs.writeFileSync(hook, "#!/bin/sh\necho mine\n", { mode: 0o755 });
  const refused = flexguard(dir, "install-hook");
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /not installed by flexguard.*--force/);
  assert.equal(fs.readFileSync(hook, "utf8"), "#!/bin/sh\necho mine\n");
  assert.equal(flexguard(dir, "uninstall-hook").status, 1, "uninstall leaves a foreign hook alone");
  assert.ok(fs.existsSync(hook));
  assert.equal(flexguard(dir, "install-hook", "--force").status, 0);
  assert.equal(fs.readFileSync(`${hook}.bak`, "utf8"), "#!/bin/sh\necho mine\n");
  assert.equal(flexguard(dir, "uninstall-hook").status, 0);
  assert.ok(!fs.existsSync(hook));
  assert.ok(fs.existsSync(`${hook}.bak`));
});

// --- Integrations with real tools (make test-precommit) ------------------------------------

let tarball;
/** The package as users get it: `npm pack` once, installed offline into each project. */
function packOnce() {
  if (!tarball) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-pack-"));
    const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: NPM_DIR, encoding: "utf8" }).trim().split("\n").pop();
    tarball = path.join(dir, name);
  }
  return tarball;
}

/** A Flex-plugin-shaped project with flexguard installed from the tarball and the cached tools linked in. */
function project(tools, packageJson = {}) {
  const dir = tempRepo("plugin");
  write(dir, "package.json", JSON.stringify({ name: "plugin-sample", version: "0.0.1", private: true, ...packageJson }, null, 2));
  write(dir, ".gitignore", "node_modules/\n.env\n");
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--no-save", packOnce()], { cwd: dir, env: ENV, stdio: "pipe" });
  for (const tool of tools) {
    const target = path.join(TOOLS, "precommit-tools", "node_modules", tool);
    fs.symlinkSync(target, path.join(dir, "node_modules", tool));
    const { bin } = JSON.parse(fs.readFileSync(path.join(target, "package.json"), "utf8"));
    const binPath = typeof bin === "string" ? bin : bin[tool];
    fs.symlinkSync(path.join(target, binPath), path.join(dir, "node_modules", ".bin", tool));
  }
  return dir;
}

test("husky: .husky/pre-commit with `npx flexguard --staged` blocks git commit", { ...needsTools, timeout: 120_000 }, () => {
  const dir = project(["husky"]);
  execFileSync(path.join(dir, "node_modules", ".bin", "husky"), { cwd: dir, env: ENV }); // sets core.hooksPath
  assert.equal(git(dir, "config", "core.hooksPath").trim(), ".husky/_");
  write(dir, ".husky/pre-commit", "npx flexguard --staged\n");
  git(dir, "add", ".");
  assert.equal(gitStatus(dir, "commit", "-q", "-m", "setup").status, 0);

  write(dir, "src/service.js", leaky(13));
  git(dir, "add", ".");
  const blocked = gitStatus(dir, "commit", "-m", "leak");
  assert.notEqual(blocked.status, 0);
  assert.match(blocked.stdout + blocked.stderr, /src\/service\.js[\s\S]*direct-api-call/);
  assert.match(blocked.stdout + blocked.stderr, /husky - pre-commit script failed/);
  write(dir, "src/service.js", CLEAN);
  git(dir, "add", ".");
  const ok = gitStatus(dir, "commit", "-m", "clean");
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
});

test("lint-staged: `flexguard --staged` gets the staged files and blocks git commit", { ...needsTools, timeout: 120_000 }, () => {
  const dir = project(["lint-staged"], { "lint-staged": { "*": "flexguard --staged" } });
  write(dir, ".git/hooks/pre-commit", "#!/bin/sh\nexec node_modules/.bin/lint-staged\n");
  fs.chmodSync(path.join(dir, ".git/hooks/pre-commit"), 0o755);
  write(dir, "src/index.js", CLEAN);
  git(dir, "add", ".");
  const first = gitStatus(dir, "commit", "-m", "setup");
  assert.equal(first.status, 0, first.stdout + first.stderr);

  write(dir, "src/service.js", leaky(14));
  write(dir, ".env", "FLEX_APP_X=1\n");
  git(dir, "add", "-f", "src/service.js", ".env");
  const blocked = gitStatus(dir, "commit", "-m", "leak");
  assert.notEqual(blocked.status, 0);
  const output = blocked.stdout + blocked.stderr;
  assert.match(output, /direct-api-call/);
  assert.match(output, /env-file-committed/);
  assert.ok(!output.includes(sid(14)));
  assert.equal(git(dir, "log", "--oneline").trim().split("\n").length, 1, "nothing new committed");
  // lint-staged must leave the index as it was, so the user can fix and retry.
  assert.deepEqual(git(dir, "diff", "--cached", "--name-only").trim().split("\n").sort(), [".env", "src/service.js"]);
});

test("the pre-commit framework: .pre-commit-hooks.yaml is a valid manifest and the hook blocks git commit", { ...needsTools, timeout: 300_000 }, () => {
  const preCommit = path.join(TOOLS, "pre-commit-venv", "bin", "pre-commit");
  const manifest = path.join(ROOT, ".pre-commit-hooks.yaml");
  const validate = spawnSync(preCommit, ["validate-manifest", manifest], { encoding: "utf8" });
  assert.equal(validate.status, 0, validate.stdout + validate.stderr);
  const text = fs.readFileSync(manifest, "utf8");
  assert.match(text, /- id: flexguard\n/);
  assert.match(text, /entry: flexguard --staged\n/);
  assert.match(text, /language: node\n/);
  const { version } = JSON.parse(fs.readFileSync(path.join(NPM_DIR, "package.json"), "utf8"));
  assert.match(text, new RegExp(`"flexguard@${version.replace(/\./g, "\\.")}"`), "the hook pins the package's version");

  // A hook repository as the framework clones it: the manifest and the root package.json, committed.
  const hookRepo = tempRepo("flexguard-hooks");
  for (const file of [".pre-commit-hooks.yaml", "package.json"]) fs.copyFileSync(path.join(ROOT, file), path.join(hookRepo, file));
  git(hookRepo, "add", ".");
  git(hookRepo, "commit", "-q", "-m", "hooks");
  const rev = git(hookRepo, "rev-parse", "HEAD").trim();

  const dir = tempRepo("plugin");
  // flexguard is not published yet: the consumer overrides the pinned dependency with the tarball.
  write(dir, ".pre-commit-config.yaml", `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: flexguard\n        additional_dependencies: ["${packOnce()}"]\n`);
  const env = { ...ENV, PRE_COMMIT_HOME: path.join(dir, "..", "pre-commit-home"), npm_config_offline: "true" };
  const install = spawnSync(preCommit, ["install"], { cwd: dir, env, encoding: "utf8" });
  assert.equal(install.status, 0, install.stdout + install.stderr);
  write(dir, "src/service.js", leaky(15));
  git(dir, "add", ".");
  const blocked = spawnSync("git", ["commit", "-m", "leak"], { cwd: dir, env, encoding: "utf8" });
  const output = blocked.stdout + blocked.stderr;
  assert.notEqual(blocked.status, 0, output);
  assert.match(output, /flexguard\.+Failed/);
  assert.match(output, /src\/service\.js[\s\S]*direct-api-call/);
  write(dir, "src/service.js", CLEAN);
  git(dir, "add", ".");
  const ok = spawnSync("git", ["commit", "-m", "clean"], { cwd: dir, env, encoding: "utf8" });
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout + ok.stderr, /flexguard\.+Passed/);
});
