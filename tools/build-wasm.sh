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
