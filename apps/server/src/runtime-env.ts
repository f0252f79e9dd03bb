import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The server's launch settings (`apps/server/runtime.env`), as scripts/serve.sh exports them. */
export const RUNTIME_ENV_PATH = fileURLToPath(new URL('../runtime.env', import.meta.url))

const LINE = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/

/** `NAME=value` lines; blank lines and lines starting with `#` are skipped; anything else is an error. */
export const parseRuntimeEnv = (text: string): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trimStart() // as scripts/serve.sh reads it
    if (line.trim() === '' || line.startsWith('#')) continue
    const m = LINE.exec(line)
    if (!m) throw new Error(`runtime.env line ${i + 1}: expected NAME=value, got "${line}"`)
    env[m[1]] = m[2]
  }
  return env
}

/** The settings a launched server gets: the file's values, except where `current` already sets one. */
export const runtimeEnv = (
  current: NodeJS.ProcessEnv = process.env,
  text = readFileSync(RUNTIME_ENV_PATH, 'utf8'),
): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(parseRuntimeEnv(text))) env[name] = current[name] ?? value
  return env
}
