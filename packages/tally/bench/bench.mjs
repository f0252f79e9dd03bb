#!/usr/bin/env node
// `pnpm bench:tally`: times every method on generated profiles and prints a table.
import { register } from 'tsx/esm/api'

register()
await import('./bench.ts')
