// The deck exports to PDF offline through Slidev's own exporter and the system Chromium, and the
// poll slide in the PDF shows the results stored in the data folder (not a spinner).
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChromium } from '../handouts/chromium.ts'
import { exportSlides } from '../handouts/slides-export.ts'
import { SLIDES_DIR } from '../server/settings.ts'
import { openSqliteStore } from '../server/sqlite-store.ts'
import { slideNumberOfPoll } from './deck-helpers.ts'
import { tempDir } from './harness/system.ts'

let dir: ReturnType<typeof tempDir>
beforeAll(async () => {
  dir = tempDir()
  const store = openSqliteStore(dir.path)
  const session = await store.currentSession()
  const answers = ['leading', 'leading', 'leading', 'managing', 'managing', 'managing', 'managing']
  await store.saveVotes(
    answers.map((answer, i) => ({
      sessionId: session.id,
      pollId: 'hat-start',
      participantId: `seeded-${i}`,
      answer: [answer],
      voteId: `seed-vote-${i}`,
      at: Date.now(),
    })),
  )
  await store.close()
})
afterAll(() => dir.remove())

describe('PDF export', () => {
  it('shows the stored results on the poll slide', async () => {
    const slide = await slideNumberOfPoll(join(SLIDES_DIR, 'workshop.md'), 'hat-start')
    const pdf = join(dir.path, 'deck.pdf')
    await exportSlides('workshop', pdf, { chromium: findChromium(), dataDir: dir.path, range: String(slide) })
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
    expect(text).toContain('7 answers')
    expect(text).not.toMatch(/Loading results|Connecting to the poll/)
    // The two seeded counts appear as bar values.
    expect(text).toMatch(/\b3\b/)
    expect(text).toMatch(/\b4\b/)
  }, 240_000)
})
