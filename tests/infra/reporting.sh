#!/usr/bin/env bash
# Installs (if missing) what the reporting tests need: the fonts reports are drawn with
# (Noto Sans and Noto Sans Arabic from fonts-noto-core, DejaVu Sans Mono from
# fonts-dejavu-core; found by family name) and poppler-utils (pdftoppm renders a page to PNG in
# a test). Idempotent: nothing happens when they are installed.
#
#   bash tests/infra/reporting.sh
set -euo pipefail

. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

need_apt fonts-noto-core fonts-dejavu-core poppler-utils
