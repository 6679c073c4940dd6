#!/usr/bin/env bash
# Installs (if missing) and starts the PostgreSQL server the tests use, on
# 127.0.0.1 only, and makes sure role/database "tradsys" (password "tradsys") exist.
#
#   bash tests/infra/postgres.sh
#
# Environment:
#   TRADSYS_PG_PORT   TCP port (default 5432)
#
# Idempotent: a second run changes nothing and restarts nothing when the
# cluster is already running with the right settings. Needs root; no systemd.
set -euo pipefail

. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

PG_PORT="${TRADSYS_PG_PORT:-5432}"
PG_CLUSTER=main
PG_LISTEN=127.0.0.1
PG_USER=tradsys
PG_PASSWORD=tradsys
PG_DB=tradsys
START_TIMEOUT=30

[[ "$PG_PORT" =~ ^[0-9]+$ ]] || die "TRADSYS_PG_PORT must be a number, got '$PG_PORT'"
require_root
# pg_ctlcluster must drive pg_ctl directly, never hand over to systemctl.
export _SYSTEMCTL_SKIP_REDIRECT=1

log "PostgreSQL: wanted on $PG_LISTEN:$PG_PORT, role/database $PG_USER"

# --- 1. packages --------------------------------------------------------------
need_apt postgresql

# The newest installed server version (Debian 12: 15).
PG_VER=""
for d in /usr/lib/postgresql/*/bin/postgres; do
  [[ -x "$d" ]] || continue
  v="${d#/usr/lib/postgresql/}"; v="${v%%/*}"
  if [[ "$v" =~ ^[0-9]+$ ]] && { [[ -z "$PG_VER" ]] || ((v > PG_VER)); }; then PG_VER="$v"; fi
done
[[ -n "$PG_VER" ]] \
  || die "no PostgreSQL server binary found under /usr/lib/postgresql"
log "PostgreSQL server version $PG_VER, cluster $PG_VER/$PG_CLUSTER"

# Runs a command as the postgres OS user (the server refuses to run as root),
# from a directory that user can read.
as_postgres() { (cd / && runuser -u postgres -- "$@"); }

cluster_line() { pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VER" -v c="$PG_CLUSTER" '$1 == v && $2 == c'; }
cluster_status() { cluster_line | awk '{print $4}'; }   # online | down | online,recovery ...

# --- 2. cluster ---------------------------------------------------------------
if [[ -z "$(cluster_line)" ]]; then
  log "creating cluster $PG_VER/$PG_CLUSTER (port $PG_PORT)"
  pg_createcluster "$PG_VER" "$PG_CLUSTER" --port "$PG_PORT" >&2 \
    || die "pg_createcluster $PG_VER $PG_CLUSTER failed"
else
  log "cluster $PG_VER/$PG_CLUSTER exists"
fi

CONF_DIR="/etc/postgresql/$PG_VER/$PG_CLUSTER"
[[ -f "$CONF_DIR/postgresql.conf" ]] || die "missing $CONF_DIR/postgresql.conf"

# --- 3. configuration (only written when different) ----------------------------
NEED_RESTART=0
NEED_RELOAD=0

# Our settings live in their own conf.d file; postgresql.conf includes conf.d
# last, so they win over it (pg_lsclusters/pg_ctlcluster read conf.d too).
grep -Eq "^[[:space:]]*include_dir[[:space:]]*=?[[:space:]]*'conf.d'" "$CONF_DIR/postgresql.conf" \
  || die "$CONF_DIR/postgresql.conf does not include_dir 'conf.d'"
PG_CONF_D="$CONF_DIR/conf.d/90-tradsys.conf"
PG_CONF_WANTED="# Managed by TradSys tests/infra/postgres.sh: loopback only.
listen_addresses = '$PG_LISTEN'
port = $PG_PORT"
if [[ ! -f "$PG_CONF_D" ]] || [[ "$(cat "$PG_CONF_D")" != "$PG_CONF_WANTED" ]]; then
  log "writing $PG_CONF_D (listen_addresses = '$PG_LISTEN', port = $PG_PORT)"
  printf '%s\n' "$PG_CONF_WANTED" >"$PG_CONF_D"
  chown postgres:postgres "$PG_CONF_D"
  chmod 0644 "$PG_CONF_D"
  NEED_RESTART=1
fi
# Any later conf.d file setting listen_addresses/port would win over ours.
for f in "$CONF_DIR"/conf.d/*.conf; do
  [[ -f "$f" && "$f" != "$PG_CONF_D" && "$(basename "$f")" > "$(basename "$PG_CONF_D")" ]] || continue
  if grep -Eq '^[[:space:]]*(listen_addresses|port)[[:space:]]*=' "$f"; then
    die "$f sets listen_addresses/port after $PG_CONF_D; remove those lines"
  fi
done

# Password (scram) authentication for our role over TCP on loopback, ahead of
# any other rule (first match wins in pg_hba.conf). Covers every database so
# that tests may create their own (the role has CREATEDB).
HBA="$CONF_DIR/pg_hba.conf"
HBA_LINE="host    all             $PG_USER         127.0.0.1/32            scram-sha-256"
if ! grep -qxF "$HBA_LINE" "$HBA"; then
  log "adding to pg_hba.conf: $HBA_LINE"
  tmp="$(mktemp)"
  { echo "# TradSys tests (tests/infra/postgres.sh): password login for $PG_USER over loopback TCP"
    echo "$HBA_LINE"
    cat "$HBA"; } >"$tmp"
  cat "$tmp" >"$HBA"   # keeps owner and mode of the original file
  rm -f "$tmp"
  NEED_RELOAD=1
fi

# --- 4. start / restart -------------------------------------------------------
show_pg_log() {
  local f="/var/log/postgresql/postgresql-$PG_VER-$PG_CLUSTER.log"
  [[ -f "$f" ]] && { echo "---- last lines of $f ----"; tail -n 25 "$f"; echo "----"; } >&2
  show_listeners "$PG_PORT"
}

status="$(cluster_status)"
if [[ "$status" == online* ]]; then
  if [[ $NEED_RESTART -eq 1 ]]; then
    log "cluster is running with old listen/port settings: restarting it"
    timeout $((START_TIMEOUT + 30)) pg_ctlcluster "$PG_VER" "$PG_CLUSTER" restart -- -t "$START_TIMEOUT" >&2 \
      || { show_pg_log; die "PostgreSQL failed to restart (time limit ${START_TIMEOUT}s; see above)"; }
  elif [[ $NEED_RELOAD -eq 1 ]]; then
    log "cluster is running: reloading configuration"
    pg_ctlcluster "$PG_VER" "$PG_CLUSTER" reload >&2 || die "pg_ctlcluster reload failed"
  else
    log "cluster is already running (nothing to restart)"
  fi
else
  log "starting cluster $PG_VER/$PG_CLUSTER (status: ${status:-unknown})"
  timeout $((START_TIMEOUT + 30)) pg_ctlcluster "$PG_VER" "$PG_CLUSTER" start -- -t "$START_TIMEOUT" >&2 \
    || { show_pg_log; die "PostgreSQL failed to start (time limit ${START_TIMEOUT}s; see above)"; }
fi

log "waiting for PostgreSQL on $PG_LISTEN:$PG_PORT (up to ${START_TIMEOUT}s)"
if ! wait_until "$START_TIMEOUT" pg_isready -q -h "$PG_LISTEN" -p "$PG_PORT"; then
  show_pg_log
  die "PostgreSQL is not accepting connections on $PG_LISTEN:$PG_PORT after ${START_TIMEOUT}s"
fi

# --- 5. role and database -----------------------------------------------------
psql_admin() { as_postgres psql -X -q -A -t -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"; }
tcp_login_ok() {
  PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -q -A -t -w -h "$PG_LISTEN" -p "$PG_PORT" \
    -U "$PG_USER" -d "$PG_DB" -c 'select 1' >/dev/null 2>&1
}

role_flags="$(psql_admin -c "select rolcanlogin::int::text || rolcreatedb::int::text from pg_roles where rolname = '$PG_USER'")" \
  || die "cannot query pg_roles as the postgres user"
if [[ -z "$role_flags" ]]; then
  log "creating role $PG_USER (LOGIN CREATEDB)"
  psql_admin -c "create role $PG_USER login createdb password '$PG_PASSWORD'" >/dev/null
elif [[ "$role_flags" != "11" ]]; then
  log "granting LOGIN CREATEDB to existing role $PG_USER"
  psql_admin -c "alter role $PG_USER login createdb" >/dev/null
else
  log "role $PG_USER exists (LOGIN CREATEDB)"
fi

db_owner="$(psql_admin -c "select pg_get_userbyid(datdba) from pg_database where datname = '$PG_DB'")"
if [[ -z "$db_owner" ]]; then
  log "creating database $PG_DB owned by $PG_USER"
  psql_admin -c "create database $PG_DB owner $PG_USER" >/dev/null
elif [[ "$db_owner" != "$PG_USER" ]]; then
  log "database $PG_DB is owned by $db_owner: changing owner to $PG_USER"
  psql_admin -c "alter database $PG_DB owner to $PG_USER" >/dev/null
else
  log "database $PG_DB exists (owner $PG_USER)"
fi

if ! tcp_login_ok; then
  log "password login over TCP failed: (re)setting the password of $PG_USER"
  psql_admin -c "alter role $PG_USER password '$PG_PASSWORD'" >/dev/null
fi

# --- 6. final checks ----------------------------------------------------------
log "final check: PGPASSWORD=*** psql -h $PG_LISTEN -p $PG_PORT -U $PG_USER -d $PG_DB -c 'select 1'"
PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -w -h "$PG_LISTEN" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" \
  -A -t -c 'select 1' >/dev/null \
  || { show_pg_log; die "cannot log in as $PG_USER over TCP on $PG_LISTEN:$PG_PORT"; }

assert_loopback_only "$PG_PORT"
show_listeners "$PG_PORT"
log "PostgreSQL $PG_VER is ready: Host=$PG_LISTEN;Port=$PG_PORT;Username=$PG_USER;Database=$PG_DB"
