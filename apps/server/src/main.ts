import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { buildApp } from './app.ts'
import { readConfig } from './config.ts'
import { seedMeeting } from './seed.ts'
import { openStore } from './store/open.ts'

const main = async () => {
  const parsed = readConfig(process.env)
  if (parsed.error !== undefined) {
    console.error(`Roundtable cannot start: ${parsed.error}`)
    process.exit(2)
  }
  const config = parsed.config
  const store = await openStore(config)
  const rt = await buildApp({ config, store })

  const out: string[] = []
  if (config.seedDemo) {
    const seedPath = resolve(process.env.SEED_FILE || 'seeds/oecd-2003.json')
    if (existsSync(seedPath)) {
      const { links, created } = await seedMeeting(store, rt.service, seedPath, config.dataDir)
      out.push(created ? 'Demo meeting loaded.' : 'Demo meeting already loaded.', 'Invitation links:')
      for (const l of links) out.push(`  ${l.label.padEnd(28)} ${l.url}`)
    }
  }
  if ((await store.getMeta('organiser_link_printed')) === null) {
    out.push(`Organiser link (single use): ${await rt.service.newOrganiserLink()}`)
    await store.setMeta('organiser_link_printed', new Date().toISOString())
  } else {
    out.push('New organiser link: pnpm organiser-link')
  }

  await rt.app.listen({ host: config.host, port: config.port })
  const address = rt.app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  console.log(`\nRoundtable is running at ${config.publicUrl} (port ${port}, storage: ${store.kind})`)
  console.log(out.join('\n'))
  if (!config.webDist || !existsSync(resolve(config.webDist, 'index.html')))
    console.log('(The web app is not built: run `pnpm build`, or use `pnpm dev` for hot reload.)')

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    rt.app.log.info({ signal }, 'shutting down')
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    try {
      await rt.close()
      await store.close()
      process.exit(0)
    } catch (err) {
      console.error(err)
      process.exit(1)
    }
  }
  // Last line of defence: one failed promise must not take every meeting down.
  process.on('unhandledRejection', (err) => rt.app.log.error({ err }, 'unhandled rejection'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

main().catch((err) => {
  console.error('Roundtable failed to start:', err)
  process.exit(1)
})
