import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { BENCH_DIR, ROOT_DIR } from './proc.ts'

const SERVER_DIR = join(ROOT_DIR, 'apps/server')
/** Inside apps/server, so the bundle's npm imports resolve to the server's own dependencies. */
const OUT_DIR = join(SERVER_DIR, 'dist-bench')

let built: Promise<string> | null = null

/**
 * Roundtable as shipped: the benchmark's server entry bundled the way `apps/server/build.mjs` bundles
 * the production server (esbuild, workspace packages inlined, npm packages from node_modules, the
 * SQLite writer thread's file beside the bundle), run by plain `node`. Running the TypeScript sources
 * through tsx instead would add the loader's hooks thread (memory, CPU) and load modules lazily during
 * the measurement. Built once per suite run; returns the bundle's path.
 */
export const roundtableBundle = (): Promise<string> => {
  built ??= (async () => {
    mkdirSync(OUT_DIR, { recursive: true })
    await build({
      entryPoints: { roundtable: join(BENCH_DIR, 'servers/roundtable.ts') },
      outdir: OUT_DIR,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      outExtension: { '.js': '.mjs' },
      logLevel: 'warning',
      plugins: [
        {
          name: 'external-npm',
          setup(b) {
            b.onResolve({ filter: /^[^./]/ }, (args) =>
              args.path.startsWith('@roundtable/') ? undefined : { path: args.path, external: true },
            )
          },
        },
      ],
    })
    copyFileSync(join(SERVER_DIR, 'src/store/sqlite-writer.mjs'), join(OUT_DIR, 'sqlite-writer.mjs'))
    return join(OUT_DIR, 'roundtable.mjs')
  })()
  return built
}
