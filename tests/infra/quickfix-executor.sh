#!/usr/bin/env bash
# Starts a real FIX 4.4 counterparty on 127.0.0.1: the QuickFIX C++ "executor" example that Debian ships in
# libquickfix-doc, built against libquickfix-dev. It accepts a Logon from BROKER1 (its own CompID is EXEC) and fills every
# limit NewOrderSingle (35=D) at its limit price with one ExecutionReport (35=8); market orders are rejected. The FIX
# interoperability test (tests/Integration.Tests/Fix) runs it to prove our session layer against an engine we did not write.
#
#   bash tests/infra/quickfix-executor.sh [PORT]      (default 9880; root when something must be installed)
#
# Idempotent: installs libquickfix-dev, libquickfix-doc, g++ and (if missing) npm once, builds the executor once, fetches
# the FIX44.xml data dictionary once (Debian ships none; the jspurefix npm package carries one in QuickFIX format). Each
# start gets a fresh message store for its port. QuickFIX 1.15.1 has no accept-host setting, so the executor runs with
# tests/infra/loopback-bind.c preloaded, which turns its wildcard bind into a loopback one; the script checks it.
# Prints the executor's pid on the last line; stop it with `kill <pid>`.
#
# Environment:
#   TRADSYS_QUICKFIX_DIR   where it is built and run (default ${TMPDIR:-/tmp}/tradsys-quickfix-executor)
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$INFRA_DIR/lib.sh"

PORT="${1:-9880}"
[[ "$PORT" =~ ^[0-9]+$ ]] && ((PORT > 0 && PORT < 65536)) || die "port must be a number from 1 to 65535, not '$PORT'"
D="${TRADSYS_QUICKFIX_DIR:-${TMPDIR:-/tmp}/tradsys-quickfix-executor}"
JSPUREFIX_VERSION=5.11.4

need_apt libquickfix-dev libquickfix-doc g++
command -v npm >/dev/null || need_apt nodejs npm
command -v npm >/dev/null || die "npm is missing after installing it"

mkdir -p "$D"/{src,build,bin,spec}
if [[ ! -x "$D/bin/executor" ]]; then
  log "building the QuickFIX executor example in $D (about 30 s)"
  E=/usr/share/doc/libquickfix-doc/examples/executor/C++
  cp "$E/Application.h" "$E/executor.cpp" "$D/src/"
  zcat "$E/Application.cpp.gz" > "$D/src/Application.cpp"
  : > "$D/build/config.h"   # the examples include "config.h" from their autotools tree; empty is enough
  # gnu++14: the 1.15.1 headers use dynamic exception specifications, which C++17 rejects
  g++ -std=gnu++14 -O1 -w -I"$D/build" -I/usr/include/quickfix -include quickfix/config-all.h \
      "$D/src/Application.cpp" "$D/src/executor.cpp" -o "$D/bin/executor.tmp" -lquickfix -lpthread
  mv "$D/bin/executor.tmp" "$D/bin/executor"
fi
if [[ ! -s "$D/bin/loopback-bind.so" || "$INFRA_DIR/loopback-bind.c" -nt "$D/bin/loopback-bind.so" ]]; then
  gcc -shared -fPIC -O1 -o "$D/bin/loopback-bind.so" "$INFRA_DIR/loopback-bind.c" -ldl
fi
if [[ ! -s "$D/spec/FIX44.xml" ]]; then
  log "fetching the FIX44.xml data dictionary (jspurefix $JSPUREFIX_VERSION)"
  (cd "$D/spec" && npm pack "jspurefix@$JSPUREFIX_VERSION" --silent >/dev/null \
     && tar -xzf "jspurefix-$JSPUREFIX_VERSION.tgz" package/data/FIX44.xml \
     && mv package/data/FIX44.xml . && rm -rf package "jspurefix-$JSPUREFIX_VERSION.tgz")
fi
[[ -s "$D/spec/FIX44.xml" ]] || die "no FIX44.xml in $D/spec"

port_open 127.0.0.1 "$PORT" && die "something already listens on 127.0.0.1:$PORT"

R="$D/run-$PORT"
rm -rf "$R"
mkdir -p "$R"/{store,log}
cat > "$R/executor.cfg" <<CFG
[DEFAULT]
ConnectionType=acceptor
SocketAcceptPort=$PORT
SocketReuseAddress=Y
SocketNodelay=Y
StartTime=00:00:00
EndTime=00:00:00
FileStorePath=$R/store
FileLogPath=$R/log
UseDataDictionary=Y
DataDictionary=$D/spec/FIX44.xml
ValidateUserDefinedFields=N
ResetOnLogon=N
ResetOnDisconnect=N
PersistMessages=Y
[SESSION]
BeginString=FIX.4.4
SenderCompID=EXEC
TargetCompID=BROKER1
CFG

cd "$R"
LD_PRELOAD="$D/bin/loopback-bind.so" nohup "$D/bin/executor" executor.cfg > "$R/executor.out" 2>&1 < /dev/null &
PID=$!
echo "$PID" > "$R/executor.pid"
if ! wait_for_port 127.0.0.1 "$PORT" 15; then
  kill "$PID" 2>/dev/null || true
  cat "$R/executor.out" >&2 || true
  die "the executor did not listen on 127.0.0.1:$PORT"
fi
if ! (assert_loopback_only "$PORT"); then
  kill "$PID" 2>/dev/null || true
  die "the executor listens on a non-loopback address; stopped it"
fi
log "QuickFIX executor (pid $PID) listens on 127.0.0.1:$PORT; its log (every message in and out) is $R/executor.out"
echo "$PID"
