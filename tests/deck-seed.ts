// Realistic results for the browser tests of the decks (tests/deck-*.test.ts): a data folder
// with an earlier group and the group being run now, every poll answered.
import type { PollDefinition } from '../server/poll-definition.ts'
import { openSqliteStore } from '../server/sqlite-store.ts'
import type { Store, Vote } from '../server/store.ts'
import { tempDir } from './harness/system.ts'

// Realistic results: a room of 36 people, answers spread unevenly, a word cloud with a long
// phrase as its biggest word, and an earlier session so the comparison has something to show.

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
    case 'reactions':
      return []
  }
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
  await store.close()
  return dir
}
