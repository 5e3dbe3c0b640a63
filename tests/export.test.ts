// The deck exports to PDF offline through Slidev's own exporter and the system Chromium, and the
// poll slide in the PDF shows the results stored in the data folder (not a spinner).
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChromium } from '../handouts/chromium.ts'
import { ROOT, SLIDES_DIR } from '../server/settings.ts'
import { openSqliteStore } from '../server/sqlite-store.ts'
import { slideNumberOfPoll } from './deck-helpers.ts'
import { tempDir } from './helpers.ts'

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
    const deck = join(SLIDES_DIR, 'workshop.md')
    const slide = await slideNumberOfPoll(deck, 'hat-start')
    const pdf = join(dir.path, 'deck.pdf')
    const result = spawnSync(
      join(ROOT, 'node_modules', '.bin', 'slidev'),
      [
        'export',
        deck,
        '--output',
        pdf,
        '--range',
        String(slide),
        '--executable-path',
        findChromium(),
        '--timeout',
        '60000',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dir.path },
        encoding: 'utf8',
        timeout: 120_000,
      },
    )
    expect(result.status, result.stderr + result.stdout).toBe(0)
    expect(existsSync(pdf)).toBe(true)
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
    expect(text).toContain('7 answers')
    expect(text).not.toMatch(/Loading results|Connecting to the poll/)
    // The two seeded counts appear as bar values.
    expect(text).toMatch(/\b3\b/)
    expect(text).toMatch(/\b4\b/)
  }, 150_000)
})
