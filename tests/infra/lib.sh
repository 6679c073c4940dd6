#!/usr/bin/env bash
# Shared helpers for the test-infrastructure scripts (tests/infra/*.sh).
# Source it; do not run it:   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Provides:
#   log MSG...                      timestamped progress line (stderr)
#   warn MSG... / die MSG...        timestamped warning / error (die exits 1)
#   need_apt PKG...                 install missing Debian packages (apt-get update at most once per run)
#   wait_for_port HOST PORT SECS    wait until a TCP connect to HOST:PORT succeeds
#   wait_until SECS CMD...          retry CMD every 0.5 s until it succeeds or SECS pass
#   assert_loopback_only PORT...    fail if any of PORT listens on a non-loopback address
#   show_listeners PORT...          print `ss -ltnp` lines for the given ports
set -euo pipefail

if [[ -n "${_TRADSYS_INFRA_LIB_LOADED:-}" ]]; then
  return 0
fi
_TRADSYS_INFRA_LIB_LOADED=1

# A run id shared with child scripts (up.sh -> postgres.sh / rabbitmq.sh), so that
# "apt-get update" happens at most once per top-level run.
_TRADSYS_RUN_OWNER=0
if [[ -z "${TRADSYS_INFRA_RUN_ID:-}" ]]; then
  TRADSYS_INFRA_RUN_ID="$$-$(date +%s)"
  _TRADSYS_RUN_OWNER=1
fi
export TRADSYS_INFRA_RUN_ID
_TRADSYS_APT_STAMP="${TMPDIR:-/tmp}/tradsys-infra-apt-updated.${TRADSYS_INFRA_RUN_ID}"

_TRADSYS_LOG_TAG="${_TRADSYS_LOG_TAG:-$(basename "${BASH_SOURCE[1]:-$0}" .sh)}"

log()  { printf '%s [%s] %s\n' "$(date '+%H:%M:%S')" "$_TRADSYS_LOG_TAG" "$*" >&2; }
warn() { printf '%s [%s] WARNING: %s\n' "$(date '+%H:%M:%S')" "$_TRADSYS_LOG_TAG" "$*" >&2; }
die()  { printf '%s [%s] ERROR: %s\n' "$(date '+%H:%M:%S')" "$_TRADSYS_LOG_TAG" "$*" >&2; exit 1; }

require_root() {
  [[ "$(id -u)" -eq 0 ]] || die "must run as root (installs packages and starts system services)"
}

# pkg_installed PKG -> 0 if the Debian package is fully installed.
pkg_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == "installed" ]]
}

# The policy-rc.d we may create while installing packages, so that no package
# starts its service on install (it would use the package's default addresses,
# not our loopback-only configuration). Removed again only if we created it.
_TRADSYS_POLICY_RC_D=/usr/sbin/policy-rc.d
_TRADSYS_POLICY_CREATED=0

_tradsys_remove_policy_rc_d() {
  if [[ "$_TRADSYS_POLICY_CREATED" -eq 1 ]]; then
    rm -f "$_TRADSYS_POLICY_RC_D"
    _TRADSYS_POLICY_CREATED=0
    log "removed temporary $_TRADSYS_POLICY_RC_D"
  fi
}

# On exit: remove our temporary policy-rc.d (if any) and, in the top-level
# script of the run, the "apt-get update done" stamp.
_tradsys_on_exit() {
  _tradsys_remove_policy_rc_d
  if [[ "$_TRADSYS_RUN_OWNER" -eq 1 ]]; then rm -f "$_TRADSYS_APT_STAMP"; fi
}
trap '_tradsys_on_exit' EXIT
trap '_tradsys_on_exit; trap - EXIT; exit 130' INT
trap '_tradsys_on_exit; trap - EXIT; exit 143' TERM

_tradsys_block_service_starts() {
  if [[ -e "$_TRADSYS_POLICY_RC_D" ]]; then
    log "$_TRADSYS_POLICY_RC_D already present; leaving it as it is"
    return 0
  fi
  printf '#!/bin/sh\n# Temporary, created by TradSys tests/infra: do not start services during package installation.\nexit 101\n' \
    >"$_TRADSYS_POLICY_RC_D"
  chmod 0755 "$_TRADSYS_POLICY_RC_D"
  _TRADSYS_POLICY_CREATED=1   # removed again by _tradsys_on_exit at the latest
  log "created temporary $_TRADSYS_POLICY_RC_D (exit 101) so no service starts during the install"
}

# need_apt PKG... : installs the packages that are not installed yet.
# Services are never started by the package installation itself.
need_apt() {
  local missing=() p
  for p in "$@"; do
    pkg_installed "$p" || missing+=("$p")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    log "packages already installed: $*"
    return 0
  fi
  require_root
  log "installing missing packages: ${missing[*]}"
  local stamp="$_TRADSYS_APT_STAMP"
  if [[ ! -e "$stamp" ]]; then
    log "apt-get update (once per run)"
    DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update >&2 \
      || die "apt-get update failed"
    : >"$stamp"
  fi
  _tradsys_block_service_starts
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    install "${missing[@]}" </dev/null >&2 || rc=$?
  _tradsys_remove_policy_rc_d
  [[ $rc -eq 0 ]] || die "apt-get install ${missing[*]} failed (exit $rc)"
  for p in "${missing[@]}"; do
    pkg_installed "$p" || die "package $p is still not installed after apt-get install"
  done
  log "installed: ${missing[*]}"
}

# port_open HOST PORT -> 0 if a TCP connection succeeds (1 s timeout).
port_open() {
  # shellcheck disable=SC2016 # $0/$1 are expanded by the inner bash
  timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# wait_for_port HOST PORT SECONDS
wait_for_port() {
  local host=$1 port=$2 secs=$3
  local deadline=$((SECONDS + secs))
  while ! port_open "$host" "$port"; do
    if ((SECONDS >= deadline)); then
      warn "nothing answers on $host:$port after ${secs}s"
      return 1
    fi
    sleep 0.5
  done
  return 0
}

# wait_until SECONDS CMD... : retries CMD (quietly) until it succeeds.
wait_until() {
  local secs=$1; shift
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.5
  done
}

# Listening TCP sockets (ss -ltnpH) whose local port is one of the given ports.
_listeners_for_ports() {
  local ports_re
  ports_re="$(IFS='|'; echo "$*")"
  ss -ltnpH 2>/dev/null | awk -v re="^(${ports_re})\$" '{
      addr = $4; port = addr; sub(/.*:/, "", port)
      if (port ~ re) print
    }'
}

show_listeners() {
  local lines
  lines="$(_listeners_for_ports "$@")"
  {
    echo "  listening TCP sockets on port(s) $*:"
    if [[ -n "$lines" ]]; then
      printf '%s\n' "$lines" | sed 's/^/    /'
    else
      echo "    (none)"
    fi
  } >&2
}

# assert_loopback_only PORT... : dies if any listener on those ports is bound to
# something other than 127.0.0.1 or ::1 (e.g. 0.0.0.0, *, [::], a real interface).
assert_loopback_only() {
  local bad
  bad="$(_listeners_for_ports "$@" | awk '{
      addr = $4; sub(/:[0-9]+$/, "", addr); sub(/%.*$/, "", addr)
      if (addr != "127.0.0.1" && addr != "[::1]") print
    }')"
  if [[ -n "$bad" ]]; then
    printf '%s\n' "$bad" >&2
    die "the socket(s) above listen on a non-loopback address (ports $*)"
  fi
}
