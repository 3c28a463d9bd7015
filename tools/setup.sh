#!/usr/bin/env bash
# Idempotent toolchain setup for a fresh machine: wasm32 standard library, wasm-bindgen CLI at
# the version Cargo.toml pins, and the npm dev tools (TypeScript, binaryen's wasm-opt).
# Re-running it when everything is present takes seconds. It says what it does.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "setup: $*" >&2; }
mkdir -p target

# 1. A wasm32 standard library, by one of two routes (docs/development.md):
#    - rustup's wasm32-unknown-unknown target, when `rustup target add` works (it does not on every
#      machine, hence the timeout);
#    - else Debian's rustc-web, cargo-web, rust-web-src and lld-22 (lld-22 provides rust-lld):
#      tools/build-wasm.sh then builds std itself with RUSTC_BOOTSTRAP=1 and -Z build-std.
route=""
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  route=rustup
  say "wasm32-unknown-unknown: rustup target present"
else
  say "wasm32-unknown-unknown: trying 'rustup target add' (timeout 120 s)"
  if timeout 120 rustup target add wasm32-unknown-unknown >&2; then
    route=rustup
  else
    route=debian
    if dpkg -s rustc-web cargo-web rust-web-src lld-22 >/dev/null 2>&1; then
      say "Debian rustc-web route: already installed ($(/usr/bin/rustc --version))"
    else
      say "installing Debian rustc-web cargo-web rust-web-src lld-22 (apt)"
      SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
      $SUDO apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq rustc-web cargo-web rust-web-src lld-22 >&2
    fi
  fi
fi
echo "$route" > target/wasm-route

# 2. wasm-bindgen CLI, exactly the crate's pinned version (it refuses other versions' modules).
want=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' crate/Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" = "$want" ]; then
  say "wasm-bindgen $want: present"
else
  say "installing wasm-bindgen-cli $want (cargo install, ~3 min once; --locked fails on this registry)"
  cargo install wasm-bindgen-cli --version "=$want" >&2
fi

# 3. npm dev dependencies of the package (TypeScript, binaryen 132 for wasm-opt; never Debian's
#    binaryen 108, which writes broken modules). Reinstall only when the lockfile changed.
if [ ! -f npm/node_modules/.package-lock.json ] || [ npm/package-lock.json -nt npm/node_modules/.package-lock.json ]; then
  say "npm ci in npm/"
  (cd npm && npm ci --no-audit --no-fund >&2)
else
  say "npm/node_modules: up to date"
fi
say "done (wasm route: $route)"
