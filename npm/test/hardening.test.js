// Hardening of the real wasm engine through the package's one JS core: adversarial inputs never
// trap it, a trap (a real WebAssembly.RuntimeError / RangeError) becomes an internal-error report
// naming the file and quoting nothing, and linear memory stays bounded over 1,000 files.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const os = require("os");
const path = require("path");
const Module = require("module");
const { fill } = require("./testgen");
const flexguard = require("..");
const { Flexguard } = flexguard;

const GLUE = require.resolve("../wasm/nodejs/flexguard.js");
const N = 100_000;

/** The real nodejs glue, loaded as a fresh module that also hands out its wasm memory. */
function engineWithMemory() {
  const glue = new Module(GLUE, module);
  glue.filename = GLUE;
  glue.paths = Module._nodeModulePaths(path.dirname(GLUE));
  glue._compile(`${fs.readFileSync(GLUE, "utf8")}\nmodule.exports.memory = () => wasm.memory;\n`, GLUE);
  return glue.exports;
}

/**
 * A real trap: a hand-written 40-byte wasm module whose exported `lint` executes `unreachable`
 * (types: () -> (); one function; export "lint"; body: unreachable, end).
 */
function unreachableLint() {
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: func () -> ()
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x07, 0x08, 0x01, 0x04, 0x6c, 0x69, 0x6e, 0x74, 0x00, 0x00, // export "lint" = func 0
    0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b, // code: no locals, unreachable, end
  ]);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.lint;
}

function assertPlantedFound(report, sid, what) {
  assert.ok(
    report.findings.some((f) => f.ruleId === "account-sid"),
    `${what}: planted credential not found; diagnostics ${JSON.stringify(report.diagnostics)}`,
  );
  assert.ok(!JSON.stringify(report).includes(sid.slice(2)), `${what}: credential leaked`);
  assert.ok(!report.diagnostics.some((d) => d.code === "internal-error"), `${what}: ${JSON.stringify(report.diagnostics)}`);
}

test("100k-deep nesting of every kind is a limit diagnostic in wasm, and the text is still scanned", () => {
  const cases = {
    "[": ["a.js", `x=${"[".repeat(N)}1${"]".repeat(N)}`],
    "(": ["a.js", `x=${"(".repeat(N)}1${")".repeat(N)}`],
    "{": ["a.js", `${"{".repeat(N)}1${"}".repeat(N)}`],
    template: ["a.js", `x=${"`${".repeat(N)}1${"}`".repeat(N)}`],
    jsx: ["a.jsx", `x=<i>${"<b>".repeat(N)}1${"</b>".repeat(N)}</i>`],
    "ts assertion": ["a.ts", `x=${"<b>".repeat(N)}1`],
    not: ["a.js", `x=${"!".repeat(N)}1`],
    arrow: ["a.js", `x=${"a=>".repeat(N)}1`],
    conditional: ["a.js", `x=${"a?b:".repeat(N)}1`],
    concatenation: ["a.js", `x='a'${"+'a'".repeat(N)}`],
    member: ["a.js", `x=a${".b".repeat(N)}`],
    call: ["a.js", `x=a${"()".repeat(N)}`],
    typeof: ["a.js", `x=${"typeof ".repeat(N)}1`],
    new: ["a.js", `x=${"new ".repeat(N)}a`],
    await: ["a.js", `x=${"await ".repeat(N)}1`],
    "else if": ["a.js", `${"if(a)b;else ".repeat(N)}c`],
    "braceless for": ["a.js", `${"for(;;)".repeat(N)}c`],
  };
  for (const [name, [filename, body]] of Object.entries(cases)) {
    const sid = fill("AC{hex32}", 300);
    const report = flexguard.lint(`const planted = '${sid}';\n${body};\n`, { filename });
    assertPlantedFound(report, sid, name);
    assert.ok(report.diagnostics.some((d) => d.code === "limit"), `${name}: ${JSON.stringify(report.diagnostics)}`);
  }
});

test("nesting at the limit (200 levels) parses on node's default stack", () => {
  const n = 200;
  const cases = {
    "(": ["a.js", `x=${"(".repeat(n)}1${")".repeat(n)}`],
    "[": ["a.js", `x=${"[".repeat(n)}1${"]".repeat(n)}`],
    template: ["a.js", `x=${"`${".repeat(n)}1${"}`".repeat(n)}`],
    jsx: ["a.jsx", `x=<i>${"<b>".repeat(n - 1)}1${"</b>".repeat(n - 1)}</i>`],
    tsx: ["a.tsx", `x=<i>${"<b>".repeat(n - 1)}1${"</b>".repeat(n - 1)}</i>`],
    arrow: ["a.js", `x=${"a=>".repeat(n - 1)}1`],
    not: ["a.js", `x=${"!".repeat(10 * n)}1`],
    function: ["a.js", `x=${"function(){return ".repeat(n - 1)}1${"}".repeat(n - 1)}`],
    conditional: ["a.js", `x=${"a?b:".repeat(5 * n)}1`],
  };
  for (const [name, [filename, body]] of Object.entries(cases)) {
    const sid = fill("AC{hex32}", 301);
    const report = flexguard.lint(`const planted = '${sid}';\n${body};\n`, { filename });
    assertPlantedFound(report, sid, name);
    assert.deepEqual(report.diagnostics, [], name);
  }
});

test("inputs the fuzzer found that trapped the wasm are parse-errors now, still scanned", () => {
  const sid = fill("AC{hex32}", 307);
  for (const source of [`x=<a:b.c/>;'${sid}'`, `x=<div>${"'"}${sid}${"'"}</div:www.twilio.com>`]) {
    const report = flexguard.lint(source, { filename: "a.jsx" });
    assert.deepEqual(report.diagnostics.map((d) => d.code), ["parse-error"], source.slice(0, 12));
    assertPlantedFound(report, sid, source.slice(0, 12));
  }
});

test("binary and invalid UTF-8 files read through lintFile are scanned", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flexguard-hardening-"));
  const sid = fill("AC{hex32}", 302);
  const file = path.join(dir, "image.js");
  fs.writeFileSync(
    file,
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0xc0, 0xaf]),
      Buffer.from(`\n'${sid}'\n`),
      Buffer.from([0xf4, 0x90, 0x80, 0x80, 0x00]),
    ]),
  );
  const report = flexguard.lintFile(file);
  assertPlantedFound(report, sid, "binary file");
  assert.equal(report.findings[0].line, 4, "after the PNG header's CRLF and LF");
  fs.rmSync(dir, { recursive: true });
});

test("bytes and their decoded text lint alike: invalid UTF-8, a BOM, CRLF and astral characters keep every position and fingerprint", () => {
  const junk = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0x80, 0x80]];
  for (let round = 0; round < 40; round++) {
    const parts = [round % 4 === 0 ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0)];
    for (let i = 0; i < 6; i++) {
      const sid = fill("AC{hex32}", 400 + round * 6 + i);
      const pick = junk[(round * 5 + i * 3) % junk.length];
      // The invalid bytes sit inside a string before the finding: its column counts their replacements.
      parts.push(Buffer.from(`${(round + i) % 2 ? "\r\n" : "\n"}const s${i} = "😀`), Buffer.from(pick), Buffer.from(`é${i}"; fetch("https://api.twilio.com/x", { body: "${sid}" });\n`));
    }
    const bytes = Buffer.concat(parts);
    const options = { filename: `file${round}.js` };
    const fromBytes = flexguard.lint(bytes, options);
    assert.deepEqual(fromBytes, flexguard.lint(bytes.toString("utf8"), options), `round ${round}`);
    assert.ok(fromBytes.findings.length >= 6, `round ${round}: ${fromBytes.findings.length} findings`);
  }
});

test("a real wasm trap becomes an internal-error for that file only, its text is still scanned, and the next file is scanned", () => {
  for (const [kind, trap] of [
    ["unreachable", unreachableLint()],
    // A real stack overflow of the JS engine, as V8 reports one from deep wasm recursion.
    ["stack overflow", () => { const recurse = () => recurse() + 1; return recurse(); }],
  ]) {
    let instances = 0;
    const engine = new Flexguard(() => {
      instances++;
      const real = engineWithMemory();
      return instances === 1 ? { ...real, lint: trap } : real;
    });
    const sid = fill("AC{hex32}", 303);
    const source = `const secret = '${sid}'; // private source text`;
    const trapped = engine.lint(source, { filename: "src/trapped.js" });
    // The fresh instance scanned the text for credential shapes: the SID is found, redacted.
    assert.deepEqual(trapped.findings.map((f) => f.ruleId), ["account-sid"], kind);
    assert.equal(trapped.findings[0].line, 1, kind);
    assert.equal(trapped.diagnostics.length, 1, kind);
    const [diagnostic] = trapped.diagnostics;
    assert.equal(diagnostic.code, "internal-error", kind);
    assert.equal(diagnostic.file, "src/trapped.js", kind);
    assert.match(diagnostic.message, /scanned for credential shapes only/, kind);
    // The diagnostic quotes nothing; findings carry redacted excerpts as always.
    assert.ok(!JSON.stringify(trapped.diagnostics).includes("private source text"), `${kind}: source text in the diagnostic`);
    assert.ok(!JSON.stringify(trapped).includes(sid.slice(2)), `${kind}: credential leaked`);

    const next = engine.lint(`const sid = '${fill("AC{hex32}", 304)}';`, { filename: "src/next.js" });
    assert.equal(next.findings.length, 1, kind);
    assert.equal(next.findings[0].file, "src/next.js", kind);
    assert.equal(instances, 2, `${kind}: the trapped instance was replaced once`);
  }
  // When the fallback traps too, the file is reported as not scanned, and nothing throws.
  let instances = 0;
  const engine = new Flexguard(() => {
    instances++;
    const real = engineWithMemory();
    return instances <= 2 ? { ...real, lint: unreachableLint(), lintAfterFailure: unreachableLint() } : real;
  });
  const report = engine.lint(`'${fill("AC{hex32}", 307)}'`, { filename: "src/twice.js" });
  assert.equal(report.findings.length, 0);
  assert.match(report.diagnostics[0].message, /it was not scanned/);
  assert.equal(engine.lint(`'${fill("AC{hex32}", 308)}'`, { filename: "src/after.js" }).findings.length, 1);
});

// An input that trapped the real engine: an if/else chain 20,000 deep is statement nesting,
// which the text estimate did not count. Now it is a `limit`, scanned as text.
test("a 20,000-deep else-if chain is a limit in wasm, not a trap", () => {
  const sid = fill("AC{hex32}", 305);
  const source = `const planted = '${sid}';\n${"if(a)b;else ".repeat(20_000)}c;`;
  const engine = new Flexguard(engineWithMemory);
  const report = engine.lint(source, { filename: "src/chain.js" });
  assertPlantedFound(report, sid, "else-if chain");
  assert.deepEqual(report.diagnostics.map((d) => d.code), ["limit"]);
});

test("wasm linear memory stays bounded over 1,000 files in one process", () => {
  let glue;
  const engine = new Flexguard(() => (glue = engineWithMemory()));
  const files = [];
  // The largest files first, so the allocator reaches its working size early.
  files.push(`const big = "${"x".repeat(2 << 20)}";`);
  files.push(Array.from({ length: 20000 }, (_, i) => `function m${i}(e){return e.a${i}+"k"}`).join(";"));
  for (let i = files.length; i < 1000; i++) {
    const body = Array.from({ length: 1 + (i * 37) % 400 }, (_, j) => `const v${j} = "s${i}_${j}" + x${j % 7};`).join("\n");
    files.push(`${body}\n${i % 10 === 0 ? fill("const sid = 'AC{hex32}';", i) : ""}\nexport default <div>{v0}</div>;`);
  }
  const bytes = () => glue.memory().buffer.byteLength;
  let afterWarmup = 0;
  let findings = 0;
  files.forEach((source, i) => {
    const report = engine.lint(source, { filename: `f${i}.jsx` });
    findings += report.findings.length;
    assert.ok(!report.diagnostics.some((d) => d.code === "internal-error"), `f${i}.jsx`);
    if (i === 99) afterWarmup = bytes();
  });
  const final = bytes();
  const MiB = 1 << 20;
  console.log(`wasm memory: ${afterWarmup / MiB} MiB after 100 files, ${final / MiB} MiB after 1000`);
  assert.equal(findings, files.filter((_, i) => i >= 2 && i % 10 === 0).length, "every planted credential found");
  assert.ok(final <= afterWarmup + 8 * MiB, `linear memory grew from ${afterWarmup / MiB} to ${final / MiB} MiB`);
  assert.ok(final <= 256 * MiB, `linear memory ${final / MiB} MiB`);
});
