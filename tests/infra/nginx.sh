#!/usr/bin/env bash
# Installs (if missing) Debian's nginx package, for the test that checks the nginx configurations under deploy/ with
# `nginx -t` (tests/Web.Tests/Deployment/DeploymentFilesTests.cs).
#
#   bash tests/infra/nginx.sh        (root when it must be installed)
#
# Idempotent: installs once; the package's own nginx service is never started (lib.sh's need_apt blocks service starts).
# Prints nginx's path on the last line.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$INFRA_DIR/lib.sh"

NGINX=/usr/sbin/nginx
[[ -x "$NGINX" ]] || need_apt nginx
[[ -x "$NGINX" ]] || die "$NGINX is missing after installing Debian's nginx package"
log "$("$NGINX" -v 2>&1 | head -1)"
echo "$NGINX"
