// The store contract (tests/harness/store-contract.ts) on a real redis-server.
import { afterAll, beforeAll } from 'vitest'
import { connectRedis, openRedisStore } from '../../server/redis-store.ts'
import { RedisServer } from '../harness/redis.ts'
import { storeContract } from '../harness/store-contract.ts'

let redis: RedisServer
beforeAll(async () => {
  redis = await RedisServer.start()
})
afterAll(() => redis.stop())

storeContract('Redis', () => ({
  shared: true,
  open: async () => {
    const client = await connectRedis(redis.url)
    await client.flushAll()
    return openRedisStore(client)
  },
  reopen: async () => openRedisStore(await connectRedis(redis.url)),
  cleanup: async () => undefined,
}))
