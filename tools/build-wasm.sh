#!/usr/bin/env bash
# Build the engine to wasm and generate the nodejs and web bindings into npm/wasm/.
# Uses the route tools/setup.sh chose (rustup target, or Debian rustc-web with -Z build-std).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "build-wasm: $*" >&2; }
route=$(cat target/wasm-route 2>/dev/null || echo rustup)
if [ "$route" = debian ]; then
  say "cargo build (Debian rustc-web, -Z build-std)"
  PATH=/usr/bin:$PATH RUSTC_BOOTSTRAP=1 cargo build --release --target wasm32-unknown-unknown -p flexguard \
    -Z build-std=std,panic_abort >&2
else
  say "cargo build (rustup wasm32 target)"
  cargo build --release --target wasm32-unknown-unknown -p flexguard >&2
fi
wasm=${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/flexguard.wasm
opt=npm/node_modules/binaryen/bin/wasm-opt
for target in nodejs web; do
  out=npm/wasm/$target
  rm -rf "$out" && mkdir -p "$out"
  wasm-bindgen --target "$target" --out-dir "$out" --out-name flexguard "$wasm"
  say "wasm-opt $target"
  "$opt" -Os --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/flexguard_bg.wasm" -o "$out/flexguard_bg.wasm"
  say "$out/flexguard_bg.wasm: $(stat -c %s "$out/flexguard_bg.wasm") bytes"
done
# The nodejs glue compiles its wasm when required. Let the host hand it a module compiled once per
# process instead (npm/src/engine.ts), so that a fresh instance after a trap, and every worker
# thread (which receives the module), skip reading and compiling 1.4 MB again.
node - npm/wasm/nodejs/flexguard.js <<'JS'
const fs = require("fs");
const file = process.argv[2];
const compile = "const wasmPath = `${__dirname}/flexguard_bg.wasm`;\nconst wasmBytes = require('fs').readFileSync(wasmPath);\nconst wasmModule = new WebAssembly.Module(wasmBytes);\n";
const text = fs.readFileSync(file, "utf8");
if (!text.includes(compile)) throw new Error(`build-wasm: ${file}: the module compile to patch was not found (wasm-bindgen changed its glue)`);
fs.writeFileSync(file, text.replace(compile, "// Patched by tools/build-wasm.sh: a module compiled by the host, else this file's own.\nconst wasmModule = globalThis[Symbol.for('flexguard.wasmModule')] ?? new WebAssembly.Module(require('fs').readFileSync(`${__dirname}/flexguard_bg.wasm`));\n"));
JS
