#!/usr/bin/env bash
# The order path's load tool in one command (issue 12): builds the platform (src/Web) and the tool (tests/LoadTest) in
# Release, starts the platform from its build output on a free 127.0.0.1 port with a fresh database, waits for
# /health/ready, runs the tool against it (the tool measures its own bare Kestrel floor in the same invocation and
# verifies the run through the API afterwards), stops the platform. Everything it starts is stopped on exit.
#
#   tests/load.sh                          closed loop: 16 connections for 20 s, as fast as they go, floor then platform
#   tests/load.sh --rate 5000              open loop at 5,000 requests/s offered (latency from the intended send time)
#   tests/load.sh --connections 1          one connection, one order at a time
#   tests/load.sh quote                    authenticated GET /api/v1/instruments/COMI.INT/quote against its floor
#   tests/load.sh ws                       the WebSocket gateway (issue 17): 1,000 subscribers to COMI.INT's market data and
#                                          trades, then 1,000 crossing orders/s for 20 s; latency to every subscriber, memory
#                                          per idle connection (e.g. tests/load.sh ws --subscribers 10000 --symbols A,B,C)
#   tests/load.sh fix                      client order entry over FIX (issue 16): the platform's acceptor on a free port with
#                                          BROKER1 (trader1, account 1001) and BROKER2 (trader2, 2001); two sessions send
#                                          crossing limit orders, 32 unanswered each, 20,000 measured (e.g. --window 64)
#   tests/load.sh crash                    kill -9 of the platform a few seconds into the load, restart on the same data,
#                                          then `verify` of every acknowledged order (exit code: verify's)
#   tests/load.sh --postgres [...]         production mode: PostgreSQL, RabbitMQ and Hangfire on PostgreSQL, brought up
#                                          by tests/infra/up.sh; a fresh database and RabbitMQ vhost per run, dropped after
#
# Any other argument goes to the tool (`dotnet tests/LoadTest/bin/Release/net10.0/TradSys.LoadTest.dll run --help` lists
# them), e.g. tests/load.sh --connections 32 --duration 30 --orders 100000 --seed 7.
#
# Environment: LOAD_CRASH_AFTER (seconds of measured load before the kill -9, default 3), LOAD_KEEP=1 (keep the data
# directory), LOAD_NO_BUILD=1 (use the existing build output), LOAD_WEB_DIR=DIR (run the platform from another build's output
# directory, e.g. a copy of src/Web/bin/Release/net10.0 taken before a change, for an A/B comparison).
# Output: the tool's report on stdout; artifacts/load/ holds the acks file, the JSON report and the platform's log.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE="${DOTNET_SKIP_FIRST_TIME_EXPERIENCE:-1}"

log() { printf '%s [load.sh] %s\n' "$(date '+%H:%M:%S')" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- arguments -------------------------------------------------------------------------------------------------------
SCENARIO=run
case "${1:-}" in
  quote | crash | run | ws | fix) SCENARIO=$1; shift ;;
esac
POSTGRES=0
TOOL_ARGS=()
for arg in "$@"; do
  if [[ "$arg" == "--postgres" ]]; then POSTGRES=1; else TOOL_ARGS+=("$arg"); fi
done
has_arg() { local a; for a in "${TOOL_ARGS[@]}"; do [[ "$a" == "$1" ]] && return 0; done; return 1; }

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/artifacts/load"
mkdir -p "$OUT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tradsys-load.XXXXXX")"
PLATFORM_LOG="$OUT/platform-$STAMP.log"
PLATFORM_PID=""
TOOL_PID=""
PG_DB=""
RMQ_VHOST=""

# --- cleanup: stop what this script started --------------------------------------------------------------------------
stop_platform() {
  [[ -n "$PLATFORM_PID" ]] || return 0
  if kill -0 "$PLATFORM_PID" 2>/dev/null; then
    kill -TERM "$PLATFORM_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$PLATFORM_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$PLATFORM_PID" 2>/dev/null || true
  fi
  wait "$PLATFORM_PID" 2>/dev/null || true
  PLATFORM_PID=""
}
cleanup() {
  local rc=$?
  if [[ -n "$TOOL_PID" ]] && kill -0 "$TOOL_PID" 2>/dev/null; then kill -TERM "$TOOL_PID" 2>/dev/null || true; wait "$TOOL_PID" 2>/dev/null || true; fi
  stop_platform
  if [[ -n "$PG_DB" ]]; then
    PGPASSWORD=tradsys psql -q -h 127.0.0.1 -p "${TRADSYS_PG_PORT:-5432}" -U tradsys -d tradsys \
      -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 || log "could not drop database $PG_DB"
  fi
  if [[ -n "$RMQ_VHOST" ]]; then
    ERL_EPMD_ADDRESS=127.0.0.1 timeout 60 rabbitmqctl -q delete_vhost "$RMQ_VHOST" >/dev/null 2>&1 || log "could not delete vhost $RMQ_VHOST"
  fi
  if [[ "${LOAD_KEEP:-0}" == 1 ]]; then log "data kept in $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- build -----------------------------------------------------------------------------------------------------------
if [[ "${LOAD_NO_BUILD:-0}" != 1 ]]; then
  log "building src/Web and tests/LoadTest (Release)"
  dotnet build src/Web -c Release -v q -nologo </dev/null >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; die "build of src/Web failed"; }
  dotnet build tests/LoadTest -c Release -v q -nologo </dev/null >>"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; die "build of tests/LoadTest failed"; }
fi
WEB_DIR="${LOAD_WEB_DIR:-$ROOT/src/Web/bin/Release/net10.0}"   # LOAD_WEB_DIR: another build's output, for an A/B run
TOOL="$ROOT/tests/LoadTest/bin/Release/net10.0/TradSys.LoadTest.dll"
[[ -f "$WEB_DIR/TradSys.Web.dll" && -f "$TOOL" ]] || die "build output missing ($WEB_DIR/TradSys.Web.dll, $TOOL)"

# --- the platform's environment --------------------------------------------------------------------------------------
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
URL="http://127.0.0.1:$PORT"
PLATFORM_ENV=(
  "Urls=$URL"
  "Rules__Directory=$ROOT/rulesets"
  # The per-user order-entry throttle (default 50/s, bursts of 100) would answer 429 long before the platform's limit.
  "Trading__OrderRateLimit__PerSecond=1000000"
  "Trading__OrderRateLimit__Burst=1000000"
)
if [[ "$SCENARIO" == fix ]]; then
  FIX_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  PLATFORM_ENV+=(
    "Fix__Acceptor__Port=$FIX_PORT" "Fix__Acceptor__SenderCompId=TRADSYS"
    "Fix__Acceptor__TargetCompIds__0=BROKER1" "Fix__Acceptor__Clients__BROKER1__ClientId=trader1" "Fix__Acceptor__Clients__BROKER1__Accounts__0=1001"
    "Fix__Acceptor__TargetCompIds__1=BROKER2" "Fix__Acceptor__Clients__BROKER2__ClientId=trader2" "Fix__Acceptor__Clients__BROKER2__Accounts__0=2001"
  )
fi
if [[ $POSTGRES -eq 1 ]]; then
  log "production mode: bringing up PostgreSQL and RabbitMQ (tests/infra/up.sh)"
  . "$ROOT/tests/infra/up.sh" || die "tests/infra/up.sh failed"
  PG_DB="tradsys_load_$(date -u +%Y%m%d%H%M%S)_$$"
  PGPASSWORD=tradsys psql -q -h 127.0.0.1 -p "${TRADSYS_PG_PORT:-5432}" -U tradsys -d tradsys -c "CREATE DATABASE \"$PG_DB\"" >/dev/null \
    || die "could not create database $PG_DB"
  RMQ_VHOST="tradsys-load-$STAMP-$$"
  ERL_EPMD_ADDRESS=127.0.0.1 timeout 60 rabbitmqctl -q add_vhost "$RMQ_VHOST" >/dev/null || die "could not add RabbitMQ vhost $RMQ_VHOST"
  ERL_EPMD_ADDRESS=127.0.0.1 timeout 60 rabbitmqctl -q set_permissions -p "$RMQ_VHOST" tradsys '.*' '.*' '.*' >/dev/null \
    || die "could not grant tradsys the vhost $RMQ_VHOST"
  log "fresh database $PG_DB, RabbitMQ vhost $RMQ_VHOST"
  PLATFORM_ENV+=(
    "Platform__Database=Postgres" "Platform__Bus=RabbitMq" "Platform__Jobs=Postgres"
    "ConnectionStrings__Postgres=Host=127.0.0.1;Port=${TRADSYS_PG_PORT:-5432};Username=tradsys;Password=tradsys;Database=$PG_DB"
    "RabbitMq__Host=127.0.0.1" "RabbitMq__Port=5672" "RabbitMq__VirtualHost=$RMQ_VHOST" "RabbitMq__Username=tradsys" "RabbitMq__Password=tradsys"
  )
else
  mkdir -p "$WORK/data"
  PLATFORM_ENV+=("ConnectionStrings__Sqlite=Data Source=$WORK/data/tradsys.db")
fi

start_platform() {
  log "starting the platform on $URL (log: $PLATFORM_LOG)"
  ( cd "$WEB_DIR" && exec env "${PLATFORM_ENV[@]}" dotnet TradSys.Web.dll ) </dev/null >>"$PLATFORM_LOG" 2>&1 &
  PLATFORM_PID=$!
  local deadline=$((SECONDS + 180))
  until curl -fsS -m 2 "$URL/health/ready" >/dev/null 2>&1; do
    if ! kill -0 "$PLATFORM_PID" 2>/dev/null; then
      tail -40 "$PLATFORM_LOG" >&2
      die "the platform exited before it was ready"
    fi
    ((SECONDS < deadline)) || { tail -40 "$PLATFORM_LOG" >&2; die "the platform was not ready within 180 s"; }
    sleep 0.5
  done
  log "platform ready (process $PLATFORM_PID)"
}

run_tool() { timeout --kill-after=30 3600 dotnet "$TOOL" "$@"; }

# Each WebSocket subscriber is a file descriptor on both sides: the platform gets the hard limit as its soft limit.
if [[ "$SCENARIO" == ws ]]; then ulimit -n "$(ulimit -Hn)" 2>/dev/null || log "could not raise the open-file limit ($(ulimit -n))"; fi
start_platform
case "$SCENARIO" in
  ws)
    has_arg --json || TOOL_ARGS+=(--json "$OUT/ws-$STAMP.json")
    rc=0
    run_tool ws --url "$URL" --server-pid "$PLATFORM_PID" "${TOOL_ARGS[@]}" </dev/null || rc=$?
    exit "$rc"
    ;;
  fix)
    has_arg --json || TOOL_ARGS+=(--json "$OUT/fix-$STAMP.json")
    rc=0
    run_tool fix --port "$FIX_PORT" "${TOOL_ARGS[@]}" </dev/null || rc=$?
    exit "$rc"
    ;;
  run | quote)
    has_arg --json || TOOL_ARGS+=(--json "$OUT/$SCENARIO-$STAMP.json")
    rc=0
    run_tool "$SCENARIO" --url "$URL" --server-pid "$PLATFORM_PID" "${TOOL_ARGS[@]}" </dev/null || rc=$?
    exit "$rc"
    ;;
  crash)
    ACKS="$OUT/acks-crash-$STAMP.jsonl"
    TOOL_OUT="$WORK/tool.log"
    has_arg --duration || TOOL_ARGS+=(--duration 20)
    log "crash: load in the background, kill -9 of the platform after ${LOAD_CRASH_AFTER:-3} s of measured load"
    run_tool run --url "$URL" --no-floor --no-verify --acks "$ACKS" --server-pid "$PLATFORM_PID" "${TOOL_ARGS[@]}" </dev/null >"$TOOL_OUT" 2>&1 &
    TOOL_PID=$!
    deadline=$((SECONDS + 300))
    until grep -q "platform measuring" "$TOOL_OUT" 2>/dev/null; do
      kill -0 "$TOOL_PID" 2>/dev/null || { cat "$TOOL_OUT" >&2; die "the tool ended before its measured phase"; }
      ((SECONDS < deadline)) || die "the tool did not start measuring within 300 s"
      sleep 0.2
    done
    sleep "${LOAD_CRASH_AFTER:-3}"
    log "kill -9 of the platform (process $PLATFORM_PID)"
    kill -KILL "$PLATFORM_PID"
    wait "$PLATFORM_PID" 2>/dev/null || true
    PLATFORM_PID=""
    tool_rc=0
    wait "$TOOL_PID" || tool_rc=$?
    TOOL_PID=""
    cat "$TOOL_OUT"
    log "the load ended (exit $tool_rc); restarting the platform on the same data"
    start_platform
    rc=0
    run_tool verify --url "$URL" --acks "$ACKS" --json "$OUT/crash-verify-$STAMP.json" </dev/null || rc=$?
    log "verify exited $rc (acks: $ACKS)"
    exit "$rc"
    ;;
esac
