// Development: the server with reload on change (port 3000) and Vite with hot reload (port 5173).
import { spawn } from 'node:child_process'

const env = {
  ...process.env,
  PUBLIC_URL: process.env.PUBLIC_URL ?? 'http://localhost:5173',
  ALLOWED_ORIGINS: process.env.ALLOWED_ORIGINS ?? 'http://localhost:5173,http://localhost:3000',
  WEB_DIST: '',
}
const children = [
  spawn('pnpm', ['exec', 'tsx', 'watch', 'apps/server/src/main.ts'], { stdio: 'inherit', env }),
  spawn('pnpm', ['--filter', '@roundtable/web', 'dev'], { stdio: 'inherit', env }),
]
const stop = () => {
  for (const c of children) c.kill('SIGTERM')
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const c of children) c.on('exit', stop)
