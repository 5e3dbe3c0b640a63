// `npm run handouts`: the slides PDF of each deck (Slidev's own export, with the stored poll
// results on the poll slides), a participant handout, a facilitator guide and the follow-up
// messages for each deck, and the scenario cards when a deck has table work, into handouts/out/.
// Problems a facilitator can fix are printed as one sentence that names the fix, never as a
// stack trace.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { PDFDocument } from 'pdf-lib'
import { questionnaireLink } from '../server/app.ts'
import { deckEntry, deckNames } from '../server/deck.ts'
import { readDeck } from '../server/deck-source.ts'
import { KitError } from '../server/errors.ts'
import { loadFollowUpOrExplain, loadPollsOrExplain, openStore } from '../server/kit.ts'
import type { PollDefinition } from '../server/poll-definition.ts'
import { findSession, type SessionResults, sessionResults } from '../server/results.ts'
import { publicBase, readSettings } from '../server/settings.ts'
import { DATABASE_FILE } from '../server/sqlite-store.ts'
import { BREAKDOWN_SLIDE, loadBreakdown } from './breakdown.ts'
import { findChromium } from './chromium.ts'
import { type DeckInfo, formatOf, loadDeck } from './deck.ts'
import { buildCards, buildGuide, buildHandout, buildReport, buildSessionHandout } from './documents.ts'
import { followUpMarkdown, SESSION_FOLLOW_UP } from './follow-up.ts'
import { formatDate } from './handout-html.ts'
import { type HandoutOptions, parseOptions, USAGE, UsageError } from './options.ts'
import { PAPERS, type Paper, Printer } from './render.ts'
import { reportFigures } from './report.ts'
import { scenarioKey } from './scenario-key.ts'
import { loadActionPrompts, loadCheckRows, loadFurtherReading, loadGoals, loadMoments } from './slide-content.ts'
import { exportSlides, stopExports } from './slides-export.ts'

interface Written {
  label: string
  file: string
  /** "12 pages", "64 lines". */
  length: string
  bytes: number
  seconds: number
}

const seconds = (since: number) => (performance.now() - since) / 1000
const pages = (count: number) => `${count} ${count === 1 ? 'page' : 'pages'}`
const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
const shown = (path: string) => {
  const rel = relative(process.cwd(), path)
  return rel && !rel.startsWith('..') ? rel : path
}

function needResults(options: HandoutOptions): void {
  if (!options.redisUrl && !existsSync(join(options.dataDir, DATABASE_FILE))) {
    throw new UsageError(
      `There are no stored results in ${options.dataDir}: run the workshop with npm start first, or point --data-dir at the folder that holds ${DATABASE_FILE} (or REDIS_URL at the Redis that holds them).`,
    )
  }
}

async function readResults(
  options: HandoutOptions,
  polls: PollDefinition[],
): Promise<{ results: SessionResults; current: boolean } | undefined> {
  if (!options.session) return undefined
  needResults(options)
  const { store } = await openStore(options)
  try {
    const session = await findSession(store, options.session)
    const current = (await findSession(store, 'current')).id === session.id
    return { results: await sessionResults(store, polls, session), current }
  } finally {
    await store.close()
  }
}

/** `--report`: the sponsor's page or two for one session (or each), read from the store. */
async function reports(options: HandoutOptions, chromium: string, paper: Paper): Promise<void> {
  needResults(options)
  const polls = await loadPollsOrExplain()
  const followUp = await loadFollowUpOrExplain(polls)
  const title = (await loadDeck(options.docDecks[0] ?? 'workshop')).title
  // The chart's scale is its first stage's: every stage has the same (checked at start-up).
  const first = followUp.journey?.stages[0]?.from
  const scale = [...polls, ...followUp.questionnaires.flatMap((q) => q.questions)].find((poll) => poll.id === first)
  const range = { min: Number(scale?.options[0]?.id ?? 0), max: Number(scale?.options.at(-1)?.id ?? 10) }
  mkdirSync(options.out, { recursive: true })
  const { store } = await openStore(options)
  const printer = await Printer.launch(chromium)
  try {
    const sessions =
      options.session === 'all' ? await store.listSessions() : [await findSession(store, options.session ?? 'current')]
    for (const session of sessions) {
      const since = performance.now()
      const figures = reportFigures(session, await store.loadSession(session.id), polls, followUp)
      const date = formatDate(new Date(session.startedAt))
      const built = await buildReport(printer, {
        title,
        figures,
        range,
        date,
        paper,
        ...(options.note ? { note: options.note } : {}),
      })
      const file = `report-session-${session.id}.pdf`
      writeFileSync(join(options.out, file), built.bytes)
      console.log(
        `Report for session ${session.id} ("${session.name}"): ${shown(join(options.out, file))}, ${pages(built.pages)}, ${size(built.bytes.length)}, ${seconds(since).toFixed(1)} s`,
      )
    }
  } finally {
    await printer.close()
    await store.close()
  }
}

async function main(argv: string[]): Promise<void> {
  const started = performance.now()
  const options = parseOptions(argv, deckNames())
  if (options.help) {
    console.log(USAGE)
    return
  }
  const chromium = findChromium()
  const paper = options.letter ? PAPERS.Letter : PAPERS.A4
  if (options.report) return reports(options, chromium, paper)
  const polls = await loadPollsOrExplain()
  const questionnaireIds = (await loadFollowUpOrExplain(polls)).questionnaires.map((q) => q.id)
  const stored = await readResults(options, polls)
  const results = stored?.results
  const decks = new Map<string, DeckInfo>()
  for (const name of options.docDecks) decks.set(name, await loadDeck(name))
  // The workshop's decks show the article's breakdown; their handouts, cards and messages are
  // built on its sections (the breakdown, the moments, the goals), which other decks do without.
  const workshopDecks = new Set<string>()
  for (const name of options.docDecks) {
    const { slides } = await readDeck(deckEntry(name))
    if (slides.some((slide) => slide.source.filepath === BREAKDOWN_SLIDE)) workshopDecks.add(name)
  }
  const workshop = workshopDecks.size > 0
  const breakdown = workshop ? loadBreakdown() : []
  const moments = workshop ? loadMoments() : []
  const goals = workshop ? loadGoals() : []
  const furtherReading = workshop ? loadFurtherReading() : []
  const checkRows = workshop ? loadCheckRows() : []
  // The cards are for the workshop's decks with table work; they are the same cards for each.
  const cardsFor = options.docDecks.find(
    (name) => workshopDecks.has(name) && decks.get(name)?.slides.some((slide) => slide.activity === 'tables'),
  )
  // The join slide shows the address `npm start` gives phones on this network (PORT, PUBLIC_URL
  // respected), not the temporary port of the export's own server.
  const settings = readSettings([])
  const joinBase = publicBase(settings, settings.port)
  mkdirSync(options.out, { recursive: true })

  const steps = [
    ...options.slideDecks.map((deck) => `Slides PDF (${deck})`),
    ...options.docDecks.flatMap((deck) => [
      `Participant handout (${deck})`,
      `Facilitator guide (${deck})`,
      ...(deck === cardsFor ? ['Scenario cards'] : []),
      `Follow-up messages (${deck})`,
    ]),
  ]
  const step = (label: string) => `[${steps.indexOf(label) + 1}/${steps.length}] ${label}`
  const written: Written[] = []
  const write = (
    label: string,
    file: string,
    bytes: Uint8Array | string | undefined,
    length: string,
    since: number,
  ) => {
    const path = join(options.out, file)
    if (bytes !== undefined) writeFileSync(path, bytes)
    const entry = { label, file, length, bytes: statSync(path).size, seconds: seconds(since) }
    written.push(entry)
    console.log(`${step(label)}: ${file}, ${length}, ${size(entry.bytes)}, ${entry.seconds.toFixed(1)} s`)
  }

  const where = [
    paper.name,
    results
      ? `results of session ${results.session.id} ("${results.session.name}") from ${shown(options.dataDir)}`
      : '',
  ]
  console.log(`Writing handouts to ${shown(options.out)}/ (${where.filter(Boolean).join(', ')})`)
  console.log(`  The join slide shows ${joinBase}/vote (set PUBLIC_URL to print another address).`)
  if (stored && !stored.current) {
    console.log('  Note: the slides PDF shows the current session on its poll slides; the handout shows this one.')
  }

  // Slidev exports run one after another (each is a dev server plus a browser); the handout and
  // the guide of a deck are printed as soon as its slides PDF exists, while the next deck exports.
  const slidesPdf = new Map<string, Promise<PDFDocument>>()
  let chain: Promise<unknown> = Promise.resolve()
  for (const deck of options.slideDecks) {
    const label = `Slides PDF (${deck})`
    const file = `slides-${deck}.pdf`
    const output = join(options.out, file)
    const done = chain.then(async () => {
      const since = performance.now()
      console.log(`${step(label)}…`)
      // The export's own server reads the same results as the handout: this data folder or Redis.
      const env = { PUBLIC_URL: joinBase, ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}) }
      await exportSlides(deck, output, { chromium, dataDir: options.dataDir, env })
      const doc = await PDFDocument.load(readFileSync(output))
      write(label, file, undefined, pages(doc.getPageCount()), since)
      return doc
    })
    slidesPdf.set(deck, done)
    chain = done
  }

  let printer: Promise<Printer> | undefined
  const documents = (async () => {
    for (const name of options.docDecks) {
      const deck = decks.get(name) as DeckInfo
      // The browser for printing starts while Slidev is still exporting.
      if (!printer) {
        printer = Printer.launch(chromium)
        printer.catch(() => undefined) // reported where it is awaited
      }
      const slides = await (slidesPdf.get(name) as Promise<PDFDocument>)
      const first = slides.getPage(0)
      const slideRatio = first.getWidth() / first.getHeight()
      if (slides.getPageCount() !== deck.slides.length) {
        console.log(
          `  Note: the ${name} slides PDF has ${slides.getPageCount()} pages for ${deck.slides.length} slides; thumbnails follow the PDF's order.`,
        )
      }
      const format = formatOf(deck)
      const date = formatDate(results ? new Date(results.session.startedAt) : new Date())

      let label = `Participant handout (${name})`
      let since = performance.now()
      console.log(`${step(label)}…`)
      const common = {
        deck,
        format,
        date,
        ...(results ? { session: { name: results.session.name }, results } : {}),
        polls,
        paper,
        slideRatio,
        withSlides: options.slides,
      }
      // The workshop's handout is built on its article's breakdown; any other deck gets the kit's.
      const ownWorkshop = workshopDecks.has(name)
      const handout = ownWorkshop
        ? await buildHandout(
            await printer,
            { ...common, breakdown, checkRows, furtherReading, actionPrompts: loadActionPrompts() },
            slides,
          )
        : await buildSessionHandout(await printer, common, slides)
      write(label, `handout-${name}.pdf`, handout.bytes, pages(handout.pages), since)

      const key = scenarioKey(deck, polls, moments)
      label = `Facilitator guide (${name})`
      since = performance.now()
      console.log(`${step(label)}…`)
      const guide = await buildGuide(
        await printer,
        {
          deck,
          format,
          polls,
          paper,
          slideRatio,
          goals: ownWorkshop ? goals : [],
          key,
          start: options.start,
          ...(results ? { results } : {}),
        },
        slides,
      )
      write(label, `facilitator-guide-${name}.pdf`, guide.bytes, pages(guide.pages), since)

      if (name === cardsFor) {
        label = 'Scenario cards'
        since = performance.now()
        console.log(`${step(label)}…`)
        const cards = await buildCards(await printer, { title: deck.title, moments, paper })
        write(label, 'scenario-cards.pdf', cards.bytes, pages(cards.pages), since)
      }

      label = `Follow-up messages (${name})`
      since = performance.now()
      // Printed for a session, the messages carry its questionnaires' links (as presenter view gives them).
      const links = results
        ? Object.fromEntries(
            questionnaireIds.map((id) => [id, questionnaireLink(`${joinBase}/vote`, results.session.id, id)]),
          )
        : undefined
      const message = ownWorkshop
        ? followUpMarkdown({ title: deck.title, format, date, goals, key, furtherReading, ...(links ? { links } : {}) })
        : followUpMarkdown(
            { title: deck.title, format, date, goals: [], key, furtherReading: [], ...(links ? { links } : {}) },
            readFileSync(SESSION_FOLLOW_UP, 'utf8'),
          )
      write(label, `follow-up-${name}.md`, message, `${message.split('\n').length} lines`, since)
    }
  })()

  try {
    await Promise.all([chain, documents])
  } catch (error) {
    stopExports()
    throw error
  } finally {
    if (printer) await printer.then((p) => p.close()).catch(() => undefined)
  }

  const total = seconds(started)
  written.sort((a, b) => steps.indexOf(a.label) - steps.indexOf(b.label))
  const width = Math.max(...written.map((entry) => entry.file.length))
  console.log(`\nWrote ${written.length} files to ${shown(options.out)}/:`)
  for (const entry of written) {
    console.log(
      `  ${entry.file.padEnd(width)}  ${entry.length.padStart(9)}  ${size(entry.bytes).padStart(7)}  ${entry.seconds.toFixed(1).padStart(5)} s`,
    )
  }
  console.log(`Total time: ${total.toFixed(1)} s`)
}

// Slidev exports run in their own process groups (so a failure can stop them with their browser):
// stop them too when this command is interrupted or exits early.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    stopExports()
    process.exit(130)
  })
}
process.once('exit', stopExports)
// Output piped into a program that stops reading (`| head`) must not crash the export.
process.stdout.on('error', () => undefined)

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof KitError) console.error(`\n  ${error.message}\n`)
  else console.error(error)
  process.exit(1)
})
