#!/usr/bin/env bash
# Command 1: install what is missing, build, start Roundtable on http://localhost:3000 with the demo meeting.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
pnpm build >&2
exec bash scripts/serve.sh
