#!/usr/bin/env node
// Entry of `pnpm bench`: the suite is TypeScript, run through tsx (a root devDependency).
import { register } from 'tsx/esm/api'

register()
await import('./src/cli.ts')
