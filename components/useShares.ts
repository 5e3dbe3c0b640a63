// One row per option of a choice poll, with what every chart of it shows: the count, the share
// of the people who answered (a whole percent), the hat the option names, and whether it is the
// quiz's right answer. Used by the bars and the quiz tiles.
import { computed, type Ref } from 'vue'
import type { PollView, Tally } from '../server/protocol'
import { type HatKind, hatOf } from './drawings'

export interface OptionShare {
  id: string
  label: string
  count: number
  /** Whole percent of the people who answered. */
  share: number
  hat: HatKind | 'both' | undefined
  correct: boolean
}

export function useShares(poll: Ref<PollView>, tally: Ref<Pick<Tally, 'counts' | 'total'>>) {
  return computed<OptionShare[]>(() =>
    poll.value.options.map((option) => {
      const count = tally.value.counts[option.id] ?? 0
      return {
        id: option.id,
        label: option.label,
        count,
        share: tally.value.total ? Math.round((count / tally.value.total) * 100) : 0,
        hat: hatOf(option.label),
        correct: poll.value.correct?.includes(option.id) ?? false,
      }
    }),
  )
}
