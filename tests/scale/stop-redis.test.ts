// Stopping a process of a Redis-backed kit: with Redis gone it still exits within seconds, and in
// the middle of a burst it loses no acknowledged vote.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connectRedis, openRedisStore } from '../../server/redis-store.ts'
import { closeClients } from '../harness/clients.ts'
import { RedisServer } from '../harness/redis.ts'
import { startServerProcess } from '../harness/server-process.ts'
import { exitsWithin, expectNothingAcknowledgedLost, STOP_SECRET, voteUntilStopped } from '../harness/stop-check.ts'
import { stopChildren } from '../harness/system.ts'

let redis: RedisServer
beforeEach(async () => {
  redis = await RedisServer.start()
})
afterEach(async () => {
  closeClients()
  stopChildren()
  await redis.stop()
})

const env = () => ({ REDIS_URL: redis.url, PRESENTER_SECRET: STOP_SECRET, MAX_CONNECTIONS_PER_ADDRESS: '1000' })

describe('stopping a process on Redis', () => {
  it('exits within seconds on SIGTERM while Redis is down', async () => {
    const server = await startServerProcess(env())
    await redis.kill()
    // Let it notice: it is now retrying the connection.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    server.child.kill('SIGTERM')
    expect((await exitsWithin(server, 5000)).code).toBe(0)
  }, 60_000)

  it('exits within seconds mid-burst and loses no acknowledged vote', async () => {
    const server = await startServerProcess(env())
    const burst = await voteUntilStopped(server, 30, () => server.child.kill('SIGTERM'))
    expect((await exitsWithin(server, 5000)).code).toBe(0)
    const store = openRedisStore(await connectRedis(redis.url))
    const { votes } = await store.loadSession((await store.currentSession()).id)
    await store.close()
    expectNothingAcknowledgedLost(burst, votes)
  }, 60_000)
})
