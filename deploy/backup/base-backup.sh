#!/usr/bin/env bash
# Takes a PostgreSQL base backup with pg_basebackup into a new dated directory, verifies it, and applies retention.
#
#   deploy/backup/base-backup.sh --dest /backup/tradsys [--host 127.0.0.1] [--port 5432] [--user replicator]
#                                [--keep 7] [--archive /var/lib/postgresql/wal-archive] [--pg-bin DIR]
#
#   --dest DIR      where the backups go: each run makes DIR/base-YYYYMMDDTHHMMSSZ (plain format: a copy of the data
#                   directory with the WAL of the backup streamed into its pg_wal, and a backup_manifest with a SHA-256
#                   checksum of every file), written as DIR/base-....partial and renamed only once pg_verifybackup passed
#   --host, --port  the server (a host name, an address, or a Unix socket directory; default 127.0.0.1 and 5432)
#   --user          a role with REPLICATION (or a superuser); its password from PGPASSWORD or ~/.pgpass, never an argument
#   --keep N        keep the N newest complete backups, delete older ones (default: keep all)
#   --archive DIR   with --keep: also delete archived WAL older than the oldest backup kept (pg_archivecleanup), which
#                   no restore from a kept backup can need
#   --pg-bin DIR    PostgreSQL's bin directory (default: the newest /usr/lib/postgresql/N/bin, else PATH)
#
# Run it as the server's OS user (postgres) from cron or a timer, e.g. nightly. Prints the backup's directory on stdout.
# Idempotent in the sense that matters: a run either leaves one more complete, verified backup or none (its partial
# directory is removed); leftovers of an interrupted earlier run (*.partial) are removed first. Exit 0 done, 2 wrong
# command line, 1 anything else (with the reason).
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2; exit 2; }

DEST="" HOST=127.0.0.1 PORT=5432 USER_NAME="${PGUSER:-postgres}" KEEP="" ARCHIVE="" PGBIN_ARG=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dest) DEST="${2:?--dest needs a directory}"; shift 2 ;;
    --host) HOST="${2:?--host needs a value}"; shift 2 ;;
    --port) PORT="${2:?--port needs a value}"; shift 2 ;;
    --user) USER_NAME="${2:?--user needs a role name}"; shift 2 ;;
    --keep) KEEP="${2:?--keep needs a number}"; shift 2 ;;
    --archive) ARCHIVE="${2:?--archive needs a directory}"; shift 2 ;;
    --pg-bin) PGBIN_ARG="${2:?--pg-bin needs a directory}"; shift 2 ;;
    -h | --help) usage ;;
    *) echo "base-backup.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
problems=()
[[ -n "$DEST" ]] || problems+=("--dest is required")
[[ "$PORT" =~ ^[0-9]+$ ]] && ((PORT >= 1 && PORT <= 65535)) || problems+=("--port must be a TCP port (1-65535), got '$PORT'")
[[ -z "$KEEP" || "$KEEP" =~ ^[1-9][0-9]*$ ]] || problems+=("--keep must be a whole number of at least 1, got '$KEEP'")
[[ -z "$ARCHIVE" || -n "$KEEP" ]] || problems+=("--archive only applies with --keep (it prunes WAL older than the oldest backup kept)")
[[ -z "$ARCHIVE" || -d "$ARCHIVE" ]] || problems+=("--archive '$ARCHIVE' is not a directory")
if [[ ${#problems[@]} -gt 0 ]]; then
  for p in "${problems[@]}"; do echo "base-backup.sh: $p" >&2; done
  exit 2
fi

BIN="$(pg_bin_dir "$PGBIN_ARG")"
mkdir -p "$DEST" || die "cannot create --dest '$DEST'"
[[ -w "$DEST" ]] || die "--dest '$DEST' is not writable by $(id -un)"

# Leftovers of an interrupted run are never a backup.
for old in "$DEST"/base-*.partial; do
  [[ -e "$old" ]] || continue
  log "removing the incomplete backup $old left by an interrupted run"
  rm -rf "$old"
done

NAME="base-$(date -u +%Y%m%dT%H%M%SZ)"
[[ ! -e "$DEST/$NAME" ]] || die "$DEST/$NAME already exists (two backups in the same second?)"
PARTIAL="$DEST/$NAME.partial"
trap 'rm -rf "$PARTIAL"' EXIT

log "pg_basebackup from $HOST:$PORT as $USER_NAME into $PARTIAL"
"$BIN/pg_basebackup" --host="$HOST" --port="$PORT" --username="$USER_NAME" --no-password \
  --pgdata="$PARTIAL" --format=plain --wal-method=stream --checkpoint=fast \
  --manifest-checksums=SHA256 --label="$NAME" >&2 \
  || die "pg_basebackup failed (see above): is the server up, does $USER_NAME have REPLICATION, is the password in PGPASSWORD or ~/.pgpass, does pg_hba.conf allow a replication connection?"

log "pg_verifybackup $PARTIAL"
"$BIN/pg_verifybackup" --quiet "$PARTIAL" >&2 || die "pg_verifybackup found a problem in the backup (see above); it is not kept"

START_WAL="$(sed -nE 's/^START WAL LOCATION: .*\(file ([0-9A-F]{24})\)$/\1/p' "$PARTIAL/backup_label")"
[[ -n "$START_WAL" ]] || die "no START WAL LOCATION in $PARTIAL/backup_label"
{
  echo "name=$NAME"
  echo "finished_utc=$(date -u '+%Y-%m-%dT%H:%M:%SZ')"
  echo "server=$HOST:$PORT"
  echo "start_wal=$START_WAL"
  echo "size_bytes=$(du -sb "$PARTIAL" | cut -f1)"
} >"$PARTIAL/tradsys-backup.info"
sync "$PARTIAL/tradsys-backup.info"
mv "$PARTIAL" "$DEST/$NAME"
trap - EXIT
log "backup complete: $DEST/$NAME (starts at WAL $START_WAL)"

if [[ -n "$KEEP" ]]; then
  mapfile -t backups < <(find "$DEST" -mindepth 1 -maxdepth 1 -type d -name 'base-*' ! -name '*.partial' -printf '%f\n' | sort)
  n=${#backups[@]}
  for ((i = 0; i < n - KEEP; i++)); do
    log "retention (--keep $KEEP): deleting $DEST/${backups[i]}"
    rm -rf "${DEST:?}/${backups[i]}"
  done
  if [[ -n "$ARCHIVE" ]]; then
    oldest="${backups[$((n > KEEP ? n - KEEP : 0))]}"
    oldest_wal="$(sed -nE 's/^start_wal=//p' "$DEST/$oldest/tradsys-backup.info" 2>/dev/null || true)"
    [[ -n "$oldest_wal" ]] || die "the oldest kept backup $DEST/$oldest has no start_wal in tradsys-backup.info; WAL not pruned"
    log "retention: deleting archived WAL before $oldest_wal (the oldest kept backup, $oldest, starts there)"
    "$BIN/pg_archivecleanup" "$ARCHIVE" "$oldest_wal" >&2 || die "pg_archivecleanup $ARCHIVE $oldest_wal failed"
  fi
fi
echo "$DEST/$NAME"
