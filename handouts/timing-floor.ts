// The timing floor: the least time a room of 30 needs for each kind of step, written once. The
// tests hold every slide of every deck to it, and the facilitator guide prints it beside each
// block, so a planned time can never quietly drop below what a real room takes. It knows kinds of
// step (a join, a poll read out, a regroup, a report-back), never what a deck is about.
//
// A slide's floor is the sum of its steps plus its working time (`minutes:`), and at least one
// `read`. The steps come from what the slide holds (its poll, a join code, the questions wall) and
// from what it declares: `activity:` adds the brief and the regroup it needs, `steps:` in the
// frontmatter lists them instead (for example `steps: [report, report, report, voice]` for three
// tables reporting, or `steps: [brief]` for people already sitting where they work).
import { KitError } from '../server/errors.ts'

/** The room the floor is written for. */
export const ROOM_SIZE = 30

export const STEP_FLOOR = {
  read: { seconds: 30, name: 'Input', what: 'Any slide: the room reads it while you say it' },
  join: { seconds: 120, name: 'Join by phone', what: 'A first join by phone: scan or type, then most hands up' },
  poll: { seconds: 60, name: 'Phone poll', what: 'A phone poll: about 40 seconds to answer, its result read out' },
  round: {
    seconds: 180,
    name: 'Timed round',
    what: 'A timed round: read aloud, vote on the timer, reveal, two voices',
  },
  placing: {
    seconds: 150,
    name: 'Ranking or 2×2',
    what: 'A ranking or a 2×2 on phones: placing takes longer than a tap',
  },
  wall: {
    seconds: 120,
    name: 'Wall of answers',
    what: 'A wall of open answers: a line written, two or three read out',
  },
  questions: { seconds: 90, name: 'Questions', what: 'The room’s questions: upvote, then the top one answered' },
  brief: { seconds: 30, name: 'Brief', what: 'The brief for an activity: the task, who with, how long' },
  pairs: { seconds: 30, name: 'Into pairs', what: 'Regrouping into pairs' },
  trios: { seconds: 60, name: 'Into trios', what: 'Regrouping into trios, roles handed out' },
  tables: { seconds: 120, name: 'Into tables', what: 'Regrouping into tables, cards handed out' },
  report: { seconds: 60, name: 'Report-back', what: 'One table (or pair) reporting back, and your reflection' },
  voice: { seconds: 30, name: 'Debrief voice', what: 'One voice from the room in a debrief' },
} as const

export type Step = keyof typeof STEP_FLOOR

export const STEPS = Object.keys(STEP_FLOOR) as Step[]

export class TimingFloorError extends KitError {}

export const isStep = (name: unknown): name is Step => typeof name === 'string' && name in STEP_FLOOR

/** What the floor needs to know of a slide: its poll, what it shows, what the room does. */
export interface FloorSlide {
  poll?: { kind: string; timer?: number }
  /** The slide shows the join code (`<JoinQr />`). */
  join?: boolean
  /** The slide shows the room's questions (`<Questions />`). */
  questions?: boolean
  activity?: 'pairs' | 'trios' | 'tables' | 'alone'
  /** Working time of the activity, in minutes (`minutes:` in the frontmatter). */
  minutes?: number
  /** `steps:` from the frontmatter, when the slide declares them. */
  steps?: Step[]
}

/** The step a poll needs, by kind: a tap and a reading, a round, a placing, a wall; none for taps alongside. */
function pollStep(poll: NonNullable<FloorSlide['poll']>): Step | undefined {
  if (poll.kind === 'quiz' && poll.timer) return 'round'
  if (poll.kind === 'ranking' || poll.kind === 'matrix') return 'placing'
  if (poll.kind === 'text') return 'wall'
  // Reactions are tapped while something else happens; action steps take the activity's minutes.
  if (poll.kind === 'reactions' || poll.kind === 'steps') return undefined
  return 'poll'
}

/** The steps a slide holds, in the order they happen. */
export function stepsOf(slide: FloorSlide): Step[] {
  const steps: Step[] = []
  if (slide.join) steps.push('join')
  if (slide.poll) {
    const step = pollStep(slide.poll)
    if (step) steps.push(step)
  }
  if (slide.questions) steps.push('questions')
  if (slide.steps) steps.push(...slide.steps)
  else if (slide.activity) steps.push('brief', ...(slide.activity === 'alone' ? [] : [slide.activity]))
  return steps
}

/** The least seconds this slide needs with a room of 30. */
export function floorSeconds(slide: FloorSlide): number {
  const steps = stepsOf(slide).reduce((sum, step) => sum + STEP_FLOOR[step].seconds, 0)
  return Math.max(STEP_FLOOR.read.seconds, steps + Math.round((slide.minutes ?? 0) * 60))
}

/** `steps:` as written in a slide's frontmatter, checked: an unknown step is a mistake to name. */
export function declaredSteps(raw: unknown, where: string): Step[] | undefined {
  if (raw === undefined) return undefined
  const list = Array.isArray(raw) ? raw : [raw]
  for (const step of list) {
    if (!isStep(step)) {
      throw new TimingFloorError(`${where}: "steps" has ${JSON.stringify(step)}; use ${STEPS.join(', ')}.`)
    }
  }
  return list as Step[]
}
