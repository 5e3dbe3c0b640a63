// Open answers and the room's questions in "what the room said". Only cards the room could read
// are printed: a card hidden by the facilitator or still waiting for approval never is. The order
// is the one every view uses (server/answers.ts). Attendees typed every word here: all of it is
// escaped, and printed as the characters they typed.
import { orderAnswers, orderQuestions } from '../server/answers.ts'
import type { CardResult } from '../server/results.ts'
import { escapeHtml as esc } from './markdown.ts'

/** More than this and the rest are left to the results export, so a big room's handout stays a handout. */
export const PRINTED_CARDS = 60

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

export const shownCards = (cards: readonly CardResult[] | undefined) =>
  (cards ?? []).filter((card) => card.status === 'shown')

function more(total: number): string {
  return total > PRINTED_CARDS
    ? `<p class="more">…and ${plural(total - PRINTED_CARDS, 'more')} in the results export (CSV or JSON).</p>`
    : ''
}

/**
 * The cards as a table, so a long list continues on the next page (the pager splits
 * `.splittable` tables) instead of shrinking.
 */
function cardTable(rows: string[], heads: [string, string]): string {
  return `<table class="card-list">
    <thead><tr><th scope="col" class="n"></th><th scope="col">${heads[0]}</th><th scope="col" class="count">${heads[1]}</th></tr></thead>
    <tbody>${rows.join('')}</tbody>
  </table>`
}

/** An open-answers poll: the wall's cards, highlighted first, then most liked (or newest). */
export function answerList(cards: readonly CardResult[], order: 'liked' | 'newest'): string {
  const shown = orderAnswers(shownCards(cards), order)
  if (!shown.length) return '<p class="empty">No answers were shown to the room in this session.</p>'
  const rows = shown.slice(0, PRINTED_CARDS).map((card, i) => {
    const tag = card.pinned ? '<span class="tag highlighted">Highlighted</span>' : ''
    return `<tr${card.pinned ? ' class="pinned"' : ''}><td class="n">${i + 1}</td><td class="card-text">${tag}<bdi>${esc(card.text)}</bdi></td><td class="count"><strong>${card.upvotes}</strong> ${card.upvotes === 1 ? 'like' : 'likes'}</td></tr>`
  })
  return cardTable(rows, ['What people wrote', 'Liked by']) + more(shown.length)
}

/** The room's questions card: pinned first, then by votes, answered ones last (marked). */
export function questionsCard(questions: readonly CardResult[], slide?: { number: number }): string {
  const shown = orderQuestions(shownCards(questions))
  const answered = shown.filter((card) => card.answered).length
  const rows = shown.slice(0, PRINTED_CARDS).map((card, i) => {
    const tags = [
      card.pinned ? '<span class="tag pinned">Pinned</span>' : '',
      card.answered ? '<span class="tag answered">✓ Answered</span>' : '',
    ].join('')
    const name = card.name ? `<span class="asked-by">— <bdi>${esc(card.name)}</bdi></span>` : ''
    const classes = [card.answered ? 'answered' : '', card.pinned ? 'pinned' : ''].filter(Boolean).join(' ')
    return `<tr${classes ? ` class="${classes}"` : ''}><td class="n">${i + 1}</td><td class="card-text">${tags}<bdi>${esc(card.text)}</bdi>${name}</td><td class="count"><strong>${card.upvotes}</strong> ${card.upvotes === 1 ? 'vote' : 'votes'}</td></tr>`
  })
  const list = shown.length
    ? cardTable(rows, ['Question', 'Upvotes']) + more(shown.length)
    : '<p class="empty">No questions from the room were shown in this session.</p>'
  const meta = ['Questions from the room', slide ? `slide ${slide.number}` : ''].filter(Boolean).join(' · ')
  const summary = shown.length ? `${plural(shown.length, 'question')} · ${answered} answered` : '0 questions'
  return `<article class="result kind-questions splittable">
    <header class="result-head"><span class="result-meta">${esc(meta)}</span><span class="result-total">${summary}</span></header>
    <h3>Your questions</h3>
    ${list}
    <p class="result-note">Asked and upvoted on phones during the session. Only the questions shown to the room are printed; the ones not answered in the room are answered in the follow-up message.</p>
  </article>`
}
