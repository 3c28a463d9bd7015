#!/usr/bin/env bash
# Idempotent: real webpack 4 and webpack 5 for the bundle tests (npm/test/bundles.test.js), installed
# once into $HOME/.cache/flexguard/bundles/webpack{4,5}. Separate prefixes because both are "webpack".
# Webpack 4 on Node >= 17 needs NODE_OPTIONS=--openssl-legacy-provider at build time (its md4 hash).
set -euo pipefail
root=${FLEXGUARD_CACHE:-$HOME/.cache/flexguard}/bundles
say() { echo "setup-bundles: $*" >&2; }
for major in 4 5; do
  dir=$root/webpack$major
  have=$(node -p "require('$dir/node_modules/webpack/package.json').version" 2>/dev/null || true)
  if [ "${have%%.*}" = "$major" ]; then
    say "webpack $have: present in $dir"
    continue
  fi
  say "installing webpack@$major into $dir"
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"flexguard-bundles-webpack'"$major"'","private":true}' > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund "webpack@$major" >&2)
done
