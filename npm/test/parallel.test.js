// lintFiles: large inputs go to worker threads; results equal the one-thread results, in input order.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { fill } = require("./testgen");
const flexguard = require("..");
const { PARALLEL_MIN_BYTES } = require("../dist/parallel.js");

test("lintFiles spreads large inputs over workers and keeps order and I/O errors", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-parallel-"));
  try {
    const filler = "function f(a, b) { return a * b + 1; }\n".repeat(Math.ceil(PARALLEL_MIN_BYTES / 40));
    const files = [0, 1, 2].map((i) => {
      const file = path.join(dir, `part${i}.js`);
      fs.writeFileSync(file, `${i === 1 ? "" : filler}const sid = "${fill("AC{hex32}", 700 + i)}";\n`);
      return file;
    });
    files.splice(2, 0, path.join(dir, "missing.js"));
    assert.ok(files.reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0) > PARALLEL_MIN_BYTES);

    const parallel = await flexguard.lintFiles(files, {}, 2);
    const serial = await flexguard.lintFiles(files, {}, 1);
    assert.deepStrictEqual(parallel, serial);
    assert.deepStrictEqual(parallel.map((r) => r.file), files);
    assert.strictEqual(parallel[2].error, "ENOENT");
    for (const i of [0, 1, 3]) {
      assert.strictEqual(parallel[i].report.findings.length, 1);
      assert.strictEqual(parallel[i].report.findings[0].ruleId, "account-sid");
      assert.strictEqual(parallel[i].report.findings[0].file, flexguard.displayPath(files[i]));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
