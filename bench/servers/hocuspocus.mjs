// @hocuspocus/server 4.7.0 with its defaults (no extensions, in memory); quiet only silences the banner.
import { Server } from '@hocuspocus/server'

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true })
await server.listen()
console.log(`READY ${JSON.stringify({ port: server.address.port })}`)
