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

# Node.js comes with this kind of machine; on one without it, Debian's packages are the fallback (they must be 20 or later for
# Redocly CLI 2: the version check below says so plainly rather than letting npm fail obscurely).
command -v npm >/dev/null || need_apt nodejs npm
command -v npm >/dev/null || die "npm is missing: install Node.js 20 or later (it brings npm)"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[[ "$NODE_MAJOR" -ge 20 ]] || die "Redocly CLI $REDOCLY_VERSION needs Node.js 20 or later; this machine has $(node --version)"
if [[ ! -x "$BIN" ]]; then
  log "installing @redocly/cli $REDOCLY_VERSION into $PREFIX"
  mkdir -p "$PREFIX"
  npm install --silent --no-audit --no-fund --prefix "$PREFIX" "@redocly/cli@$REDOCLY_VERSION" >&2
fi
[[ -x "$BIN" ]] || die "redocly is missing after installing @redocly/cli $REDOCLY_VERSION"
(cd "$ROOT" && dotnet tool restore >&2) || die "dotnet tool restore failed"
echo "$BIN"
