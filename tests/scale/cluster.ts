// The set-up every multi-process test shares: a fresh redis-server for each test, and the server
// processes and clients it started stopped after it.
import { afterEach, beforeEach } from 'vitest'
import { closeClients } from '../harness/clients.ts'
import { RedisServer } from '../harness/redis.ts'
import { stopChildren } from '../harness/system.ts'

/** The test's Redis, and the environment a server process needs to share it. */
export function redisPerTest(secret: string) {
  const cluster = {
    redis: undefined as unknown as RedisServer,
    // Every phone here is 127.0.0.1: the per-address limits are sized for that (tests/limits.test.ts tests them).
    env: () => ({
      REDIS_URL: cluster.redis.url,
      PRESENTER_SECRET: secret,
      MAX_CONNECTIONS_PER_ADDRESS: '10000',
      PHONES_PER_ADDRESS: '10000',
    }),
  }
  beforeEach(async () => {
    cluster.redis = await RedisServer.start()
  })
  afterEach(async () => {
    closeClients()
    stopChildren()
    await cluster.redis.stop()
  })
  return cluster
}
