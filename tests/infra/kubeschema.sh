#!/usr/bin/env bash
# Installs (if missing) the Kubernetes schema check of deploy/k8s, for tests/Web.Tests/Deployment/DeploymentFilesTests.cs:
# Node.js and npm (Debian's nodejs and npm packages when `node` or `npm` is missing), then the npm packages pinned in
# tests/infra/k8s-schema/package-lock.json (kubernetes-models: the Kubernetes API's JSON schemas as validators;
# @kubernetes/client-node: its models' field names; yaml) into tests/infra/k8s-schema/node_modules with `npm ci`.
#
#   bash tests/infra/kubeschema.sh                       (root when Node.js must be installed)
#   node tests/infra/k8s-schema/validate.mjs FILE...     the check itself
#
# Idempotent: `npm ci` runs again only when package-lock.json changed since the last install. Prints node's path on the
# last line.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$INFRA_DIR/lib.sh"
DIR="$INFRA_DIR/k8s-schema"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  need_apt nodejs npm
fi
command -v node >/dev/null || die "node is missing after installing Debian's nodejs package"
command -v npm >/dev/null || die "npm is missing after installing Debian's npm package"
log "node $(node --version), npm $(npm --version)"

STAMP="$DIR/node_modules/.tradsys-lock.sha256"
WANT="$(sha256sum "$DIR/package-lock.json" | cut -d' ' -f1)"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
  log "npm packages already installed (package-lock.json unchanged)"
else
  log "npm ci in $DIR"
  (cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error </dev/null >&2) || die "npm ci failed in $DIR"
  echo "$WANT" >"$STAMP"
fi
command -v node
