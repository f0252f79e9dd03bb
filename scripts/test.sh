#!/usr/bin/env bash
# Command 2: install what is missing and run everything CI runs: format, lint, types, all tests.
# Ends with the line "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh || exit 1
bash scripts/ensure-test-services.sh || exit 1
status=0
failed_checks=()
pnpm --silent format:check || failed_checks+=("format (run: pnpm format)")
pnpm --silent lint || failed_checks+=("lint")
pnpm --silent typecheck || failed_checks+=("types")
pnpm --silent build >/dev/null || failed_checks+=("build")
mkdir -p test-output
rm -f test-output/vitest.json
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json
vitest_status=$?
# Each failed check counts as one failure in the closing line.
node scripts/summary.mjs test-output/vitest.json "${failed_checks[@]}" || status=1
[ $vitest_status -eq 0 ] || status=1
exit $status
