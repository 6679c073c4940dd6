#!/usr/bin/env bash
# The recovery drill, whole, on this machine (issue 18): a throwaway PostgreSQL cluster with WAL archiving
# (postgresql-archiving.conf), the platform on it, orders and trades through the REST API, a base backup
# (base-backup.sh), more orders, the target time T, more orders after T; then the primary and its data directory are
# lost, and restore-pitr.sh restores the backup and the archived WAL to T into a new cluster, the platform starts on it
# (its start rebuilds the books from the database), and drill_api.py checks through the API: every order acknowledged
# before T present with its state at T, none sent after T, trades and depth as at T, the audit chain valid with its
# records of T unchanged, and a new order trading against the rebuilt book. Prints the measured times; exit 0 only if
# everything matched.
#
#   deploy/backup/recovery-drill.sh [--no-build] [--web-dir DIR] [--switch-wal] [--keep]
#
#   --no-build     use the existing Release build of src/Web (default: dotnet build src/Web -c Release first)
#   --web-dir DIR  run the platform from DIR (default src/Web/bin/Release/net10.0)
#   --switch-wal   after the last orders, force the WAL switch (pg_switch_wal) instead of waiting for archive_timeout
#                  (60 s) to archive them: a quicker run that does not show the RPO
#   --keep         keep the drill's directory (clusters, backup, archive, logs) instead of deleting it
#
# Everything listens on 127.0.0.1 only (free ports) and lives in one temporary directory; the shared test cluster
# (tests/infra/postgres.sh) is not touched. Installs Debian's postgresql package if missing (root). Run as root, the
# clusters run as the postgres OS user. Output: progress on stderr; "drill: ..." result lines on stdout, ending with
# "drill: PASS" or "drill: FAIL". Bounded: every wait has a limit.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
. "$ROOT/tests/infra/lib.sh"
_TRADSYS_BACKUP_TAG=recovery-drill
. "$HERE/common.sh"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2; exit 2; }
BUILD=1 WEB_DIR="$ROOT/src/Web/bin/Release/net10.0" SWITCH_WAL=0 KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --web-dir) WEB_DIR="${2:?--web-dir needs a directory}"; shift 2 ;;
    --switch-wal) SWITCH_WAL=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage ;;
    *) echo "recovery-drill.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
for tool in curl python3 dotnet; do
  command -v "$tool" >/dev/null || die "$tool is needed and not on PATH"
done

DRILL_START="$(date +%s%N)"
need_apt postgresql
BIN="$(pg_bin_dir)"
if [[ "$(id -u)" -eq 0 ]]; then PG_USER=postgres; else PG_USER="$(id -un)"; fi
log "PostgreSQL binaries $BIN; clusters run as $PG_USER"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tradsys-drill.XXXXXX")"
mkdir -p "$WORK/archive" "$WORK/backups" "$WORK/run" "$WORK/bin"
# The scripts the clusters' OS user runs, where it can read them whatever the repository's permissions.
cp "$HERE/archive-wal.sh" "$HERE/base-backup.sh" "$HERE/common.sh" "$WORK/bin/"
chmod 0755 "$WORK/bin/"*.sh
chown -R "$PG_USER": "$WORK"
chmod 0700 "$WORK"
PRIMARY="$WORK/primary" RESTORED="$WORK/restored"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PG_PORT="$(free_port)" WEB_PORT="$(free_port)" PG2_PORT=""   # the restored cluster's port is chosen when it starts
URL="http://127.0.0.1:$WEB_PORT"
PLATFORM_PID=""

pg() { as_user "$PG_USER" "$BIN/$1" "${@:2}"; }
psql_primary() { pg psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$WORK/run" -p "$PG_PORT" -U postgres -d postgres -c "$1"; }

stop_platform() {
  [[ -n "$PLATFORM_PID" ]] || return 0
  if kill -0 "$PLATFORM_PID" 2>/dev/null; then
    kill -TERM "$PLATFORM_PID" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$PLATFORM_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$PLATFORM_PID" 2>/dev/null || true
  fi
  wait "$PLATFORM_PID" 2>/dev/null || true
  PLATFORM_PID=""
}
cleanup() {
  local rc=$?
  stop_platform
  for d in "$PRIMARY" "$RESTORED"; do
    if [[ -f "$d/postmaster.pid" ]]; then pg pg_ctl -D "$d" -m immediate -t 30 stop >/dev/null 2>&1 || log "could not stop the cluster in $d"; fi
  done
  if [[ $KEEP -eq 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  _tradsys_on_exit
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the platform's build ---------------------------------------------------------------------------------------------
if [[ $BUILD -eq 1 ]]; then
  log "building src/Web (Release)"
  dotnet build "$ROOT/src/Web" -c Release -v q -nologo </dev/null >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; die "build of src/Web failed"; }
fi
[[ -f "$WEB_DIR/TradSys.Web.dll" ]] || die "no TradSys.Web.dll in $WEB_DIR: build src/Web in Release first, or drop --no-build"

start_platform() { # PORT-OF-POSTGRES LOG
  log "starting the platform on $URL against PostgreSQL 127.0.0.1:$1 (log: $2)"
  ( cd "$WEB_DIR" && exec env "Urls=$URL" "Rules__Directory=$ROOT/rulesets" "Platform__Database=Postgres" \
      "ConnectionStrings__Postgres=Host=127.0.0.1;Port=$1;Username=tradsys;Password=tradsys-drill;Database=tradsys" \
      "Platform__Bus=InMemory" "Platform__Jobs=InMemory" "Platform__SeedDemoData=true" dotnet TradSys.Web.dll ) </dev/null >>"$2" 2>&1 &
  PLATFORM_PID=$!
  local deadline=$((SECONDS + 180))
  until curl -fsS -m 2 "$URL/health/ready" >/dev/null 2>&1; do
    kill -0 "$PLATFORM_PID" 2>/dev/null || { tail -40 "$2" >&2; die "the platform exited before it was ready"; }
    ((SECONDS < deadline)) || { tail -40 "$2" >&2; die "the platform was not ready within 180 s"; }
    sleep 0.25
  done
  assert_loopback_only "$WEB_PORT"
  log "platform ready (process $PLATFORM_PID)"
}

# --- 1. the primary: a throwaway cluster with the production archiving settings ----------------------------------------
log "initdb $PRIMARY (page checksums on)"
pg initdb -D "$PRIMARY" --data-checksums --auth-local=trust --auth-host=scram-sha-256 -U postgres >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
sed -e "s|/opt/tradsys/deploy/backup/archive-wal.sh|$WORK/bin/archive-wal.sh|" -e "s|/var/lib/postgresql/wal-archive|$WORK/archive|" \
  "$HERE/postgresql-archiving.conf" >"$PRIMARY/tradsys-archiving.conf"
grep -q "archive_command = '$WORK/bin/archive-wal.sh %p %f $WORK/archive'" "$PRIMARY/tradsys-archiving.conf" \
  || die "postgresql-archiving.conf's archive_command is not the expected '/opt/tradsys/deploy/backup/archive-wal.sh %p %f /var/lib/postgresql/wal-archive'"
cat >>"$PRIMARY/postgresql.conf" <<CONF
# recovery-drill.sh: the throwaway primary, loopback only, its socket in the drill's private directory
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$WORK/run'
include 'tradsys-archiving.conf'
CONF
chown "$PG_USER": "$PRIMARY/tradsys-archiving.conf" "$PRIMARY/postgresql.conf"
pg pg_ctl -D "$PRIMARY" -l "$WORK/primary.log" -w -t 60 start >/dev/null || { tail -30 "$WORK/primary.log" >&2; die "the primary did not start"; }
assert_loopback_only "$PG_PORT"
psql_primary "show archive_mode" | grep -qx on || die "archive_mode is not on in the primary"
log "primary on 127.0.0.1:$PG_PORT: archive_mode=on, archive_timeout=$(psql_primary "show archive_timeout"), archive $WORK/archive"
psql_primary "create role tradsys login password 'tradsys-drill'" >/dev/null
psql_primary "create database tradsys owner tradsys" >/dev/null

# --- 2. the platform, orders, a base backup, orders, T, orders ----------------------------------------------------------
start_platform "$PG_PORT" "$WORK/platform-primary.log"
ACKS="$WORK/acks.jsonl" SNAPSHOT="$WORK/snapshot-at-T.json"
: >"$ACKS"
python3 "$HERE/drill_api.py" orders "$URL" 1 "$ACKS"

log "base backup (base-backup.sh)"
t0="$(date +%s%N)"
BACKUP="$(as_user "$PG_USER" "$WORK/bin/base-backup.sh" --dest "$WORK/backups" --host "$WORK/run" --port "$PG_PORT" --user postgres \
  --keep 1 --archive "$WORK/archive" --pg-bin "$BIN")" || die "base-backup.sh failed"
BACKUP_SECONDS="$(elapsed_since "$t0")"
[[ -d "$BACKUP" ]] || die "base-backup.sh printed '$BACKUP', not a directory"

python3 "$HERE/drill_api.py" orders "$URL" 2 "$ACKS"
sleep 0.5
python3 "$HERE/drill_api.py" snapshot "$URL" "$SNAPSHOT"
sleep 0.5
TARGET="$(now_utc)"
log "target time T = $TARGET"
sleep 1
python3 "$HERE/drill_api.py" orders "$URL" 3 "$ACKS"
LAST_LSN="$(psql_primary "select pg_current_wal_lsn()")"
LAST_SEGMENT="$(psql_primary "select pg_walfile_name('$LAST_LSN')")"
t0="$(date +%s%N)"
if [[ $SWITCH_WAL -eq 1 ]]; then
  log "forcing the WAL switch (--switch-wal)"
  psql_primary "select pg_switch_wal()" >/dev/null
fi
log "waiting until the WAL of the last orders ($LAST_LSN, segment $LAST_SEGMENT) is archived"
archived() { [[ -f "$WORK/archive/$LAST_SEGMENT" ]]; }
wait_until 120 archived || die "segment $LAST_SEGMENT was not archived within 120 s (archive_timeout is 60 s): see $WORK/primary.log"
ARCHIVE_SECONDS="$(elapsed_since "$t0")"
log "archived after $ARCHIVE_SECONDS s"

# --- 3. the disaster: the platform stops, the primary and its disk are gone ----------------------------------------------
stop_platform
pg pg_ctl -D "$PRIMARY" -m immediate -t 30 stop >/dev/null || die "could not stop the primary"
rm -rf "$PRIMARY"
log "primary stopped (immediate) and its data directory deleted"

# --- 4. restore to T, start the platform on it, verify -------------------------------------------------------------------
PG2_PORT="$(free_port)"
t0="$(date +%s%N)"
"$HERE/restore-pitr.sh" --backup "$BACKUP" --archive "$WORK/archive" --target-time "$TARGET" --data-dir "$RESTORED" \
  --port "$PG2_PORT" --pg-bin "$BIN" --os-user "$PG_USER" --log "$WORK/restored.log" --timeout 120 || die "restore-pitr.sh failed"
RESTORE_SECONDS="$(elapsed_since "$t0")"
assert_loopback_only "$PG2_PORT"

t0="$(date +%s%N)"
start_platform "$PG2_PORT" "$WORK/platform-restored.log"
START_SECONDS="$(elapsed_since "$t0")"

rc=0
python3 "$HERE/drill_api.py" verify "$URL" "$SNAPSHOT" "$ACKS" || rc=$?
TOTAL_SECONDS="$(elapsed_since "$DRILL_START")"
RTO_SECONDS="$(awk -v a="$RESTORE_SECONDS" -v b="$START_SECONDS" 'BEGIN { printf "%.1f", a + b }')"
echo "drill: restored to T = $TARGET ($(grep -E 'recovery stopping' "$WORK/restored.log" | tail -n 1 | sed -E 's/^.*(recovery stopping)/\1/'))"
echo "drill: base backup ${BACKUP_SECONDS} s ($(du -sh "$BACKUP" | cut -f1))"
echo "drill: last orders archived ${ARCHIVE_SECONDS} s after they were acknowledged ($([[ $SWITCH_WAL -eq 1 ]] && echo "forced switch" || echo "archive_timeout"))"
echo "drill: restore to T ${RESTORE_SECONDS} s"
echo "drill: platform start on the restored database ${START_SECONDS} s"
echo "drill: restore and platform start (RTO on this machine) ${RTO_SECONDS} s"
echo "drill: total ${TOTAL_SECONDS} s ($(nproc) cores, $(date -u '+%Y-%m-%d'))"
if [[ $rc -eq 0 ]]; then echo "drill: PASS"; else echo "drill: FAIL"; fi
exit "$rc"
