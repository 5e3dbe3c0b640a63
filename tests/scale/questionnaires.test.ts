// Questionnaires across processes: three server processes on one Redis with the workshop's own
// questionnaires. A window opened on one process is open on all; answers given on two others
// count everywhere (decks' tallies, every process's export); a person who deletes their data on
// one process is told on another device on another process, and no process's export holds any
// of it; a process started afterwards reads the same from Redis.
import { describe, expect, it } from 'vitest'
import type { QuestionnaireView, SyncPayload, Tally } from '../../server/protocol.ts'
import type { SessionResults } from '../../server/results.ts'
import { type Client, connect, nextEvent, synced } from '../harness/clients.ts'
import { startServerProcess } from '../harness/server-process.ts'
import { redisPerTest } from './cluster.ts'

const SECRET = 'questionnaire-presenter-secret'
const cluster = redisPerTest(SECRET)

async function results(url: string): Promise<SessionResults> {
  const response = await fetch(`${url}/api/sessions/current/results.json`, {
    headers: { Authorization: `Bearer ${SECRET}` },
  })
  return (await response.json()) as SessionResults
}
const prework = (data: SessionResults) => data.questionnaires.find((q) => q.id === 'pre-work')

/** What a client last heard: the questionnaires of its sync, and (decks) the tallies. */
function listen(client: Client) {
  const heard = { questionnaires: [] as QuestionnaireView[], tallies: {} as Record<string, Tally> }
  client.on('sync', (state: SyncPayload) => {
    heard.questionnaires = state.questionnaires
    for (const tally of state.tallies ?? []) heard.tallies[tally.pollId] = tally
  })
  client.on('tally', (tallies) => {
    for (const tally of tallies) heard.tallies[tally.pollId] = tally
  })
  return heard
}

describe('questionnaires on three processes', () => {
  it('open, count and forget the same on every process', async () => {
    const servers = await Promise.all([0, 1, 2].map(() => startServerProcess(cluster.env())))
    const decks = servers.map((server) => connect(server.url, { role: 'deck', secret: SECRET }))
    const deckHeard = decks.map(listen)
    const phones = servers.map((server, i) => connect(server.url, { role: 'voter', participantId: `phone-${i}-abcd` }))
    const phoneHeard = phones.map(listen)
    await Promise.all([...decks, ...phones].map((client) => synced(client)))

    const opened = await decks[0]?.emitWithAck('window', { questionnaireId: 'pre-work', action: 'open' })
    expect(opened).toEqual({ ok: true })
    await expect
      .poll(() => phoneHeard.map((heard) => heard.questionnaires.map((q) => [q.id, q.open])))
      .toEqual([[['pre-work', true]], [['pre-work', true]], [['pre-work', true]]])

    const answer = (phone: Client | undefined, pollId: string, value: string) =>
      phone?.emitWithAck('vote', {
        pollId,
        answer: value,
        voteId: `${pollId}-${value}-${Math.random()}`.slice(0, 60).replace(/[^\w-]/g, ''),
      })
    expect(await answer(phones[1], 'pre-work/day-1', 'leader-hat')).toMatchObject({ ok: true })
    expect(await answer(phones[2], 'pre-work/day-1', 'manager-hat')).toMatchObject({ ok: true })
    expect(await answer(phones[2], 'pre-work/mismatch', 'The Friday review')).toMatchObject({ ok: true })
    await expect
      .poll(() => deckHeard.map((heard) => heard.tallies['pre-work/day-1']?.counts))
      .toEqual(Array(3).fill({ 'leader-hat': 1, 'manager-hat': 1, 'both-equally': 0 }))
    const exports = await Promise.all(servers.map((server) => results(server.url)))
    for (const data of exports) expect(prework(data)).toEqual(prework(exports[0] as SessionResults))
    expect(prework(exports[0] as SessionResults)?.started).toBe(2)

    // Phone 2 deletes its data on process 2; the same person's other device is on process 0.
    const otherDevice = connect(servers[0]?.url as string, { role: 'voter', participantId: 'phone-2-abcd' })
    await synced(otherDevice)
    const told = nextEvent(otherDevice, 'forgotten', () => true, 10_000)
    expect(await phones[2]?.emitWithAck('forget', { confirm: true })).toEqual({ ok: true })
    await told
    await expect
      .poll(() => deckHeard.map((heard) => heard.tallies['pre-work/day-1']?.counts))
      .toEqual(Array(3).fill({ 'leader-hat': 1, 'manager-hat': 0, 'both-equally': 0 }))
    const later = await startServerProcess(cluster.env())
    for (const url of [...servers.map((server) => server.url), later.url]) {
      const data = await results(url)
      expect(prework(data)?.started).toBe(1)
      expect(JSON.stringify(data)).not.toContain('The Friday review')
    }
    const code = await fetch(`${later.url}/api/questionnaires`, { headers: { Authorization: `Bearer ${SECRET}` } })
    expect((await code.json()).questionnaires.find((q: { id: string }) => q.id === 'pre-work')).toMatchObject({
      open: true,
      started: 1,
    })
  })
})
