// Stock socket.io 4.8.4 room broadcast, the peer of Roundtable's meeting channel in scenario e:
// no session, no validation, no rate limit, no storage. It keeps the same agenda in memory and,
// like Roundtable, answers `agenda:update` with an ack and broadcasts the whole agenda to the room.
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { Server } from 'socket.io'

const seed = JSON.parse(readFileSync(new URL('../../seeds/oecd-2003.json', import.meta.url), 'utf8'))
const meetingId = seed.id
const senders = Number(process.env.BENCH_ITEMS || 20)
const agenda = [
  ...seed.agenda.map((a, i) => ({ id: `${meetingId}-a${i + 1}`, meetingId, position: i, ...a })),
  ...Array.from({ length: senders }, (_, i) => ({
    id: `bench-item-${i}`,
    meetingId,
    position: seed.agenda.length + i,
    title: `Bench item ${i}`,
    kind: 'discussion',
    durationMinutes: 5,
  })),
]
const byId = new Map(agenda.map((a) => [a.id, a]))

const server = http.createServer()
const io = new Server(server, { serveClient: false })
io.on('connection', (socket) => {
  socket.join('meeting')
  socket.on('agenda:update', (payload, ack) => {
    const item = byId.get(payload?.itemId)
    if (!item) return ack?.({ ok: false })
    item.title = payload.title ?? item.title
    io.to('meeting').emit('meeting:agenda', { agenda, currentItemId: null })
    ack?.({ ok: true, data: item })
  })
})
server.listen(0, '127.0.0.1', () => console.log(`READY ${JSON.stringify({ port: server.address().port })}`))
