// The scenario key: for each quiz round and each table moment in a deck, the moment and one
// suggested reading. It belongs to the facilitator (the guide) and, after the session, to
// everyone (the follow-up message); never to the participant handout, which is often handed
// out before the rounds.
import type { PollDefinition } from '../server/poll-definition.ts'
import type { DeckInfo } from './deck.ts'
import type { Moment } from './slide-content.ts'

export interface KeyEntry {
  /** "Round 1: the customer's big idea", "Moment 3: The bored star". */
  label: string
  moment: string
  suggestion: string
}

export function scenarioKey(deck: DeckInfo, polls: PollDefinition[], moments: Moment[]): KeyEntry[] {
  const byId = new Map(polls.map((poll) => [poll.id, poll]))
  const rounds = deck.slides.flatMap((slide) => {
    const poll = byId.get(slide.pollId ?? '')
    return poll?.kind === 'quiz' && poll.explain
      ? [{ label: slide.title, moment: poll.question, suggestion: poll.explain }]
      : []
  })
  const tables = deck.slides.some((slide) => slide.activity === 'tables')
    ? moments.map((moment) => ({
        label: `Moment ${moment.number}: ${moment.title}`,
        moment: moment.text,
        suggestion: moment.reading,
      }))
    : []
  return [...rounds, ...tables]
}
