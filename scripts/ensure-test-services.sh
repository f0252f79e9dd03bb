#!/usr/bin/env bash
# The tests need Chromium (browser tests), poppler-utils (PDF exports), PostgreSQL and Redis on this machine. Start or install what is missing.
set -uo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium for the browser tests…" >&2
  (as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2 ||
    { echo "Chromium is missing: apt-get install chromium" >&2; exit 1; }
fi
# The export tests read PDFs back with pdftotext and pdffonts (poppler-utils).
if ! command -v pdftotext >/dev/null || ! command -v pdffonts >/dev/null; then
  echo "Installing poppler-utils for the export tests…" >&2
  (as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils) >&2 ||
    { echo "pdftotext is missing: apt-get install poppler-utils" >&2; exit 1; }
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "Starting PostgreSQL…" >&2
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >&2 || true
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not running on 127.0.0.1:5432" >&2; exit 1; }
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  echo "Starting Redis…" >&2
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log >&2 || true
  for _ in $(seq 20); do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break; sleep 0.5; done
fi
exit 0
