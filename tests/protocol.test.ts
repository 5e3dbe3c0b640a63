import { describe, expect, it } from 'vitest'
import { optionId, type PollDefinition, PollDefinitionSchema, parseAnswer } from '../server/poll-definition.ts'
import { ControlSchema, HandshakeSchema, parse, VoteSchema } from '../server/protocol.ts'
import { normaliseWord, rankWords } from '../server/words.ts'

const define = (input: object): PollDefinition => PollDefinitionSchema.parse(input)

const AXIS = { label: 'How uncertain?', low: 'Known', high: 'Unknown' }

describe('poll definitions', () => {
  it('gives options stable ids from their labels; single choice is the default kind', () => {
    const poll = define({
      id: 'hat',
      question: 'Which hat?',
      options: ['Leader hat', 'Manager hat'],
    })
    expect(poll).toEqual({
      id: 'hat',
      kind: 'single',
      question: 'Which hat?',
      results: 'live',
      options: [
        { id: 'leader-hat', label: 'Leader hat' },
        { id: 'manager-hat', label: 'Manager hat' },
      ],
    })
    expect(optionId('  Ça va?  Both!  ')).toBe('ca-va-both')
  })

  it('reads every kind', () => {
    expect(define({ id: 'm', kind: 'multiple', question: 'Q', options: ['A', 'B', 'C'], max: 2 }).max).toBe(2)
    expect(define({ id: 'm', kind: 'multiple', question: 'Q', options: ['A', 'B', 'C'] }).max).toBe(3)
    const scale = define({
      id: 's',
      kind: 'scale',
      question: 'Q',
      min: 0,
      max: 10,
      minLabel: 'All managing',
      maxLabel: 'All leading',
    })
    expect(scale.options.map((o) => o.id)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
    expect(define({ id: 'w', kind: 'words', question: 'Q' }).maxLength).toBe(30)
    expect(
      define({
        id: 'q',
        kind: 'quiz',
        question: 'Q',
        options: ['Leader hat', 'Manager hat'],
        correct: 'Leader hat',
      }).correct,
    ).toEqual(['leader-hat'])
    expect(define({ id: 'r', kind: 'reactions', question: 'React' }).options).toHaveLength(5)
    expect(define({ id: 'h', question: 'Q', options: ['A', 'B'], results: 'hidden' }).results).toBe('hidden')
    expect(define({ id: 't', kind: 'text', question: 'Q' })).toMatchObject({ maxLength: 280, count: 1, order: 'liked' })
    expect(define({ id: 'k', kind: 'ranking', question: 'Q', options: ['Vision', 'Plans'] }).options).toEqual([
      { id: 'vision', label: 'Vision' },
      { id: 'plans', label: 'Plans' },
    ])
    const matrix = define({ id: 'x', kind: 'matrix', question: 'Q', items: ['A 1:1'], x: AXIS, y: AXIS })
    expect(matrix).toMatchObject({ options: [{ id: 'a-1-1', label: 'A 1:1' }], x: AXIS, y: AXIS })
    expect(define({ id: 'timed', question: 'Q', options: ['A', 'B'], timer: 60 }).timer).toBe(60)
  })

  it.each([
    [{ id: 'hat', question: 'Q', options: ['Only one'] }, 'at least two options'],
    [{ id: 'Hat Poll', question: 'Q', options: ['A', 'B'] }, 'lowercase'],
    [{ id: 'hat', question: '', options: ['A', 'B'] }, ''],
    [{ id: 'hat', question: 'Q', options: ['Same', 'same!'] }, 'two options read the same'],
    [{ id: 'hat', question: 'Q', options: ['A', 'B'], colour: 'red' }, ''],
    [{ id: 'hat', kind: 'poll', question: 'Q', options: ['A', 'B'] }, ''],
    [
      { id: 'q', kind: 'quiz', question: 'Q', options: ['A', 'B'], correct: 'C' },
      'correct answer "c" is not one of the options',
    ],
    [{ id: 'm', kind: 'multiple', question: 'Q', options: ['A', 'B'], max: 3 }, 'max is larger'],
    [{ id: 's', kind: 'scale', question: 'Q', min: 5, max: 5 }, 'max greater than min'],
    [{ id: 'r', kind: 'reactions', question: 'Q', options: ['👍', '👍'] }, 'each reaction must be different'],
    [{ id: 't', kind: 'text', question: 'Q', maxLength: 1000 }, 'Too big'],
    [{ id: 't', kind: 'text', question: 'Q', count: 9 }, 'Too big'],
    [{ id: 't', kind: 'text', question: 'Q', results: 'hidden' }, 'open answers show as they come'],
    [{ id: 'k', kind: 'ranking', question: 'Q', options: ['Only'] }, 'a ranking needs at least two options'],
    [{ id: 'k', kind: 'ranking', question: 'Q', options: 'ABCDEFGHI'.split('') }, 'Too big'],
    [{ id: 'x', kind: 'matrix', question: 'Q', items: ['A'] }, ''],
    [{ id: 'x', kind: 'matrix', question: 'Q', items: ['A', 'a!'], x: AXIS, y: AXIS }, 'two items read the same'],
    [{ id: 'x', kind: 'matrix', question: 'Q', items: ['A'], x: AXIS, y: AXIS, quadrants: ['Q1'] }, ''],
    [{ id: 'x', kind: 'matrix', question: 'Q', items: ['A'], x: { label: 'X' }, y: AXIS }, ''],
    [{ id: 'timed', question: 'Q', options: ['A', 'B'], timer: 2 }, 'Too small'],
    [{ id: 'timed', question: 'Q', options: ['A', 'B'], timer: 7200 }, 'Too big'],
  ])('refuses %j', (input, message) => {
    const result = PollDefinitionSchema.safeParse(input)
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toContain(message)
  })
})

describe('answers, per kind', () => {
  const single = define({ id: 'a', question: 'Q', options: ['Leading', 'Managing'] })
  const multiple = define({
    id: 'b',
    kind: 'multiple',
    question: 'Q',
    options: ['Confusion', 'Misalignment', 'Burnout'],
    max: 2,
  })
  const scale = define({ id: 'c', kind: 'scale', question: 'Q', min: 1, max: 5 })
  const words = define({ id: 'd', kind: 'words', question: 'Q', maxLength: 12 })
  const reactions = define({ id: 'e', kind: 'reactions', question: 'Q' })

  it('accepts what fits and returns the keys to count', () => {
    expect(parseAnswer(single, 'managing')).toEqual({ ok: true, value: ['managing'] })
    expect(parseAnswer(multiple, ['burnout', 'confusion', 'burnout'])).toEqual({
      ok: true,
      value: ['burnout', 'confusion'],
    })
    expect(parseAnswer(scale, 4)).toEqual({ ok: true, value: ['4'] })
    expect(parseAnswer(words, '  Trust   ME ')).toEqual({ ok: true, value: ['trust me'] })
  })

  it.each([
    [single, 'juggling', 'not one of the options'],
    [single, ['leading'], 'not one of the options'],
    [multiple, [], 'at least one'],
    [multiple, ['confusion', 'misalignment', 'burnout'], 'at most 2'],
    [multiple, 'confusion', 'at least one'],
    [scale, 6, 'from 1 to 5'],
    [scale, 2.5, 'from 1 to 5'],
    [scale, '3', 'from 1 to 5'],
    [words, '', 'Type a word'],
    [words, '    ', 'Type a word'],
    [words, 'x'.repeat(13), 'under 12'],
    [words, 'bell\u0007', 'letters, digits'],
    [words, 7, 'Type a word'],
    [reactions, '👍', 'with a tap'],
  ])('refuses %# with a reason', (poll, answer, reason) => {
    const result = parseAnswer(poll, answer)
    expect(result.ok).toBe(false)
    expect(result.ok ? '' : result.error).toContain(reason)
  })

  it('folds case and spacing of words', () => {
    expect(normaliseWord(' Honest\tAND  kind ')).toBe('honest and kind')
  })

  it('ranks words one way everywhere: most frequent first, ties alphabetical, none with no count', () => {
    const counts = { trust: 3, clarity: 5, vision: 3, gone: 0, calm: 1 }
    expect(rankWords(counts)).toEqual([
      ['clarity', 5],
      ['trust', 3],
      ['vision', 3],
      ['calm', 1],
    ])
    expect(rankWords(counts, 2).map(([word]) => word)).toEqual(['clarity', 'trust'])
  })
})

describe('incoming messages', () => {
  it('accepts a well-formed vote and control', () => {
    expect(parse(VoteSchema, { pollId: 'hat', answer: 'leading', voteId: 'abc123' })).toEqual({
      ok: true,
      value: { pollId: 'hat', answer: 'leading', voteId: 'abc123' },
    })
    expect(parse(ControlSchema, { pollId: 'hat', action: 'reset' }).ok).toBe(true)
    expect(parse(ControlSchema, { pollId: 'words', action: 'hide', word: 'boss' }).ok).toBe(true)
  })

  it.each([
    undefined,
    null,
    42,
    'vote',
    [],
    { pollId: 'hat', answer: 'leading' },
    { pollId: 'hat', answer: 'leading', voteId: 'short' },
    { pollId: 'hat', answer: { nested: { deep: 1 } }, voteId: 'abc123' },
    { pollId: 'hat', answer: 'x'.repeat(1000), voteId: 'abc123' },
    { pollId: 'hat', answer: Number.POSITIVE_INFINITY, voteId: 'abc123' },
    { pollId: 'hat', answer: 'leading', voteId: 'abc123', __proto__: { admin: true }, extra: 1 },
    JSON.parse('{"pollId":"hat","answer":"a","voteId":"abc123","constructor":{"x":1}}'),
    JSON.parse('{"pollId":"hat","answer":"a","voteId":"abc123","__proto__":{"x":1}}'),
  ])('refuses the vote %j with a sentence', (input) => {
    const result = parse(VoteSchema, input)
    expect(result.ok).toBe(false)
    expect(result.ok ? '' : result.error).toMatch(/^Invalid message: .+/)
  })

  it('refuses unknown control actions and hide without a word', () => {
    expect(parse(ControlSchema, { pollId: 'hat', action: 'delete' })).toMatchObject({ ok: false })
    expect(parse(ControlSchema, { pollId: 'hat', action: 'hide' })).toMatchObject({ ok: false })
  })

  it('defaults the handshake to a voter and drops unknown fields', () => {
    expect(parse(HandshakeSchema, { participantId: 'abcdefgh1234', admin: true })).toEqual({
      ok: true,
      value: { role: 'voter', participantId: 'abcdefgh1234' },
    })
    expect(parse(HandshakeSchema, { participantId: 'bad id!' }).ok).toBe(false)
  })
})
