#!/usr/bin/env bash
# Installs (if missing) the API contract tools the Web.Tests contract tests run: Redocly CLI (pinned, into
# artifacts/tools/redocly with npm; Node and npm must be on the machine) and the repository's local .NET tools
# (.config/dotnet-tools.json: Kiota). Idempotent: nothing is downloaded when they are there. Prints redocly's path.
#
#   bash tests/infra/apitools.sh
set -euo pipefail

. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

REDOCLY_VERSION="2.77.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PREFIX="$ROOT/artifacts/tools/redocly-$REDOCLY_VERSION"
BIN="$PREFIX/node_modules/.bin/redocly"

command -v npm >/dev/null || die "npm is missing: install Node.js 20 or later (it brings npm)"
if [[ ! -x "$BIN" ]]; then
  log "installing @redocly/cli $REDOCLY_VERSION into $PREFIX"
  mkdir -p "$PREFIX"
  npm install --silent --no-audit --no-fund --prefix "$PREFIX" "@redocly/cli@$REDOCLY_VERSION" >&2
fi
[[ -x "$BIN" ]] || die "redocly is missing after installing @redocly/cli $REDOCLY_VERSION"
(cd "$ROOT" && dotnet tool restore >&2) || die "dotnet tool restore failed"
echo "$BIN"
