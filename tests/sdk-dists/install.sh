#!/bin/sh
# Install the real Twilio browser SDKs (and two big common libraries) whose dist files
# crate/tests/sdk_dists.rs scans for credential findings (there must be none).
# Idempotent: does nothing when the cache already holds every package.
# Cache: $FLEXGUARD_SDK_DISTS, else $HOME/.cache/flexguard/sdk-dists.
set -eu
DIR="${FLEXGUARD_SDK_DISTS:-$HOME/.cache/flexguard/sdk-dists}"
PACKAGES="twilio-video @twilio/conversations twilio-sync @twilio/voice-sdk twilio-taskrouter react-dom lodash"
missing=""
for p in $PACKAGES; do
  [ -f "$DIR/node_modules/$p/package.json" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
mkdir -p "$DIR"
[ -f "$DIR/package.json" ] || echo '{"name":"flexguard-sdk-dists","private":true}' > "$DIR/package.json"
cd "$DIR"
# shellcheck disable=SC2086
npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error $PACKAGES
