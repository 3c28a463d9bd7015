#!/usr/bin/env bash
# Idempotent setup for the audit tests (make test-audit). Installs into $HOME/.cache/flexguard/audit/:
#   @twilio-alpha/mcp@0.7.0     for Twilio's OpenAPI specs (twilio-oai/spec/json/*.json)
#   @stoplight/prism-cli@5.14.2 the proxy that validates every request and response against them
#                               (later Prism releases need Node 24; this one runs on Node 20)
# Prints the install directory on stdout.
set -euo pipefail
say() { echo "setup-audit: $*" >&2; }
# shellcheck source=tools/install-into.sh
source "$(dirname "$0")/install-into.sh"
CACHE="${FLEXGUARD_CACHE:-$HOME/.cache/flexguard}"
DIR="$CACHE/audit"
WANT="@twilio-alpha/mcp@0.7.0 @stoplight/prism-cli@5.14.2"
# shellcheck disable=SC2086
install_into "$DIR" $WANT
# Prism must start on this machine's Node.
"$DIR/node_modules/.bin/prism" --version >/dev/null || { say "prism does not run on $(node --version)"; exit 1; }
test -f "$DIR/node_modules/@twilio-alpha/mcp/twilio-oai/spec/json/twilio_api_v2010.json"
echo "$DIR"
