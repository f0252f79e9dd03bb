#!/usr/bin/env bash
# Installs what a fresh machine (Node 20 + npm only) lacks: pnpm, then the workspace's packages.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=12.4.2
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "Installing pnpm $PNPM_VERSION…" >&2
  npm install -g "pnpm@$PNPM_VERSION" >&2 || {
    echo "Could not install pnpm globally (try: sudo npm install -g pnpm@$PNPM_VERSION)" >&2
    exit 1
  }
fi
# better-sqlite3 compiles from source against Node's headers; pnpm reads this only from the environment.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  pnpm install --frozen-lockfile >&2
fi
