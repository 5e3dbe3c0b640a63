// The facilitator guide: the agenda with timings, a short checklist, the polls, then every slide
// with its thumbnail, its planned time and its notes (rendered from the notes' Markdown).
import type { PollDefinition } from '../server/poll-definition.ts'
import { type DeckInfo, hourClock, lengthText, minuteClock, type SlideInfo } from './deck.ts'
import { HATS_MARK } from './handout-html.ts'
import { escapeHtml as esc, notesToHtml } from './markdown.ts'
import { type Paper, pageCss, stylesheet } from './render.ts'

export interface GuideInput {
  deck: DeckInfo
  format: string
  polls: PollDefinition[]
  paper: Paper
  slideRatio?: number
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
}

function agenda(deck: DeckInfo): string {
  if (!deck.agenda.length) return ''
  const total = deck.agenda.reduce((sum, row) => sum + row.minutes, 0)
  const rows = deck.agenda
    .map(
      (row) =>
        `<tr class="hat-${row.hat}"><td class="start">${hourClock(row.start)}</td><td><span class="hat-dot ${row.hat}"></span>${esc(row.title)}</td><td class="hat">${HAT_NAMES[row.hat]}</td><td class="min">${row.minutes} min</td></tr>`,
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
      return `<tr><td class="num-cell">${slide.number}</td><td><code>${esc(slide.pollId)}</code></td><td>${esc(KIND_NAMES[poll?.kind ?? ''] ?? poll?.kind ?? '')}</td><td>${esc(poll?.question ?? slide.title)}</td></tr>`
    })
  if (!rows.length) return ''
  return `<section class="block splittable">
    <h2 class="section-title">Live polls in this deck</h2>
    <table class="polls">
      <thead><tr><th>Slide</th><th>Poll</th><th>Kind</th><th>Question</th></tr></thead>
      <tbody>${rows.join('')}</tbody>
    </table>
  </section>`
}

function checklist(deck: DeckInfo): string {
  const steps = [
    'Run <code>npm start</code> on your laptop and open the <strong>presenter link</strong> it prints (on your laptop only: it carries the presenter secret).',
    'Join from your own phone with the QR code on slide 2, and vote once on a test poll. On venue Wi-Fi, check that phones can reach the laptop (no client isolation).',
    'Start a <strong>new session</strong> for this group (join slide, presenter mode, <em>New session…</em>), so their results stay apart from earlier groups.',
    `Print the participant handout, one per person, and bring pens: the reflection needs paper${deck.slides.some((s) => /focus/i.test(s.title + s.notes)) ? ' and ten quiet minutes' : ''}.`,
    'Keep this guide open beside you: each slide below has its planned length, the minute it should start at, and what to say, ask and do.',
  ]
  return `<section class="block">
    <h2 class="section-title">Before you start</h2>
    <ul class="checklist">${steps.map((step) => `<li><span class="tick"></span><span>${step}</span></li>`).join('')}</ul>
  </section>`
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
  const cards = deck.slides.map((slide) => card(slide, polls)).join('\n')
  const body = `<div class="flow guide-flow" data-title="${esc(deck.title)} · facilitator guide">
  <div class="flow-intro">
    <div class="guide-title">${HATS_MARK}<div><p class="kicker">Facilitator guide</p><h1>${esc(deck.title)}</h1></div></div>
    <dl class="facts">${facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>
  </div>
  ${agenda(deck)}
  ${checklist(deck)}
  ${pollsTable(deck, input.polls)}
  <h2 class="section-title keep-with-next slide-by-slide">Slide by slide</h2>
  ${cards}
</div>`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(deck.title)} · Facilitator guide</title>
<style>${pageCss(input.paper, { slideRatio: input.slideRatio })}
${stylesheet('guide')}</style></head>
<body class="guide">${body}</body></html>`
}
