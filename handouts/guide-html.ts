// The facilitator guide: the goals, the agenda with its buffer, the practice, a checklist, how to
// run the room (pre-work, remote, push-back: facilitation.md), the polls with their no-phone
// versions, the scenario key, then every slide, block by block, with its thumbnail, its planned
// time and its notes (rendered from the notes' Markdown).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PollDefinition } from '../server/poll-definition.ts'
import type { SessionResults } from '../server/results.ts'
import { blocksOf, cueText, type DeckInfo, hourClock, lengthText, minuteClock, type SlideInfo } from './deck.ts'
import { formatDate, HATS_MARK } from './handout-html.ts'
import { escapeHtml as esc, notesToHtml } from './markdown.ts'
import { type Paper, pageCss, stylesheet } from './render.ts'
import { shownCards } from './results-cards.ts'
import { deckResults } from './results-html.ts'
import type { KeyEntry } from './scenario-key.ts'

export const FACILITATION = join(import.meta.dirname, 'facilitation.md')

export interface GuideInput {
  deck: DeckInfo
  format: string
  polls: PollDefinition[]
  paper: Paper
  slideRatio?: number
  /** "What you'll leave with", from the goals slide. */
  goals: string[]
  key: KeyEntry[]
  /** How to run the room, as Markdown with `##` sections (facilitation.md by default). */
  facilitation?: string
  /** A session's results (`--session`): what the room said, and the questions left for the follow-up. */
  results?: SessionResults
}

const HAT_NAMES = { lead: 'Leader hat', manage: 'Manager hat', both: 'Both hats' } as const

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

function agenda(deck: DeckInfo): string {
  if (!deck.agenda.length) return ''
  const total = deck.agenda.reduce((sum, row) => sum + row.minutes, 0)
  const rows = deck.agenda
    .map((row) =>
      row.buffer
        ? `<tr class="buffer"><td class="start">${hourClock(row.start)}</td><td><span class="hat-dot buffer"></span>${esc(row.title)}</td><td class="hat">Slack for overruns</td><td class="min">${row.minutes} min</td></tr>`
        : `<tr class="hat-${row.hat}"><td class="start">${hourClock(row.start)}</td><td><span class="hat-dot ${row.hat}"></span>${esc(row.title)}</td><td class="hat">${HAT_NAMES[row.hat]}</td><td class="min">${row.minutes} min</td></tr>`,
    )
    .join('')
  const warning =
    deck.minutes !== undefined && deck.minutes !== total
      ? `<p class="warning">The agenda adds up to ${total} min, but the deck is planned for ${deck.minutes} min.</p>`
      : ''
  return `<section class="block">
    <h2 class="section-title">Agenda</h2>
    <table class="agenda">
      <thead><tr><th>Starts</th><th>Section</th><th>Mostly</th><th class="min">Length</th></tr></thead>
      <tbody>${rows}</tbody>
      <tfoot><tr><td></td><td>Total</td><td></td><td class="min">${total} min</td></tr></tfoot>
    </table>${warning}
  </section>`
}

function pollsTable(deck: DeckInfo, polls: PollDefinition[]): string {
  const byId = new Map(polls.map((poll) => [poll.id, poll]))
  const rows = deck.slides
    .filter((slide) => slide.pollId)
    .map((slide) => {
      const poll = byId.get(slide.pollId ?? '')
      const fallback = cueText(slide.notes, 'Without phones')
      return `<tr><td class="num-cell">${slide.number}</td><td><code>${esc(slide.pollId)}</code></td><td>${esc(KIND_NAMES[poll?.kind ?? ''] ?? poll?.kind ?? '')}${poll?.timer ? `<span class="fallback">timed, ${poll.timer} s</span>` : ''}</td><td>${esc(poll?.question ?? slide.title)}${fallback ? `<span class="fallback">Without phones: ${esc(fallback)}</span>` : ''}</td></tr>`
    })
  if (!rows.length) return ''
  return `<section class="block splittable">
    <h2 class="section-title">Live polls in this deck</h2>
    <table class="polls">
      <thead><tr><th>Slide</th><th>Poll</th><th>Kind</th><th>Question, and without phones</th></tr></thead>
      <tbody>${rows.join('')}</tbody>
    </table>
  </section>`
}

function checklist(deck: DeckInfo): string {
  const tables = deck.slides.some((slide) => slide.activity === 'tables')
  const steps = [
    'A week before: send the pre-work (below) with the invitation.',
    'Run <code>npm start</code> on your laptop and open the <strong>presenter link</strong> it prints (on your laptop only: it carries the presenter secret).',
    'Join from your own phone with the QR code on slide 2, and vote once on a test poll. On venue Wi-Fi, check that phones can reach the laptop (no client isolation).',
    'Start a <strong>new session</strong> for this group (join slide, presenter mode, <em>New session…</em>; <em>Rename…</em> names it), so their results stay apart from earlier groups and the earlier-groups slide can compare them.',
    `Print the participant handout, one per person, and bring pens${tables ? '; print the <strong>scenario cards</strong>, one sheet per table, and cut them' : ''}. Seat people${tables ? ' at tables of four to six' : ' so they can pair up'}.`,
    '<strong>Privacy, to say out loud:</strong> votes are anonymous (a random id kept on the phone). Action steps typed on phones are private: the slide shows only how many people saved some, and exports and handouts leave the text out; it stays in the kit’s data file on this laptop so each phone can get its own steps back under <em>My takeaway</em>.',
    'In presenter view: <kbd>Alt</kbd>+<kbd>O</kbd>, <kbd>C</kbd>, <kbd>R</kbd> open, close and reveal the slide’s poll; <em>Follow slides</em> (<kbd>Alt</kbd>+<kbd>F</kbd>) opens each poll as its slide comes up. Clicking a word in the word cloud hides it for good. The timers start from presenter view only.',
    '<strong>Questions from the room</strong> are open all session (the phone page’s <em>Ask a question</em>). Decide before you start whether new questions wait for your approval (<em>Approve first</em>, under the questions slide in presenter view): on for a large or open room or a sensitive topic, off for a small group. Hide, pin and mark answered from the same place; the room sees how many are hidden or waiting, never their text.',
    'Timed polls close by themselves at zero. Under the slide in presenter view: <em>+30 s</em>, <em>Pause</em>, and <em>Turn timer off</em> for anyone who needs more time.',
    'Keep this guide beside you, printed: each slide below has its planned length, the minute it should start at, and what to say, ask and do.',
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

const ACTIVITY_NAMES = { pairs: 'Pairs', tables: 'Tables' } as const

function practice(deck: DeckInfo): string {
  const rows = deck.slides
    .filter((slide) => slide.activity)
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

/** The `##` sections of facilitation.md (the title and its note to authors are left out). */
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

function blockHead(block: ReturnType<typeof blocksOf>[number], index: number): string {
  const end = block.row.start + block.row.minutes
  return `<h3 class="block-head keep-with-next">Block ${index + 1} · ${esc(block.row.title)} <span>${block.row.minutes} min · ${hourClock(block.row.start)}–${hourClock(end)}</span></h3>`
}

function card(slide: SlideInfo, polls: Map<string, PollDefinition>): string {
  const { timing } = slide
  const time = timing.seconds !== undefined ? lengthText(timing.seconds) : 'no time set'
  const meta: string[] = [`starts at minute ${minuteClock(slide.startsAt)}`]
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
  return `<article class="card${section}">
    <div class="card-thumb"><div class="thumb" data-slot="${slide.number}"></div></div>
    <div class="card-main">
      <header class="card-head"><span class="num">${slide.number}</span><h3>${esc(slide.title)}</h3><span class="time${timing.seconds === undefined ? ' none' : ''}">${esc(time)}</span></header>
      <p class="card-meta">${meta.join(' · ')}</p>
      <div class="notes">${notes}</div>
    </div>
  </article>`
}

export function guideHtml(input: GuideInput): string {
  const { deck } = input
  const polls = new Map(input.polls.map((poll) => [poll.id, poll]))
  const slideSeconds = deck.slides.reduce((sum, slide) => sum + (slide.timing.seconds ?? 0), 0)
  const pollCount = deck.slides.filter((slide) => slide.pollId).length
  const facts = [
    ['Format', input.format],
    ['Slides', String(deck.slides.length)],
    ['Live polls', String(pollCount)],
    ['Slide timings add up to', lengthText(slideSeconds)],
  ]
  const heads = new Map(blocksOf(deck).map((block, i) => [block.slides[0]?.number, blockHead(block, i)]))
  const cards = deck.slides.map((slide) => (heads.get(slide.number) ?? '') + card(slide, polls)).join('\n')
  const facilitation = input.facilitation ?? readFileSync(FACILITATION, 'utf8')
  const body = `<div class="flow guide-flow" data-title="${esc(deck.title)} · facilitator guide">
  <div class="flow-intro">
    <div class="guide-title">${HATS_MARK}<div><p class="kicker">Facilitator guide</p><h1>${esc(deck.title)}</h1></div></div>
    <dl class="facts">${facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>
  </div>
  ${goalsBlock(input.goals)}
  ${agenda(deck)}
  ${practice(deck)}
  ${checklist(deck)}
  ${runningTheRoom(facilitation)}
  ${pollsTable(deck, input.polls)}
  ${keyBlock(input.key)}
  <h2 class="section-title keep-with-next slide-by-slide">Slide by slide</h2>
  ${cards}
  ${input.results ? roomSaid(deck, input.results, input.polls) : ''}
</div>`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(deck.title)} · Facilitator guide</title>
<style>${pageCss(input.paper, { slideRatio: input.slideRatio })}
${stylesheet('guide')}</style></head>
<body class="guide">${body}</body></html>`
}
