#!/usr/bin/env bash
# Idempotent setup for the playground's browser tests: Debian's chromium (a test tool may not
# download its own browser here). Skips everything when /usr/bin/chromium exists.
set -euo pipefail
say() { echo "setup-playground: $*" >&2; }
if [ -x /usr/bin/chromium ]; then
  say "chromium: present ($(/usr/bin/chromium --version 2>/dev/null || echo unknown version))"
  exit 0
fi
say "installing Debian chromium (apt)"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
say "chromium: $(/usr/bin/chromium --version)"
