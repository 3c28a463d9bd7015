#!/usr/bin/env bash
# Fuzz `flexguard::scan` with cargo-fuzz (libFuzzer, nightly). Targets live in crate/fuzz/.
#   tools/fuzz.sh smoke            every target, 25 s each (make fuzz-smoke)
#   tools/fuzz.sh run TARGET SECS  one target for SECS seconds (make fuzz TARGET=scan_js SECS=1800)
# The corpus is seeded from tests/fixtures and examples/ and kept in $HOME/.cache/flexguard/fuzz
# between runs; crashes land in crate/fuzz/artifacts/TARGET/ and the run fails.
# Runs at the lowest CPU priority in one process (libFuzzer's default: one job): the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "fuzz: $*" >&2; }

if ! rustup toolchain list | grep -q '^nightly'; then
  say "installing the nightly toolchain (cargo-fuzz needs it)"
  rustup toolchain install nightly --profile minimal >&2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (cargo install, ~4 min once)"
  cargo install cargo-fuzz >&2
fi

corpus_root="$HOME/.cache/flexguard/fuzz"
seed() {
  local dir="$corpus_root/$1"
  mkdir -p "$dir"
  # Seeds: every source file of our fixtures and the example plugin (content-addressed names).
  find tests/fixtures examples -type f \( -name '*.js' -o -name '*.jsx' -o -name '*.ts' -o -name '*.tsx' \) \
      -size -256k 2>/dev/null | while read -r f; do
    cp "$f" "$dir/seed-$(sha1sum "$f" | cut -c1-16)"
  done
  echo "$dir"
}

run() {
  local target=$1 secs=$2 dir
  dir=$(seed "$target")
  say "$target for ${secs}s (corpus $dir: $(ls "$dir" | wc -l) inputs)"
  # -O and overflow checks: integer overflow in span arithmetic panics, but debug assertions are
  # off, as in the shipped wasm. swc_ecma_parser 47 has debug_asserts that fuzzing hits within
  # minutes (`(a,{b}! => …`, `read_regexp`; both replayed in crate/tests/regressions.rs), and
  # cargo-fuzz enables debug assertions unless -O.
  # No sanitizer: the crate forbids unsafe, and the speed buys more executions.
  (cd crate && RUSTFLAGS="${RUSTFLAGS:-} -C overflow-checks=on" nice -n 19 cargo +nightly fuzz run -O -s none "$target" "$dir" -- \
      -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
      -print_final_stats=1)
}

case "${1:-smoke}" in
  smoke) (cd crate && RUSTFLAGS="${RUSTFLAGS:-} -C overflow-checks=on" nice -n 19 cargo +nightly fuzz build -O -s none >&2); run scan_bytes 25; run scan_js 25; run project 25 ;;
  run) run "${2:?target}" "${3:?seconds}" ;;
  *) echo "usage: $0 smoke | run TARGET SECONDS" >&2; exit 2 ;;
esac
