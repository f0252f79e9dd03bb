import react from '@vitejs/plugin-react'
import { defineConfig, type ProxyOptions } from 'vite'

/** Where the Roundtable server listens during development (`pnpm dev` runs both). */
const SERVER = process.env.ROUNDTABLE_SERVER ?? 'http://localhost:3000'

/**
 * The server only accepts cookies-bearing requests and upgrades from its own origin; the dev
 * server is a same-machine front for it, so the proxy presents the server's origin.
 */
const toServer = (ws: boolean): ProxyOptions => ({
  target: SERVER,
  ws,
  changeOrigin: true,
  configure: (proxy) => {
    proxy.on('proxyReq', (req) => {
      if (req.getHeader('origin')) req.setHeader('origin', SERVER)
    })
    proxy.on('proxyReqWs', (req) => {
      if (req.getHeader('origin')) req.setHeader('origin', SERVER)
    })
  },
})

export default defineConfig(({ mode }) => ({
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': toServer(false),
      '/socket.io': toServer(true),
      '/yjs': toServer(true),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // None in a production build: a deployment should not carry the readable source beside the
    // bundles (the server refuses `*.map` anyway). `vite build --mode development` writes them
    // for debugging a build; the dev server maps its modules regardless of this.
    sourcemap: mode !== 'production',
    chunkSizeWarningLimit: 1500,
  },
}))
