// Realistic results for the browser tests of the decks (tests/deck-*.test.ts): a data folder
// with an earlier group and the group being run now, every poll answered.
import { pointKey, rankKey } from '../server/answers.ts'
import { LIMITS } from '../server/limits.ts'
import type { PollDefinition } from '../server/poll-definition.ts'
import { openSqliteStore } from '../server/sqlite-store.ts'
import type { CardRecord, Store, Vote } from '../server/store.ts'
import { tempDir } from './harness/system.ts'

// Realistic results: a room of 36 people, answers spread unevenly, a word cloud with a long
// phrase as its biggest word, the room's questions and open answers (a long one, one with
// markup, pinned, answered, highlighted), and an earlier session so the comparison has
// something to show.

const ROOM = 36
const LONG_WORD = 'shows up when it matters' // 24 characters: the longest a word poll here accepts
const WORDS: [string, number][] = [
  [LONG_WORD, 7],
  ['trustworthy', 6],
  ['honest', 5],
  ['clear', 4],
  ['caring', 3],
  ['consistent', 3],
  ['courageous', 2],
  ['listens first', 2],
  ['calm', 2],
  ['fair', 1],
  ['humble', 1],
  ['curious', 1],
  ['decisive', 1],
  ['authentic', 1],
  ['kind', 1],
  ['visionary', 1],
  ['reliable', 1],
  ['present', 1],
  ['generous with credit', 1],
  ['patient', 1],
]

/** Questions from the room, as people write them: some long, one with markup, one pinned, one answered. */
export const QUESTIONS: { text: string; name?: string; upvotes: number; pinned?: boolean; answered?: boolean }[] = [
  { text: 'How do you switch hats in the middle of a meeting without confusing the team?', upvotes: 14 },
  {
    text: 'What if my own manager only ever rewards the manager hat? Every review is about delivery dates, never about direction, and I get the feeling that setting direction is not my job at all.',
    upvotes: 11,
    name: 'Priya',
  },
  { text: 'Is it OK to tell the team which hat I am wearing?', upvotes: 9, pinned: true },
  { text: 'Can one person really do both for a team of twelve?', upvotes: 6 },
  { text: 'Where do 1:1s fit: leading or managing?', upvotes: 4, answered: true },
  { text: 'Any books on this <b>beyond</b> the article?', upvotes: 2 },
  { text: 'How do you protect time for direction when the inbox never stops?', upvotes: 1 },
]

/** Open answers to a `text` poll: one line each, a few liked, one highlighted. */
export const OPEN_ANSWERS: { text: string; upvotes: number; pinned?: boolean }[] = [
  { text: 'Monday stand-up: I’ll stop fixing the board and ask what is blocking people.', upvotes: 12, pinned: true },
  { text: 'The roadmap review on Thursday: direction first, dates after.', upvotes: 9 },
  { text: 'When Sam brings me a problem, ask before I answer.', upvotes: 7 },
  { text: 'Friday planning: I write the why on top of the list.', upvotes: 4 },
  { text: 'My 1:1 with the new hire: listen, no checklist.', upvotes: 3 },
  { text: 'Budget call: manager hat on, on purpose, and I’ll say so.', upvotes: 1 },
  { text: 'Release week: steady people first, then the plan.', upvotes: 0 },
]

/** Deterministic pseudo-random numbers, so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state / 2 ** 31
  }
}

function answersFor(poll: PollDefinition, people: number, next: () => number): string[][] {
  const ids = poll.options.map((option) => option.id)
  switch (poll.kind) {
    case 'single':
    case 'quiz':
      // Skewed towards the first options, so bars differ in length.
      return Array.from({ length: people }, () => [ids[Math.floor(next() ** 1.6 * ids.length)] ?? ''])
    case 'multiple':
      return Array.from({ length: people }, () => {
        const picked = ids.filter(() => next() < 0.55)
        return picked.length ? picked.slice(0, poll.max ?? ids.length) : [ids[0] ?? '']
      })
    case 'scale':
      return Array.from({ length: people }, () => [
        ids[Math.min(ids.length - 1, Math.floor((next() + next()) * 0.5 * ids.length))] ?? '',
      ])
    case 'words':
      return WORDS.flatMap(([word, count]) => Array.from({ length: count }, () => [word]))
    case 'steps':
      return Array.from({ length: Math.round(people * 0.7) }, (_, i) => [
        `Block Monday 9:00 for next quarter's direction (${i})`,
        'Give Sam the release checklist, with dates',
        'When I catch myself rewriting a task list in a strategy meeting, switch hats',
      ])
    case 'ranking':
      // Each person's order: the slide order shuffled a little, so the room agrees on some rows.
      return Array.from({ length: people }, () =>
        ids
          .map((id, i) => ({ id, key: i + next() * ids.length * 0.8 }))
          .sort((a, b) => a.key - b.key)
          .map(({ id }, place) => rankKey(id, place + 1)),
      )
    case 'matrix':
      // Each item has a spot the room tends to put it, and people spread around it.
      return Array.from({ length: people }, () =>
        ids.map((id, i) => {
          const near = (centre: number) =>
            Math.max(0, Math.min(LIMITS.matrixSteps, Math.round(centre + (next() + next() - 1) * 3)))
          return pointKey(id, near(2 + ((i * 5) % 8)), near(8 - ((i * 3) % 7)))
        }),
      )
    case 'reactions':
    case 'text':
      return []
  }
}

/** The room's questions and a `text` poll's open answers, with their upvotes, stored like posts. */
export async function seedCards(store: Store, sessionId: number, polls: PollDefinition[], seed: number) {
  const cards: CardRecord[] = []
  const upvotes: { cardId: string; participantId: string; on: boolean }[] = []
  const add = (
    pollId: string | null,
    card: { text: string; name?: string; upvotes: number; pinned?: boolean; answered?: boolean },
    i: number,
  ) => {
    const id = `seed${seed}${pollId ?? 'q'}${i}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 32)
    cards.push({
      id,
      pollId,
      participantId: `person-${seed}-${i}`,
      text: card.text,
      name: card.name ?? null,
      at: Date.now() - (60 - i) * 60_000,
      status: 'shown',
      pinned: card.pinned ?? false,
      answered: card.answered ?? false,
    })
    for (let v = 0; v < card.upvotes; v++)
      upvotes.push({ cardId: id, participantId: `person-${seed}-${v + 20}`, on: true })
  }
  for (const [i, card] of QUESTIONS.entries()) add(null, card, i)
  for (const poll of polls.filter((candidate) => candidate.kind === 'text')) {
    for (const [i, card] of OPEN_ANSWERS.entries()) add(poll.id, card, i)
  }
  await store.saveCards(sessionId, cards)
  await store.saveUpvotes(sessionId, upvotes)
}

async function seedVotes(store: Store, sessionId: number, pollsToSeed: PollDefinition[], seed: number) {
  const next = random(seed)
  const votes: Vote[] = []
  for (const poll of pollsToSeed) {
    answersFor(poll, ROOM, next).forEach((answer, i) => {
      votes.push({
        sessionId,
        pollId: poll.id,
        participantId: `person-${seed}-${i}`,
        answer,
        voteId: `seed-${seed}-${poll.id}-${i}`,
        at: Date.now(),
      })
    })
  }
  await store.saveVotes(votes)
  const taps = pollsToSeed
    .filter((poll) => poll.kind === 'reactions')
    .flatMap((poll) => poll.options.map((option, i) => ({ pollId: poll.id, emoji: option.id, count: 40 - i * 7 })))
  if (taps.length) await store.addReactions(sessionId, taps)
}

/** A data folder with an earlier group and the group being run now, every poll answered. */
export async function seededDataDir(polls: PollDefinition[]): Promise<ReturnType<typeof tempDir>> {
  const dir = tempDir('kit-overflow-')
  const store = openSqliteStore(dir.path)
  const earlier = await store.currentSession()
  await seedVotes(store, earlier.id, polls, 7)
  const now = await store.startSession('Berlin, March cohort: leadership programme, second day')
  await seedVotes(store, now.id, polls, 11)
  await seedCards(store, now.id, polls, 11)
  await store.close()
  return dir
}
