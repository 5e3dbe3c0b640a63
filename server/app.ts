// The HTTP side of `npm start`: the deck, the phone page, the presenter link and the results API,
// all on the one port that the realtime channel also uses.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import express, { type NextFunction, type Request, type Response } from 'express'
import { addressKey, type HostAllowList, hostOf, type TrustProxy } from './address.ts'
import type { AddressLimits } from './address-limits.ts'
import type { PollEngine } from './engine.ts'
import { deckPolicy, inlinePagePolicy, noStore, securityHeaders } from './headers.ts'
import type { PresenterNotes } from './presenter-notes.ts'
import { presenterRoutes } from './presenter-routes.ts'
import type { PresenterSessions } from './presenter-sessions.ts'
import { type PollResults, parse, WindowSchema } from './protocol.ts'
import { findSession, pollHistory, resultsCsv, roomsResults, sessionResults, UnknownSession } from './results.ts'
import { type RoomDoor, spacedRoomCode } from './room-code.ts'
import type { RunSheet } from './run-sheet.ts'
import type { Store } from './store.ts'
import type { VoterPage } from './voter-page.ts'

export interface AppOptions {
  engine: PollEngine
  store: Store
  /** Results exports without the presenter secret (RESULTS_PUBLIC). */
  resultsPublic?: boolean
  voterPage: VoterPage
  /** Who is the presenter: the secret (`Authorization: Bearer`) or a presenter session's cookie. */
  presenters: PresenterSessions
  /** The host names the server answers to (DNS rebinding). */
  hosts: HostAllowList
  /** Whose X-Forwarded-For / -Proto are believed (the reverse proxy). */
  trustProxy: TrustProxy
  limits: AddressLimits
  /** The room code, if the session has one: the room's data needs it. */
  room?: RoomDoor
  /** The deck's notes and presenter-only slides, for presenter sessions. */
  notes: () => Promise<PresenterNotes>
  /** The deck as the phone remote shows it, for presenter sessions. */
  runSheet: () => Promise<RunSheet>
  /** The phone remote's page, built when first asked for. */
  remotePage: () => Promise<VoterPage>
  /** The address phones use, e.g. http://192.168.1.20:3030/vote (shown on the join slide). */
  joinUrl: () => string
  /** A built Slidev deck to serve at /, if any. */
  deckDir?: string
  /** Mounted inside another server (Vite): requests it does not know pass on instead of a 404. */
  passOn?: boolean
}

/** A poll with what the room may see of its results (only the total while hidden). */
export function pollResults(engine: PollEngine, pollId: string): PollResults | undefined {
  const view = engine.view(pollId)
  const tally = engine.tally(pollId)
  if (!view || !tally) return undefined
  const { pollId: _, ...results } = tally
  return { ...view, ...results }
}

export function createApp(options: AppOptions): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('query parser', 'simple')
  app.set('trust proxy', options.trustProxy)
  app.use((req, res, next) => {
    // A name the server does not know is a DNS-rebinding page (or a mistake): no answer at all.
    if (options.hosts.allows(req.headers.host)) return next()
    res.status(421).json({
      error: `This server does not answer to the name "${(hostOf(req.headers.host) ?? '').slice(0, 80)}": use its own address, or add the name to ALLOWED_HOSTS.`,
    })
  })
  // Inside Vite (npm run dev, slidev export) Vite serves the deck with its own needs (live reload,
  // inline modules): the kit's headers go on the kit's own routes only.
  const headers = securityHeaders(options.trustProxy)
  if (options.passOn) app.use(['/api', '/healthz', '/vote', '/v', '/present', '/remote'], headers)
  else app.use(headers)
  app.use(['/api', '/healthz'], noStore)
  app.use(presenterRoutes(options))
  app.use(apiRoutes(options))
  app.use(voterRoutes(options))

  const { deckDir } = options
  if (deckDir) {
    app.use(deckPolicy(readFileSync(join(deckDir, 'index.html'), 'utf8'), options.trustProxy))
    // Built assets have hashed names and may be cached; index.html must not be, or a browser
    // keeps asking for the chunks of an earlier build.
    app.use(
      express.static(deckDir, {
        index: 'index.html',
        maxAge: '1h',
        setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache'),
      }),
    )
    app.use('/assets', (_req, res) => res.status(404).json({ error: 'Not found.' }))
    // Slidev is a single-page app: /1, /presenter/3 ... are routes, not files.
    app.get('/{*route}', (_req, res) => res.set('Cache-Control', 'no-cache').sendFile(join(deckDir, 'index.html')))
  }
  if (!options.passOn) app.use((_req: Request, res: Response) => res.status(404).json({ error: 'Not found.' }))
  app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    // Express marks the client's mistakes (a path that is not valid percent-encoding: 400).
    if (error.status && error.status >= 400 && error.status < 500) {
      return void res.status(error.status).json({ error: 'This address is not valid.' })
    }
    console.error(error)
    res.status(500).json({ error: 'Something went wrong on the server.' })
  })
  return app
}

type ApiOptions = Pick<AppOptions, 'engine' | 'store' | 'joinUrl' | 'presenters' | 'resultsPublic' | 'room' | 'limits'>

/** JSON routes shared by `npm start` and the Vite dev server. */
export function apiRoutes({
  engine,
  store,
  joinUrl,
  presenters,
  resultsPublic,
  room,
  limits,
}: ApiOptions): express.Router {
  const router = express.Router()
  const isPresenter = (req: Request) => presenters.presenter(req.headers) !== null
  // Exports need the presenter: `Authorization: Bearer <secret>`, or a presenter session's cookie.
  const mayExport = (req: Request, res: Response, next: NextFunction) => {
    if (resultsPublic || isPresenter(req)) return next()
    res.status(401).set('WWW-Authenticate', 'Bearer').json({
      error:
        'Results need the presenter secret: send "Authorization: Bearer <secret>", or start with RESULTS_PUBLIC=1.',
    })
  }
  // With a room code, what the room sees needs it too (`X-Room-Code`), or a presenter.
  const roomRefusal = (req: Request) => {
    if (!room || isPresenter(req)) return null
    const address = addressKey(req.ip ?? '')
    return room.refusal(req.get('X-Room-Code') ?? undefined, null, {
      left: () => limits.available(address, 'roomGuesses'),
      spend: () => limits.take(address, 'roomGuesses'),
    })
  }
  const inTheRoom = (req: Request, res: Response, next: NextFunction) => {
    const refused = roomRefusal(req)
    if (!refused) return next()
    res.status(refused.data.room === 'wait' ? 429 : 403).json({ error: refused.message, room: refused.data.room })
  }
  const withSession = async (req: Request, res: Response) => {
    try {
      const session = await findSession(store, String(req.params.session))
      const results = await sessionResults(store, engine.polls, session, engine.followUp)
      // With RESULTS_PUBLIC anyone may export: the room's share only, as on the slides.
      return isPresenter(req) ? results : roomsResults(results)
    } catch (error) {
      if (!(error instanceof UnknownSession)) throw error
      res.status(404).json({ error: error.message })
      return null
    }
  }
  router.get('/api/sessions', mayExport, async (_req, res) => {
    res.json({ current: engine.session.id, sessions: await store.listSessions() })
  })
  router.get('/api/sessions/:session/results.json', mayExport, async (req, res) => {
    const results = await withSession(req, res)
    if (results) res.json(results)
  })
  router.get('/api/sessions/:session/results.csv', mayExport, async (req, res) => {
    const results = await withSession(req, res)
    if (!results) return
    res
      .type('text/csv; charset=utf-8')
      .attachment(`results-session-${results.session.id}.csv`)
      // A byte-order mark, so spreadsheet programs read the file (and its emoji) as UTF-8.
      .send(`\uFEFF${resultsCsv(results)}`)
  })
  router.get('/api/polls/:id/history', mayExport, async (req, res) => {
    const poll = engine.polls.find((candidate) => candidate.id === req.params.id)
    if (!poll) return void res.status(404).json({ error: `There is no poll "${String(req.params.id).slice(0, 60)}".` })
    res.json({
      pollId: poll.id,
      current: engine.session.id,
      sessions: await pollHistory(store, poll),
    })
  })
  // Questionnaires of a session (?session=current or an id): windows, how many answered, the link
  // to send. The CLI (npm run questionnaire) opens and closes them here while a server runs.
  router.get('/api/questionnaires', mayExport, async (req, res) => {
    try {
      const session = await findSession(store, String(req.query.session ?? 'current'))
      const results = await sessionResults(store, [], session, engine.followUp)
      res.json({
        session,
        questionnaires: engine.followUp.questionnaires.map((questionnaire) => ({
          ...engine.windowOf(session.id, questionnaire.id),
          title: questionnaire.title,
          questions: questionnaire.questions.length,
          ...results.questionnaires.find((result) => result.id === questionnaire.id),
          link: questionnaireLink(joinUrl(), session.id, questionnaire.id),
        })),
      })
    } catch (error) {
      if (!(error instanceof UnknownSession)) throw error
      res.status(404).json({ error: error.message })
    }
  })
  router.post('/api/questionnaires/:id', express.json({ limit: '2kb' }), async (req, res) => {
    // Changing a window is the presenter's, whatever RESULTS_PUBLIC says.
    if (!isPresenter(req)) {
      return void res.status(401).json({ error: 'Opening and closing questionnaires needs the presenter secret.' })
    }
    const payload = parse(WindowSchema, { ...req.body, questionnaireId: req.params.id })
    if (!payload.ok) return void res.status(400).json({ error: payload.error })
    const result = await engine.changeWindow(payload.value)
    if (!result.ok) return void res.status(409).json({ error: result.error })
    const sessionId = payload.value.sessionId ?? engine.session.id
    res.json({
      ...engine.windowOf(sessionId, payload.value.questionnaireId),
      link: questionnaireLink(joinUrl(), sessionId, payload.value.questionnaireId),
    })
  })
  router.get('/api/sessions/:session/journey', mayExport, async (req, res) => {
    const results = await withSession(req, res)
    if (results) res.json(results.journey ?? null)
  })
  router.get('/healthz', (req, res) => {
    res.json({
      ok: true,
      // A session's name may say who is in the room: not for outsiders when it has a code.
      ...(roomRefusal(req) ? {} : { session: engine.session }),
      polls: engine.views().length,
      uptimeS: Math.round(process.uptime()),
    })
  })
  // The join address; the presenter's deck (the projector) also gets the room code, in it.
  router.get('/api/join', (req, res) => {
    if (!room || !isPresenter(req)) return void res.json({ url: joinUrl(), ...(room ? { roomCode: true } : {}) })
    res.json({ url: `${joinUrl()}?room=${room.code}`, roomCode: spacedRoomCode(room.code) })
  })
  router.get('/api/polls', inTheRoom, (_req, res) => {
    res.json({
      session: engine.session,
      followSlides: engine.followSlides,
      approveQuestions: engine.approveQuestions,
      polls: engine.views().map((poll) => pollResults(engine, poll.id)),
    })
  })
  /** The room's questions and open answers as the room may read them (the slides' PDF export reads this). */
  router.get('/api/cards', inTheRoom, (_req, res) => {
    res.json({ cards: engine.cards('room'), held: engine.held() })
  })
  router.get('/api/polls/:id', inTheRoom, (req, res) => {
    const results = pollResults(engine, String(req.params.id))
    if (!results)
      return void res.status(404).json({ error: `There is no poll "${String(req.params.id).slice(0, 60)}".` })
    res.json(results)
  })
  router.use('/api', (_req, res) => {
    res.status(404).json({ error: 'Unknown API route.' })
  })
  return router
}

/** The phone page. */
export function voterRoutes({ voterPage, trustProxy }: Pick<AppOptions, 'voterPage' | 'trustProxy'>): express.Router {
  const router = express.Router()
  const sendVoterPage = (req: Request, res: Response) => {
    res.set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-cache',
      Vary: 'Accept-Encoding',
    })
    if (req.acceptsEncodings('gzip')) res.set('Content-Encoding', 'gzip').send(voterPage.gzipped)
    else res.send(voterPage.html)
  }
  router.get(['/vote', '/v'], inlinePagePolicy(voterPage.html.toString(), trustProxy), sendVoterPage)
  return router
}

/** The link to send for a questionnaire: the phone page, opened on that session's questionnaire. */
export function questionnaireLink(joinUrl: string, sessionId: number, questionnaireId: string): string {
  return `${joinUrl}?s=${sessionId}&q=${questionnaireId}`
}

export function deckIsBuilt(deckDir: string): boolean {
  return existsSync(join(deckDir, 'index.html'))
}
