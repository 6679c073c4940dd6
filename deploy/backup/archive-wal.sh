#!/usr/bin/env bash
# PostgreSQL's archive_command for TradSys: copies one finished WAL segment into the archive directory durably.
#
#   archive_command = '/opt/tradsys/deploy/backup/archive-wal.sh %p %f /var/lib/postgresql/wal-archive'
#
# %p is the segment's path (relative to the data directory, the server's working directory), %f its file name.
# The copy is written under a temporary name, fsynced, renamed into place and the directory fsynced, so the archive
# never holds a torn segment under its real name, and a segment is reported archived (exit 0) only once it is on disk.
# A segment already in the archive is never overwritten: an identical one (the server retrying after a crash between
# the copy and its bookkeeping) is accepted, a different one is refused (exit 1), as PostgreSQL's documentation asks.
# Any failure exits non-zero; PostgreSQL keeps the segment in pg_wal and retries.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: archive-wal.sh WAL_PATH WAL_FILE_NAME ARCHIVE_DIR   (archive_command = '.../archive-wal.sh %p %f /archive/dir')" >&2
  exit 2
fi
src=$1 name=$2 dir=$3

[[ -f "$src" ]] || { echo "archive-wal.sh: no WAL file at '$src' (working directory $(pwd))" >&2; exit 1; }
[[ "$name" =~ ^[0-9A-F]{24}(\.partial|\.[0-9A-F]{8}\.backup|\.history)?$|^[0-9A-F]{8}\.history$ ]] \
  || { echo "archive-wal.sh: '$name' is not a WAL, backup-history or timeline-history file name" >&2; exit 1; }
[[ -d "$dir" && -w "$dir" ]] || { echo "archive-wal.sh: archive directory '$dir' does not exist or is not writable by $(id -un)" >&2; exit 1; }

dest="$dir/$name"
if [[ -e "$dest" ]]; then
  if cmp -s "$src" "$dest"; then
    exit 0
  fi
  echo "archive-wal.sh: '$dest' already exists with different contents: refusing to overwrite it" >&2
  exit 1
fi

tmp="$dir/.$name.tmp.$$"
trap 'rm -f "$tmp"' EXIT
cp "$src" "$tmp"
sync "$tmp"          # the segment's data on disk
mv "$tmp" "$dest"    # atomic within the directory
sync "$dir"          # the rename on disk
trap - EXIT
