#!/usr/bin/env node
// The ecosystem check: lint real public Flex repositories with the built CLI and compare the
// findings with the hand-made verdicts in tests/ecosystem/verdicts.csv.
//
//   node tools/ecosystem.js <DIR> [--write-missing]
//
// DIR holds checkouts named <owner>+<name> of the repositories in tests/ecosystem/repos.json
// (see tests/ecosystem/README.md for how to fetch them). Repositories missing from DIR are
// warned about and skipped, so the check runs offline on whatever is there.
//
// Prints per-repository counts, every finding without a verdict (as a CSV line to paste into
// verdicts.csv), verdicts that no longer match a finding (stale), and the totals. Exits 1 when
// a finding has no verdict (or the verdict `?`), or when false alarms are 5 % or more of the
// judged findings; 2 on a usage error. --write-missing appends the unjudged findings to
// verdicts.csv with the verdict `?`, to be judged by hand.
"use strict";

const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "npm", "bin", "flexguard.js");
const REPOS_FILE = path.join(ROOT, "tests", "ecosystem", "repos.json");
const VERDICTS_FILE = path.join(ROOT, "tests", "ecosystem", "verdicts.csv");
const VERDICTS_HEADER = "repo,path,line,rule,verdict,why";
const MAX_FALSE_ALARM_RATE = 0.05;

function usage(message) {
  if (message) console.error(`ecosystem: ${message}`);
  console.error("usage: node tools/ecosystem.js <DIR> [--write-missing]");
  process.exit(2);
}

// --- CSV (RFC 4180: fields quoted when they hold a comma, a quote or a line break) ---

function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += c;
    }
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0].trim() === ""));
}

function csvField(value) {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLine(fields) {
  return fields.map(csvField).join(",");
}

// --- inputs ---

function readRepos() {
  const repos = JSON.parse(fs.readFileSync(REPOS_FILE, "utf8"));
  if (!Array.isArray(repos)) throw new Error(`${REPOS_FILE}: expected an array`);
  return repos;
}

// Verdicts keyed by "repo|path|line|rule"; one verdict covers every finding of that rule on
// that line (findings are judged per line, not per column).
function readVerdicts() {
  if (!fs.existsSync(VERDICTS_FILE)) return [];
  const rows = parseCsv(fs.readFileSync(VERDICTS_FILE, "utf8"));
  const header = rows.shift();
  if (!header || header.join(",") !== VERDICTS_HEADER) {
    throw new Error(`${VERDICTS_FILE}: the header must be ${VERDICTS_HEADER}`);
  }
  return rows.map((r, i) => {
    const [repo, file, line, rule, verdict, why] = r;
    if (!["true", "false", "?"].includes(verdict)) {
      console.error(`warning: verdicts.csv line ${i + 2}: verdict must be true, false or ? (got ${JSON.stringify(verdict)})`);
    }
    return { repo, path: file, line: Number(line), rule, verdict, why: why || "" };
  });
}

const keyOf = (f) => `${f.repo}|${f.path}|${f.line}|${f.rule}`;

// --- running the CLI ---

function lintCheckout(dir) {
  const run = spawnSync(process.execPath, [CLI, "--no-config", "--format", "json", "."], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: 15 * 60 * 1000,
  });
  const result = { status: run.status, findings: [], errors: [], problem: null };
  if (run.error) {
    result.problem = run.error.message;
    return result;
  }
  if (run.status !== 0 && run.status !== 1) {
    result.problem = `exit ${run.status}: ${(run.stderr || "").trim().split("\n").slice(0, 5).join(" | ")}`;
  }
  try {
    const report = JSON.parse(run.stdout);
    result.findings = report.findings || [];
    result.errors = report.errors || [];
  } catch (e) {
    if (!result.problem) result.problem = `unreadable JSON report (${e.message})`;
  }
  return result;
}

function relPath(file) {
  return file.split(path.sep).join("/").replace(/^\.\//, "");
}

// --- main ---

function main(argv) {
  const args = argv.filter((a) => !a.startsWith("--"));
  const flags = argv.filter((a) => a.startsWith("--"));
  for (const f of flags) if (f !== "--write-missing") usage(`unknown option ${f}`);
  if (args.length !== 1) usage();
  const dir = path.resolve(args[0]);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) usage(`${dir} is not a directory`);
  if (!fs.existsSync(CLI)) usage(`${CLI} not found`);

  const repos = readRepos();
  const verdicts = readVerdicts();
  const verdictByKey = new Map(verdicts.map((v) => [keyOf(v), v]));

  const checked = new Set();
  const matchedKeys = new Set();
  const unjudged = new Map(); // key -> finding (one CSV line per repo/path/line/rule)
  const perRepo = [];
  const problems = [];
  const totals = { findings: 0, true: 0, false: 0, unjudged: 0 };

  for (const { repo } of repos) {
    const checkout = path.join(dir, repo.replace("/", "+"));
    if (!fs.existsSync(checkout)) {
      console.error(`warning: ${repo} is not in ${dir} (expected ${path.basename(checkout)}/), skipped`);
      continue;
    }
    checked.add(repo);
    const result = lintCheckout(checkout);
    if (result.problem) problems.push(`${repo}: ${result.problem}`);
    const counts = { repo, findings: 0, true: 0, false: 0, unjudged: 0, rules: {}, errors: result.errors.length };
    for (const raw of result.findings) {
      const f = { repo, path: relPath(raw.file), line: raw.line, rule: raw.ruleId };
      const key = keyOf(f);
      const verdict = verdictByKey.get(key);
      counts.findings++;
      counts.rules[f.rule] = (counts.rules[f.rule] || 0) + 1;
      if (verdict && (verdict.verdict === "true" || verdict.verdict === "false")) {
        counts[verdict.verdict]++;
        matchedKeys.add(key);
      } else {
        counts.unjudged++;
        if (verdict) matchedKeys.add(key);
        unjudged.set(key, f);
      }
    }
    for (const k of ["findings", "true", "false", "unjudged"]) totals[k] += counts[k];
    perRepo.push(counts);
  }

  // Per repository.
  console.log("== per repository ==");
  const width = Math.max(10, ...perRepo.map((c) => c.repo.length));
  console.log(`${"repo".padEnd(width)}  findings  true  false  unjudged  rules`);
  for (const c of perRepo) {
    const rules = Object.entries(c.rules)
      .sort()
      .map(([r, n]) => `${r}:${n}`)
      .join(" ");
    const errs = c.errors ? `  (${c.errors} engine diagnostics)` : "";
    console.log(
      `${c.repo.padEnd(width)}  ${String(c.findings).padStart(8)}  ${String(c.true).padStart(4)}  ${String(c.false).padStart(5)}  ${String(c.unjudged).padStart(8)}  ${rules}${errs}`,
    );
  }

  if (problems.length) {
    console.log("\n== runs that failed (exit 2 or no report) ==");
    for (const p of problems) console.log(p);
  }

  // Findings without a verdict, ready to paste (fill in verdict and why).
  console.log(`\n== findings without a verdict (${unjudged.size}) ==`);
  for (const f of unjudged.values()) {
    const existing = verdictByKey.get(keyOf(f));
    console.log(csvLine([f.repo, f.path, f.line, f.rule, existing ? existing.verdict : "", existing ? existing.why : ""]));
  }

  // Verdicts of checked repositories that match no finding any more.
  const stale = verdicts.filter((v) => checked.has(v.repo) && !matchedKeys.has(keyOf(v)));
  console.log(`\n== stale verdicts: no finding matches them (${stale.length}) ==`);
  for (const v of stale) console.log(csvLine([v.repo, v.path, v.line, v.rule, v.verdict, v.why]));

  const judged = totals.true + totals.false;
  const rate = judged ? totals.false / judged : 0;
  console.log("\n== totals ==");
  console.log(`repositories checked: ${checked.size} of ${repos.length}`);
  console.log(`findings: ${totals.findings}  true: ${totals.true}  false: ${totals.false}  unjudged: ${totals.unjudged}`);
  console.log(`false-alarm rate: ${(rate * 100).toFixed(1)} % of ${judged} judged findings (limit ${MAX_FALSE_ALARM_RATE * 100} %)`);

  if (flags.includes("--write-missing")) {
    const fresh = [...unjudged.values()].filter((f) => !verdictByKey.has(keyOf(f)));
    if (fresh.length) {
      let text = fs.existsSync(VERDICTS_FILE) ? fs.readFileSync(VERDICTS_FILE, "utf8") : `${VERDICTS_HEADER}\n`;
      if (!text.endsWith("\n")) text += "\n";
      text += fresh.map((f) => `${csvLine([f.repo, f.path, f.line, f.rule, "?", ""])}\n`).join("");
      fs.writeFileSync(VERDICTS_FILE, text);
    }
    console.log(`wrote ${fresh.length} unjudged finding(s) to ${path.relative(process.cwd(), VERDICTS_FILE)} with verdict ?`);
  }

  let fail = false;
  if (totals.unjudged > 0) {
    console.log(`FAIL: ${totals.unjudged} finding(s) without a verdict`);
    fail = true;
  }
  if (judged > 0 && rate >= MAX_FALSE_ALARM_RATE) {
    console.log(`FAIL: false alarms are ${(rate * 100).toFixed(1)} % of judged findings (limit ${MAX_FALSE_ALARM_RATE * 100} %)`);
    fail = true;
  }
  if (problems.length) console.log(`note: ${problems.length} run(s) failed, see above`);
  return fail ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`ecosystem: ${e.message}`);
  process.exitCode = 2;
}
