// Flags of `npm run handouts`. Every mistake becomes one sentence that names the fix.
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { KitError } from '../server/errors.ts'
import { ROOT } from '../server/settings.ts'

export class UsageError extends KitError {}

export interface HandoutOptions {
  out: string
  /** Decks exported as slides PDFs. */
  slideDecks: string[]
  /** Decks that get a participant handout and a facilitator guide. */
  docDecks: string[]
  session?: string
  letter: boolean
  /** Add the slides (three to a page, live ones left out) to the participant handout. */
  slides: boolean
  /** When the session starts, in minutes after midnight: the guide's run sheets show clock times. */
  start: number
  dataDir: string
  /** Results in this Redis (several processes) instead of the data folder. */
  redisUrl?: string
  /** Only the sponsor's report, for --session (default current; "all": one per session). */
  report: boolean
  /** What the facilitator adds to the report, in a few sentences. */
  note?: string
  help: boolean
}

export const DEFAULT_OUT = resolve(ROOT, 'handouts', 'out')

export const USAGE = `Usage: npm run handouts -- [options]

Writes PDFs into handouts/out/: the slides of each deck (Slidev's own export), and for each deck
a participant handout, a facilitator guide and follow-up messages (and the scenario cards for a
deck with table work).

  --deck workshop|short|all  only this deck (default: every deck)
  --session current|<id>     add "what the room said": that session's poll results as charts
  --slides                   add the slides to the handout, three to a page (never a slide with
                             a live poll, the join code or a timer)
  --start HH:MM              when the session starts, for the guide's run sheets (default 09:00)
  --data-dir DIR             where the results are (default: DATA_DIR, or ./data)
  --redis-url URL            read the results from this Redis instead (default: REDIS_URL)
  --out DIR                  where to write the PDFs (default: handouts/out)
  --letter                   US Letter instead of A4
  --report                   only the report for the sponsor (one or two pages) of --session
                             (default: current; "all": one report per session)
  --note TEXT                with --report: what you add, in a few sentences
  --help                     this text

Needs a Chromium: CHROMIUM_PATH, or one installed in the usual place.`

const FLAGS =
  '--deck, --session, --slides, --start, --data-dir, --redis-url, --out, --letter, --report, --note or --help'

export function parseOptions(
  argv: string[],
  decks: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): HandoutOptions {
  let values: Record<string, string | boolean | undefined>
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        deck: { type: 'string' },
        session: { type: 'string' },
        letter: { type: 'boolean' },
        slides: { type: 'boolean' },
        start: { type: 'string' },
        report: { type: 'boolean' },
        note: { type: 'string' },
        'data-dir': { type: 'string' },
        'redis-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    }))
  } catch (error) {
    const message = (error as Error).message
    const flag = /'(-[^']*)'/.exec(message)?.[1]
    if (/argument missing/i.test(message) && flag)
      throw new UsageError(`${flag.split(' ')[0]} needs a value (see --help).`)
    throw new UsageError(`Unknown option ${flag ?? 'given'}: use ${FLAGS}.`)
  }
  if (positionals.length) {
    throw new UsageError(`Unexpected "${positionals[0]}": options start with -- (use ${FLAGS}).`)
  }
  const deck = typeof values.deck === 'string' ? values.deck : undefined
  if (deck !== undefined && deck !== 'all' && !decks.includes(deck)) {
    throw new UsageError(`There is no deck "${deck.slice(0, 40)}": use --deck ${[...decks, 'all'].join(', ')}.`)
  }
  // The full workshop comes first: its handout is printed while the other decks export.
  const main = decks.includes('workshop') ? 'workshop' : (decks[0] ?? 'workshop')
  const ordered = [...decks].sort((a, b) => Number(b === main) - Number(a === main))
  const slideDecks = deck === undefined || deck === 'all' ? ordered : [deck]
  const docDecks = slideDecks
  const session = typeof values.session === 'string' ? values.session.trim() : undefined
  if (session !== undefined && !session) throw new UsageError('--session needs "current" or a session id.')
  const note = typeof values.note === 'string' ? values.note.trim() : undefined
  if (note !== undefined && values.report !== true) throw new UsageError('--note goes with --report.')
  if (note && note.length > 700) throw new UsageError('--note is for a few sentences: keep it under 700 characters.')
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : (env.DATA_DIR ?? resolve(ROOT, 'data'))
  const redisUrl = typeof values['redis-url'] === 'string' ? values['redis-url'] : env.REDIS_URL || undefined
  const start = parseClock(typeof values.start === 'string' ? values.start : '09:00')
  return {
    out: resolve(cwd, typeof values.out === 'string' ? values.out : DEFAULT_OUT),
    slideDecks,
    docDecks,
    ...(session ? { session } : {}),
    letter: values.letter === true,
    slides: values.slides === true,
    start,
    dataDir: resolve(cwd, dataDir),
    ...(redisUrl ? { redisUrl } : {}),
    report: values.report === true,
    ...(note ? { note } : {}),
    help: values.help === true,
  }
}

/** "9:30" or "09:30" → minutes after midnight; anything else is a usage error. */
export function parseClock(text: string): number {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim())
  if (!match) throw new UsageError(`--start needs a time like 09:30 (24-hour clock), not "${text.slice(0, 20)}".`)
  return Number(match[1]) * 60 + Number(match[2])
}
