// Every tool reads the store the settings name: with REDIS_URL, `npm run results`, `npm run
// handouts -- --session current` and `npm run dev` show what the running processes show.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SessionResults } from '../../server/results.ts'
import { ROOT } from '../../server/settings.ts'
import { connect, synced } from '../harness/clients.ts'
import { startServerProcess } from '../harness/server-process.ts'
import { freePort, tempDir, track, until } from '../harness/system.ts'
import { redisPerTest } from './cluster.ts'

const SECRET = 'tools-presenter-secret'
const cluster = redisPerTest(SECRET)
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')

/** A Redis-backed process where a poll of the short deck got answers from eleven phones. */
async function answeredRoom() {
  const server = await startServerProcess(cluster.env())
  const { polls } = (await (await fetch(`${server.url}/api/polls`)).json()) as {
    polls: { id: string; kind: string; options: { id: string }[] }[]
  }
  const poll = polls.find((candidate) => candidate.kind === 'scale') ?? polls.find((c) => c.kind === 'single')
  if (!poll) throw new Error('no scale or single-choice poll in the decks')
  const deck = connect(server.url, { role: 'deck', secret: SECRET })
  await synced(deck)
  expect(await deck.emitWithAck('control', { pollId: poll.id, action: 'open' })).toEqual({ ok: true })
  for (let i = 0; i < 11; i++) {
    const phone = connect(server.url, { role: 'voter', participantId: `tools-phone-${i}` })
    await synced(phone)
    const option = poll.options[i % 3]?.id as string
    const answer = poll.kind === 'scale' ? Number(option) : option
    expect(await phone.emitWithAck('vote', { pollId: poll.id, answer, voteId: `tools-${i}` })).toMatchObject({
      ok: true,
    })
  }
  const api = (await (
    await fetch(`${server.url}/api/sessions/current/results.json`, { headers: { Authorization: `Bearer ${SECRET}` } })
  ).json()) as SessionResults
  return { server, poll, api }
}

describe('the tools on a Redis-backed kit', () => {
  it('npm run results shows the figures the API shows', async () => {
    const { api } = await answeredRoom()
    const env = { ...process.env, REDIS_URL: cluster.redis.url }
    const json = execFileSync(TSX, ['server/cli.ts', 'results', '--session', 'current', '--format', 'json'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    })
    expect(JSON.parse(json)).toEqual(api)
    const csv = execFileSync(TSX, ['server/cli.ts', 'results', '--format', 'csv'], { cwd: ROOT, env, encoding: 'utf8' })
    expect(csv.split('\r\n').filter((line) => line.includes(',11,')).length).toBeGreaterThan(0)
  }, 120_000)

  it('npm run handouts -- --session current prints what the room said from Redis', async () => {
    const { poll, api } = await answeredRoom()
    const out = tempDir('kit-tools-handouts-')
    try {
      const result = spawnSync(
        TSX,
        ['handouts/cli.ts', '--deck', 'short', '--session', 'current', '--out', out.path, '--data-dir', out.path],
        { cwd: ROOT, env: { ...process.env, REDIS_URL: cluster.redis.url }, encoding: 'utf8', timeout: 400_000 },
      )
      expect(result.status, result.stderr + result.stdout).toBe(0)
      const handout = execFileSync('pdftotext', [join(out.path, 'handout-short.pdf'), '-'], { encoding: 'utf8' })
      const question = api.polls.find((candidate) => candidate.id === poll.id)?.question as string
      const fold = (text: string) => text.replace(/[’‘]/g, "'").replace(/\s+/g, ' ')
      expect(fold(handout)).toContain(fold(question).slice(0, 30))
      expect(handout.toLowerCase()).toContain('11 answers')
    } finally {
      out.remove()
    }
  }, 420_000)

  it('npm run dev serves the same results from Redis', async () => {
    const { server, poll } = await answeredRoom()
    const port = await freePort()
    const data = tempDir('kit-tools-dev-')
    const dev: ChildProcess = track(
      spawn(TSX, ['server/cli.ts', 'dev', '--port', String(port), '--host', '127.0.0.1', '--data-dir', data.path], {
        cwd: ROOT,
        env: { ...process.env, REDIS_URL: cluster.redis.url, PRESENTER_SECRET: SECRET },
        detached: true,
      }),
    )
    try {
      const total = async (url: string) =>
        ((await (await fetch(`${url}/api/polls/${poll.id}`)).json()) as { total: number }).total
      const devUrl = `http://127.0.0.1:${port}`
      await until(
        () =>
          total(devUrl).then(
            (n) => n === 11,
            () => false,
          ),
        90_000,
        'npm run dev answering from Redis',
      )
      expect(await total(server.url)).toBe(11)
    } finally {
      if (dev.pid) process.kill(-dev.pid, 'SIGKILL')
      data.remove()
    }
  }, 150_000)
})
