// The HTTP side of `npm start`: the deck, the phone page, the presenter link and the results API,
// all on the one port that the realtime channel also uses.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import express, { type NextFunction, type Request, type Response } from 'express'
import type { PollEngine } from './engine.ts'
import { type PollResults, parse, WindowSchema } from './protocol.ts'
import { findSession, pollHistory, resultsCsv, roomsResults, sessionResults, UnknownSession } from './results.ts'
import { bearer, isPresenter, PRESENTER_COOKIE } from './secret.ts'
import type { Store } from './store.ts'
import type { VoterPage } from './voter-page.ts'

export interface AppOptions {
  engine: PollEngine
  store: Store
  /** Results exports without the presenter secret (RESULTS_PUBLIC). */
  resultsPublic?: boolean
  voterPage: VoterPage
  secret: string
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
  app.use(apiRoutes(options))
  app.use(voterRoutes(options))

  const { deckDir } = options
  if (deckDir) {
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

type ApiOptions = Pick<AppOptions, 'engine' | 'store' | 'joinUrl' | 'secret' | 'resultsPublic'>

/** JSON routes shared by `npm start` and the Vite dev server. */
export function apiRoutes({ engine, store, joinUrl, secret, resultsPublic }: ApiOptions): express.Router {
  const router = express.Router()
  // Exports need the presenter: `Authorization: Bearer <secret>`, or the presenter's cookie.
  const mayExport = (req: Request, res: Response, next: NextFunction) => {
    if (resultsPublic || isPresenter(secret, bearer(req.headers.authorization), req.headers.cookie)) return next()
    res.status(401).set('WWW-Authenticate', 'Bearer').json({
      error:
        'Results need the presenter secret: send "Authorization: Bearer <secret>", or start with RESULTS_PUBLIC=1.',
    })
  }
  const withSession = async (req: Request, res: Response) => {
    try {
      const session = await findSession(store, String(req.params.session))
      const results = await sessionResults(store, engine.polls, session, engine.followUp)
      // With RESULTS_PUBLIC anyone may export: the room's share only, as on the slides.
      return isPresenter(secret, bearer(req.headers.authorization), req.headers.cookie)
        ? results
        : roomsResults(results)
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
    if (!isPresenter(secret, bearer(req.headers.authorization), req.headers.cookie)) {
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
  router.get('/healthz', (_req, res) => {
    res.json({
      ok: true,
      session: engine.session,
      polls: engine.views().length,
      uptimeS: Math.round(process.uptime()),
    })
  })
  router.get('/api/join', (_req, res) => {
    res.json({ url: joinUrl() })
  })
  router.get('/api/polls', (_req, res) => {
    res.json({
      session: engine.session,
      followSlides: engine.followSlides,
      approveQuestions: engine.approveQuestions,
      polls: engine.views().map((poll) => pollResults(engine, poll.id)),
    })
  })
  /** The room's questions and open answers as the room may read them (the slides' PDF export reads this). */
  router.get('/api/cards', (_req, res) => {
    res.json({ cards: engine.cards('room'), held: engine.held() })
  })
  router.get('/api/polls/:id', (req, res) => {
    const results = pollResults(engine, req.params.id)
    if (!results)
      return void res.status(404).json({ error: `There is no poll "${String(req.params.id).slice(0, 60)}".` })
    res.json(results)
  })
  router.use('/api', (_req, res) => {
    res.status(404).json({ error: 'Unknown API route.' })
  })
  return router
}

/** The phone page and the presenter link. */
export function voterRoutes({ voterPage, secret }: Pick<AppOptions, 'voterPage' | 'secret'>): express.Router {
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
  router.get(['/vote', '/v'], sendVoterPage)

  // The printed presenter link: trades the secret for an HttpOnly cookie, then opens Slidev's
  // presenter mode. The deck's poll controls work only in a browser that holds the cookie.
  router.get('/present', (req, res) => {
    const key = typeof req.query.key === 'string' ? req.query.key : undefined
    if (!isPresenter(secret, key)) {
      return void res
        .status(403)
        .type('text')
        .send('This presenter link is not valid. Use the link printed by `npm start`.')
    }
    res.cookie(PRESENTER_COOKIE, secret, { httpOnly: true, sameSite: 'strict', path: '/' })
    res.redirect(302, '/presenter/1')
  })
  return router
}

/** The link to send for a questionnaire: the phone page, opened on that session's questionnaire. */
export function questionnaireLink(joinUrl: string, sessionId: number, questionnaireId: string): string {
  return `${joinUrl}?s=${sessionId}&q=${questionnaireId}`
}

export function deckIsBuilt(deckDir: string): boolean {
  return existsSync(join(deckDir, 'index.html'))
}
