// The recount command: one JSON election on stdin, one JSON result on stdout, nothing else.
import { tryCount } from './count.ts'

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export async function main(): Promise<number> {
  const text = await readStdin()
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    process.stderr.write(`tally: the input is not valid JSON (${(err as Error).message})\n`)
    return 1
  }
  const counted = tryCount(raw)
  if ('error' in counted) {
    process.stderr.write(`tally: bad election: ${counted.error}\n`)
    return 1
  }
  for (const w of counted.warnings) process.stderr.write(`tally: warning: ${w}\n`)
  process.stdout.write(`${JSON.stringify(counted.data, null, 2)}\n`)
  return 0
}
