// Production bundle: one ESM file per entry, workspace packages inlined, npm packages left to node_modules.
import { copyFileSync } from 'node:fs'
import { build } from 'esbuild'

const externalNpm = {
  name: 'external-npm',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@roundtable/')) return undefined
      return { path: args.path, external: true }
    })
  },
}

await build({
  entryPoints: { main: 'src/main.ts', 'organiser-link': 'src/organiser-link.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  plugins: [externalNpm],
  logLevel: 'warning',
})

// The SQLite writer runs as a worker thread, started from its own file beside the bundle.
copyFileSync('src/store/sqlite-writer.mjs', 'dist/sqlite-writer.mjs')
