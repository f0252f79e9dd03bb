#!/usr/bin/env bash
# Starts the built server (apps/server/dist) with the launch settings of apps/server/runtime.env, each
# exported unless the environment already sets it. `pnpm start` builds first and then runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
while IFS= read -r line || [ -n "$line" ]; do
  line="${line#"${line%%[![:space:]]*}"}"
  [ -z "$line" ] || [ "${line:0:1}" = "#" ] && continue
  name="${line%%=*}"
  [ -n "${!name+set}" ] || export "$name=${line#*=}"
done < apps/server/runtime.env
exec node apps/server/dist/main.js "$@"
