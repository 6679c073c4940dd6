#!/usr/bin/env bash
# `nginx -t` of the Kubernetes nginx configuration (deploy/k8s/nginx.conf) exactly as it is, on this machine: its
# upstream servers are the per-node Services' names (tradsys-0, tradsys-1) and its certificate is read from
# /etc/nginx/tls, neither of which exists here. So the check runs in a private mount namespace (unshare, root) where
# /etc/hosts maps those names to 127.0.0.1 and /etc/nginx (a tmpfs) holds in tls/ a throw-away self-signed certificate; nothing
# outside that namespace changes.
#
#   bash tests/infra/nginx-check-pod-conf.sh [CONF]      (root; installs Debian's nginx if missing)
#
# Exit code: nginx -t's.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$INFRA_DIR/lib.sh"
ROOT="$(cd "$INFRA_DIR/../.." && pwd)"
CONF="$(realpath "${1:-$ROOT/deploy/k8s/nginx.conf}")"

require_root
NGINX="$(bash "$INFRA_DIR/nginx.sh" | tail -1)"
command -v openssl >/dev/null || need_apt openssl

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=tradsys.test" \
  -keyout "$WORK/tls/tls.key" -out "$WORK/tls/tls.crt" 2>/dev/null
{
  cat /etc/hosts
  # Every `server NAME:PORT` of the upstream blocks, resolved to loopback for the check.
  grep -oE '^\s*server\s+[A-Za-z][A-Za-z0-9.-]*:[0-9]+' "$CONF" | awk '{ split($2, a, ":"); print "127.0.0.1 " a[1] }' | sort -u
} >"$WORK/hosts"
[[ -d /etc/nginx ]] || die "/etc/nginx is missing (Debian's nginx package creates it)"

unshare --mount --propagation private bash -c '
  set -euo pipefail
  mount --bind "$1/hosts" /etc/hosts
  # A tmpfs over /etc/nginx (the file checked includes nothing from there), so /etc/nginx/tls exists only in here.
  mount -t tmpfs tmpfs /etc/nginx
  mkdir /etc/nginx/tls
  mount --bind "$1/tls" /etc/nginx/tls
  exec "$2" -t -c "$3"
' bash "$WORK" "$NGINX" "$CONF"
