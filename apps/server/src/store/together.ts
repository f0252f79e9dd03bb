import type { Together } from './types.ts'

/**
 * The shared half of `Store.together`: while `fn` runs, `send` returns a promise for each write it
 * would have sent on its own, and collects the write instead; the collected writes then go out as
 * one all-or-nothing unit (`commit`), and each promise settles with its own result. A function that
 * throws sends nothing, and the writes it had started fail with it.
 */
export const collector = <W>(
  sendAlone: (write: W) => Promise<unknown>,
  commit: (writes: W[]) => Promise<readonly unknown[]>,
) => {
  type Collected = { write: W; resolve: (v: unknown) => void; reject: (e: Error) => void }
  let collecting: Collected[] | null = null
  const send = (write: W): Promise<unknown> => {
    const batch = collecting
    if (!batch) return sendAlone(write)
    return new Promise((resolve, reject) => batch.push({ write, resolve, reject }))
  }
  const together: Together = (fn) => {
    if (collecting) return Promise.all(fn()) as never
    const batch: Collected[] = []
    collecting = batch
    let started: readonly Promise<unknown>[]
    try {
      started = fn()
    } catch (err) {
      for (const b of batch) b.reject(err as Error)
      throw err
    } finally {
      collecting = null
    }
    if (batch.length > 0)
      commit(batch.map((b) => b.write)).then(
        (results) => {
          for (const [i, b] of batch.entries()) b.resolve(results[i])
        },
        (err: Error) => {
          for (const b of batch) b.reject(err)
        },
      )
    return Promise.all(started) as never
  }
  return { send, together }
}
