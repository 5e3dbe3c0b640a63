// The room's questions under load (`npm run bench -- --questions [--voters 2000]`): the real
// server in its own process (tests/harness/server-main.ts), every phone asks one question at
// once, then upvotes five others at once. Measured: questions and upvotes acknowledged per
// second, acknowledgement latency, how long until the presenter's deck lists every upvote, and
// that nothing acknowledged is missing from what is stored (the session's JSON export).
import { type Client, connect, synced } from '../tests/harness/clients.ts'
import { seededRandom } from '../tests/harness/random.ts'
import { type RunningProcess, startServerProcess } from '../tests/harness/server-process.ts'
import { now, percentile, progress } from './common.ts'
import { processUsage } from './nodes.ts'

const SECRET = 'bench-questions-secret'
const UPVOTES_EACH = 5

export interface QuestionsResult {
  phones: number
  questions: Phase
  upvotes: Phase
  /** From the first upvote sent until the presenter's deck lists every upvote. */
  deckCaughtUpMs: number
  /** Acknowledged but missing from the stored session (must be 0). */
  lost: { questions: number; upvotes: number }
  server: { rssMb: number; cpuSeconds: number } | undefined
}

interface Phase {
  acknowledged: number
  refused: number
  perSecond: number
  latencyMs: { p50: number; p99: number; max: number }
}

/** Sends one message per phone at once; acknowledgement counts, rate and latency. */
async function burst(phones: Client[], send: (phone: Client, i: number) => Promise<{ ok: boolean }>[]) {
  const latencies: number[] = []
  let refused = 0
  const started = now()
  await Promise.all(
    phones.flatMap((phone, i) =>
      send(phone, i).map(async (sent) => {
        const at = now()
        const result = await sent
        if (result.ok) latencies.push(now() - at)
        else refused++
      }),
    ),
  )
  const seconds = (now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const round = (ms: number) => Math.round(ms)
  const phase: Phase = {
    acknowledged: latencies.length,
    refused,
    perSecond: Math.round(latencies.length / seconds),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1) ?? 0),
    },
  }
  return phase
}

export async function runQuestions(voters: number): Promise<QuestionsResult> {
  const server: RunningProcess = await startServerProcess({
    PRESENTER_SECRET: SECRET,
    MAX_CONNECTIONS_PER_ADDRESS: '100000',
    PHONES_PER_ADDRESS: '100000',
  })
  progress(`questions: server on ${server.url}; connecting ${voters} phones`)
  const deck = connect(server.url, { role: 'deck', secret: SECRET })
  const upvotesOnDeck = new Map<string, number>()
  deck.on('cards', ({ cards }) => {
    for (const card of cards) upvotesOnDeck.set(card.id, card.upvotes)
  })
  await synced(deck)
  const phones: Client[] = []
  for (let i = 0; i < voters; i += 100) {
    const group = Array.from({ length: Math.min(100, voters - i) }, (_, k) =>
      connect(server.url, { role: 'voter', participantId: `bench-asker-${String(i + k).padStart(6, '0')}` }),
    )
    await Promise.all(group.map((phone) => synced(phone, 60_000)))
    phones.push(...group)
  }

  progress('questions: every phone asks one question at once')
  const ids: string[] = []
  const questions = await burst(phones, (phone, i) => [
    phone
      .timeout(60_000)
      .emitWithAck('post', { text: `Question ${i}: how do I switch hats mid-meeting?`, postId: `bench-q-${i}` })
      .then((result) => {
        if (result.ok) ids.push(result.card.id)
        return result
      }),
  ])

  progress(`questions: every phone upvotes ${UPVOTES_EACH} questions at once`)
  const random = seededRandom(20_261_202)
  const given = new Set<string>()
  const firstUpvote = now()
  const upvotes = await burst(phones, (phone, i) =>
    Array.from({ length: UPVOTES_EACH }, () => {
      const cardId = ids[Math.floor(random() * ids.length)] as string
      return phone
        .timeout(60_000)
        .emitWithAck('upvote', { cardId, on: true })
        .then((result) => {
          if (result.ok) given.add(`${cardId} ${i}`)
          return result
        })
    }),
  )
  const expected = new Map<string, number>()
  for (const key of given) {
    const cardId = key.split(' ')[0] as string
    expected.set(cardId, (expected.get(cardId) ?? 0) + 1)
  }
  const deadline = now() + 30_000
  while ([...expected].some(([id, n]) => (upvotesOnDeck.get(id) ?? 0) < n) && now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const deckCaughtUpMs = Math.round(now() - firstUpvote)

  // Every question as stored (the room's /api/cards lists only the top ones).
  const exported = await fetch(`${server.url}/api/sessions/current/results.json`, {
    headers: { Authorization: `Bearer ${SECRET}` },
  })
  const { questions: all } = (await exported.json()) as { questions: { id: string; upvotes: number }[] }
  const stored = new Map(all.map((card) => [card.id, card.upvotes]))
  const lost = {
    questions: ids.filter((id) => !stored.has(id)).length,
    upvotes: [...expected].reduce((sum, [id, n]) => sum + Math.max(0, n - (stored.get(id) ?? 0)), 0),
  }
  const usage = processUsage(server.child.pid)
  for (const phone of [...phones, deck]) phone.close()
  await server.kill()
  return {
    phones: voters,
    questions,
    upvotes,
    deckCaughtUpMs,
    lost,
    server: usage ? { rssMb: usage.maxRssMb, cpuSeconds: usage.cpuSeconds } : undefined,
  }
}

export function printQuestions(result: QuestionsResult): void {
  const row = (name: string, phase: Phase) =>
    `${name.padEnd(10)} ${String(phase.acknowledged).padStart(7)} ${String(phase.refused).padStart(7)} ${String(phase.perSecond).padStart(9)}/s   p50 ${phase.latencyMs.p50} ms, p99 ${phase.latencyMs.p99} ms, max ${phase.latencyMs.max} ms`
  console.log(
    `\nQuestions from the room, ${result.phones} phones (one question each, then ${UPVOTES_EACH} upvotes each)`,
  )
  console.log(
    `${''.padEnd(10)} ${'acked'.padStart(7)} ${'refused'.padStart(7)} ${'rate'.padStart(11)}   acknowledgement latency`,
  )
  console.log(row('questions', result.questions))
  console.log(row('upvotes', result.upvotes))
  console.log(`deck lists every upvote ${result.deckCaughtUpMs} ms after the first was sent`)
  console.log(`lost after acknowledgement: ${result.lost.questions} questions, ${result.lost.upvotes} upvotes`)
  if (result.server) console.log(`server: peak RSS ${result.server.rssMb} MB, CPU ${result.server.cpuSeconds} s`)
}
