#!/usr/bin/env bash
# Idempotent setup for the ESLint tests (make test-eslint). Installs into $HOME/.cache/flexguard/eslint/:
#   eslint8/   eslint@8  (.eslintrc by default; what many Flex plugin projects still run)
#   eslint8.39/ eslint@8.39, the last without context.sourceCode and context.filename (no
#              parser of its own: @typescript-eslint/parser 8 wants 8.57; the tests link one)
#   eslint9/   eslint@9  (flat config by default, .eslintrc with ESLINT_USE_FLAT_CONFIG=false),
#              with @babel/eslint-parser too
#   eslint10/  eslint@10 (flat config only; context.getSourceCode() is gone)
# each with @typescript-eslint/parser and typescript, for .ts/.tsx. flexguard itself is not
# installed here: the tests install the `npm pack` tarball (and eslint-plugin-flexguard) per run.
# Prints the cache directory on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "setup-eslint: $*" >&2; }
CACHE="${FLEXGUARD_CACHE:-$HOME/.cache/flexguard}/eslint"
mkdir -p "$CACHE"
PARSER=(@typescript-eslint/parser@8.74.0 typescript@5.9.3)

# shellcheck source=tools/install-into.sh
source tools/install-into.sh

install_into "$CACHE/eslint8" eslint@8.57.1 "${PARSER[@]}"
install_into "$CACHE/eslint8.39" eslint@8.39.0
install_into "$CACHE/eslint9" eslint@9.39.5 "${PARSER[@]}" @babel/core@8.1.3 @babel/eslint-parser@8.1.2 @babel/preset-react@8.0.1
install_into "$CACHE/eslint10" eslint@10.16.0 "${PARSER[@]}"
say "done"
echo "$CACHE"
