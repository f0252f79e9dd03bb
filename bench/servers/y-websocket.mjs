import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

// The stock @y/websocket-server 0.1.1 server (in memory), started on a given port.
// Its own server.js reads HOST and PORT and prints "running at …"; this wrapper adds the READY line.
const port = Number(process.env.PORT)
process.env.HOST = '127.0.0.1'
const origLog = console.log
console.log = (...args) => {
  origLog(...args)
  if (String(args[0]).startsWith('running at')) origLog(`READY ${JSON.stringify({ port })}`)
}
const pkg = createRequire(import.meta.url).resolve('@y/websocket-server/package.json')
await import(pathToFileURL(join(dirname(pkg), 'src/server.js')).href)
