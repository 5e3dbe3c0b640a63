// A deck's before and after, for the tests: confidence polls at the start and end of the
// session, action steps, a one-liner wall, a pre-work hat log and a one-week pulse.
import { type PollDefinition, PollDefinitionSchema } from '../../server/poll-definition.ts'
import { type FollowUp, parseFollowUp } from '../../server/questionnaire-definition.ts'

const scale = { kind: 'scale', min: 0, max: 10, minLabel: 'Not at all', maxLabel: 'Completely' }

export const JOURNEY_POLLS: PollDefinition[] = [
  { id: 'confidence-start', question: 'How sure are you, now?', ...scale },
  { id: 'confidence-end', question: 'How sure are you, now?', ...scale },
  { id: 'steps', kind: 'steps', question: 'Your steps', count: 2 },
  { id: 'one-line', kind: 'text', question: 'One line for the room', count: 1 },
  { id: 'useful', question: 'How useful was it?', kind: 'scale', min: 1, max: 5 },
].map((poll) => PollDefinitionSchema.parse(poll))

export const FOLLOW_UP_FILE = {
  questionnaires: [
    {
      id: 'pre-work',
      title: 'Before the workshop: your week',
      intro: 'One tap a day.',
      questions: [
        { id: 'day-1', question: 'Day 1: which hat?', options: ['Leader hat', 'Manager hat', 'Both'] },
        { id: 'day-2', question: 'Day 2: which hat?', options: ['Leader hat', 'Manager hat', 'Both'] },
        { id: 'moment', kind: 'text', question: 'One moment to bring', maxLength: 120 },
      ],
    },
    {
      id: 'pulse-1w',
      title: 'One week on',
      days: 7,
      questions: [
        { id: 'took-step', question: 'Did you take your step?', options: ['Yes', 'Partly', 'Not yet'] },
        { id: 'confidence', question: 'How sure are you, now?', ...scale },
        { id: 'sentence', kind: 'text', question: 'One sentence' },
      ],
    },
  ],
  journey: {
    label: 'Confidence',
    stages: [
      { label: 'Start', from: 'confidence-start' },
      { label: 'End', from: 'confidence-end' },
      { label: '+1 week', from: 'pulse-1w/confidence' },
    ],
  },
  report: {
    reaction: 'useful',
    commitments: 'steps',
    kept: [{ label: '+1 week', from: 'pulse-1w/took-step', yes: ['Yes', 'Partly'] }],
    voices: ['one-line'],
  },
}

export const FOLLOW_UP: FollowUp = parseFollowUp(FOLLOW_UP_FILE, JOURNEY_POLLS)
