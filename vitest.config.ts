import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and export tests start Chromium and Slidev; two at a time fit this 2-core machine.
    maxWorkers: 2,
  },
})
