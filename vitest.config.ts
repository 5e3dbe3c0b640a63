import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for what a page or a socket shows next: the room hears of questions once a
    // second (LIMITS.roomCardIntervalMs), so a second is not enough on a busy machine.
    expect: { poll: { timeout: 10_000 } },
    // Browser and export tests start Chromium and Slidev; two at a time fit this 2-core machine.
    maxWorkers: 2,
    projects: [
      // `npm test`: everything that needs no Redis.
      {
        extends: true,
        test: { name: 'default', include: ['tests/*.test.ts'], globalSetup: ['tests/harness/decks-setup.ts'] },
      },
      // `npm run test:scale`: several server processes on a real redis-server.
      { extends: true, test: { name: 'scale', include: ['tests/scale/*.test.ts'], fileParallelism: false } },
      // `npm run test:node`: a clean install, start and phone vote on every supported Node.js.
      { extends: true, test: { name: 'node', include: ['tests/node-versions/*.test.ts'] } },
    ],
  },
})
