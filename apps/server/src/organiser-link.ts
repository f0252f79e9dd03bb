import { readConfig } from './config.ts'
import { MeetingService } from './meeting/service.ts'
import { openStore } from './store/open.ts'

/** `pnpm organiser-link`: prints a new single-use organiser link (works while the server runs). */
const parsed = readConfig(process.env)
if (parsed.error !== undefined) {
  console.error(parsed.error)
  process.exit(2)
}
const store = await openStore(parsed.config)
const service = new MeetingService({ store, publicUrl: parsed.config.publicUrl })
console.log(await service.newOrganiserLink())
await store.close()
