// Stopping the kit (Ctrl+C, SIGTERM) in the middle of a vote burst, on SQLite: it exits within a
// few seconds, every acknowledged vote is in the data folder, and the votes it could not take
// were refused with a reason. tests/scale/stop-redis.test.ts does the same on Redis.
import { afterEach, describe, expect, it } from 'vitest'
import { openSqliteStore } from '../server/sqlite-store.ts'
import { closeClients } from './harness/clients.ts'
import { startServerProcess } from './harness/server-process.ts'
import { exitsWithin, expectNothingAcknowledgedLost, STOP_SECRET, voteUntilStopped } from './harness/stop-check.ts'
import { stopChildren, tempDir } from './harness/system.ts'

afterEach(() => {
  closeClients()
  stopChildren()
})

describe('stopping in the middle of a burst', () => {
  it('exits within seconds and loses no acknowledged vote (SQLite)', async () => {
    const dir = tempDir()
    try {
      const server = await startServerProcess({ DATA_DIR: dir.path, PRESENTER_SECRET: STOP_SECRET })
      const burst = await voteUntilStopped(server, 30, () => server.child.kill('SIGTERM'))
      expect((await exitsWithin(server, 5000)).code).toBe(0)
      const store = openSqliteStore(dir.path)
      const { votes } = await store.loadSession((await store.currentSession()).id)
      await store.close()
      expectNothingAcknowledgedLost(burst, votes)
    } finally {
      dir.remove()
    }
  }, 60_000)
})
