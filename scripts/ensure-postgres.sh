#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432; start the local cluster if it is
# installed but stopped. Exit 1 only when no server can be had (the caller then skips loudly).
set -u
host=127.0.0.1
port=5432
ready() { pg_isready -q -h "$host" -p "$port" 2>/dev/null || python3 - "$host" "$port" <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(1)
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
except OSError:
    sys.exit(1)
PY
}
ready && exit 0
if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  done
  for _ in $(seq 1 30); do ready && exit 0; sleep 1; done
fi
exit 1
