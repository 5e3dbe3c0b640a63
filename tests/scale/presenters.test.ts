// Presenter sessions across processes on one Redis: a browser signed in on one process is the
// presenter on every process, and signing out (from the presenter view on any process, or with
// `npm run presenter -- sign-out`) ends every presenter session on every process at once.
import { describe, expect, it } from 'vitest'
import { connect, nextEvent, synced } from '../harness/clients.ts'
import { signIn } from '../harness/kit.ts'
import { startServerProcess } from '../harness/server-process.ts'
import { presenterCommand as command, newPresenterLink, redisPerTest } from './cluster.ts'

const SECRET = 'presenters-across-processes'
const cluster = redisPerTest(SECRET)
const presenterCommand = (...args: string[]) => command(cluster.redis.url, ...args)
const newLink = () => newPresenterLink(cluster.redis.url)

describe('presenter sessions on several processes', () => {
  it('are shared, and signing out from the presenter view on one process ends them on all', async () => {
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => startServerProcess(cluster.env())))
    if (!a || !b || !c) throw new Error('three processes')
    // The laptop signs in on process A; the remote's browser on process B.
    const laptop = await signIn(a.url, newLink())
    const remote = await signIn(b.url, newLink())
    const exportsOn = (url: string, cookie: string) =>
      fetch(`${url}/api/sessions`, { headers: { cookie } }).then((response) => response.status)
    // Every process knows both sessions (the log brings them): decks on all three are presenters.
    await expect
      .poll(async () => (await Promise.all([a, b, c].map((server) => exportsOn(server.url, remote)))).join())
      .toBe('200,200,200')
    const decks = [a, b, c].map((server) => connect(server.url, { role: 'deck' }, { extraHeaders: { cookie: laptop } }))
    const states = await Promise.all(decks.map((deck) => synced(deck)))
    expect(states.map((state) => state.presenter)).toEqual([true, true, true])
    expect(states.map((state) => state.presenterSessions?.length)).toEqual([2, 2, 2])

    const downgraded = decks.map((deck) => nextEvent(deck, 'sync', (state) => !state.presenter, 10_000))
    const onB = decks[1]
    if (!onB) throw new Error('no deck on B')
    expect(await onB.emitWithAck('presenters', { action: 'sign-out-all' })).toEqual({ ok: true, signedOut: 2 })
    await Promise.all(downgraded)
    for (const server of [a, b, c]) {
      expect(await exportsOn(server.url, laptop), server.url).toBe(401)
      expect(await exportsOn(server.url, remote), server.url).toBe(401)
    }
    for (const deck of decks) {
      expect(await deck.emitWithAck('control', { pollId: 'hat-start', action: 'open' })).toEqual({
        ok: false,
        error: 'Only the presenter can do that.',
      })
    }
  }, 120_000)

  it('`npm run presenter -- sign-out` ends them on every running process', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => startServerProcess(cluster.env())))
    if (!a || !b) throw new Error('two processes')
    const cookie = await signIn(a.url, newLink())
    await expect
      .poll(() => fetch(`${b.url}/api/sessions`, { headers: { cookie } }).then((response) => response.status))
      .toBe(200)
    const deck = connect(b.url, { role: 'deck' }, { extraHeaders: { cookie } })
    expect((await synced(deck)).presenter).toBe(true)
    expect(presenterCommand('list')).toMatch(/signed in/)
    const downgraded = nextEvent(deck, 'sync', (state) => !state.presenter, 10_000)
    expect(presenterCommand('sign-out')).toContain('Signed out the one presenter device.')
    await downgraded
    for (const server of [a, b]) {
      expect((await fetch(`${server.url}/api/sessions`, { headers: { cookie } })).status, server.url).toBe(401)
    }
  }, 120_000)
})
