#!/usr/bin/env bash
# Shared helpers of the backup scripts (deploy/backup/*.sh). Source it; do not run it.
#
#   log MSG / die MSG          progress line / error line and exit 1 (stderr, UTC time, the script's name)
#   pg_bin_dir [DIR]           the PostgreSQL server binaries' directory: DIR if given, else $PG_BIN, else the newest
#                              /usr/lib/postgresql/N/bin (Debian), else the directory of pg_ctl on PATH
#   as_user USER CMD...        runs CMD as USER (runuser when root and USER is someone else, else directly)
#   now_utc                    the current time as PostgreSQL reads it: 2026-12-06 09:14:03.123456+00
#   elapsed_since START_NS     seconds since START_NS ($(date +%s%N)) with one decimal
set -euo pipefail

if [[ -n "${_TRADSYS_BACKUP_COMMON_LOADED:-}" ]]; then
  return 0
fi
_TRADSYS_BACKUP_COMMON_LOADED=1
_TRADSYS_BACKUP_TAG="${_TRADSYS_BACKUP_TAG:-$(basename "${BASH_SOURCE[1]:-$0}")}"

log() { printf '%s [%s] %s\n' "$(date -u '+%H:%M:%S')" "$_TRADSYS_BACKUP_TAG" "$*" >&2; }
die() { printf '%s [%s] ERROR: %s\n' "$(date -u '+%H:%M:%S')" "$_TRADSYS_BACKUP_TAG" "$*" >&2; exit 1; }

pg_bin_dir() {
  local wanted="${1:-${PG_BIN:-}}" d v best=""
  if [[ -n "$wanted" ]]; then
    [[ -x "$wanted/pg_ctl" ]] || die "no pg_ctl in '$wanted' (--pg-bin / PG_BIN must name PostgreSQL's bin directory)"
    echo "$wanted"; return 0
  fi
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x "$d/pg_ctl" ]] || continue
    v="${d#/usr/lib/postgresql/}"; v="${v%%/*}"
    if [[ "$v" =~ ^[0-9]+$ ]] && { [[ -z "$best" ]] || ((v > ${best%%:*})); }; then best="$v:$d"; fi
  done
  if [[ -n "$best" ]]; then echo "${best#*:}"; return 0; fi
  d="$(command -v pg_ctl 2>/dev/null || true)"
  [[ -n "$d" ]] || die "no PostgreSQL server binaries found (install Debian's postgresql package, or give --pg-bin DIR)"
  dirname "$d"
}

as_user() {
  local user=$1; shift
  if [[ "$(id -un)" == "$user" ]]; then
    (cd / && "$@")
  elif [[ "$(id -u)" -eq 0 ]]; then
    (cd / && runuser -u "$user" -- "$@")
  else
    die "cannot run '$1' as $user: this script runs as $(id -un), not root"
  fi
}

now_utc() { date -u '+%Y-%m-%d %H:%M:%S.%6N+00'; }

elapsed_since() {
  local start=$1 now
  now="$(date +%s%N)"
  awk -v a="$start" -v b="$now" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'
}
