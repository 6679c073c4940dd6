#!/usr/bin/env bash
# Brings up the servers the test suite needs, on 127.0.0.1 only: PostgreSQL,
# then RabbitMQ (installing them first if needed), and the fonts and pdftoppm the
# reporting tests use, Debian's chromium for the browser tests, the API contract tools, nginx and the Kubernetes schema
# check (the deployment files' test). Idempotent.
#
#   bash tests/infra/up.sh     # run: prints the environment variables the tests read
#   . tests/infra/up.sh        # source: also exports them into the current shell
#
# Environment:
#   TRADSYS_PG_PORT   PostgreSQL port (default 5432)
#
# Sourced, it does the work in a child bash (so the caller's shell options are
# left alone), then exports TRADSYS_TEST_PG and TRADSYS_TEST_RABBITMQ; it
# returns non-zero, exporting nothing, if a server did not come up.

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  # ---- sourced ----
  _tradsys_up_script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/up.sh"
  if bash "$_tradsys_up_script" >/dev/null; then
    export TRADSYS_TEST_PG="Host=127.0.0.1;Port=${TRADSYS_PG_PORT:-5432};Username=tradsys;Password=tradsys;Database=tradsys"
    export TRADSYS_TEST_RABBITMQ="amqp://tradsys:tradsys@127.0.0.1:5672/"
    unset _tradsys_up_script
    echo "exported TRADSYS_TEST_PG=$TRADSYS_TEST_PG" >&2
    echo "exported TRADSYS_TEST_RABBITMQ=$TRADSYS_TEST_RABBITMQ" >&2
    return 0
  else
    unset _tradsys_up_script
    echo "tests/infra/up.sh: bringing up the test servers FAILED (see above)" >&2
    return 1
  fi
fi

# ---- executed ----
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$INFRA_DIR/lib.sh"

PG_PORT="${TRADSYS_PG_PORT:-5432}"
started=$SECONDS

log "=== PostgreSQL ==="
bash "$INFRA_DIR/postgres.sh" || die "PostgreSQL is not up (see above)"
log "=== RabbitMQ ==="
bash "$INFRA_DIR/rabbitmq.sh" || die "RabbitMQ is not up (see above)"
log "=== reporting fonts and pdftoppm ==="
bash "$INFRA_DIR/reporting.sh" || die "the reporting packages are not installed (see above)"
log "=== chromium for the browser tests ==="
bash "$INFRA_DIR/chromium.sh" || die "chromium is not installed (see above)"
log "=== API contract tools (Redocly CLI, Kiota) ==="
bash "$INFRA_DIR/apitools.sh" >/dev/null || die "the API contract tools are not installed (see above)"
# Installed here, before the tests run in parallel, so that no two tests run apt-get at once (the deployment files' test
# calls the same scripts again, which then find everything in place).
log "=== nginx and the Kubernetes schema check for the deployment files ==="
bash "$INFRA_DIR/nginx.sh" >/dev/null || die "nginx is not installed (see above)"
bash "$INFRA_DIR/kubeschema.sh" >/dev/null || die "the Kubernetes schema check is not installed (see above)"

log "all test servers are up (took $((SECONDS - started))s)"
show_listeners "$PG_PORT" 5672 4369 25672

# The environment the tests read (stdout, one per line).
echo "TRADSYS_TEST_PG=Host=127.0.0.1;Port=$PG_PORT;Username=tradsys;Password=tradsys;Database=tradsys"
echo "TRADSYS_TEST_RABBITMQ=amqp://tradsys:tradsys@127.0.0.1:5672/"
