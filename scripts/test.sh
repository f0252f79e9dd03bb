#!/usr/bin/env bash
# Command 2: install what is missing and run everything CI runs: format, lint, types, all tests.
# Ends with the line "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh || exit 1
bash scripts/ensure-test-services.sh || exit 1
status=0
pnpm --silent format:check || { echo "format check failed: run pnpm format" >&2; status=1; }
pnpm --silent lint || { echo "lint failed" >&2; status=1; }
pnpm --silent typecheck || { echo "type check failed" >&2; status=1; }
pnpm --silent build >/dev/null || { echo "build failed" >&2; status=1; }
mkdir -p test-output
rm -f test-output/vitest.json
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json
vitest_status=$?
node scripts/summary.mjs test-output/vitest.json || status=1
[ $vitest_status -eq 0 ] || status=1
exit $status
