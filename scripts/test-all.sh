#!/usr/bin/env bash
# `npm run test:all`: every test on a machine of this kind with nothing else done first. Installs
# Chromium (browser tests) when /usr/bin/chromium is missing, starts the local PostgreSQL and Redis
# when they are installed but stopped, then runs the whole vitest suite. `.ci/run` calls this after
# `npm ci`; extra arguments go to vitest (`npm run test:all -- test/foundation`).
set -euo pipefail
cd "$(dirname "$0")/.."

# Root installs directly; anyone else needs sudo for apt and the service starts.
as_root() { if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo "$@"; else "$@"; fi; }

if [ ! -x /usr/bin/chromium ]; then
  echo "test:all: installing Chromium for the browser tests"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if command -v pg_ctlcluster >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "test:all: starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

if command -v redis-server >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "test:all: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi

exec npx vitest run "$@"
