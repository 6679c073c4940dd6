#!/usr/bin/env bash
# Installs (if missing) and starts the RabbitMQ broker the tests use, bound to
# 127.0.0.1 only (AMQP 5672, epmd 4369, Erlang distribution 25672), and makes
# sure user "tradsys" (password "tradsys") has full rights on vhost "/".
#
#   bash tests/infra/rabbitmq.sh
#
# Idempotent: a second run changes nothing and restarts nothing when the broker
# is already running with the right settings. Needs root; no systemd.
set -euo pipefail

. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

RMQ_HOST=127.0.0.1
RMQ_PORT=5672
RMQ_DIST_PORT=$((RMQ_PORT + 20000))   # RabbitMQ's default: AMQP port + 20000
EPMD_PORT=4369
RMQ_NODE=rabbit@localhost
RMQ_USER=tradsys
RMQ_PASSWORD=tradsys
RMQ_VHOST=/
START_TIMEOUT=30

ENV_CONF=/etc/rabbitmq/rabbitmq-env.conf
RMQ_CONF=/etc/rabbitmq/rabbitmq.conf

require_root

# Every Erlang program started from here (epmd, the broker, the CLI tools) keeps
# epmd and the distribution on loopback. rabbitmq-env.conf exports the same.
export ERL_EPMD_ADDRESS=127.0.0.1

log "RabbitMQ: wanted on $RMQ_HOST:$RMQ_PORT (node $RMQ_NODE), user $RMQ_USER"

# --- 1. package (never started by the package installation) ------------------
need_apt rabbitmq-server
command -v rabbitmqctl >/dev/null || die "rabbitmqctl not found after installing rabbitmq-server"
EPMD_BIN="$(command -v epmd || true)"
[[ -n "$EPMD_BIN" ]] || die "epmd not found (package erlang-base)"

# --- helpers -------------------------------------------------------------------
ctl() { timeout 60 rabbitmqctl "$@"; }
node_answers() { timeout 30 rabbitmqctl -q status >/dev/null 2>&1; }
beam_running() { pgrep -u rabbitmq -f 'beam\.smp.* -s rabbit boot' >/dev/null 2>&1; }
broker_gone() { ! beam_running; }
epmd_gone() { [[ -z "$(ss -ltnH "sport = :$EPMD_PORT" 2>/dev/null)" ]]; }

# Listening sockets of Erlang programs (beam.smp = broker or CLI node, epmd).
erlang_listeners() { ss -ltnpH 2>/dev/null | grep -E '"(beam\.smp|epmd)"' || true; }
non_loopback() {
  awk '{ addr = $4; sub(/:[0-9]+$/, "", addr); sub(/%.*$/, "", addr)
         if (addr != "127.0.0.1" && addr != "[::1]") print }'
}

show_rmq_logs() {
  {
    local f
    for f in /var/log/rabbitmq/startup_err /var/log/rabbitmq/startup_log /var/log/rabbitmq/"$RMQ_NODE".log; do
      [[ -s "$f" ]] || continue
      echo "---- last lines of $f ----"
      tail -n 25 "$f"
    done
    echo "----"
  } >&2
  show_listeners "$RMQ_PORT" "$EPMD_PORT" "$RMQ_DIST_PORT"
}

stop_broker() {
  log "stopping the broker ($1)"
  ctl shutdown >&2 || true
  if beam_running; then
    warn "broker still running after 'rabbitmqctl shutdown'; sending TERM to its beam process"
    pkill -TERM -u rabbitmq -f 'beam\.smp.* -s rabbit boot' || true
    wait_until 20 broker_gone || die "could not stop the running broker"
  fi
}

# --- 2. configuration ------------------------------------------------------------
ENV_WANTED="# Managed by TradSys tests/infra/rabbitmq.sh: loopback only.
NODENAME=$RMQ_NODE
NODE_IP_ADDRESS=$RMQ_HOST
NODE_PORT=$RMQ_PORT
DIST_PORT=$RMQ_DIST_PORT
# epmd (started by the first Erlang node) listens on loopback only.
export ERL_EPMD_ADDRESS=127.0.0.1
# The broker's and the CLI tools' Erlang distribution listen on loopback only.
SERVER_ADDITIONAL_ERL_ARGS=\"-kernel inet_dist_use_interface {127,0,0,1}\"
CTL_ERL_ARGS=\"-kernel inet_dist_use_interface {127,0,0,1}\""

CONF_WANTED="# Managed by TradSys tests/infra/rabbitmq.sh: loopback only.
listeners.tcp.default = $RMQ_HOST:$RMQ_PORT
# loopback_users is left at its default (guest may only connect from localhost)."

file_differs() { [[ ! -f "$1" ]] || [[ "$(cat "$1")" != "$2" ]]; }

if file_differs "$ENV_CONF" "$ENV_WANTED" || file_differs "$RMQ_CONF" "$CONF_WANTED"; then
  # Stop a broker started with the old settings while the CLI still finds it
  # under its old node name.
  if beam_running; then
    stop_broker "its configuration is about to change"
  fi
  mkdir -p /etc/rabbitmq
  log "writing $ENV_CONF and $RMQ_CONF"
  printf '%s\n' "$ENV_WANTED" >"$ENV_CONF"
  printf '%s\n' "$CONF_WANTED" >"$RMQ_CONF"
  chown rabbitmq:rabbitmq /etc/rabbitmq "$ENV_CONF" "$RMQ_CONF"
  chmod 0644 "$ENV_CONF" "$RMQ_CONF"
else
  log "configuration files are up to date"
fi

# --- 3. epmd on loopback only ---------------------------------------------------------
bad_epmd="$(ss -ltnpH "sport = :$EPMD_PORT" 2>/dev/null | non_loopback)"
if [[ -n "$bad_epmd" ]]; then
  printf '%s\n' "$bad_epmd" >&2
  warn "epmd listens on a non-loopback address (above): restarting it on 127.0.0.1"
  if beam_running; then
    stop_broker "it is registered with that epmd"
  fi
  "$EPMD_BIN" -kill >&2 || true
  if ! wait_until 10 epmd_gone; then
    for pid in $(ss -ltnpH "sport = :$EPMD_PORT" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
      if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == epmd ]]; then
        warn "epmd -kill did not stop it: sending TERM to epmd pid $pid"
        kill -TERM "$pid" || true
      fi
    done
    wait_until 10 epmd_gone \
      || die "port $EPMD_PORT is still in use by something on a non-loopback address"
  fi
fi
if ! port_open 127.0.0.1 "$EPMD_PORT"; then
  log "starting epmd on 127.0.0.1:$EPMD_PORT"
  (cd / && runuser -u rabbitmq -- env ERL_EPMD_ADDRESS=127.0.0.1 "$EPMD_BIN" -address 127.0.0.1 -port "$EPMD_PORT" -daemon) \
    || die "could not start epmd"
  wait_for_port 127.0.0.1 "$EPMD_PORT" 10 || die "epmd did not come up on 127.0.0.1:$EPMD_PORT"
fi

# --- 4. broker ------------------------------------------------------------------
if beam_running && [[ -n "$(erlang_listeners | grep '"beam\.smp"' | non_loopback)" ]]; then
  erlang_listeners | non_loopback >&2
  stop_broker "it listens on a non-loopback address (above)"
fi

STATUS_CHECKED=0
if node_answers; then
  log "broker $RMQ_NODE is already running (rabbitmqctl status OK; nothing to restart)"
  STATUS_CHECKED=1
else
  if beam_running; then
    log "broker process exists but does not answer yet; waiting for it"
  else
    log "starting the broker: rabbitmq-server -detached"
    rabbitmq-server -detached >&2 || { show_rmq_logs; die "rabbitmq-server -detached failed"; }
  fi
  log "waiting for the broker to finish booting (up to ${START_TIMEOUT}s)"
  deadline=$((SECONDS + START_TIMEOUT))
  until ctl -q await_startup --timeout "$(( deadline - SECONDS > 1 ? deadline - SECONDS : 1 ))" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      show_rmq_logs
      die "RabbitMQ did not start within ${START_TIMEOUT}s"
    fi
    if ! beam_running && ((SECONDS > deadline - START_TIMEOUT + 5)); then
      show_rmq_logs
      die "the RabbitMQ broker process exited during startup"
    fi
    sleep 1
  done
  log "broker $RMQ_NODE is up"
fi

# --- 5. user and permissions ------------------------------------------------------------
users="$(ctl -q -s list_users 2>/dev/null)" || die "rabbitmqctl list_users failed"
if ! awk '{print $1}' <<<"$users" | grep -qxF "$RMQ_USER"; then
  log "creating user $RMQ_USER"
  ctl -q add_user "$RMQ_USER" "$RMQ_PASSWORD" >/dev/null
elif ! ctl -q authenticate_user "$RMQ_USER" "$RMQ_PASSWORD" >/dev/null 2>&1; then
  log "user $RMQ_USER exists with another password: resetting it"
  ctl -q change_password "$RMQ_USER" "$RMQ_PASSWORD" >/dev/null
else
  log "user $RMQ_USER exists"
fi
if ! grep -E "^${RMQ_USER}[[:space:]]" <<<"$users" | grep -q administrator; then
  log "tagging $RMQ_USER as administrator"
  ctl -q set_user_tags "$RMQ_USER" administrator >/dev/null
fi
perms="$(ctl -q -s list_user_permissions "$RMQ_USER" 2>/dev/null || true)"
if ! grep -qxP "\Q$RMQ_VHOST\E\t\.\*\t\.\*\t\.\*" <<<"$perms"; then
  log "granting $RMQ_USER full permissions on vhost $RMQ_VHOST"
  ctl -q set_permissions -p "$RMQ_VHOST" "$RMQ_USER" '.*' '.*' '.*' >/dev/null
else
  log "user $RMQ_USER has full permissions on vhost $RMQ_VHOST"
fi

# --- 6. final checks -------------------------------------------------------------
if [[ $STATUS_CHECKED -eq 0 ]]; then
  log "final check: rabbitmqctl status"
  ctl -q status >/dev/null || { show_rmq_logs; die "rabbitmqctl status failed"; }
fi
wait_for_port "$RMQ_HOST" "$RMQ_PORT" "$START_TIMEOUT" \
  || { show_rmq_logs; die "AMQP port $RMQ_HOST:$RMQ_PORT is not open after ${START_TIMEOUT}s"; }

assert_loopback_only "$RMQ_PORT" "$EPMD_PORT" "$RMQ_DIST_PORT"
bad="$(erlang_listeners | non_loopback)"
if [[ -n "$bad" ]]; then
  printf '%s\n' "$bad" >&2
  die "an Erlang program listens on a non-loopback address (above)"
fi
show_listeners "$RMQ_PORT" "$EPMD_PORT" "$RMQ_DIST_PORT"
log "RabbitMQ is ready: amqp://$RMQ_USER:***@$RMQ_HOST:$RMQ_PORT/"
