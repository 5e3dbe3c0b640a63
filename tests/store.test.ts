// The store contract (tests/harness/store-contract.ts) on SQLite; tests/scale/ runs it on Redis.
import { openSqliteStore } from '../server/sqlite-store.ts'
import { storeContract } from './harness/store-contract.ts'
import { tempDir } from './harness/system.ts'

storeContract('SQLite', () => {
  const dir = tempDir()
  return {
    shared: false,
    open: async () => openSqliteStore(dir.path),
    reopen: async () => openSqliteStore(dir.path),
    cleanup: async () => dir.remove(),
  }
})
