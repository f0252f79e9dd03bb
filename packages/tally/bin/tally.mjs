#!/usr/bin/env node
// Recount command: `pnpm --silent tally < election.json`. Runs the TypeScript source through
// tsx's loader so no build step is needed; the loader itself writes nothing to stdout.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli.ts')
process.exitCode = await main()
