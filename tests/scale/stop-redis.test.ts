// Stopping a process of a Redis-backed kit: with Redis gone it still exits within seconds, and in
// the middle of a burst it loses no acknowledged vote.
import { describe, expect, it } from 'vitest'
import { connectRedis, openRedisStore } from '../../server/redis-store.ts'
import { startServerProcess } from '../harness/server-process.ts'
import { exitsWithin, expectNothingAcknowledgedLost, STOP_SECRET, voteUntilStopped } from '../harness/stop-check.ts'
import { redisPerTest } from './cluster.ts'

const cluster = redisPerTest(STOP_SECRET)

const env = cluster.env

describe('stopping a process on Redis', () => {
  it('exits within seconds on SIGTERM while Redis is down', async () => {
    const server = await startServerProcess(env())
    await cluster.redis.kill()
    // Let it notice: it is now retrying the connection.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    server.child.kill('SIGTERM')
    expect((await exitsWithin(server, 5000)).code).toBe(0)
  }, 60_000)

  it('exits within seconds mid-burst and loses no acknowledged vote', async () => {
    const server = await startServerProcess(env())
    const burst = await voteUntilStopped(server, 30, () => server.child.kill('SIGTERM'))
    expect((await exitsWithin(server, 5000)).code).toBe(0)
    const store = openRedisStore(await connectRedis(cluster.redis.url))
    const { votes } = await store.loadSession((await store.currentSession()).id)
    await store.close()
    expectNothingAcknowledgedLost(burst, votes)
  }, 60_000)
})
