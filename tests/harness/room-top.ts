// A question rises into the room's top from outside it, on one process or several: the room's
// phones, connected throughout, must list exactly what /api/cards and a fresh sync list. Shared
// by tests/room-top.test.ts (one process, SQLite) and tests/scale/room-top.test.ts (Redis).
import { expect } from 'vitest'
import { LIMITS } from '../../server/limits.ts'
import type { CardView } from '../../server/protocol.ts'
import type { KnownCards } from '../../server/voter/known-cards.ts'
import { type Client, connect, synced } from './clients.ts'
import { seededRandom } from './random.ts'
import { freshList, knownCards, listed } from './room-cards.ts'

export interface Phone {
  url: string
  id: string
  client: Client
  known: KnownCards
}

let posts = 0
const postId = () => `post-${Date.now().toString(36)}-${++posts}`

/** A phone on this process, synced; its list kept by the phone page's rules. */
export async function phoneOn(url: string, id: string): Promise<Phone> {
  const client = connect(url, { role: 'voter', participantId: id })
  const known = knownCards(client)
  await synced(client)
  return { url, id, client, known }
}

export async function ask(phone: Phone, text: string): Promise<CardView> {
  const result = await phone.client.timeout(10_000).emitWithAck('post', { text, postId: postId() })
  if (!result.ok) throw new Error(`post "${text}": ${result.error}`)
  phone.known.addMine(result.card, text)
  return result.card
}

export async function presenterAct(
  presenter: Client,
  event: 'moderate' | 'approval',
  payload: { cardId: string; action: string } | { on: boolean },
) {
  const result = await presenter.timeout(10_000).emitWithAck(event as 'approval', payload as { on: boolean })
  expect(result, `${event} ${JSON.stringify(payload)}`).toEqual({ ok: true })
}

/** A full sync of one phone (it reconnects), as a page reload or a flaky network does. */
export async function reconnect(phone: Phone): Promise<void> {
  const sync = new Promise<void>((resolve) => phone.client.once('sync', () => resolve()))
  phone.client.disconnect()
  phone.client.connect()
  await sync
}

/** The room's questions from /api/cards on this process, sorted like `listed`. */
async function apiQuestions(url: string): Promise<CardView[]> {
  const { cards } = (await (await fetch(`${url}/api/cards`)).json()) as { cards: CardView[] }
  return cards.filter((card) => !card.pollId).sort((a, b) => a.id.localeCompare(b.id))
}

/**
 * Waits until every phone lists what a fresh connection of it lists (its own cards included), and
 * the room's phones (`room`: those that posted nothing outside the top) exactly what its
 * process's /api/cards holds.
 */
export async function everyPhoneAgrees(phones: Phone[], room: Phone[], what: string): Promise<void> {
  const fresh = await Promise.all(phones.map((phone) => freshList(phone.url, phone.id)))
  const api = new Map(
    await Promise.all([...new Set(room.map((p) => p.url))].map(async (url) => [url, await apiQuestions(url)] as const)),
  )
  await expect
    .poll(() => phones.map((phone) => listed(phone.known)), {
      message: `after ${what}, every phone lists a fresh sync`,
    })
    .toEqual(fresh)
  for (const phone of room)
    expect(listed(phone.known), `after ${what}, ${phone.id} lists /api/cards`).toEqual(api.get(phone.url))
}

/**
 * 40 questions with an upvote each, and X, asked last with none (outside the top). X's author
 * has a full sync (`sync`), then the presenter moves X into the top (`rise`).
 */
export async function questionRisesIntoTop(
  urls: string[],
  presenter: Client,
  sync: 'reconnect' | 'approve-first toggle',
  rise: 'hide' | 'answered',
): Promise<void> {
  const on = (i: number) => urls[i % urls.length] as string
  const room = await Promise.all(urls.map((url, i) => phoneOn(url, `room-phone-${i}`)))
  // Two questions per author: within the per-phone limit of a few a minute.
  const authors = await Promise.all(
    Array.from({ length: LIMITS.roomCards / 2 }, (_, i) => phoneOn(on(i), `author-${i}`)),
  )
  const top: CardView[] = []
  for (const [i, author] of authors.entries()) {
    top.push(await ask(author, `Question ${2 * i + 1}?`), await ask(author, `Question ${2 * i + 2}?`))
  }
  for (const [i, card] of top.entries()) {
    const upvoter = room[i % room.length] as Phone
    const result = await upvoter.client.timeout(10_000).emitWithAck('upvote', { cardId: card.id, on: true })
    expect(result).toEqual({ ok: true, upvotes: 1 })
  }
  const xAuthor = await phoneOn(on(1), 'x-author')
  const x = await ask(xAuthor, 'X: asked last, with no upvote?')
  const everyone = [...room, ...authors, xAuthor]
  await everyPhoneAgrees(everyone, room, 'X was asked')
  expect(listed((room[0] as Phone).known).map((card) => card.id)).not.toContain(x.id)

  if (sync === 'reconnect') await reconnect(xAuthor)
  else await presenterAct(presenter, 'approval', { on: true })
  await everyPhoneAgrees(everyone, room, sync)

  const moved = top[7] as CardView
  await presenterAct(presenter, 'moderate', { cardId: moved.id, action: rise === 'hide' ? 'hide' : 'answered' })
  await everyPhoneAgrees(everyone, room, `${rise} after ${sync}`)
  for (const phone of room) expect(listed(phone.known).map((card) => card.id)).toContain(x.id)
}

/**
 * Random posts, upvotes, moderation, reconnects and approve-first toggles from phones spread over
 * the processes; after each round, once quiet, every phone lists what a fresh sync lists.
 */
export async function randomRoom(urls: string[], presenter: Client, seed: number, steps: number): Promise<void> {
  const random = seededRandom(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
  const phones = await Promise.all(
    Array.from({ length: 24 }, (_, i) => phoneOn(urls[i % urls.length] as string, `phone-${seed}-${i}`)),
  )
  const posted: string[] = []
  // Enough questions that the top is full and cards move in and out of it.
  for (const [i, phone] of phones.entries()) {
    posted.push((await ask(phone, `Seed ${seed}, question ${2 * i}?`)).id)
    posted.push((await ask(phone, `Seed ${seed}, question ${2 * i + 1}?`)).id)
  }
  const pause = () => new Promise((resolve) => setTimeout(resolve, random() * 400))
  for (let step = 0; step < steps; step++) {
    const phone = pick(phones)
    const roll = random()
    if (roll < 0.45) {
      await phone.client.timeout(10_000).emitWithAck('upvote', { cardId: pick(posted), on: random() < 0.8 })
    } else if (roll < 0.6) {
      const result = await phone.client
        .timeout(10_000)
        .emitWithAck('post', { text: `Seed ${seed}, step ${step}?`, postId: postId() })
      if (result.ok) {
        phone.known.addMine(result.card, `Seed ${seed}, step ${step}?`)
        posted.push(result.card.id)
      }
    } else if (roll < 0.8) {
      const action = pick(['hide', 'show', 'show', 'pin', 'unpin', 'answered', 'unanswered'] as const)
      await presenterAct(presenter, 'moderate', { cardId: pick(posted), action })
    } else if (roll < 0.93) {
      await reconnect(phone)
    } else {
      await presenterAct(presenter, 'approval', { on: random() < 0.5 })
    }
    await pause()
  }
  await everyPhoneAgrees(phones, [], `${steps} random steps (seed ${seed})`)
}
