// "What the room said": one card per poll with its results drawn as a chart, in print-friendly
// HTML (vector bars, real text). Every label, word and question is HTML-escaped here; attendees
// typed the words, so none of it is ever trusted as markup.
import { LIMITS } from '../server/limits.ts'
import type { PollDefinition } from '../server/poll-definition.ts'
import type { PollResult, SessionResults } from '../server/results.ts'
import { rankWords } from '../server/words.ts'
import type { DeckInfo, SlideInfo } from './deck.ts'
import { escapeHtml as esc } from './markdown.ts'
import { answerList, questionsCard, shownCards } from './results-cards.ts'
import { matrixChart } from './results-matrix.ts'
import { rankingChart } from './results-ranking.ts'

const KIND_NAMES: Record<string, string> = {
  single: 'Single choice',
  multiple: 'Multiple choice',
  quiz: 'Quiz',
  scale: 'Scale',
  words: 'Word cloud',
  reactions: 'Reactions',
  steps: 'Action steps',
  text: 'Open answers',
  ranking: 'Ranking',
  matrix: '2×2',
}

const EMOJI_NAMES: Record<string, string> = {
  '👍': 'thumbs up',
  '❤️': 'heart',
  '❤': 'heart',
  '😂': 'laughing',
  '🤔': 'thinking',
  '👏': 'applause',
  '🎉': 'celebrate',
  '🔥': 'fire',
  '💡': 'idea',
  '😮': 'surprised',
  '🙌': 'hands up',
  '👎': 'thumbs down',
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`
const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0)

/** Teal for the leader hat, ochre for the manager hat, slate for anything else (as on the slides). */
function tone(label: string): string {
  if (/\blead/i.test(label)) return 'lead'
  if (/\bmanag/i.test(label)) return 'manage'
  return 'neutral'
}

function bars(result: PollResult, poll?: PollDefinition): string {
  const max = Math.max(0, ...result.options.map((option) => result.counts[option.id] ?? 0))
  const correct = new Set(result.correct ?? poll?.correct ?? [])
  const rows = result.options.map((option) => {
    const count = result.counts[option.id] ?? 0
    const share = percent(count, result.total)
    const width = max > 0 ? Math.max((count / max) * 100, count > 0 ? 1.5 : 0) : 0
    const classes = ['bar-row', `tone-${tone(option.label)}`]
    if (count === max && max > 0) classes.push('top')
    if (correct.has(option.id)) classes.push('correct')
    const mark = correct.has(option.id) ? '<span class="mark">✓ suggested answer</span>' : ''
    return `<div class="${classes.join(' ')}">
      <div class="bar-label">${esc(option.label)}${mark}</div>
      <div class="bar-track"><div class="bar-fill" style="width:${width.toFixed(2)}%"></div></div>
      <div class="bar-value"><strong>${count}</strong><span>${share}%</span></div>
    </div>`
  })
  return `<div class="bars">${rows.join('')}</div>`
}

function columns(result: PollResult, poll?: PollDefinition): string {
  const points = result.options
  const max = Math.max(0, ...points.map((point) => result.counts[point.id] ?? 0))
  const cols = points.map((point) => {
    const count = result.counts[point.id] ?? 0
    const height = max > 0 ? (count / max) * 100 : 0
    return `<div class="col">
      <div class="col-count">${count}</div>
      <div class="col-bar" style="height:${height.toFixed(2)}%"></div>
    </div>`
  })
  const labels = points.map((point) => `<div class="col-label">${esc(point.label)}</div>`)
  let meanMarker = ''
  if (result.mean !== undefined && result.total > 0 && points.length > 1) {
    const first = Number(points[0]?.id)
    const position = ((result.mean - first + 0.5) / points.length) * 100
    meanMarker = `<div class="mean" style="left:${position.toFixed(2)}%"><span>average ${result.mean.toFixed(1)}</span></div>`
  }
  const ends =
    poll?.minLabel || poll?.maxLabel
      ? `<div class="scale-ends"><span>${esc(poll?.minLabel ?? '')}</span><span>${esc(poll?.maxLabel ?? '')}</span></div>`
      : ''
  return `<div class="columns" style="--cols:${points.length}">
    <div class="col-area">${cols.join('')}${meanMarker}</div>
    <div class="col-labels">${labels.join('')}</div>
    ${ends}
  </div>`
}

function cloud(result: PollResult): string {
  const words = rankWords(result.counts)
  if (!words.length) return ''
  const shown = words.slice(0, LIMITS.cloudWords)
  const top = shown[0]?.[1] ?? 1
  const low = shown.at(-1)?.[1] ?? 1
  const size = (count: number) => (top === low ? 15 : 9.5 + ((count - low) / (top - low)) * 16)
  // Largest in the middle, like a cloud: alternate sides as the words get smaller.
  const arranged: typeof shown = []
  for (const [i, word] of shown.entries()) {
    if (i % 2) arranged.push(word)
    else arranged.unshift(word)
  }
  const items = arranged.map(
    ([word, count], i) =>
      `<span class="word tone-${i % 3 === 0 ? 'lead' : i % 3 === 1 ? 'manage' : 'neutral'}" style="font-size:${size(count).toFixed(1)}pt"><bdi>${esc(word)}</bdi><sub>${count}</sub></span>`,
  )
  const list = shown
    .slice(0, 8)
    .map(([word, count]) => `<li><span><bdi>${esc(word)}</bdi></span><strong>${count}</strong></li>`)
  const more =
    words.length > shown.length ? `<p class="more">…and ${plural(words.length - shown.length, 'more word')}</p>` : ''
  return `<div class="words"><div class="cloud">${items.join(' ')}</div><ol class="word-list">${list.join('')}</ol></div>${more}`
}

function reactions(result: PollResult): string {
  const tiles = result.options.map((option) => {
    const count = result.counts[option.id] ?? 0
    const name = EMOJI_NAMES[option.label] ?? ''
    // Where no installed font has the emoji, the pager hides it and the name stands in.
    const check = name ? ' data-glyph' : ''
    return `<div class="reaction"><span class="emoji"${check}>${esc(option.label)}</span><strong>${count}</strong><span class="emoji-name">${esc(name)}</span></div>`
  })
  return `<div class="reactions">${tiles.join('')}</div>`
}

function counted(result: PollResult): string {
  if (result.kind === 'reactions') return plural(result.total, 'tap')
  if (result.kind === 'steps') return plural(result.total, 'person', 'people')
  if (result.kind === 'text') return plural(shownCards(result.cards).length, 'answer')
  if (result.kind === 'ranking' || result.kind === 'matrix') return plural(result.total, 'person', 'people')
  return plural(result.total, 'answer')
}

/**
 * One poll's results as a card. `plain` (the participant handout) leaves out what only the
 * facilitator reads: the poll's kind, its timer and its slide.
 */
export function pollCard(
  result: PollResult,
  poll: PollDefinition | undefined,
  slide?: { number: number; title: string },
  options: { plain?: boolean } = {},
): string {
  const kind = KIND_NAMES[result.kind] ?? result.kind
  let chart: string
  if (result.kind === 'steps') {
    // Action steps belong to the attendee: only how many people wrote some, never the text.
    chart = `<p class="steps-note"><strong>${plural(result.total, 'person', 'people')}</strong> saved action steps on their phone. The steps themselves stay private to each person.</p>`
  } else if (result.kind === 'text') {
    chart = answerList(result.cards ?? [], poll?.order ?? 'liked')
  } else if (result.total === 0) {
    chart = '<p class="empty">No answers were recorded for this poll in this session.</p>'
  } else if (result.kind === 'scale') chart = columns(result, poll)
  else if (result.kind === 'words') chart = cloud(result)
  else if (result.kind === 'reactions') chart = reactions(result)
  else if (result.kind === 'ranking') chart = rankingChart(result)
  else if (result.kind === 'matrix') chart = matrixChart(result, poll)
  else if (result.options.length) chart = bars(result, poll)
  else chart = cloud(result)
  const notes: string[] = []
  if (result.kind === 'multiple' && result.total > 0)
    notes.push('People could pick more than one answer; shares are of people.')
  if (result.kind === 'quiz' && poll?.explain) notes.push(poll.explain)
  // The slide's title helps tell apart polls that ask the same thing, unless it repeats the question.
  const fold = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()
  const title = slide && !fold(result.question).includes(fold(slide.title)) ? slide.title : ''
  const shortTitle = title.length > 48 ? `${title.slice(0, 47).trimEnd()}…` : title
  const where = slide ? `slide ${slide.number}${shortTitle ? `: ${shortTitle}` : ''}` : ''
  const timed = poll?.timer ? `timed, ${poll.timer} s` : ''
  const meta = options.plain ? '' : [kind, timed, where].filter(Boolean).join(' · ')
  // A long wall of open answers continues on the next page rather than shrinking.
  const split = result.kind === 'text' ? ' splittable' : ''
  return `<article class="result kind-${esc(result.kind)}${split}">
    <header class="result-head">
      <span class="result-meta">${esc(meta)}</span>
      <span class="result-total">${counted(result)}</span>
    </header>
    <h3>${esc(result.question)}</h3>
    ${chart}
    ${notes.map((note) => `<p class="result-note">${esc(note)}</p>`).join('')}
  </article>`
}

/**
 * The session's results for one deck, in the order the room met them: a card per poll of the
 * deck, and the room's questions where the deck shows them (at the end when it does not).
 */
export function deckResults(
  deck: DeckInfo,
  results: SessionResults,
  polls: PollDefinition[],
  options: { answeredOnly?: boolean } = {},
) {
  const byId = new Map(polls.map((poll) => [poll.id, poll]))
  const slideOf = new Map<string, SlideInfo>()
  for (const slide of deck.slides) if (slide.pollId && !slideOf.has(slide.pollId)) slideOf.set(slide.pollId, slide)
  const inDeck = results.polls.filter((poll) => slideOf.has(poll.id))
  const answered = (poll: (typeof inDeck)[number]) => poll.total > 0 || Boolean(poll.cards?.length)
  // A handout people keep shows no empty charts: polls nobody answered are named, not drawn.
  const drawn = options.answeredOnly ? inDeck.filter(answered) : inDeck
  const entries = drawn.map((poll) => {
    const slide = slideOf.get(poll.id)
    const html = pollCard(poll, byId.get(poll.id), slide, { plain: options.answeredOnly })
    return { at: slide?.number ?? 0, html }
  })
  const questionsSlide = deck.slides.find((slide) => slide.questions)
  const asked = shownCards(results.questions).length > 0
  if ((questionsSlide && !options.answeredOnly) || asked) {
    const at = questionsSlide?.number ?? Number.POSITIVE_INFINITY
    // (participants have no slide numbers: the handout's card names none)
    entries.push({
      at,
      html: questionsCard(results.questions ?? [], options.answeredOnly ? undefined : questionsSlide),
    })
  }
  return {
    cards: entries.sort((a, b) => a.at - b.at).map((entry) => entry.html),
    answered: inDeck.filter((poll) => poll.total > 0).length,
    polls: inDeck.length,
    /** The questions of the polls left out because nobody answered them (`answeredOnly`). */
    unanswered: inDeck.filter((poll) => !drawn.includes(poll)).map((poll) => poll.question),
  }
}
