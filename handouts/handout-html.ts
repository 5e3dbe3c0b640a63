// The participant handout, as HTML pages ("sheets"): a cover, the slides three to a page with
// lines for notes, the breakdown table, a worksheet and, for a session, what the room said.
import { HATS, svgMarkup } from '../components/drawings.ts'
import type { PollDefinition } from '../server/poll-definition.ts'
import type { SessionResults } from '../server/results.ts'
import type { BreakdownRow } from './breakdown.ts'
import type { DeckInfo, SlideInfo } from './deck.ts'
import { escapeHtml as esc } from './markdown.ts'
import { type Paper, pageCss, stylesheet } from './render.ts'
import { deckResults } from './results-html.ts'
import type { Moment } from './slide-content.ts'

export const SLIDES_PER_PAGE = 3

export interface HandoutInput {
  deck: DeckInfo
  /** e.g. "Workshop · 75 minutes". */
  format: string
  date: string
  session?: { name: string }
  breakdown: BreakdownRow[]
  /** The table activity's moments (from their slide), for the worksheet: never their readings. */
  moments: Moment[]
  /** The article's further reading, from the thank-you slide. */
  furtherReading: string[]
  results?: SessionResults
  polls: PollDefinition[]
  paper: Paper
  /** Width / height of the slides, from Slidev's PDF. */
  slideRatio?: number
}

function htmlDocument(input: HandoutInput, body: string, bleed: boolean): string {
  const { paper } = input
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.deck.title)} · Participant handout</title>
<style>${pageCss(paper, { bleed, slideRatio: input.slideRatio })}
${stylesheet('handout')}</style></head>
<body class="${paper.name === 'Letter' ? 'letter' : 'a4'}">${body}</body></html>`
}

/** The two hats, drawn as on the slides (components/drawings.ts): the leader's cap and the manager's hard hat. */
export const HATS_MARK = `<svg class="hats-mark" viewBox="0 0 120 100" aria-hidden="true"><g transform="translate(0 4) scale(.62)">${svgMarkup(HATS.lead)}</g><g transform="translate(45 34) scale(.62)">${svgMarkup(HATS.manage)}</g></svg>`

const lines = (count: number, className = 'rule') =>
  Array.from({ length: count }, () => `<div class="${className}"></div>`).join('')

export function pagesForSlides(count: number): number {
  return Math.max(1, Math.ceil(count / SLIDES_PER_PAGE))
}

/** Page numbers (as printed in the footer, the cover not counted) where each part starts. */
export function handoutContents(input: Pick<HandoutInput, 'deck' | 'results'>) {
  const slides = 1
  const breakdown = slides + pagesForSlides(input.deck.slides.length)
  const worksheet = breakdown + 1
  const results = input.results ? worksheet + 2 : undefined
  return { slides, breakdown, worksheet, results }
}

export function coverHtml(input: HandoutInput): string {
  const { deck } = input
  const contents = handoutContents(input)
  const entries = [
    ['The slides, with space for your notes', contents.slides],
    ['The breakdown: leadership and management side by side', contents.breakdown],
    ['Worksheet: your hats, your action steps, your 10 minutes', contents.worksheet],
    ...(contents.results ? [['What the room said: the live poll results', contents.results] as const] : []),
  ] as const
  const session = input.session
    ? `<dd>${esc(input.session.name)}</dd>`
    : '<dd class="fill-in"><span class="write-line"></span></dd>'
  const body = `<section class="sheet cover">
  <div class="cover-top">
    <div class="cover-brand">${HATS_MARK}<span>Participant handout</span></div>
    <p class="kicker">Know which hat you’re wearing</p>
    <h1>${esc(deck.title)}</h1>
    <p class="cover-sub">Where we go. How we get there. And when to switch.</p>
    <div class="cover-hats">
      <div class="cover-hat lead"><strong>Leader hat</strong><span>Vision &amp; influence: where we go, and why.</span></div>
      <div class="cover-hat manage"><strong>Manager hat</strong><span>Structure &amp; execution: how we get there.</span></div>
    </div>
  </div>
  <blockquote class="cover-quote">One is about where you want to go: <strong class="lead-text">leadership</strong>. The other is about how you will get there: <strong class="manage-text">management</strong>.</blockquote>
  <div class="cover-bottom">
    <dl class="cover-details">
      <div><dt>Date</dt><dd>${esc(input.date)}</dd></div>
      <div><dt>Session</dt>${session}</div>
      <div><dt>Format</dt><dd>${esc(input.format)}</dd></div>
      <div><dt>Your name</dt><dd class="fill-in"><span class="write-line"></span></dd></div>
    </dl>
    <div class="cover-contents">
      <h2>Inside</h2>
      <ol>${entries.map(([label, page]) => `<li><span>${esc(label)}</span><span class="dots"></span><span>${page}</span></li>`).join('')}</ol>
    </div>
    <p class="cover-source">Based on the article “Management vs Leadership: The Difference That Can Make or Break Your Success”.</p>
  </div>
</section>`
  return htmlDocument(input, body, true)
}

function slideRow(slide: SlideInfo | undefined): string {
  if (!slide) {
    return `<div class="thumb-row spare"><div class="lines-col wide"><div class="lines-label">More notes</div><div class="rules">${lines(7)}</div></div></div>`
  }
  return `<div class="thumb-row">
    <div class="thumb-col">
      <div class="thumb-cap"><span class="num">${slide.number}</span><span class="cap-title">${esc(slide.title)}</span></div>
      <div class="thumb" data-slot="${slide.number}"></div>
    </div>
    <div class="lines-col"><div class="lines-label">Notes</div><div class="rules">${lines(8)}</div></div>
  </div>`
}

function slidePages(deck: DeckInfo): string {
  const pages: string[] = []
  const total = deck.slides.length
  for (let first = 0; first < total; first += SLIDES_PER_PAGE) {
    const group = deck.slides.slice(first, first + SLIDES_PER_PAGE)
    const range = group.length > 1 ? `${group[0]?.number}–${group.at(-1)?.number}` : `${group[0]?.number}`
    const rows = Array.from({ length: SLIDES_PER_PAGE }, (_, i) => slideRow(group[i])).join('')
    pages.push(`<section class="sheet slides-sheet">
  <header class="running"><span>${esc(deck.title)} · the slides</span><span>Slides ${range} of ${total}</span></header>
  <div class="thumb-rows">${rows}</div>
</section>`)
  }
  return pages.join('\n')
}

function breakdownPage(rows: BreakdownRow[], furtherReading: string[]): string {
  const body = rows
    .map(
      (row) =>
        `<tr><th scope="row">${esc(row.area)}</th><td class="lead">${esc(row.leadership)}</td><td class="manage">${esc(row.management)}</td></tr>`,
    )
    .join('')
  return `<section class="sheet breakdown-sheet">
  <header class="running"><span>Side by side</span><span>From the article</span></header>
  <p class="kicker">Side by side</p>
  <h2 class="page-title">The breakdown</h2>
  <p class="lede">Leadership is about <strong class="lead-text">where</strong> we go. Management is about <strong class="manage-text">how</strong> we get there. Both matter; the skill is knowing which one the moment needs.</p>
  <table class="breakdown">
    <thead><tr><th scope="col">Area</th><th scope="col" class="lead">${HAT_ICON.lead} Leadership</th><th scope="col" class="manage">${HAT_ICON.manage} Management</th></tr></thead>
    <tbody>${body}</tbody>
  </table>
  <div class="when-grid">
    <div class="when lead"><h3>Put on the leader hat when you are…</h3><ul><li>setting direction</li><li>making bold moves</li><li>launching new ideas</li><li>guiding people through change</li></ul></div>
    <div class="when manage"><h3>Put on the manager hat when you are…</h3><ul><li>tracking deliverables</li><li>refining systems</li><li>optimizing processes</li><li>in execution mode</li></ul></div>
  </div>
  <h3 class="cost-title">When you don’t know which hat you’re wearing</h3>
  <div class="cost-grid">
    <div class="cost"><strong>Confusion</strong><span>“Wait… are we brainstorming or finalizing?”</span></div>
    <div class="cost"><strong>Misalignment</strong><span>Pushing strategy when the team needs structure.</span></div>
    <div class="cost"><strong>Burnout</strong><span>Trying to inspire while micromanaging.</span></div>
  </div>
  <div class="further-reading"><h3>Further reading, from the article</h3><ul>${furtherReading.map((title) => `<li>${esc(title)}</li>`).join('')}</ul></div>
  <p class="closing-quote">Dream boldly. Deliver consistently.</p>
</section>`
}

const HAT_ICON = {
  lead: '<svg class="hat-icon" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.4"/><path d="M10.6 5.4 9 9 5.4 10.6 7 7z" fill="currentColor"/></svg>',
  manage:
    '<svg class="hat-icon" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="2.3" fill="none" stroke="currentColor" stroke-width="1.4"/><path d="M8 1.5v2.2M8 12.3v2.2M1.5 8h2.2M12.3 8h2.2M3.4 3.4l1.6 1.6M11 11l1.6 1.6M3.4 12.6 5 11M11 5l1.6-1.6" stroke="currentColor" stroke-width="1.4" stroke-linecap="round"/></svg>',
}

function worksheetPages(moments: Moment[]): string {
  // The moments only: their suggested readings are for the debrief (the guide) and the
  // follow-up message, never for a handout that is often given out before the rounds.
  const checks = moments
    .map(
      (moment) =>
        `<tr><td class="n">${moment.number}</td><td><strong>${esc(moment.title)}.</strong> ${esc(moment.text)}</td><td class="box"><span></span></td><td class="box"><span></span></td></tr>`,
    )
    .join('')
  const own = [1, 2]
    .map(
      () =>
        `<tr class="own"><td class="n">✎</td><td><span class="write-line"></span></td><td class="box"><span></span></td><td class="box"><span></span></td></tr>`,
    )
    .join('')
  const prompts = [
    [
      'A moment this week that needs your <strong class="lead-text">leader hat</strong>',
      'Where are people looking for direction, meaning or courage?',
    ],
    [
      'A moment that needs your <strong class="manage-text">manager hat</strong>',
      'Where is something about to slip: an owner, a date, a system?',
    ],
    ['Your signal to switch: how will you notice?', 'A calendar block, a feeling, a question from the team…'],
  ]
  const promptHtml = prompts
    .map(
      ([title, hint], i) =>
        `<div class="prompt"><div class="prompt-head"><span class="num">${i + 1}</span><div><h3>${title}</h3><p class="hint">${esc(hint)}</p></div></div><div class="rules">${lines(2)}</div></div>`,
    )
    .join('')
  const plan = [
    ['0:00–2:00', 'Look back', 'Last week: when were you leading, when were you managing? Mark one moment of each.'],
    [
      '2:00–5:00',
      'Leader hat',
      'Pick one moment ahead that needs direction or reassurance. Write what you will say and why it matters.',
    ],
    [
      '5:00–8:00',
      'Manager hat',
      'Pick one moment that needs structure. Write the owner, the date and the first checkpoint.',
    ],
    [
      '8:00–10:00',
      'Commit',
      'Choose your switch signal, book the first step in your calendar, and say it to one person, with the date.',
    ],
  ]
  const planHtml = plan
    .map(
      ([time, step, text]) =>
        `<li><span class="plan-time">${esc(time)}</span><div><strong>${esc(step)}</strong><p>${esc(text)}</p></div></li>`,
    )
    .join('')
  const steps = [1, 2, 3]
    .map(
      (n) => `<div class="action">
      <div class="action-head"><span class="num">${n}</span><span class="action-title">Action step ${n}</span>
        <span class="hat-pick"><span class="tick"></span> Leader hat <span class="tick"></span> Manager hat</span></div>
      <div class="rules">${lines(2)}</div>
      <div class="action-meta"><span>By when: <span class="write-line short"></span></span><span>First sign it worked: <span class="write-line"></span></span></div>
    </div>`,
    )
    .join('')
  return `<section class="sheet worksheet-sheet">
  <header class="running"><span>Worksheet</span><span>1 of 2</span></header>
  <p class="kicker">Worksheet · reflection</p>
  <h2 class="page-title">Which hat does this moment need?</h2>
  <p class="lede">Moments where both hats have a case. Tick the hat each one needs <em>first</em>, and ask what you would do in the first ten minutes and when you would switch. There is no key: the reasoning is the point.</p>
  <table class="self-check">
    <thead><tr><th></th><th>The moment</th><th class="lead">Leader first</th><th class="manage">Manager first</th></tr></thead>
    <tbody>${checks}${own}</tbody>
  </table>
  <h2 class="section-title">Reflection prompts</h2>
  <div class="prompts">${promptHtml}</div>
</section>
<section class="sheet worksheet-sheet">
  <header class="running"><span>Worksheet</span><span>2 of 2</span></header>
  <p class="kicker">Worksheet · focus time</p>
  <h2 class="page-title">Your 10-minute focus plan</h2>
  <p class="lede">Set a timer for ten minutes, put your phone face down and work through the four steps. Stop when the timer rings: done beats perfect.</p>
  <ol class="plan">${planHtml}</ol>
  <h2 class="section-title">Three action steps</h2>
  <div class="actions">${steps}</div>
</section>`
}

function resultsFlow(input: HandoutInput): string {
  const results = input.results
  if (!results) return ''
  const { cards, answered, polls } = deckResults(input.deck, results, input.polls)
  const started = new Date(results.session.startedAt)
  return `<div class="flow results-flow" data-title="What the room said">
  <div class="flow-intro">
    <header class="running"><span>What the room said</span><span>${esc(results.session.name)}</span></header>
    <p class="kicker">Live poll results</p>
    <h2 class="page-title">What the room said</h2>
    <p class="lede">Session “${esc(results.session.name)}”, ${esc(formatDate(started))}: ${answered} of ${polls} polls answered. Anonymous, as voted on phones during the workshop.</p>
  </div>
  ${cards.join('\n') || '<p class="empty">This deck has no polls.</p>'}
</div>`
}

export function formatDate(date: Date): string {
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })
}

export function handoutBodyHtml(input: HandoutInput): string {
  const body = [
    slidePages(input.deck),
    breakdownPage(input.breakdown, input.furtherReading),
    worksheetPages(input.moments),
    resultsFlow(input),
  ].join('\n')
  return htmlDocument(input, body, false)
}
