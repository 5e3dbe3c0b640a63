// Issue 24 across processes: a question rising into the room's top reaches the phones of every
// process, its author's included, and random rooms spread over three processes converge.
import { describe, it } from 'vitest'
import { connect, synced } from '../harness/clients.ts'
import { questionRisesIntoTop, randomRoom } from '../harness/room-top.ts'
import { startServerProcess } from '../harness/server-process.ts'
import { redisPerTest } from './cluster.ts'

const SECRET = 'room-top-presenter-secret'
const cluster = redisPerTest(SECRET)

async function threeProcesses() {
  const servers = await Promise.all([0, 1, 2].map(() => startServerProcess(cluster.env())))
  const urls = servers.map((server) => server.url)
  const presenter = connect(urls[0] as string, { role: 'deck', secret: SECRET })
  await synced(presenter)
  return { urls, presenter }
}

describe('a question rising into the room’s top 40, on three processes on one Redis', () => {
  for (const sync of ['reconnect', 'approve-first toggle'] as const) {
    it(`reaches every phone on every process after its author’s ${sync} and a hide`, async () => {
      const { urls, presenter } = await threeProcesses()
      await questionRisesIntoTop(urls, presenter, sync, 'hide')
    })
  }
  it('reaches every phone on every process after an answered mark', async () => {
    const { urls, presenter } = await threeProcesses()
    await questionRisesIntoTop(urls, presenter, 'reconnect', 'answered')
  })
})

describe('random rooms over three processes', () => {
  it('every phone lists what a fresh sync on its process lists', async () => {
    const { urls, presenter } = await threeProcesses()
    await randomRoom(urls, presenter, 1, 60)
  })
})
