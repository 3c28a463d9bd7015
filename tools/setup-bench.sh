#!/usr/bin/env bash
# Idempotent: the real npm packages the benchmark builds its corpus from, installed once into
# $HOME/.cache/flexguard/bench/ (pinned versions, so numbers stay comparable between runs).
set -euo pipefail
dir=${FLEXGUARD_CACHE:-$HOME/.cache/flexguard}/bench
packages=(react-dom@18.3.1 react@18.3.1 twilio-video@2.36.0 @twilio/conversations@3.0.1 twilio-sync@4.0.1 @twilio/voice-sdk@2.18.5)
mkdir -p "$dir"
stamp="$dir/.installed"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${packages[*]}" ]; then
  echo "setup-bench: packages present in $dir" >&2
  exit 0
fi
echo "setup-bench: installing ${packages[*]} into $dir" >&2
[ -f "$dir/package.json" ] || echo '{"name":"flexguard-bench-corpus","private":true}' > "$dir/package.json"
(cd "$dir" && npm install --no-audit --no-fund --ignore-scripts "${packages[@]}" >&2)
echo "${packages[*]}" > "$stamp"
