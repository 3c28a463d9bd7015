// The browser entry (dist/web.mjs over the `web` wasm build) gives the same reports as the node
// entry: the same core, a different glue. Node can run it: file URLs import, bytes compile.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const { fill } = require("./testgen");
const node = require("..");

const WEB = path.join(__dirname, "..", "wasm", "web");

test("the web entry lints like the node entry, and each instance is a fresh glue module", async () => {
  const web = await import("flexguard/web");
  const flexguard = await web.loadFlexguard({
    glueUrl: pathToFileURL(path.join(WEB, "flexguard.js")),
    wasm: fs.readFileSync(path.join(WEB, "flexguard_bg.wasm")),
  });
  const source = fill("const sid = 'AC{hex32}';\nfetch('https://api.twilio.com/2010-04-01/Accounts.json');\n", 71);
  assert.deepEqual(flexguard.lint(source, { filename: "a.js" }), node.lint(source, { filename: "a.js" }));
  assert.deepEqual(flexguard.rules(), node.rules());
  const first = flexguard.engine;
  const second = flexguard.factory.take();
  assert.notEqual(first, second);
  assert.deepEqual(second.lint(source, { filename: "a.js" }), node.lint(source, { filename: "a.js" }));
  assert.equal(typeof web.formatters.json, "function");
});
