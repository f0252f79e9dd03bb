// Prints the plain closing line CI reads ("N passed, N failed") from vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs'

const file = process.argv[2] ?? 'test-output/vitest.json'
// Checks that ran before the tests (format, lint, types, build) and failed.
const failedChecks = process.argv.slice(3)
for (const c of failedChecks) console.error(`check failed: ${c}`)
if (!existsSync(file)) {
  console.log(`0 passed, ${1 + failedChecks.length} failed`)
  console.error(`no test report at ${file}: the test run did not finish`)
  process.exit(1)
}
const r = JSON.parse(readFileSync(file, 'utf8'))
// A suite that failed to load counts as a failure even though none of its tests ran.
const brokenSuites = (r.testResults ?? []).filter(
  (s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0,
)
const failed = r.numFailedTests + brokenSuites.length + failedChecks.length
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
console.log(`${r.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 || r.numPassedTests === 0 ? 1 : 0)
