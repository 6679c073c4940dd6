#!/usr/bin/env bash
# Installs (if missing) Debian's chromium for the portal's browser tests (tests/Portal.Tests drive /usr/bin/chromium
# through Microsoft.Playwright; no browser is downloaded). Idempotent: nothing happens when it is installed.
#
#   bash tests/infra/chromium.sh
set -euo pipefail

. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

need_apt chromium
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing after installing the chromium package"
log "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium installed')"
