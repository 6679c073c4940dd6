#!/usr/bin/env bash
# Installs (if missing) what the reporting tests need: poppler-utils (pdftoppm renders a page to PNG in
# a test). The report fonts ship with the platform (src/Reporting/Fonts); no font package is needed.
# Idempotent: nothing happens when it is installed.
#
#   bash tests/infra/reporting.sh
set -euo pipefail

. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

need_apt poppler-utils
