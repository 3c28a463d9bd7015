#!/usr/bin/env bash
# Tools the pre-commit integration tests run for real (npm/test/pre-commit.test.js), pinned and
# cached under $HOME/.cache/flexguard/ so a warm run installs nothing:
#   precommit-tools/node_modules/{husky,lint-staged}  (npm)
#   pre-commit-venv/bin/pre-commit                     (the pre-commit framework, pip in a venv)
# Prints the cache directory (the tests' FLEXGUARD_PRECOMMIT_TOOLS) on stdout.
set -euo pipefail
say() { echo "setup-precommit: $*" >&2; }
HUSKY=9.1.7
LINT_STAGED=16.3.4
PRE_COMMIT=4.7.0
CACHE="${HOME}/.cache/flexguard"
TOOLS="$CACHE/precommit-tools"
VENV="$CACHE/pre-commit-venv"
mkdir -p "$TOOLS"

want="husky@$HUSKY lint-staged@$LINT_STAGED"
if [ "$(cat "$TOOLS/.installed" 2>/dev/null)" = "$want" ]; then
  say "husky $HUSKY, lint-staged $LINT_STAGED: present"
else
  say "npm install $want into $TOOLS"
  printf '{"name":"flexguard-precommit-tools","private":true}\n' > "$TOOLS/package.json"
  (cd "$TOOLS" && npm install --no-audit --no-fund --save-exact "husky@$HUSKY" "lint-staged@$LINT_STAGED" >&2)
  echo "$want" > "$TOOLS/.installed"
fi

if [ "$("$VENV/bin/pre-commit" --version 2>/dev/null)" = "pre-commit $PRE_COMMIT" ]; then
  say "pre-commit $PRE_COMMIT: present"
else
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    say "installing python3-venv (apt)"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >&2
  fi
  say "pip install pre-commit==$PRE_COMMIT into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "pre-commit==$PRE_COMMIT" >&2
fi
echo "$CACHE"
