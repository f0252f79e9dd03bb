import type { Ack } from '@roundtable/protocol'
import { io, type Socket } from 'socket.io-client'

/** A socket.io client with a session cookie (Node can send headers on the websocket transport). */
export const sio = (base: string, cookie: string | null, origin?: string): Promise<Socket> =>
  new Promise((res, rej) => {
    const headers: Record<string, string> = {}
    if (cookie) headers.cookie = cookie
    if (origin) headers.origin = origin
    const s = io(base, {
      transports: ['websocket'],
      extraHeaders: headers,
      reconnection: false,
      timeout: 3_000,
    })
    s.on('connect', () => res(s))
    s.on('connect_error', (e) => {
      s.close()
      rej(e)
    })
  })

/** A varuint as y-protocols writes it, for hand-built frames in tests. */
export const varUint = (n: number): number[] => {
  const out: number[] = []
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80)
    n >>>= 7
  }
  out.push(n)
  return out
}

export const call = <T = unknown>(s: Socket, event: string, payload: unknown): Promise<Ack<T>> =>
  s.timeout(3_000).emitWithAck(event, payload) as Promise<Ack<T>>

/** POSTs a meeting command over HTTP; returns status and body. */
export const httpCommand = async (
  base: string,
  cookie: string | null,
  meetingId: string,
  name: string,
  body: unknown,
  origin?: string,
) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (cookie) headers.cookie = cookie
  if (origin) headers.origin = origin
  const r = await fetch(`${base}/api/meetings/${meetingId}/commands/${name}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  })
  return { status: r.status, body: (await r.json()) as Record<string, unknown> }
}

export const cookieFrom = (res: Response, name: string): string => {
  const c = res.headers.getSetCookie().find((x) => x.startsWith(`${name}=`))
  if (!c) throw new Error(`no ${name} cookie`)
  return c.split(';')[0]
}
