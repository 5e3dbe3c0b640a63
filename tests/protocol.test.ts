import { describe, expect, it } from 'vitest'
import { ControlSchema, HandshakeSchema, optionId, parse, PollDefinitionSchema, VoteSchema } from '../server/protocol.ts'

describe('poll definitions', () => {
  it('gives options stable ids from their labels', () => {
    const poll = PollDefinitionSchema.parse({ id: 'hat', question: 'Which hat?', options: ['Leader hat', 'Manager hat'] })
    expect(poll).toEqual({
      id: 'hat',
      kind: 'single',
      question: 'Which hat?',
      options: [
        { id: 'leader-hat', label: 'Leader hat' },
        { id: 'manager-hat', label: 'Manager hat' },
      ],
    })
    expect(optionId('  Ça va?  Both!  ')).toBe('ca-va-both')
  })

  it.each([
    [{ id: 'hat', question: 'Q', options: ['Only one'] }, 'at least two options'],
    [{ id: 'Hat Poll', question: 'Q', options: ['A', 'B'] }, 'lowercase'],
    [{ id: 'hat', question: '', options: ['A', 'B'] }, ''],
    [{ id: 'hat', question: 'Q', options: ['Same', 'same!'] }, 'two options read the same'],
    [{ id: 'hat', question: 'Q', options: ['A', 'B'], colour: 'red' }, ''],
  ])('refuses %j', (input, message) => {
    const result = PollDefinitionSchema.safeParse(input)
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toContain(message)
  })
})

describe('incoming messages', () => {
  it('accepts a well-formed vote and control', () => {
    expect(parse(VoteSchema, { pollId: 'hat', optionId: 'leading', voteId: 'abc123' })).toEqual({
      ok: true,
      value: { pollId: 'hat', optionId: 'leading', voteId: 'abc123' },
    })
    expect(parse(ControlSchema, { pollId: 'hat', action: 'reset' }).ok).toBe(true)
  })

  it.each([
    undefined,
    null,
    42,
    'vote',
    [],
    { pollId: 'hat', optionId: 'leading' },
    { pollId: 'hat', optionId: 'leading', voteId: 'short' },
    { pollId: 'hat', optionId: '', voteId: 'abc123' },
    { pollId: 'hat', optionId: 'leading', voteId: 'abc123', __proto__: { admin: true }, extra: 1 },
    JSON.parse('{"pollId":"hat","optionId":"a","voteId":"abc123","constructor":{"x":1}}'),
  ])('refuses the vote %j with a sentence', (input) => {
    const result = parse(VoteSchema, input)
    expect(result.ok).toBe(false)
    expect(result.ok ? '' : result.error).toMatch(/^Invalid message: .+/)
  })

  it('refuses unknown control actions', () => {
    expect(parse(ControlSchema, { pollId: 'hat', action: 'delete' })).toMatchObject({ ok: false })
  })

  it('defaults the handshake to a voter and drops unknown fields', () => {
    expect(parse(HandshakeSchema, { participantId: 'abcdefgh1234', admin: true })).toEqual({
      ok: true,
      value: { role: 'voter', participantId: 'abcdefgh1234' },
    })
    expect(parse(HandshakeSchema, { participantId: 'bad id!' }).ok).toBe(false)
  })
})
