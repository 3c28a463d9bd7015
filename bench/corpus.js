// The benchmark corpus: real browser builds of react-dom and the Twilio browser SDKs (installed by
// tools/setup-bench.sh), copied with planted FAKE findings, plus one small plugin-sized file.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { fill } = require("../npm/test/testgen");

const CACHE = path.join(process.env.FLEXGUARD_CACHE || path.join(os.homedir(), ".cache", "flexguard"), "bench");

// Minified production builds first (what a Flex bundle is made of), then the same SDKs'
// unminified browser builds (what a development bundle holds): ~9 MB together.
const FILES = [
  "react-dom/umd/react-dom.production.min.js",
  "react-dom/umd/react-dom.profiling.min.js",
  "twilio-video/dist/twilio-video.min.js",
  "@twilio/conversations/builds/twilio-conversations.min.js",
  "twilio-sync/builds/twilio-sync.min.js",
  "@twilio/voice-sdk/dist/twilio.min.js",
  "twilsock/builds/twilsock.min.js",
  "@twilio/notifications/builds/twilio-notifications.min.js",
  "@twilio/mcs-client/builds/twilio-mcs-client.min.js",
  "react-dom/umd/react-dom.development.js",
  "twilio-video/dist/twilio-video.js",
  "@twilio/conversations/builds/twilio-conversations.js",
  "twilio-sync/builds/twilio-sync.js",
  "@twilio/voice-sdk/dist/twilio.js",
  "twilsock/builds/twilsock.js",
  "@twilio/notifications/builds/twilio-notifications.js",
  "@twilio/mcs-client/builds/twilio-mcs-client.js",
  "react-dom/umd/react-dom-server.browser.development.js",
  "react/umd/react.development.js",
];

/** Two planted findings: a SID assembled by concatenation, and a direct REST call. */
function planted(seed) {
  const sid = fill("AC{hex32}", seed);
  return `\n;(function(){var s="${sid.slice(0, 10)}"+"${sid.slice(10)}";fetch("https://api.twilio.com/2010-04-01/Accounts.json",{body:s})})();\n`;
}

/** Write the corpus into `<cache>/bench/corpus/`; returns { dir, files, bytes, small }. */
function buildCorpus() {
  const modules = path.join(CACHE, "node_modules");
  if (!fs.existsSync(modules)) throw new Error("benchmark packages missing: run tools/setup-bench.sh");
  const dir = path.join(CACHE, "corpus");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const files = FILES.map((rel, i) => {
    const text = fs.readFileSync(path.join(modules, rel), "utf8");
    const out = path.join(dir, rel.replace(/[@/]/g, "_"));
    fs.writeFileSync(out, planted(1000 + i) + text + planted(2000 + i));
    return out;
  });
  const small = path.join(CACHE, "small", "plugin.js");
  fs.mkdirSync(path.dirname(small), { recursive: true });
  let plugin = `import React from "react";\nimport { FlexPlugin } from "@twilio/flex-plugin";\n\nconst ACCOUNT = "${fill("AC{hex32}", 3000)}";\n`;
  for (let i = 0; plugin.length < 5000; i++) {
    plugin += `export function Panel${i}({ manager }) {\n  const token = manager.user.token;\n  return fetch("https://example-${i}.twil.io/tasks", { method: "POST", body: new URLSearchParams({ Token: token, n: "${i}" }) });\n}\n`;
  }
  fs.writeFileSync(small, plugin);
  const bytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
  return { dir, files, bytes, small };
}

module.exports = { buildCorpus, CACHE };
