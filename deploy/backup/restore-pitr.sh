#!/usr/bin/env bash
# Restores a base backup plus archived WAL into a new data directory, recovers to a point in time, promotes, and starts
# the server on a loopback port.
#
#   deploy/backup/restore-pitr.sh --backup /backup/tradsys/base-20261206T090000Z --archive /var/lib/postgresql/wal-archive \
#       --target-time '2026-12-06 09:41:30+00' --data-dir /var/lib/postgresql/restored --port 5433 [--pg-bin DIR]
#       [--os-user postgres] [--log FILE] [--timeout 600]
#
#   --backup DIR        a backup made by base-backup.sh (plain format, with its backup_manifest)
#   --archive DIR       the WAL archive archive-wal.sh fills
#   --target-time TS    recover every transaction committed at or before TS (a PostgreSQL timestamp with its zone, e.g.
#                       '2026-12-06 09:41:30.25+00'), none after; it must be later than the end of the backup, and the
#                       archive must hold WAL past it; or "latest": everything the archive holds (after a disaster)
#   --data-dir DIR      the new data directory: must not exist or be empty (a restore never overwrites a cluster)
#   --port P            the port the restored server listens on, on 127.0.0.1 only
#   --os-user U         who runs the server (default: postgres when run as root, else yourself)
#   --log FILE          the server's log (default DIR.log beside the data directory)
#   --timeout S         how long recovery may take before the script gives up (default 600)
#
# The restored server: listens on 127.0.0.1:P only, with no Unix socket; archive_mode off (it is a new timeline:
# point it at a new archive before it becomes the primary); recovery_target_action=promote, so it takes writes once
# the target is reached. The backup itself is only read. Exit 0 when the server runs promoted, 2 wrong command line,
# 1 anything else (with the server's log lines).
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2; exit 2; }

BACKUP="" ARCHIVE="" TARGET="" DATA="" PORT="" PGBIN_ARG="" OS_USER="" LOGFILE="" TIMEOUT=600
while [[ $# -gt 0 ]]; do
  case "$1" in
    --backup) BACKUP="${2:?--backup needs a directory}"; shift 2 ;;
    --archive) ARCHIVE="${2:?--archive needs a directory}"; shift 2 ;;
    --target-time) TARGET="${2:?--target-time needs a timestamp}"; shift 2 ;;
    --data-dir) DATA="${2:?--data-dir needs a directory}"; shift 2 ;;
    --port) PORT="${2:?--port needs a number}"; shift 2 ;;
    --pg-bin) PGBIN_ARG="${2:?--pg-bin needs a directory}"; shift 2 ;;
    --os-user) OS_USER="${2:?--os-user needs a user name}"; shift 2 ;;
    --log) LOGFILE="${2:?--log needs a file name}"; shift 2 ;;
    --timeout) TIMEOUT="${2:?--timeout needs seconds}"; shift 2 ;;
    -h | --help) usage ;;
    *) echo "restore-pitr.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
problems=()
[[ -n "$BACKUP" ]] || problems+=("--backup is required")
[[ -z "$BACKUP" || -f "$BACKUP/backup_label" ]] || problems+=("--backup '$BACKUP' is not a plain base backup (no backup_label in it)")
[[ -n "$ARCHIVE" ]] || problems+=("--archive is required")
[[ -z "$ARCHIVE" || -d "$ARCHIVE" ]] || problems+=("--archive '$ARCHIVE' is not a directory")
[[ -n "$TARGET" ]] || problems+=("--target-time is required")
[[ -z "$TARGET" || "$TARGET" == latest || "$TARGET" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}[\ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?([+-][0-9]{2}(:?[0-9]{2})?|Z)$ ]] \
  || problems+=("--target-time '$TARGET' is neither 'latest' nor a timestamp with a zone like '2026-12-06 09:41:30.25+00'")
[[ -n "$DATA" ]] || problems+=("--data-dir is required")
[[ -z "$DATA" || ! -e "$DATA" || -z "$(ls -A "$DATA" 2>/dev/null)" ]] || problems+=("--data-dir '$DATA' exists and is not empty: a restore never writes over a cluster")
[[ "$PORT" =~ ^[0-9]+$ ]] && ((PORT >= 1 && PORT <= 65535)) || problems+=("--port must be a TCP port (1-65535), got '$PORT'")
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || problems+=("--timeout must be a whole number of seconds, got '$TIMEOUT'")
if [[ ${#problems[@]} -gt 0 ]]; then
  for p in "${problems[@]}"; do echo "restore-pitr.sh: $p" >&2; done
  exit 2
fi
if [[ -z "$OS_USER" ]]; then
  if [[ "$(id -u)" -eq 0 ]]; then OS_USER=postgres; else OS_USER="$(id -un)"; fi
fi
id "$OS_USER" >/dev/null 2>&1 || die "--os-user '$OS_USER' does not exist"
[[ "$OS_USER" != root ]] || die "PostgreSQL refuses to run as root: give --os-user"
BIN="$(pg_bin_dir "$PGBIN_ARG")"
DATA="$(realpath -m "$DATA")"
ARCHIVE="$(realpath "$ARCHIVE")"
LOGFILE="${LOGFILE:-$DATA.log}"

show_log() { [[ -f "$LOGFILE" ]] && { echo "---- last lines of $LOGFILE ----"; tail -n 30 "$LOGFILE"; echo "----"; } >&2; return 0; }

# --- 1. copy the backup into the new data directory -------------------------------------------------------------------
log "copying $BACKUP into $DATA"
mkdir -p "$DATA"
cp -a "$BACKUP/." "$DATA/"
rm -f "$DATA/postmaster.pid" "$DATA/tradsys-backup.info"
chown -R "$OS_USER": "$DATA"
chmod 0700 "$DATA"
touch "$LOGFILE" && chown "$OS_USER": "$LOGFILE"

# A Debian cluster keeps its configuration in /etc, not in the data directory: give the restored one its own.
if [[ ! -f "$DATA/postgresql.conf" ]]; then
  log "the backup has no postgresql.conf (a Debian cluster keeps it in /etc): writing a minimal one"
  printf "# Written by deploy/backup/restore-pitr.sh for a restored cluster.\n" >"$DATA/postgresql.conf"
fi
if [[ ! -f "$DATA/pg_hba.conf" ]]; then
  log "the backup has no pg_hba.conf: writing one (password logins over loopback TCP)"
  printf '%s\n' "# Written by deploy/backup/restore-pitr.sh for a restored cluster." \
    "host all all 127.0.0.1/32 scram-sha-256" >"$DATA/pg_hba.conf"
fi
# The copy's own settings win over anything in the backup's configuration files.
cat >>"$DATA/postgresql.auto.conf" <<CONF
# deploy/backup/restore-pitr.sh, $(date -u '+%Y-%m-%dT%H:%M:%SZ'): point-in-time recovery of $BACKUP
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = ''
hba_file = '$DATA/pg_hba.conf'
ident_file = '$DATA/pg_ident.conf'
archive_mode = off
restore_command = 'cp "$ARCHIVE/%f" "%p"'
CONF
if [[ "$TARGET" != latest ]]; then
  printf '%s\n' "recovery_target_time = '$TARGET'" "recovery_target_inclusive = on" "recovery_target_action = promote" \
    >>"$DATA/postgresql.auto.conf"
fi
[[ -f "$DATA/pg_ident.conf" ]] || : >"$DATA/pg_ident.conf"
chown "$OS_USER": "$DATA/postgresql.conf" "$DATA/pg_hba.conf" "$DATA/pg_ident.conf" "$DATA/postgresql.auto.conf"
as_user "$OS_USER" touch "$DATA/recovery.signal"

# --- 2. start, recover, promote ---------------------------------------------------------------------------------------
log "starting PostgreSQL on 127.0.0.1:$PORT: recovery to $TARGET (log: $LOGFILE)"
as_user "$OS_USER" "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t "$TIMEOUT" start >&2 \
  || { show_log; die "the restored server did not start (see its log above)"; }

deadline=$((SECONDS + TIMEOUT))
until [[ "$(as_user "$OS_USER" "$BIN/pg_controldata" -D "$DATA" | sed -nE 's/^Database cluster state: +//p')" == "in production" ]]; do
  if ! as_user "$OS_USER" "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    show_log
    die "the restored server stopped during recovery (see its log above; 'recovery ended before configured recovery target was reached' means the archive holds no WAL up to the target time)"
  fi
  if ((SECONDS >= deadline)); then
    show_log
    die "recovery did not finish within ${TIMEOUT}s"
  fi
  sleep 0.2
done

if [[ "$TARGET" == latest ]]; then
  log "$(grep -E 'last completed transaction was at log time' "$LOGFILE" | tail -n 1 | sed -E 's/^.*(last completed transaction)/\1/' || true)"
else
  stopped="$(grep -E 'recovery stopping (before|after)' "$LOGFILE" | tail -n 1 | sed -E 's/^.*(recovery stopping)/\1/' || true)"
  [[ -n "$stopped" ]] || { show_log; die "the server is promoted but its log does not say where recovery stopped: was the target reached?"; }
  log "$stopped"
fi
log "promoted: the restored cluster runs on 127.0.0.1:$PORT (data directory $DATA)"
