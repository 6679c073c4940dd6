#!/usr/bin/env bash
# Installs (if missing) Prometheus's promtool from Debian's `prometheus` package, for the test that checks the alert rules
# under deploy/prometheus with `promtool check rules` (tests/Web.Tests/Observability/DeployFilesTests.cs).
#
#   bash tests/infra/promtool.sh        (root when it must be installed)
#
# Idempotent: installs once; the package's Prometheus server is never started (lib.sh's need_apt blocks service starts).
# Prints promtool's path on the last line.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$INFRA_DIR/lib.sh"

command -v promtool >/dev/null || need_apt prometheus
command -v promtool >/dev/null || die "promtool is missing after installing Debian's prometheus package"
log "$(promtool --version 2>&1 | head -1)"
command -v promtool
