// CLI inputs: files, directories, globs, .gitignore (checked against git itself), skipped
// directories, credential-bearing text files, --stdin.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const { fill } = require("./testgen");
const { run, project } = require("./helpers");
const { expandPaths, flexguard, globToRegExp } = require("../dist/node.js");

const SID = (seed) => fill("AC{hex32}", seed);
const files = (args, cwd) => JSON.parse(run(["--format", "json", "--no-config", ...args], { cwd }).stdout).findings.map((f) => f.file);

test("globToRegExp: *, **, ?, braces, classes", () => {
  const cases = [
    ["src/*.js", "src/a.js", true],
    ["src/*.js", "src/x/a.js", false],
    ["src/**/*.js", "src/a.js", true],
    ["src/**/*.js", "src/x/y/a.js", true],
    ["**/*.{ts,tsx}", "a/b.tsx", true],
    ["**/*.{ts,tsx}", "a/b.js", false],
    ["file?.js", "file1.js", true],
    ["file[0-9].js", "filex.js", false],
    ["examples/**", "examples/flex-plugin/src/a.js", true],
    ["a.js", "a_js", false],
  ];
  for (const [glob, file, expected] of cases) assert.equal(globToRegExp(glob).test(file), expected, `${glob} vs ${file}`);
  // The host's globs (ignore, webpack) and the engine's (runtimes, firstParty) are two
  // implementations of one syntax: the engine must read every case the same way.
  for (const [glob, file, expected] of cases) {
    const report = flexguard.lint("export const x = 1;\n", { filename: file, runtimes: { function: [glob] }, summarize: true });
    assert.equal(report.summary.runtime === "function", expected, `engine: ${glob} vs ${file}`);
  }
  assert.equal(globToRegExp("*.env", { matchBase: true }).test("deep/dir/x.env"), true);
});

test(".gitignore is honoured exactly as git does (nested files, negation, anchors, dir-only)", () => {
  const dir = project({
    ".gitignore": "*.log.js\n/build/\nsecret*\n!secret-keep.js\ndocs/generated/\n",
    "src/.gitignore": "local.js\n",
    "src/a.js": "1",
    "src/local.js": "1",
    "src/build/kept.js": "1",
    "build/out.js": "1",
    "x.log.js": "1",
    "secret-a.js": "1",
    "secret-keep.js": "1",
    "docs/generated/g.js": "1",
    "docs/h.js": "1",
  });
  assert.equal(spawnSync("git", ["init", "-q"], { cwd: dir }).status, 0);
  const ours = expandPaths(["."], { cwd: dir }).map((f) => path.relative(dir, f).split(path.sep).join("/")).sort();
  const git = spawnSync("git", ["ls-files", "--others", "--exclude-standard"], { cwd: dir, encoding: "utf8" })
    .stdout.split("\n")
    .filter((f) => f.endsWith(".js"))
    .sort();
  assert.deepEqual(ours, git);
  assert.ok(ours.includes("src/build/kept.js") && !ours.includes("build/out.js") && ours.includes("secret-keep.js"), ours.join(","));
  // --no-gitignore walks everything.
  assert.equal(expandPaths(["."], { cwd: dir, gitignore: false }).length, 9);
});

test(".gitignore patterns of every form (names, suffixes, classes, anchored, dir-only, negated) match as git's", () => {
  // The forms a root .gitignore copied from a template holds, each against files that match it
  // and files that nearly do.
  const dir = project({
    ".gitignore": [
      "coverage", "*.min.js", "*-debug.js", "[Tt]mp", "out?.js", ".env*", "lib/", "/top.js", "src/**/gen-*.js",
      "**/fixtures/*.js", "*.cache.js", "!keep.cache.js", "cache*/", "a\\*b.js", "# a comment", "",
    ].join("\n"),
    "coverage/c.js": "1",
    "src/coverage.js": "1",
    "src/app.min.js": "1",
    "src/min.js": "1",
    "src/x-debug.js": "1",
    "src/debug.js": "1",
    "Tmp/t.js": "1",
    "src/tmp/t.js": "1",
    "src/temp/t.js": "1",
    "out1.js": "1",
    "out12.js": "1",
    ".env.js": "1",
    "src/lib/l.js": "1",
    "src/lib.js": "1",
    "top.js": "1",
    "src/top.js": "1",
    "src/a/b/gen-x.js": "1",
    "gen-y.js": "1",
    "test/fixtures/f.js": "1",
    "test/fixtures/deep/f.js": "1",
    "src/x.cache.js": "1",
    "keep.cache.js": "1",
    "cache1/c.js": "1",
    "src/cache.js": "1",
    "a*b.js": "1",
    "axb.js": "1",
  });
  assert.equal(spawnSync("git", ["init", "-q"], { cwd: dir }).status, 0);
  const ours = expandPaths(["."], { cwd: dir }).map((f) => path.relative(dir, f).split(path.sep).join("/")).sort();
  const git = spawnSync("git", ["ls-files", "--others", "--exclude-standard"], { cwd: dir, encoding: "utf8" })
    .stdout.split("\n")
    .filter((f) => f.endsWith(".js"))
    .sort();
  assert.deepEqual(ours, git);
  assert.ok(ours.includes("src/min.js") && !ours.includes("src/app.min.js") && ours.includes("keep.cache.js"), ours.join(","));
});

test("node_modules, .git and caches are skipped unless named explicitly", () => {
  const bad = "fetch('https://api.twilio.com/2010-04-01/Accounts.json');\n";
  const vendored = `const sid = '${SID(5)}';\n${bad}`;
  const dir = project({ "node_modules/pkg/x.js": vendored, ".cache/y.js": bad, ".git/z.js": bad, "src/ok.js": "export {};\n" });
  assert.equal(run(["--no-config", dir]).status, 0);
  // Named, node_modules is linted: its credentials are reported, its requests are the library's.
  const named = run(["--no-config", "--format", "json", path.join(dir, "node_modules")]);
  const rules = JSON.parse(named.stdout).findings.map((f) => f.ruleId);
  assert.deepEqual(rules, ["account-sid"], named.stdout);
  assert.equal(run(["--no-config", path.join(dir, ".cache/y.js")]).status, 1);
});

test("globs select files; a glob matching nothing is not an error", () => {
  const dir = project({ "src/a.js": `const a = '${SID(1)}';\n`, "src/deep/b.ts": `const b: string = '${SID(2)}';\n`, "other/c.js": `const c = '${SID(3)}';\n` });
  assert.deepEqual(files(["src/**/*.ts"], dir), ["src/deep/b.ts"]);
  assert.deepEqual(files(["src/*.js"], dir), ["src/a.js"]);
  assert.deepEqual(files(["src/**/*.{js,ts}", "other"], dir), ["src/a.js", "src/deep/b.ts", "other/c.js"]);
  assert.equal(run(["--no-config", "nothing/**/*.js"], { cwd: dir }).status, 0);
});

test(".env*, JSON, YAML, HTML, Markdown, shell scripts and Dockerfiles are walked and read by their kind, without parse errors; lock files are skipped", () => {
  const dir = project({
    ".env": `TWILIO_ACCOUNT_SID=${SID(11)}\n`,
    ".env.production": `SID=${SID(12)}\n`,
    "config/app.json": `{ "sid": "${SID(13)}" }\n`,
    "config/flex.yml": `env:\n  SID: ${SID(14)}\n`,
    "public/index.html": `<script>window.sid = "${SID(15)}"</script>\n`,
    "package-lock.json": `{ "x": "${SID(16)}" }\n`,
    "notes.txt": `${SID(17)}\n`,
    "README.md": `# Plugin\n\n\`\`\`js\nconst sid = "${SID(18)}";\n\`\`\`\n`,
    "GUIDE.mdx": `Account ${SID(19)}\n`,
    // A script is tooling, where a SID alone is no finding: its token is.
    "scripts/deploy.sh": `#!/bin/sh\nexport TWILIO_AUTH_TOKEN=${fill("{hex32}", 20)}\n`,
    "Dockerfile": `FROM node:20\nENV TWILIO_ACCOUNT_SID=${SID(21)}\n`,
    "docker/Dockerfile.prod": `FROM node:20\nARG SID=${SID(22)}\n`,
  });
  const result = run(["--format", "json", "--no-config", "."], { cwd: dir });
  const { findings, errors } = JSON.parse(result.stdout);
  assert.deepEqual(errors, []);
  assert.deepEqual(findings.map((f) => f.file).sort(), [".env", ".env.production", "Dockerfile", "GUIDE.mdx", "README.md", "config/app.json", "config/flex.yml", "docker/Dockerfile.prod", "public/index.html", "scripts/deploy.sh"]);
  assert.deepEqual(findings.filter((f) => f.ruleId !== "account-sid").map((f) => [f.file, f.ruleId]), [["scripts/deploy.sh", "auth-token"]]);
  assert.deepEqual(findings.find((f) => f.file === "README.md").line, 4);
});

test("a .env that git ignores is not linted (Twilio's recommended design); a tracked or unignored one is", () => {
  const token = fill("{hex32}", 31);
  const env = `TWILIO_AUTH_TOKEN=${token}\n`;
  const dir = project({ ".gitignore": ".env\nserverless/.env\n", ".env": env, "serverless/.env": env, "plugin/.env.production": env, "src/a.js": "export {};\n" });
  const git = (...args) => assert.equal(spawnSync("git", args, { cwd: dir }).status, 0, args.join(" "));
  git("init", "-q");
  const linted = () => JSON.parse(run(["--format", "json", "--no-config", "."], { cwd: dir }).stdout).findings.filter((f) => f.ruleId === "auth-token").map((f) => f.file).sort();
  // plugin/.env.production is not ignored: reported; the ignored ones are not.
  assert.deepEqual(linted(), ["plugin/.env.production"]);
  // Tracked despite the ignore rule (git add -f): it is in the repository, so it is reported.
  git("add", "-f", "serverless/.env");
  assert.deepEqual(linted(), ["plugin/.env.production", "serverless/.env"]);
  // Named explicitly, an ignored file is linted.
  const named = JSON.parse(run(["--format", "json", "--no-config", ".env"], { cwd: dir }).stdout).findings;
  assert.deepEqual(named.map((f) => [f.file, f.ruleId, f.line, f.column]), [[".env", "auth-token", 1, 19]]);
});

test("--stdin lints standard input under --stdin-filename", () => {
  const source = `const sid: string = '${SID(21)}';\nfetch('https://api.twilio.com/2010-04-01/Accounts.json');\n`;
  const result = run(["--stdin", "--stdin-filename", "src/plugin.ts", "--format", "json", "--no-config"], { input: source });
  assert.equal(result.status, 1, result.stderr);
  const { findings, errors } = JSON.parse(result.stdout);
  assert.deepEqual(errors, []);
  assert.deepEqual(findings.map((f) => [f.file, f.ruleId, f.line]), [
    ["src/plugin.ts", "account-sid", 1],
    ["src/plugin.ts", "direct-api-call", 2],
  ]);
  // The file name picks the syntax: TypeScript annotations are a parse error in a .js file.
  const asJs = JSON.parse(run(["--stdin", "--stdin-filename", "x.js", "--format", "json", "--no-config"], { input: source }).stdout);
  assert.equal(asJs.errors[0].code, "parse-error");
  assert.equal(run(["--stdin", "x.js"]).status, 2);
  assert.equal(run(["--stdin-filename", "x.js", "x.js"]).status, 2);
});
