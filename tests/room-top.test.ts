// Issue 24: what the room has heard is what the room was sent. A question that rises into the top
// of the wall reaches every phone, whichever phone synced in between; random rooms converge.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'vitest'
import { type Client, closeClients, connect, synced } from './harness/clients.ts'
import { SECRET, startTestServer } from './harness/kit.ts'
import { questionRisesIntoTop, randomRoom } from './harness/room-top.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let presenter: Client

beforeEach(async () => {
  server = await startTestServer({ dataDir: mkdtempSync(join(tmpdir(), 'room-top-')) })
  presenter = connect(server.url, { role: 'deck', secret: SECRET })
  await synced(presenter)
})
afterEach(async () => {
  closeClients()
  await server.close()
})

describe('a question rising into the room’s top 40, on one process', () => {
  for (const sync of ['reconnect', 'approve-first toggle'] as const) {
    for (const rise of ['hide', 'answered'] as const) {
      it(`reaches every phone when its author had a full sync (${sync}) before the ${rise}`, async () => {
        await questionRisesIntoTop([server.url], presenter, sync, rise)
      })
    }
  }
})

describe('random rooms, on one process', () => {
  for (const seed of [1, 2, 3]) {
    it(`every phone lists what a fresh sync lists (seed ${seed})`, async () => {
      await randomRoom([server.url], presenter, seed, 60)
    })
  }
})
