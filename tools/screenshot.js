#!/usr/bin/env node
// `make screenshot`: renders docs/screenshot.png, the README's picture of the CLI's stylish output
// on examples/. The CLI colours its output only on a terminal, so it runs under `script` (a
// pseudo-terminal, from util-linux). The text becomes a dark HTML page, which headless Debian
// Chromium (tools/setup-playground.sh) photographs. Needs `make build` first.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const OUT = path.join(ROOT, "docs", "screenshot.png");
const COMMAND = "node npm/bin/flexguard.js --no-config examples";
const COLUMNS = 120;

// The CLI's output as a terminal would receive it.
const run = spawnSync("script", ["--quiet", "--return", "--command", COMMAND, "/dev/null"], {
  cwd: ROOT,
  encoding: "utf8",
  env: { ...process.env, COLUMNS: String(COLUMNS), TERM: "xterm-256color" },
});
if (run.error) throw run.error;
if (run.status !== 1) throw new Error(`expected exit 1 (the example's planted findings), got ${run.status}:\n${run.stdout}${run.stderr}`);

// Terminal line endings, and progress lines overwritten with "\r\x1b[K": keep what stays visible.
const text = run.stdout
  .replace(/\r\n/g, "\n")
  .split("\n")
  .map((line) => line.split("\r").pop().replace(/\x1b\[K/g, ""))
  .join("\n")
  .trimEnd();

// The CLI redacts every credential; refuse to publish a picture if anything credential-shaped slipped through.
if (/[0-9a-fA-F]{32}|[A-Za-z0-9]{32}/.test(text.replace(/\x1b\[[0-9;]*m/g, ""))) {
  throw new Error("the output holds a credential-shaped value; not rendering it");
}

// SGR colour codes the stylish reporter uses, as CSS.
const STYLES = { 1: "font-weight:bold", 2: "opacity:0.6", 31: "color:#ff6b68", 32: "color:#8fd18f", 33: "color:#f2c55c", 34: "color:#6cb6ff" };
const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** ANSI text → HTML: each SGR sequence closes the open span and opens one with the active styles. */
function toHtml(ansi) {
  let active = [];
  let html = "";
  for (const part of ansi.split(/(\x1b\[[0-9;]*m)/)) {
    const sgr = /^\x1b\[([0-9;]*)m$/.exec(part);
    if (!sgr) {
      html += escape(part);
      continue;
    }
    if (active.length > 0) html += "</span>";
    for (const code of sgr[1].split(";").map(Number)) active = code === 0 ? [] : STYLES[code] ? [...active, STYLES[code]] : active;
    if (active.length > 0) html += `<span style="${active.join(";")}">`;
  }
  return active.length > 0 ? html + "</span>" : html;
}

const page = `<!doctype html>
<meta charset="utf-8">
<style>
  body { margin: 0; background: #1e1e1e; }
  pre {
    display: inline-block; margin: 0; padding: 16px 20px; width: ${COLUMNS}ch;
    color: #d4d4d4; background: #1e1e1e; white-space: pre-wrap; overflow-wrap: anywhere;
    font: 14px/1.4 "DejaVu Sans Mono", monospace;
  }
  .prompt { color: #8fd18f; }
</style>
<pre><span class="prompt">$</span> ${escape(COMMAND)}
${toHtml(text)}</pre>`;

async function main() {
  const { chromium } = require(path.join(ROOT, "npm", "node_modules", "playwright-core"));
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  try {
    const tab = await browser.newPage({ viewport: { width: 1200, height: 400 } });
    await tab.setContent(page);
    await tab.locator("pre").screenshot({ path: OUT });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
