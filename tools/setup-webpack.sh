#!/usr/bin/env bash
# Idempotent setup for the webpack tests (make test-webpack). Installs into $HOME/.cache/flexguard/:
#   webpack4/  webpack@4 + webpack-cli@3   (what @twilio/flex-plugin-scripts 7.x runs)
#   webpack5/  webpack@5 + webpack-cli@5
#   flex-plugin-<key>/  examples/flex-plugin's dependencies (~830 MB, ~100 s cold), keyed on its
#                       package.json and this script, so a warm run only checks a stamp file.
# The Flex install applies three workarounds to its own copy of the package.json, needed with an
# offline registry mirror: an `fs` stub (fs@0.0.1-security is missing from the mirror), legacy
# peer deps (else npm hoists webpack 5 over the scripts' webpack 4), and no `postinstall` (it
# needs ~/.twilio-cli). flexguard itself is not installed here: the tests install it from the
# `npm pack` tarball.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "setup-webpack: $*" >&2; }
CACHE="${FLEXGUARD_CACHE:-$HOME/.cache/flexguard}"
mkdir -p "$CACHE"

# shellcheck source=tools/install-into.sh
source tools/install-into.sh

install_into "$CACHE/webpack4" webpack@4.47.0 webpack-cli@3.3.12
install_into "$CACHE/webpack5" webpack@5.97.1 webpack-cli@5.1.4

# The real Flex plugin build: dependencies of examples/flex-plugin, keyed on the package.json we
# install (the example's, with the workarounds applied), so only a dependency change reinstalls.
EXAMPLE=examples/flex-plugin
manifest=$(node -e '
  const pkg = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  delete pkg.scripts.postinstall;              // needs ~/.twilio-cli
  delete (pkg.devDependencies || {}).flexguard; // the tests install the packed tarball
  pkg.overrides = { ...(pkg.overrides || {}), fs: "file:./stubs/fs" };
  process.stdout.write(JSON.stringify(pkg, null, 2) + "\n");
' "$EXAMPLE/package.json")
key=$(printf '%s' "$manifest" | sha256sum | cut -c1-12)
FLEX="$CACHE/flex-plugin-$key"
if [ -f "$FLEX/.flexguard-installed" ]; then
  say "flex-plugin-$key: present"
else
  for old in "$CACHE"/flex-plugin-*; do [ -e "$old" ] && { say "removing stale $(basename "$old")"; rm -rf "$old"; }; done
  say "flex-plugin-$key: installing examples/flex-plugin's dependencies (~100 s, ~830 MB, once)"
  mkdir -p "$FLEX.tmp/stubs/fs"
  echo '{"name":"fs","version":"0.0.1-security"}' > "$FLEX.tmp/stubs/fs/package.json"
  echo 'legacy-peer-deps=true' > "$FLEX.tmp/.npmrc"
  printf '%s\n' "$manifest" > "$FLEX.tmp/package.json"
  (cd "$FLEX.tmp" && "${NPM_INSTALL[@]}" >&2)
  date -u +%FT%TZ > "$FLEX.tmp/.flexguard-installed"
  mv "$FLEX.tmp" "$FLEX"
fi
# The tests find the install here.
ln -sfn "$FLEX" "$CACHE/flex-plugin"
say "done"
