// Deletes the embedded data directory; the next start loads the demo meeting afresh.
import { rmSync } from 'node:fs'
import { resolve } from 'node:path'

const dir = resolve(process.env.DATA_DIR || 'data')
rmSync(dir, { recursive: true, force: true })
console.log(`Removed ${dir}. The next start loads the demo meeting again.`)
