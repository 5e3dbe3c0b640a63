// The facilitator guide, to run the session from alone: the goals, the agenda with its buffer and
// each block's timing floor, run sheets with clock times (in the room and remote), the practice,
// a checklist, running the room (the deck's own guide files: materials, set-up, roles,
// adaptations, push-back…), the polls with their no-phone versions and what each is used for, the
// scenario key, every slide with its notes, and the text the deck is built on.
import { readFileSync } from 'node:fs'
import type { PollDefinition } from '../server/poll-definition.ts'
import type { SessionResults } from '../server/results.ts'
import { blocksOf, cueText, type DeckInfo, hourClock, lengthText, type SlideInfo, TALK } from './deck.ts'
import { formatDate, HATS_MARK } from './handout-html.ts'
import { escapeHtml as esc, notesToHtml } from './markdown.ts'
import { type Paper, pageCss, stylesheet } from './render.ts'
import { shownCards } from './results-cards.ts'
import { deckResults } from './results-html.ts'
import type { KeyEntry } from './scenario-key.ts'
import { ROOM_SIZE, STEP_FLOOR, STEPS, type Step, stepsOf } from './timing-floor.ts'

export interface GuideInput {
  deck: DeckInfo
  format: string
  polls: PollDefinition[]
  paper: Paper
  slideRatio?: number
  /** "What you'll leave with", from the goals slide. */
  goals: string[]
  key: KeyEntry[]
  /** When the session starts, in minutes after midnight, for the run sheets' clock times. */
  start: number
  /** How to run the room: Markdown with `##` sections (the deck's `guide:` files by default). */
  running?: string[]
  /** A session's results (`--session`): what the room said, and the questions left for the follow-up. */
  results?: SessionResults
}

const KIND_NAMES: Record<string, string> = {
  single: 'single choice',
  multiple: 'multiple choice',
  quiz: 'quiz',
  scale: 'scale',
  words: 'word cloud',
  reactions: 'reactions',
  steps: 'action steps',
  text: 'open answers',
  ranking: 'ranking',
  matrix: '2×2',
}

/** 2.5 → "2.5 min"; 3 → "3 min". */
const minutes = (seconds: number) => `${Math.round((seconds / 60) * 10) / 10} min`

/** "9:05" for minutes after midnight. */
const clockTime = (minutesOfDay: number) => hourClock(minutesOfDay % (24 * 60))

function agenda(deck: DeckInfo, start: number): string {
  if (!deck.agenda.length) return ''
  const total = deck.agenda.reduce((sum, row) => sum + row.minutes, 0)
  const floors = new Map(blocksOf(deck).map((block) => [block.row, block.floorSeconds]))
  const rows = deck.agenda
    .map((row) =>
      row.buffer
        ? `<tr class="buffer"><td class="start">${clockTime(start + row.start)}</td><td><span class="hat-dot buffer"></span>${esc(row.title)}: slack for overruns</td><td class="min"></td><td class="min">${row.minutes} min</td></tr>`
        : `<tr class="hat-${row.hat}"><td class="start">${clockTime(start + row.start)}</td><td><span class="hat-dot ${row.hat}"></span>${esc(row.title)}</td><td class="min floor">${minutes(floors.get(row) ?? 0)}</td><td class="min">${row.minutes} min</td></tr>`,
    )
    .join('')
  const warning =
    deck.minutes !== undefined && deck.minutes !== total
      ? `<p class="warning">The agenda adds up to ${total} min, but the deck is planned for ${deck.minutes} min.</p>`
      : ''
  return `<section class="block">
    <h2 class="section-title">Agenda</h2>
    <table class="agenda">
      <thead><tr><th>Starts</th><th>Section</th><th class="min">Floor</th><th class="min">Length</th></tr></thead>
      <tbody>${rows}</tbody>
      <tfoot><tr><td></td><td>Total</td><td></td><td class="min">${total} min</td></tr></tfoot>
    </table>${warning}
    <p class="muted">Clock times for a start at ${clockTime(start)} (<code>--start</code> sets another). Floor: the least a room of ${ROOM_SIZE} needs for the block’s slides, by the kit’s timing floor (below). Every slide is planned at or above its floor; the difference is where a block can give when you run late.</p>
  </section>`
}

/** The kit's timing floor, as a table: what each kind of step needs at least. */
function floorTable(): string {
  const rows = STEPS.map(
    (step) =>
      `<tr><td>${esc(STEP_FLOOR[step].what)}</td><td class="min">${lengthText(STEP_FLOOR[step].seconds)}</td></tr>`,
  ).join('')
  return `<section class="block">
    <h2 class="section-title">The timing floor, for a room of ${ROOM_SIZE}</h2>
    <p class="muted">The kit’s own rule (handouts/timing-floor.ts), the same for every deck: a slide’s floor is the sum of its steps plus its working minutes, and at least the first row. Larger rooms need more (see the adaptations).</p>
    <table class="agenda floor-table">
      <thead><tr><th>Kind of step</th><th class="min">At least</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>
  </section>`
}

/** What a co-facilitator or producer does during each kind of step. */
const PRODUCER: Partial<Record<Step, string>> = {
  join: 'walks the room, helps phones join',
  poll: 'watches the count; calls the show of hands if it stalls',
  round: 'watches the countdown; +30 s if phones lag',
  placing: 'helps anyone stuck placing on the phone',
  wall: 'hides lines that name a person',
  questions: 'moderates; reads out chat questions',
  pairs: 'pairs up people left alone',
  trios: 'fills trios; a table of five makes a trio and a pair',
  tables: 'hands out cards; seats latecomers',
  report: 'brings the microphone to the next table',
}

function runSheet(deck: DeckInfo, start: number): string {
  const rows = blocksOf(deck)
    .map((block, i) => {
      const head = `<tr class="run-block"><td class="start">${clockTime(start + block.row.start)}</td><td colspan="4">Block ${i + 1} · ${esc(block.row.title)} · ${block.row.minutes} min</td></tr>`
      const slides = block.slides.map((slide) => {
        const steps = stepsOf(slide.floor)
        const counts = new Map<Step, number>()
        for (const step of steps) if (step !== 'brief') counts.set(step, (counts.get(step) ?? 0) + 1)
        const what = [
          ...[...counts].map(([step, n]) => `${n > 1 ? `${n} × ` : ''}${STEP_FLOOR[step].name}`),
          ...(slide.floor.minutes ? [`${slide.floor.minutes} min of work`] : []),
        ]
        const producer = [...new Set(steps.flatMap((step) => PRODUCER[step] ?? []))].join('; ')
        const row = `<tr><td class="start">${clockTime(start + slide.startsAt / 60)}</td><td class="num-cell">${slide.number}</td><td>${esc(slide.title)}${what.length ? `<span class="fallback">${esc(what.join(' · '))}</span>` : ''}</td><td>${esc(producer)}</td><td class="min">${lengthText(slide.timing.seconds ?? 0)}</td></tr>`
        const check = deck.checkpoints.find((point) => point.slide === slide.number)
        return check
          ? `${row}<tr class="checkpoint"><td></td><td class="num-cell">⚑</td><td colspan="3"><strong>Checkpoint: not on slide ${slide.number} by ${clockTime(start + check.by)}?</strong> ${esc(check.cut)}</td></tr>`
          : row
      })
      return head + slides.join('')
    })
    .join('')
  const buffer = deck.agenda.filter((row) => row.buffer).reduce((sum, row) => sum + row.minutes, 0)
  const planned = blocksOf(deck).reduce((sum, block) => sum + block.row.minutes, 0)
  return `<section class="block splittable">
    <h2 class="section-title">Run sheet, in the room</h2>
    <p class="muted">Clock times for a start at ${clockTime(start)} (<code>--start</code> sets another). The content ends at ${clockTime(start + planned)}; with the ${buffer}-minute buffer the session ends at ${clockTime(start + planned + buffer)}.${deck.checkpoints.length ? ' At each ⚑ checkpoint, look at the clock: if you are later than it says, take the cut it names.' : ''}</p>
    <table class="agenda run-sheet">
      <thead><tr><th>Clock</th><th>Slide</th><th>What happens</th><th>Co-facilitator / producer</th><th class="min">Length</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>
  </section>`
}

function remoteRunSheet(deck: DeckInfo, start: number): string {
  const rows = deck.agenda.filter((row) => row.remote)
  if (!rows.length) return ''
  let clock = start
  const body = rows
    .map((row) => {
      const at = clock
      const length = row.remote?.minutes ?? row.minutes
      clock += length
      return `<tr${row.buffer ? ' class="buffer"' : ''}><td class="start">${clockTime(at)}</td><td>${esc(row.title)}${row.remote?.how ? `<span class="fallback">${esc(row.remote.how)}</span>` : ''}</td><td class="min">${row.minutes} min</td><td class="min">${length} min</td></tr>`
    })
    .join('')
  const inRoom = deck.agenda.reduce((sum, row) => sum + row.minutes, 0)
  return `<section class="block splittable">
    <h2 class="section-title">Run sheet, remote</h2>
    <p class="muted">The same slides online: breakout rooms, the chat and moving in and out of rooms take longer, so the remote agenda runs ${clock - start} minutes instead of ${inRoom}, from ${clockTime(start)} to ${clockTime(clock)}. Run it with a producer (below).</p>
    <table class="agenda remote">
      <thead><tr><th>Clock</th><th>Block, and what changes online</th><th class="min">In the room</th><th class="min">Remote</th></tr></thead>
      <tbody>${body}</tbody>
    </table>
  </section>`
}

function pollsTable(deck: DeckInfo, polls: PollDefinition[]): string {
  const byId = new Map(polls.map((poll) => [poll.id, poll]))
  const rows = deck.slides
    .filter((slide) => slide.pollId)
    .map((slide) => {
      const poll = byId.get(slide.pollId ?? '')
      const fallback = cueText(slide.notes, 'Without phones')
      const used = cueText(slide.notes, 'Used later')
      return `<tr><td class="num-cell">${slide.number}</td><td><code>${esc(slide.pollId)}</code></td><td>${esc(KIND_NAMES[poll?.kind ?? ''] ?? poll?.kind ?? '')}${poll?.timer ? `<span class="fallback">timed, ${poll.timer} s</span>` : ''}</td><td>${esc(poll?.question ?? slide.title)}${used ? `<span class="fallback">Used later: ${esc(used)}</span>` : ''}${fallback ? `<span class="fallback">Without phones: ${esc(fallback)}</span>` : ''}</td></tr>`
    })
  if (!rows.length) return ''
  return `<section class="block splittable">
    <h2 class="section-title">Live polls in this deck</h2>
    <table class="polls">
      <thead><tr><th>Slide</th><th>Poll</th><th>Kind</th><th>Question, what it is used for, and without phones</th></tr></thead>
      <tbody>${rows.join('')}</tbody>
    </table>
  </section>`
}

function checklist(deck: DeckInfo, polls: Map<string, PollDefinition>): string {
  const tables = deck.slides.some((slide) => slide.activity === 'tables')
  const words = deck.slides.some((slide) => polls.get(slide.pollId ?? '')?.kind === 'words')
  const source = deck.source
    ? `<strong>The text this session is built on</strong>, “${esc(deck.source.title)}”: the kit carries its title and text only. Confirm where it comes from (its author or publisher, and its address) and your right to reprint it, so you can name it when people ask. Until you have, do not print or hand out its full text: the end of this guide carries it for your own preparation. The slides and the handout quote it in short, labelled passages.`
    : ''
  const steps = [
    'A week before: start this group’s session, open the pre-work and send its link with the invitation (below).',
    ...(source ? [source] : []),
    'Run <code>npm start</code> on your laptop and open the <strong>presenter link</strong> it prints, on your laptop: it works once and signs that browser in (<code>npm run presenter -- link</code> prints another for a second device).',
    'Join from your own phone with the QR code on slide 2, and vote once on a test poll. On venue Wi-Fi, check that phones can reach the laptop (no client isolation).',
    'Start a <strong>new session</strong> for this group (join slide, presenter mode, <em>New session…</em>; <em>Rename…</em> names it), so their results stay apart; if you started it a week before for the pre-work, keep that one, so their pre-work and today’s answers stay together. The decks compare no group with earlier ones; to compare the groups of one client, see “Earlier groups” below.',
    `Print the participant handout, one per person, and bring pens${tables ? '; print the <strong>scenario cards</strong> (one sheet per table, and one own-moment card per person) and cut them' : ''}. Seat people${tables ? ' at tables: for 30, five tables of six' : ' so they can pair up'}.`,
    '<strong>Privacy, to say out loud:</strong> votes are anonymous (a random id kept on the phone). Action steps typed on phones are private: the slide shows only how many people saved some, and exports and handouts leave the text out; it stays in the kit’s data file on this laptop so each phone can get its own steps back under <em>My takeaway</em>.',
    `In presenter view: <kbd>Alt</kbd>+<kbd>O</kbd>, <kbd>C</kbd>, <kbd>R</kbd> open, close and reveal the slide’s poll; <em>Follow slides</em> (<kbd>Alt</kbd>+<kbd>F</kbd>) opens each poll as its slide comes up.${words ? ' Clicking a word in the word cloud hides it for good.' : ''} The timers start from presenter view only.`,
    '<strong>Questions from the room</strong> are open all session (the phone page’s <em>Ask a question</em>). Decide before you start whether new questions wait for your approval (<em>Approve first</em>, under the questions slide in presenter view): on for a large or open room or a sensitive topic, off for a small group. Hide, pin and mark answered from the same place; the room sees how many are hidden or waiting, never their text.',
    'Timed polls close by themselves at zero. Under the slide in presenter view: <em>+30 s</em>, <em>Pause</em>, and <em>Turn timer off</em> for anyone who needs more time.',
    'Keep this guide beside you, printed: each slide below has its planned length, the clock time it should start at, and what to say, ask and do.',
  ]
  return `<section class="block">
    <h2 class="section-title">Before you start</h2>
    <ul class="checklist">${steps.map((step) => `<li><span class="tick"></span><span>${step}</span></li>`).join('')}</ul>
  </section>`
}

function goalsBlock(goals: string[]): string {
  if (!goals.length) return ''
  return `<section class="block">
    <h2 class="section-title">What participants leave with</h2>
    <ol class="goals">${goals.map((goal) => `<li>${esc(goal)}</li>`).join('')}</ol>
  </section>`
}

const ACTIVITY_NAMES = { pairs: 'Pairs', trios: 'Trios', tables: 'Tables', alone: 'Alone' } as const

function practice(deck: DeckInfo): string {
  const rows = deck.slides
    .filter((slide) => slide.activity && TALK.includes(slide.activity))
    .map((slide) => {
      const who = ACTIVITY_NAMES[slide.activity ?? 'pairs']
      const time = slide.timing.seconds !== undefined ? lengthText(slide.timing.seconds) : ''
      return `<tr><td class="num-cell">${slide.number}</td><td>${who}</td><td>${esc(slide.title)}</td><td class="min">${time}</td></tr>`
    })
  if (!rows.length) return ''
  return `<section class="block">
    <h2 class="section-title">People talking to each other</h2>
    <table class="polls practice">
      <thead><tr><th>Slide</th><th>Who</th><th>Activity (its debrief is in the notes)</th><th class="min">Length</th></tr></thead>
      <tbody>${rows.join('')}</tbody>
    </table>
  </section>`
}

/** The `##` sections of a guide file (its title and its note to authors are left out). */
function runningTheRoom(markdown: string): string {
  return markdown
    .split(/^## /m)
    .slice(1)
    .map((part) => {
      const [title = '', ...body] = part.split('\n')
      return `<section class="block room">
    <h2 class="section-title">${esc(title.trim())}</h2>
    <div class="notes">${notesToHtml(body.join('\n'))}</div>
  </section>`
    })
    .join('\n')
}

function keyBlock(key: KeyEntry[]): string {
  if (!key.length) return ''
  const entries = key
    .map(
      (entry) =>
        `<div class="key-entry"><h3>${esc(entry.label)}</h3><p class="key-moment">${esc(entry.moment)}</p><p>${esc(entry.suggestion)}</p></div>`,
    )
    .join('')
  return `<section class="block scenario-key">
    <h2 class="section-title">Scenario key: suggested readings</h2>
    <p class="muted">For you, during the debriefs. Each is one reasonable reading with the other hat’s case, not the article’s answer: the article has no such scenarios. The participant handout has no key; the follow-up message shares it after the session.</p>
    ${entries}
  </section>`
}

/** The questions the room wanted answered and did not get an answer to: for the follow-up message. */
function openQuestions(results: SessionResults): string {
  const open = shownCards(results.questions).filter((card) => !card.answered)
  if (!open.length) return ''
  const rows = open.map(
    (card) =>
      `<tr><td class="card-text">${esc(card.text)}</td><td class="count"><strong>${card.upvotes}</strong></td></tr>`,
  )
  return `<section class="block splittable follow-up-questions">
    <h3>Questions to answer in the follow-up message</h3>
    <table class="card-list">
      <thead><tr><th scope="col">Shown to the room, not marked answered</th><th scope="col" class="count">Upvotes</th></tr></thead>
      <tbody>${rows.join('')}</tbody>
    </table>
  </section>`
}

/** After a session (`--session`): the room's results, as in the handout, for the debrief and the follow-up. */
function roomSaid(deck: DeckInfo, results: SessionResults, polls: PollDefinition[]): string {
  const { cards, answered, polls: count } = deckResults(deck, results, polls)
  const started = formatDate(new Date(results.session.startedAt))
  return `<h2 class="section-title keep-with-next room-said">What the room said</h2>
  <p class="muted keep-with-next">Session “${esc(results.session.name)}”, ${esc(started)}: ${answered} of ${count} polls answered. Hidden questions and answers, and everyone’s action steps, are never printed.</p>
  ${openQuestions(results)}
  ${cards.join('\n')}`
}

function blockHead(block: ReturnType<typeof blocksOf>[number], index: number, start: number): string {
  const end = block.row.start + block.row.minutes
  return `<h3 class="block-head keep-with-next">Block ${index + 1} · ${esc(block.row.title)} <span>${block.row.minutes} min · ${clockTime(start + block.row.start)}–${clockTime(start + end)}</span></h3>`
}

function card(slide: SlideInfo, polls: Map<string, PollDefinition>, start: number): string {
  const { timing } = slide
  const time = timing.seconds !== undefined ? lengthText(timing.seconds) : 'no time set'
  // The clock time, and how far into the session: "9:09 · 0:09 in".
  const meta: string[] = [`${clockTime(start + slide.startsAt / 60)} · ${hourClock(slide.startsAt / 60)} in`]
  if (timing.remark) meta.push(esc(timing.remark))
  if (slide.pollId) {
    const poll = polls.get(slide.pollId)
    meta.push(
      `live poll <code>${esc(slide.pollId)}</code>${poll ? ` (${esc(KIND_NAMES[poll.kind] ?? poll.kind)})` : ''}`,
    )
  }
  const notes = slide.notes.trim()
    ? notesToHtml(slide.notes)
    : '<p class="muted">No notes for this slide: keep it short and move on.</p>'
  const section = slide.layout === 'section' || slide.layout === 'cover' ? ' is-section' : ''
  // The join slide shows whatever address the slides were exported with: not one to print.
  const thumb = slide.floor.join
    ? '<div class="thumb stand-in"><span>Join code</span><small>The QR code and the address phones open appear here when you present.</small></div>'
    : `<div class="thumb" data-slot="${slide.number}"></div>`
  return `<article class="card${section}">
    <div class="card-thumb">${thumb}</div>
    <div class="card-main">
      <header class="card-head"><span class="num">${slide.number}</span><h3>${esc(slide.title)}</h3><span class="time${timing.seconds === undefined ? ' none' : ''}">${esc(time)}</span></header>
      <p class="card-meta">${meta.join(' · ')}</p>
      <div class="notes">${notes}</div>
    </div>
  </article>`
}

/**
 * A heading of the text: a numbered section ("2. What Leadership…"), or a short line in title
 * case ("Final Thoughts:"), where every word of four letters or more starts with a capital.
 */
function isHeading(line: string): boolean {
  if (/^\d+\.\s/.test(line)) return true
  if (line.length > 90 || /[.!?]$/.test(line)) return false
  const words = line
    .replace(/[:]$/, '')
    .split(/\s+/)
    .filter((word) => /^\p{L}{4,}/u.test(word))
  return words.length > 0 && words.every((word) => /^\p{Lu}/u.test(word))
}

const cellsOf = (line: string) =>
  line
    .replace(/^\||\|\s*$/g, '')
    .split('|')
    .map((cell) => cell.trim())

/**
 * The text the deck is built on, as its file writes it: headings, paragraphs, "- " lists and a
 * "|" table, each a block of its own (the title, on the first line, is printed once above).
 */
export function sourceBlocks(text: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(1)
  const blocks: string[] = []
  for (let i = 0; i < lines.length; ) {
    const line = lines[i] as string
    if (line.startsWith('- ')) {
      const items: string[] = []
      for (; lines[i]?.startsWith('- '); i++) items.push(`<li>${esc((lines[i] as string).slice(2))}</li>`)
      blocks.push(`<ul class="source-list">${items.join('')}</ul>`)
    } else if (line.includes('|')) {
      const rows: string[][] = []
      for (; lines[i]?.includes('|'); i++) {
        if (!/^[\s|:-]+$/.test(lines[i] as string)) rows.push(cellsOf(lines[i] as string))
      }
      const [head = [], ...body] = rows
      blocks.push(
        `<table class="source-table"><thead><tr>${head.map((cell) => `<th scope="col">${esc(cell)}</th>`).join('')}</tr></thead><tbody>${body
          .map(
            (row) =>
              `<tr>${row.map((cell, c) => (c ? `<td>${esc(cell)}</td>` : `<th scope="row">${esc(cell)}</th>`)).join('')}</tr>`,
          )
          .join('')}</tbody></table>`,
      )
    } else {
      blocks.push(isHeading(line) ? `<h3 class="source-heading">${esc(line)}</h3>` : `<p>${esc(line)}</p>`)
      i++
    }
  }
  return blocks
}

/** The text the deck is built on, in full, for the facilitator's preparation, with where it comes from. */
function sourceText(deck: DeckInfo): string {
  if (!deck.source) return ''
  const blocks = sourceBlocks(readFileSync(deck.source.file, 'utf8'))
  return `<h2 class="section-title keep-with-next source-title">The article, in full: for your preparation</h2>
  <p class="muted keep-with-next source-note">${esc(deck.source.note ?? '')} This copy is for your own preparation, not for handing out. Quoted on the slides word for word where a slide says “the article”; every scenario, model and exercise of the session is the kit’s own and is labelled so.</p>
  <h3 class="keep-with-next source-article-title">${esc(deck.source.title)}</h3>
  ${blocks.map((block) => `<div class="source-block">${block}</div>`).join('\n')}`
}

export function guideHtml(input: GuideInput): string {
  const { deck } = input
  const polls = new Map(input.polls.map((poll) => [poll.id, poll]))
  const slideSeconds = deck.slides.reduce((sum, slide) => sum + (slide.timing.seconds ?? 0), 0)
  const pollCount = deck.slides.filter((slide) => slide.pollId).length
  const floor = deck.slides.reduce((sum, slide) => sum + slide.floorSeconds, 0)
  const facts = [
    ['Format', input.format],
    ['Slides', String(deck.slides.length)],
    ['Live polls', String(pollCount)],
    ['Planned · floor', `${lengthText(slideSeconds)} · ${lengthText(floor)}`],
  ]
  const heads = new Map(blocksOf(deck).map((block, i) => [block.slides[0]?.number, blockHead(block, i, input.start)]))
  const cards = deck.slides.map((slide) => (heads.get(slide.number) ?? '') + card(slide, polls, input.start)).join('\n')
  const running = input.running ?? deck.guide.map((file) => readFileSync(file, 'utf8'))
  const body = `<div class="flow guide-flow" data-title="${esc(deck.title)} · facilitator guide">
  <div class="flow-intro">
    <div class="guide-title">${HATS_MARK}<div><p class="kicker">Facilitator guide</p><h1>${esc(deck.title)}</h1></div></div>
    <dl class="facts">${facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>
  </div>
  ${goalsBlock(input.goals)}
  ${agenda(deck, input.start)}
  ${runSheet(deck, input.start)}
  ${remoteRunSheet(deck, input.start)}
  ${practice(deck)}
  ${checklist(deck, polls)}
  ${running.map(runningTheRoom).join('\n')}
  ${pollsTable(deck, input.polls)}
  ${floorTable()}
  ${keyBlock(input.key)}
  <h2 class="section-title keep-with-next slide-by-slide">Slide by slide</h2>
  ${cards}
  ${input.results ? roomSaid(deck, input.results, input.polls) : ''}
  ${sourceText(deck)}
</div>`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(deck.title)} · Facilitator guide</title>
<style>${pageCss(input.paper, { slideRatio: input.slideRatio })}
${stylesheet('guide')}</style></head>
<body class="guide">${body}</body></html>`
}
