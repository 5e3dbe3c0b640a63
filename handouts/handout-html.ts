// The participant handout, as HTML pages ("sheets"): what people keep. A cover, then (printed
// after a session) what the room said, the breakdown with the article's further reading, a
// worksheet for their own moment and their next step; the slides three to a page only when asked
// for, and then never a slide that shows a live poll, a join code or a timer.
import { HATS, svgMarkup } from '../components/drawings.ts'
import type { PollDefinition } from '../server/poll-definition.ts'
import type { SessionResults } from '../server/results.ts'
import type { BreakdownRow } from './breakdown.ts'
import { type DeckInfo, isLive, type SlideInfo } from './deck.ts'
import { escapeHtml as esc } from './markdown.ts'
import { type Paper, pageCss, stylesheet } from './render.ts'
import { deckResults } from './results-html.ts'

export const SLIDES_PER_PAGE = 3

export interface HandoutInput {
  deck: DeckInfo
  /** e.g. "Workshop · 75 minutes". */
  format: string
  date: string
  session?: { name: string }
  breakdown: BreakdownRow[]
  /** The rows a first sentence is checked against (the deck's check slide): the worksheet's check. */
  checkRows: string[]
  /** The article's further reading, from the thank-you slide. */
  furtherReading: string[]
  /** What people write in the focus time (the deck's action-steps slide): the worksheet's boxes. */
  actionPrompts: string[]
  /** The slides three to a page, with lines for notes (`--slides`); off by default. */
  withSlides?: boolean
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

export const lines = (count: number, className = 'rule') =>
  Array.from({ length: count }, () => `<div class="${className}"></div>`).join('')

/** The slides a handout may show: none with a live poll, a join code, a timer or the questions wall. */
export function handoutSlides(deck: DeckInfo): SlideInfo[] {
  return deck.slides.filter((slide) => !isLive(slide))
}

export function pagesForSlides(count: number): number {
  return Math.max(1, Math.ceil(count / SLIDES_PER_PAGE))
}

/** The cover's contents: each part the body holds, and the page it starts on (the cover not counted). */
export type Contents = { label: string; page: number }[]

const PARTS = {
  results: 'What the room said: the live poll results',
  breakdown: 'The breakdown, from the article, and further reading',
  worksheet: 'Your moment: which hat first, and your first sentence',
  'next-step': 'Your next step, and a 10-minute plan for this week',
  slides: 'The slides, with space for your notes',
} as const

/** The contents, from the page each part of the printed body starts on (`data-section`). */
export function handoutContents(sections: Record<string, number>): Contents {
  return Object.entries(PARTS)
    .filter(([key]) => sections[key] !== undefined)
    .map(([key, label]) => ({ label, page: sections[key] as number }))
}

export function coverHtml(input: HandoutInput, contents: Contents): string {
  const { deck } = input
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
      <ol>${contents.map(({ label, page }) => `<li><span>${esc(label)}</span><span class="dots"></span><span>${page}</span></li>`).join('')}</ol>
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

export function slidePages(deck: DeckInfo): string {
  const pages: string[] = []
  const shown = handoutSlides(deck)
  const total = deck.slides.length
  for (let first = 0; first < shown.length; first += SLIDES_PER_PAGE) {
    const group = shown.slice(first, first + SLIDES_PER_PAGE)
    const range = group.length > 1 ? `${group[0]?.number}–${group.at(-1)?.number}` : `${group[0]?.number}`
    const rows = Array.from({ length: SLIDES_PER_PAGE }, (_, i) => slideRow(group[i])).join('')
    const mark = first === 0 ? ' data-section="slides"' : ''
    pages.push(`<section class="sheet slides-sheet"${mark}>
  <header class="running"><span>${esc(deck.title)} · the slides (live polls, timers and the join code left out)</span><span>Slides ${range} of ${total}</span></header>
  <div class="thumb-rows">${rows}</div>
</section>`)
  }
  return pages.join('\n')
}

function breakdownPage(input: HandoutInput): string {
  const body = input.breakdown
    .map(
      (row) =>
        `<tr><th scope="row">${esc(row.area)}</th><td class="lead">${esc(row.leadership)}</td><td class="manage">${esc(row.management)}</td></tr>`,
    )
    .join('')
  return `<section class="sheet breakdown-sheet" data-section="breakdown">
  <header class="running"><span>The breakdown</span><span>From the article</span></header>
  <p class="kicker">From the article · side by side</p>
  <h2 class="page-title">The breakdown</h2>
  <p class="lede">One is about <strong class="lead-text">where</strong> you want to go: leadership. The other is about <strong class="manage-text">how</strong> you will get there: management. Both matter; the skill is knowing which one the moment calls for.</p>
  <table class="breakdown">
    <thead><tr><th scope="col">Area</th><th scope="col" class="lead">${HAT_ICON.lead} Leadership</th><th scope="col" class="manage">${HAT_ICON.manage} Management</th></tr></thead>
    <tbody>${body}</tbody>
  </table>
  <div class="when-grid">
    <div class="when lead"><h3>You put on your leader hat when you’re…</h3><ul><li>setting direction</li><li>making bold moves</li><li>launching new ideas</li><li>guiding people through change</li></ul></div>
    <div class="when manage"><h3>You put on your manager hat when you’re in execution mode…</h3><ul><li>tracking deliverables</li><li>refining systems</li><li>optimizing processes</li></ul></div>
  </div>
  <h3 class="cost-title">When you don’t know which role you’re in</h3>
  <div class="cost-grid">
    <div class="cost"><strong>Team confusion</strong><span>“Wait… are we brainstorming or finalizing?”</span></div>
    <div class="cost"><strong>Misalignment</strong><span>You’re pushing strategy when your team needs structure.</span></div>
    <div class="cost"><strong>Burnout</strong><span>You’re trying to inspire while micromanaging.</span></div>
  </div>
  <div class="further-reading"><h3>Further reading, as the article lists it <span>· titles only: ask your facilitator where to find them</span></h3><ul>${input.furtherReading.map((title) => `<li>${esc(title)}</li>`).join('')}</ul></div>
  <p class="closing-quote small">“You become trusted, respected, and magnetic to work with.”</p>
</section>`
}

const HAT_ICON = {
  lead: '<svg class="hat-icon" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.4"/><path d="M10.6 5.4 9 9 5.4 10.6 7 7z" fill="currentColor"/></svg>',
  manage:
    '<svg class="hat-icon" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="2.3" fill="none" stroke="currentColor" stroke-width="1.4"/><path d="M8 1.5v2.2M8 12.3v2.2M1.5 8h2.2M12.3 8h2.2M3.4 3.4l1.6 1.6M11 11l1.6 1.6M3.4 12.6 5 11M11 5l1.6-1.6" stroke="currentColor" stroke-width="1.4" stroke-linecap="round"/></svg>',
}

const field = (title: string, hint: string, count: number) =>
  `<div class="field"><div class="field-head"><h3>${title}</h3><p class="hint">${esc(hint)}</p></div><div class="rules">${lines(count)}</div></div>`

/** The deck's 2×2 (a matrix poll), drawn small for people to mark their own moment; none without one. */
function miniMap(input: HandoutInput): string {
  const inDeck = new Set(input.deck.slides.map((slide) => slide.pollId))
  const map = input.polls.find((poll) => poll.kind === 'matrix' && inDeck.has(poll.id))
  if (!map?.x || !map.y) return ''
  return `<div class="mini-map" aria-label="The kit’s 2×2, to mark your moment">
      <p class="mini-title">Mark it on the kit’s 2×2</p>
      <div class="mini-grid"><span></span><span></span><span></span><span></span></div>
      <p class="mini-x">${esc(map.x.label)}: ${esc(map.x.low.toLowerCase())} → ${esc(map.x.high.toLowerCase())}</p>
      <p class="mini-y">${esc(map.y.label)}: ${esc(map.y.low.toLowerCase())} → ${esc(map.y.high.toLowerCase())}</p>
    </div>`
}

/** The worksheet: the person's own moment, its place on the kit's 2×2, both hats' cases and the first sentence. */
function momentPage(input: HandoutInput): string {
  const rows = input.checkRows
    .map((area) => input.breakdown.find((row) => row.area.toLowerCase() === area.toLowerCase()))
    .filter((row): row is BreakdownRow => Boolean(row))
  const check = rows
    .map(
      (row) =>
        `<tr><th scope="row">${esc(row.area)}</th><td class="lead"><span class="tick"></span> ${esc(row.leadership)}</td><td class="manage"><span class="tick"></span> ${esc(row.management)}</td></tr>`,
    )
    .join('')
  return `<section class="sheet worksheet-sheet" data-section="worksheet">
  <header class="running"><span>Worksheet</span><span>For this workshop, not from the article</span></header>
  <p class="kicker">Worksheet · your moment</p>
  <h2 class="page-title">Which hat does your moment need first?</h2>
  <p class="lede">One moment, past or coming up, where both hats had a case. No names: this page is yours.</p>
  <div class="moment-top">
    ${field('Your moment', 'Who is there, what is at stake, what is due.', 4)}
    ${miniMap(input)}
  </div>
  <p class="first-pick">First: <span class="tick"></span> <strong class="lead-text">Leader hat</strong> <span class="tick"></span> <strong class="manage-text">Manager hat</strong></p>
  <div class="cases">
    ${field('<span class="lead-text">The leader hat’s case</span>', 'Direction, people, change.', 3)}
    ${field('<span class="manage-text">The manager hat’s case</span>', 'Owners, dates, the plan.', 3)}
  </div>
  ${field('Your first sentence', 'What you would actually say, as if they were in front of you.', 3)}
  <table class="check-rows">
    <caption>Check it against two rows of the breakdown: which side did it sound like?</caption>
    <tbody>${check}</tbody>
  </table>
  ${field('When you switch, and what tells you it’s time', 'The signal, and the sentence you say then.', 3)}
</section>`
}

/** The worksheet's second page: the focus time's prompts, said out loud, and the article's 10-minute focus for later. */
function nextStepPage(prompts: string[]): string {
  const plan = [
    ['0:00–2:00', 'Look back', 'Last week: when were you leading, when were you managing? Mark one moment of each.'],
    [
      '2:00–5:00',
      'Leader hat',
      'Pick one moment ahead that needs direction or reassurance. Write the first sentence you will say, and why it matters.',
    ],
    [
      '5:00–8:00',
      'Manager hat',
      'Pick one moment that needs structure. Write the owner, the date and the first checkpoint.',
    ],
    [
      '8:00–10:00',
      'Commit',
      'Choose your signal to switch, book the first step in your calendar, and say it to one person, with the date.',
    ],
  ]
  const planHtml = plan
    .map(
      ([time, step, text]) =>
        `<li><span class="plan-time">${esc(time)}</span><div><strong>${esc(step)}</strong><p>${esc(text)}</p></div></li>`,
    )
    .join('')
  // The focus time's own prompts, one box each; the first is the step said out loud to someone.
  const steps = prompts
    .map(
      (prompt, i) => `<div class="action">
      <div class="action-head"><span class="num">${i + 1}</span><span class="action-title">${esc(prompt)}</span></div>
      <div class="rules">${lines(i === 0 ? 3 : 2)}</div>
      ${i === 0 ? '<div class="action-meta"><span>Said to: <span class="write-line short"></span></span><span>What could get in the way: <span class="write-line"></span></span></div>' : ''}
    </div>`,
    )
    .join('')
  return `<section class="sheet worksheet-sheet" data-section="next-step">
  <header class="running"><span>Worksheet</span><span>For this workshop, not from the article</span></header>
  <p class="kicker">Worksheet · your next step</p>
  <h2 class="page-title">Your next step, said out loud</h2>
  <p class="lede">Write it, then say it to someone with its date. In one week, ask yourself: did it happen? In four weeks: when the moment came, which hat did you put on first, and what did you say?</p>
  <div class="actions">${steps}</div>
  <h2 class="section-title">A 10-minute focus, this week</h2>
  <p class="lede">The article ends by inviting a ten-minute focus session to write down some action steps. A plan for it: set a timer, put your phone face down, stop when it rings.</p>
  <ol class="plan">${planHtml}</ol>
</section>`
}

export function resultsFlow(input: Pick<HandoutInput, 'deck' | 'results' | 'polls'>): string {
  const results = input.results
  if (!results) return ''
  const { cards, answered, polls, unanswered } = deckResults(input.deck, results, input.polls, { answeredOnly: true })
  const started = new Date(results.session.startedAt)
  const left = unanswered.length
    ? ` Not asked or not answered in this session, so left out: ${unanswered.map((question) => `“${question}”`).join(', ')}.`
    : ''
  return `<div class="flow results-flow" data-title="What the room said">
  <div class="flow-intro" data-section="results">
    <header class="running"><span>What the room said</span><span>${esc(results.session.name)}</span></header>
    <p class="kicker">Live poll results</p>
    <h2 class="page-title">What the room said</h2>
    <p class="lede">Session “${esc(results.session.name)}”, ${esc(formatDate(started))}: ${answered} of ${polls} polls answered. Anonymous, as voted on phones during the workshop.${esc(left)}</p>
  </div>
  ${cards.join('\n') || '<p class="empty">No poll of this deck was answered in this session.</p>'}
</div>`
}

export function formatDate(date: Date): string {
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })
}

export function handoutBodyHtml(input: HandoutInput): string {
  const body = [
    resultsFlow(input),
    breakdownPage(input),
    momentPage(input),
    nextStepPage(input.actionPrompts),
    input.withSlides ? slidePages(input.deck) : '',
  ].join('\n')
  return htmlDocument(input, body, false)
}
