// The set-up every multi-process test shares: a fresh redis-server for each test, and the server
// processes and clients it started stopped after it.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import { ROOT } from '../../server/settings.ts'
import { closeClients } from '../harness/clients.ts'
import { RedisServer } from '../harness/redis.ts'
import { stopChildren } from '../harness/system.ts'

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')

/** `npm run presenter -- …` on this Redis. */
export const presenterCommand = (redisUrl: string, ...args: string[]) =>
  execFileSync(TSX, ['server/cli.ts', 'presenter', ...args], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: redisUrl },
    encoding: 'utf8',
  })

/** A new one-time presenter link made by the command (the processes print theirs at start). */
export const newPresenterLink = (redisUrl: string) =>
  /(http\S+\/present#\S+)/.exec(presenterCommand(redisUrl, 'link'))?.[1] ?? ''

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
