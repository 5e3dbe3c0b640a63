// The poll engine: poll states, votes and tallies for the current session, independent of any
// transport. All changes run one after another on a single queue, so a vote and a presenter
// action never interleave; votes that arrive together are written in one durable batch and
// only then acknowledged. The in-memory state changes in one place only: applying the store's
// log of changes (see store.ts), which is how every process sharing a store stays identical.
import { EventEmitter } from 'node:events'
import { orderAnswers, orderQuestions } from './answers.ts'
import { CardBoard, cardId, cardView, type Reader } from './cards.ts'
import { LIMITS } from './limits.ts'
import { type PollDefinition, parseAnswer } from './poll-definition.ts'
import type {
  Ack,
  CardView,
  ControlPayload,
  HeldCount,
  ModeratePayload,
  PollView,
  PostPayload,
  QuestionnaireView,
  ReactPayload,
  SessionPayload,
  Takeaway,
  Tally,
  UpvotePayload,
  VotePayload,
  WindowPayload,
} from './protocol.ts'
import { type FollowUp, NO_FOLLOW_UP, type Questionnaire } from './questionnaire-definition.ts'
import {
  changed,
  isOpen as isWindowOpen,
  nextBoundary,
  parseQuestionAnswer,
  progress,
  questionnaireView,
  type WindowRecord,
  windowKey,
} from './questionnaires.ts'
import {
  type CardChange,
  type CardRecord,
  type Change,
  type Flag,
  isAfter,
  type PollRecord,
  type Position,
  type Session,
  type Store,
  type Vote,
} from './store.ts'
import { type PollTally, talliesFromSnapshot } from './tally.ts'
import { cleanLine, invisibleText, isInvisible } from './text.ts'
import { closed, countdownOf, hasEnded, isRunning, opened, timed } from './timer.ts'
import { normaliseWord } from './words.ts'

type Pending =
  | { type: 'vote'; vote: Vote; resolve: (result: Ack<{ answer: string[] }>) => void }
  | { type: 'tap'; pollId: string; emoji: string; resolve: (result: Ack) => void }
  | { type: 'card'; sessionId: number; card: CardRecord; resolve: (result: Ack<{ card: CardView }>) => void }
  | {
      type: 'upvote'
      cardId: string
      participantId: string
      on: boolean
      resolve: (result: Ack<{ upvotes: number }>) => void
    }

interface EngineEvents {
  /** A poll opened, closed or was revealed. */
  state: [PollView]
  /** Counts changed for these polls. */
  tally: [string[]]
  /** Reaction taps just counted, to float up on the slides. */
  taps: [{ pollId: string; emoji: string; count: number }[]]
  /** Votes that entered the tallies, in the order they did (what a deck's tally is a prefix of). */
  counted: [Vote[]]
  /** Questions or open answers changed (new, moderated, upvoted or removed), by id. */
  cards: [string[]]
  /** Something large changed (a reset, a new session): clients should resynchronise. */
  resync: []
  /** Everything under this participant id was deleted: its phones start afresh. */
  forgotten: [string]
}

/** Votes written in one durable step at most; more in one turn start the next batch. */
const MAX_BATCH = 500

/** How long a presenter action waits to see its own change come back from the store's log. */
const CATCH_UP_MS = 3000

const SAVE_FAILED = 'The change could not be saved; please try again.'
const NEW_SESSION = 'A new session has started: please answer again.'
const POLL_CLOSED = 'This poll is closed.'
const STOPPING = 'The poll server is stopping: your answer was not saved. Please send it again in a moment.'

export class PollEngine extends EventEmitter<EngineEvents> {
  private readonly definitions: Map<string, PollDefinition>
  private records = new Map<string, PollRecord>()
  private tallies = new Map<string, PollTally>()
  private readonly reactionWindows = new Map<string, { start: number; count: number }>()
  /** When each participant posted questions lately, for the rate limit. */
  private readonly postTimes = new Map<string, number[]>()
  private board = new CardBoard()
  /**
   * What the room reads of the board (each wall's top, the held counts), made once per change of
   * the cards rather than for every phone that connects.
   */
  private readonly roomTops = new Map<string | null, CardView[]>()
  private heldCounts: HeldCount[] | null = null
  /** One timer per running countdown: at zero, every process tells its clients the poll closed. */
  private readonly countdowns = new Map<string, NodeJS.Timeout>()
  private readonly questionnaires: Map<string, Questionnaire>
  /** Questionnaires' questions by key (`questionnaire/question`), tallied like polls. */
  private readonly questions: Map<string, PollDefinition>
  /** Every questionnaire window of every session (a pulse may follow an earlier session). */
  private windows = new Map<string, WindowRecord>()
  /** Tells phones when a window of the current session opens or closes by its dates. */
  private boundaryTimer: NodeJS.Timeout | null = null
  private sessionValue: Session | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private batch: Pending[] | null = null
  /** Polls open when their slide is shown and close when the presenter moves on. */
  followSlides = false
  /** New questions wait for the presenter's approval. */
  approveQuestions = false
  /** Last vote time handed out: votes are ordered by it, so it never goes back (clock steps). */
  private lastAt = 0
  /** Changes up to here are in the loaded snapshot; later ones are applied on top. */
  private loadedFrom: Position | null = null
  /** The newest change applied (or skipped as already loaded). */
  private appliedTo: Position = '0'
  /** While a snapshot loads, changes wait here and are applied after it. */
  private arriving: [Change, Position][] | null = null
  private loading: Promise<void> = Promise.resolve()
  private readonly catchingUp = new Set<{ position: Position; resolve: () => void }>()
  private stopping = false

  constructor(
    private readonly store: Store,
    definitions: readonly PollDefinition[],
    readonly followUp: FollowUp = NO_FOLLOW_UP,
  ) {
    super()
    this.definitions = new Map(definitions.map((poll) => [poll.id, poll]))
    this.questionnaires = new Map(followUp.questionnaires.map((questionnaire) => [questionnaire.id, questionnaire]))
    this.questions = new Map(
      followUp.questionnaires.flatMap((q) => q.questions).map((question) => [question.id, question]),
    )
    store.onChange((change, position) => this.receive(change, position))
  }

  /** Loads the current session from the store and rebuilds every tally. */
  async start(): Promise<this> {
    await this.load()
    // Whatever listens (the poll server) starts from the loaded state, as after any reload.
    this.emit('resync')
    return this
  }

  /**
   * Reads a session (the current one unless given) from the store. Changes that arrive while it
   * loads wait and are applied after it, those already in the snapshot being harmless to repeat.
   */
  private load(session?: Session): Promise<void> {
    this.arriving ??= []
    const run = this.loading.then(async () => {
      const position = await this.store.position()
      const current = session ?? (await this.store.currentSession())
      const snapshot = await this.store.loadSession(current.id)
      const windows = await this.store.loadWindows()
      const records = new Map<string, PollRecord>()
      for (const poll of this.definitions.values()) {
        records.set(poll.id, { pollId: poll.id, state: 'closed', openedAt: null, revealed: false })
      }
      for (const record of snapshot.polls) if (records.has(record.pollId)) records.set(record.pollId, record)
      this.sessionValue = current
      this.records = records
      this.tallies = talliesFromSnapshot([...this.definitions.values(), ...this.questions.values()], snapshot)
      this.windows = new Map(windows.map((window) => [windowKey(window.sessionId, window.questionnaireId), window]))
      this.scheduleBoundary()
      this.board = new CardBoard(snapshot)
      this.cardsMoved()
      this.followSlides = snapshot.followSlides
      this.approveQuestions = snapshot.approveQuestions
      this.reactionWindows.clear()
      this.postTimes.clear()
      for (const record of records.values()) this.scheduleCountdown(record)
      this.loadedFrom = position
    })
    const settled = run.catch((error: unknown) => console.error('Loading the session failed:', error))
    this.loading = settled
    void settled.then(() => {
      if (this.loading !== settled) return // a later load follows; it applies what waited
      const waiting = this.arriving ?? []
      this.arriving = null
      for (const [change, position] of waiting) this.receive(change, position)
    })
    return run
  }

  /** A change from the store's log, in log order: this process's own and every other's. */
  private receive(change: Change, position: Position): void {
    if (this.arriving) {
      this.arriving.push([change, position])
      return
    }
    if (this.sessionValue && (!this.loadedFrom || isAfter(position, this.loadedFrom))) {
      if (
        change.type === 'gap' ||
        change.type === 'forget' ||
        change.type === 'purge' ||
        (change.type === 'session' && change.session.id !== this.session.id)
      ) {
        // Another session is now current, the log has a hole, or data was deleted (with the
        // log's copies of it): read everything again.
        if (change.type === 'forget') this.emit('forgotten', change.participantId)
        void this.load(change.type === 'session' ? change.session : undefined)
        void this.loading.then(() => {
          this.emit('resync')
          this.advance(position)
        })
        return
      }
      this.apply(change)
    }
    this.advance(position)
  }

  private advance(position: Position): void {
    if (isAfter(position, this.appliedTo)) this.appliedTo = position
    for (const waiter of this.catchingUp) {
      if (!isAfter(waiter.position, this.appliedTo)) {
        this.catchingUp.delete(waiter)
        waiter.resolve()
      }
    }
  }

  /** Resolves once this process has applied the log up to `position` (or after a bounded wait). */
  private caughtUp(position: Position): Promise<void> {
    if (!isAfter(position, this.appliedTo)) return Promise.resolve()
    return new Promise((resolve) => {
      const waiter = { position, resolve: () => resolve() }
      this.catchingUp.add(waiter)
      setTimeout(() => {
        // The change is durable; this process will show it once the log reaches it.
        this.catchingUp.delete(waiter)
        resolve()
      }, CATCH_UP_MS).unref()
    })
  }

  /** Applies one change to the in-memory state and tells the clients. */
  private apply(change: Exclude<Change, { type: 'gap' | 'forget' | 'purge' }>): void {
    if (change.type === 'session') {
      this.sessionValue = change.session
      this.emit('resync')
      return
    }
    if (change.type === 'window') {
      const { window } = change
      this.windows.set(windowKey(window.sessionId, window.questionnaireId), window)
      this.scheduleBoundary()
      if (window.sessionId === this.session.id) this.emit('resync')
      return
    }
    // Presenter sessions are not the engine's: server/presenter-sessions.ts applies those.
    if (change.type === 'presenter' || change.type === 'presenters-revoked') return
    if (change.sessionId !== this.session.id) return
    switch (change.type) {
      case 'votes': {
        const counted = change.votes.filter((vote) => this.tallies.get(vote.pollId)?.apply(vote))
        if (counted.length === 0) return
        this.emit('counted', counted)
        this.emit('tally', [...new Set(counted.map((vote) => vote.pollId))])
        return
      }
      case 'reactions':
        for (const { pollId, emoji, count } of change.reactions) this.tallies.get(pollId)?.setTaps(emoji, count)
        this.emit('tally', [...new Set(change.reactions.map((reaction) => reaction.pollId))])
        this.emit(
          'taps',
          change.reactions.map(({ pollId, emoji, added }) => ({ pollId, emoji, count: added })),
        )
        return
      case 'poll': {
        const { record } = change
        // A process with other slides (a rolling update) may know polls this one does not.
        if (!this.definitions.has(record.pollId)) return
        this.records.set(record.pollId, record)
        this.scheduleCountdown(record)
        if (change.cleared) {
          this.tallies.get(record.pollId)?.clear()
          const removed = this.board.clear(record.pollId)
          this.cardsMoved()
          if (removed.length) this.emit('cards', removed)
        }
        this.emit('state', this.view(record.pollId) as PollView)
        this.emit('tally', [record.pollId])
        // Phones that answered must forget their answer: a full sync tells them.
        if (change.cleared) this.emit('resync')
        return
      }
      case 'hide':
        this.tallies.get(change.pollId)?.hide(change.word)
        this.emit('tally', [change.pollId])
        return
      case 'flag':
        this[change.flag] = change.on
        this.emit('resync')
        return
      case 'cards':
        this.cardsChanged(this.board.add(change.cards))
        return
      case 'card':
        if (this.board.set(change.card)) this.cardsChanged([change.card.id])
        return
      case 'upvotes':
        this.cardsChanged(this.board.upvote(change.upvotes))
        return
    }
  }

  /** Tells the clients which cards changed, and the open-answer walls' new totals. */
  private cardsChanged(ids: string[]): void {
    if (ids.length === 0) return
    this.cardsMoved()
    this.emit('cards', ids)
    const walls = new Set(ids.map((id) => this.board.get(id)?.pollId).filter((id): id is string => !!id))
    if (walls.size) this.emit('tally', [...walls])
  }

  /**
   * A running countdown ends by itself: every process reads the poll as closed from then on (no
   * write needed, so no two processes race to close it) and tells its clients when it happens.
   */
  private scheduleCountdown(record: PollRecord): void {
    clearTimeout(this.countdowns.get(record.pollId))
    this.countdowns.delete(record.pollId)
    if (!isRunning(record)) return
    const wait = Math.max(0, (record.closesAt ?? 0) - Date.now()) + 5
    const timer = setTimeout(() => {
      this.countdowns.delete(record.pollId)
      if (this.records.get(record.pollId) === record) this.emit('state', this.view(record.pollId) as PollView)
    }, wait)
    timer.unref()
    this.countdowns.set(record.pollId, timer)
  }

  /** At the next date a window of this session opens or closes, phones are told (every process alike). */
  private scheduleBoundary(): void {
    if (this.boundaryTimer) clearTimeout(this.boundaryTimer)
    this.boundaryTimer = null
    if (this.stopping || !this.sessionValue) return
    const current = [...this.windows.values()].filter((window) => window.sessionId === this.session.id)
    const next = nextBoundary(current)
    if (next === null) return
    // Timers hold at most ~24 days; a later date is looked at again then.
    const wait = Math.min(next - Date.now() + 5, 2 ** 31 - 1)
    this.boundaryTimer = setTimeout(() => {
      this.scheduleBoundary()
      this.emit('resync')
    }, wait)
    this.boundaryTimer.unref()
  }

  get session(): Session {
    if (!this.sessionValue) throw new Error('PollEngine.start() has not been awaited')
    return this.sessionValue
  }

  get polls(): PollDefinition[] {
    return [...this.definitions.values()]
  }

  view(pollId: string): PollView | undefined {
    const poll = this.definitions.get(pollId)
    const record = this.records.get(pollId)
    if (!poll || !record) return undefined
    const { correct, explain, ...rest } = poll
    const open = this.isOpen(pollId)
    return {
      ...rest,
      state: open ? 'open' : 'closed',
      openedAt: record.openedAt,
      revealed: record.revealed,
      countdown: open ? countdownOf(record) : null,
      ...(record.revealed ? { correct, explain } : {}),
    }
  }

  views(): PollView[] {
    return [...this.definitions.keys()].map((id) => this.view(id) as PollView)
  }

  tally(pollId: string): Tally | undefined {
    const tally = this.tallies.get(pollId)?.toTally(this.records.get(pollId)?.revealed ?? false)
    // Open answers live on the card board: the total is how many the room can read.
    if (tally && this.definitions.get(pollId)?.kind === 'text') {
      return { ...tally, total: this.board.shown(pollId) }
    }
    return tally
  }

  /**
   * Cards as a reader may see them: the presenter every card; the room the top of each wall
   * (LIMITS.roomCards, in the room's order), and a voter its own cards too, held ones included.
   */
  cards(reader: Reader, participantId?: string | null): CardView[] {
    if (reader === 'presenter') return this.board.all()
    const views = new Map<string, CardView>()
    for (const wall of this.board.walls()) for (const card of this.roomTop(wall)) views.set(card.id, card)
    for (const id of participantId ? this.board.mine(participantId) : []) {
      views.set(id, this.board.view(id, 'presenter') as CardView)
    }
    return [...views.values()]
  }

  /** The cards of one wall the room receives: the top ones, in the room's order. */
  roomTop(wall: string | null): CardView[] {
    let top = this.roomTops.get(wall)
    if (!top) {
      const shown = this.board.shownOn(wall)
      const poll = wall ? this.definitions.get(wall) : undefined
      top = (poll ? orderAnswers(shown, poll.order ?? 'liked') : orderQuestions(shown)).slice(0, LIMITS.roomCards)
      this.roomTops.set(wall, top)
    }
    return top
  }

  /** The cards changed: what the room reads of them is made anew when next asked. */
  private cardsMoved(): void {
    this.roomTops.clear()
    this.heldCounts = null
  }

  /** The walls that hold cards (null: the questions). */
  walls(): (string | null)[] {
    return this.board.walls()
  }

  /** The wall a card is on (null: the questions), or undefined for a card not held. */
  wallOf(id: string): string | null | undefined {
    return this.board.get(id)?.pollId
  }

  card(id: string, reader: Reader): CardView | undefined {
    return this.board.view(id, reader)
  }

  /** Who posted a card (its author reads it whole, wherever it stands). */
  authorOf(id: string): string | undefined {
    return this.board.get(id)?.participantId
  }

  held(): HeldCount[] {
    this.heldCounts ??= this.board.held()
    return this.heldCounts
  }

  myCards(participantId: string): string[] {
    return this.board.mine(participantId)
  }

  myUpvotes(participantId: string): string[] {
    return this.board.upvotedBy(participantId)
  }

  /** Every card of a wall (null: the questions) with hidden ones marked, for exports. */
  cardResults(pollId: string | null) {
    return this.board.results(pollId)
  }

  /** Every poll's tally, and every questionnaire question's for this session (for decks). */
  allTallies(): Tally[] {
    return [...this.definitions.keys(), ...this.questions.keys()].map((id) => this.tally(id) as Tally)
  }

  /** This participant's answers, by poll id (for a phone that reconnects). */
  answersOf(participantId: string): Record<string, string[]> {
    const mine: Record<string, string[]> = {}
    for (const [pollId, tally] of this.tallies) {
      const answer = tally.answerOf(participantId)
      if (answer !== undefined) mine[pollId] = answer
    }
    return mine
  }

  takeaway(participantId: string): Takeaway {
    const polls = this.views()
      .filter((poll) => poll.kind !== 'steps')
      .map((poll) => ({ ...poll, tally: this.tally(poll.id) as Tally }))
    return {
      session: this.session,
      polls,
      mine: this.answersOf(participantId),
      cards: this.cards('room'),
      myCards: this.board.mine(participantId),
      questionnaires: this.questionnaireViews('room').filter((view) =>
        view.questions.some((question) => this.tallies.get(question.id)?.answerOf(participantId)),
      ),
    }
  }

  /**
   * The questionnaires of this session: every declared one for presenters (with how many
   * answered) and decks; the open ones for the room's phones.
   */
  questionnaireViews(reader: Reader | 'phone'): QuestionnaireView[] {
    const views: QuestionnaireView[] = []
    for (const questionnaire of this.questionnaires.values()) {
      const view = this.questionnaireView(questionnaire, this.session.id)
      if (reader === 'phone' && !view.open) continue
      if (reader === 'presenter')
        view.progress = progress(questionnaire, (id) => this.tallies.get(id)?.respondents() ?? [])
      views.push(view)
    }
    return views
  }

  private questionnaireView(questionnaire: Questionnaire, sessionId: number): QuestionnaireView {
    return questionnaireView(questionnaire, this.windowOf(sessionId, questionnaire.id))
  }

  /** A questionnaire's window for a session (never opened: both dates null), and whether it is open now. */
  windowOf(sessionId: number, questionnaireId: string): WindowRecord & { open: boolean } {
    const window = this.windows.get(windowKey(sessionId, questionnaireId)) ?? {
      sessionId,
      questionnaireId,
      opensAt: null,
      closesAt: null,
    }
    return { ...window, open: isWindowOpen(window) }
  }

  /** One questionnaire of a session, with this participant's answers to it (to resume, or go back). */
  async questionnaire(
    participantId: string,
    { questionnaireId, sessionId = this.session.id }: { questionnaireId: string; sessionId?: number },
  ): Promise<Ack<{ questionnaire: QuestionnaireView; mine: Record<string, string[]> }>> {
    const questionnaire = this.questionnaires.get(questionnaireId)
    if (!questionnaire) return { ok: false, error: `There is no questionnaire "${questionnaireId}".` }
    const view = this.questionnaireView(questionnaire, sessionId)
    if (!view.opensAt) return { ok: false, error: 'This questionnaire has not been opened yet.' }
    const mine: Record<string, string[]> = {}
    if (sessionId === this.session.id) {
      for (const { id } of questionnaire.questions) {
        const answer = this.tallies.get(id)?.answerOf(participantId)
        if (answer) mine[id] = answer
      }
    } else {
      // An earlier session (a pulse after the next cohort started): its answers are in the store.
      const { votes } = await this.store.loadSession(sessionId)
      for (const vote of votes) {
        if (vote.participantId === participantId && vote.pollId.startsWith(`${questionnaireId}/`)) {
          mine[vote.pollId] = vote.answer
        }
      }
    }
    return { ok: true, questionnaire: view, mine }
  }

  /** The facilitator opens, closes or schedules a questionnaire (for this session unless named). */
  changeWindow(payload: WindowPayload): Promise<Ack> {
    return this.serially(async () => {
      const questionnaire = this.questionnaires.get(payload.questionnaireId)
      if (!questionnaire)
        return { ok: false as const, error: `There is no questionnaire "${payload.questionnaireId}".` }
      const sessionId = payload.sessionId ?? this.session.id
      if (!(await this.store.listSessions()).some((session) => session.id === sessionId)) {
        return { ok: false as const, error: `There is no session ${sessionId}.` }
      }
      const { open: _, ...window } = this.windowOf(sessionId, questionnaire.id)
      const next = changed(questionnaire, window, payload)
      if (typeof next === 'string') return { ok: false as const, error: next }
      await this.caughtUp(await this.store.setWindow(next))
      return { ok: true as const }
    })
  }

  /** Deletes everything stored under this participant id, on every process. */
  forget(participantId: string): Promise<Ack> {
    return this.serially(async () => {
      await this.caughtUp(await this.store.forgetParticipant(participantId))
      await this.loading
      return { ok: true as const }
    })
  }

  /** Whether a personal code typed on another device names someone with stored answers. */
  async knows(code: string): Promise<boolean> {
    return this.store.hasParticipant(code)
  }

  /** Resolves once the vote is on disk (ok) or refused (with the reason). */
  vote(participantId: string, payload: VotePayload): Promise<Ack<{ answer: string[] }>> {
    if (this.stopping) return Promise.resolve({ ok: false, error: STOPPING })
    const question = this.questions.get(payload.pollId)
    const poll = question ?? this.definitions.get(payload.pollId)
    if (!poll) return Promise.resolve({ ok: false, error: `There is no poll "${payload.pollId}".` })
    if (!question && payload.sessionId !== undefined) {
      return Promise.resolve({ ok: false, error: 'Live polls take answers for the current session only.' })
    }
    const answer = question ? parseQuestionAnswer(question, payload.answer) : parseAnswer(poll, payload.answer)
    if (!answer.ok) return Promise.resolve(answer)
    return new Promise((resolve) => {
      const vote: Vote = {
        sessionId: payload.sessionId ?? this.session.id,
        pollId: poll.id,
        participantId,
        answer: answer.value,
        voteId: payload.voteId,
        at: this.tick(),
      }
      this.pending().push({ type: 'vote', vote, resolve })
    })
  }

  /** A reaction tap, limited per participant so one phone cannot flood the slide. */
  react(participantId: string, { pollId, emoji }: ReactPayload): Promise<Ack> {
    if (this.stopping) return Promise.resolve({ ok: false, error: STOPPING })
    const poll = this.definitions.get(pollId)
    if (!poll) return Promise.resolve({ ok: false, error: `There is no poll "${pollId}".` })
    if (poll.kind !== 'reactions')
      return Promise.resolve({ ok: false, error: 'This poll takes answers, not reactions.' })
    if (!poll.options.some((option) => option.id === emoji)) {
      return Promise.resolve({ ok: false, error: 'That reaction is not offered here.' })
    }
    const now = Date.now()
    const window = this.reactionWindows.get(participantId)
    if (!window || now - window.start > LIMITS.reactionWindowMs) {
      this.reactionWindows.set(participantId, { start: now, count: 1 })
    } else if (++window.count > LIMITS.reactionsPerWindow) {
      return Promise.resolve({ ok: false, error: 'Easy there: a few reactions at a time.' })
    }
    return new Promise((resolve) => this.pending().push({ type: 'tap', pollId, emoji, resolve }))
  }

  control(payload: ControlPayload): Promise<Ack> {
    return this.serially(() => this.applyControl(payload))
  }

  changeSession(payload: SessionPayload): Promise<Ack<{ session: Session }>> {
    return this.serially(async () => {
      const session =
        payload.action === 'start'
          ? await this.store.startSession(payload.name)
          : await this.store.renameSession(this.session.id, payload.name)
      await this.caughtUp(await this.store.position())
      await this.loading
      return { ok: true as const, session }
    })
  }

  setFlag(flag: Flag, on: boolean): Promise<Ack> {
    return this.serially(async () => {
      await this.caughtUp(await this.store.setFlag(this.session.id, flag, on))
      return { ok: true as const }
    })
  }

  /**
   * A question to the room (no pollId) or an open answer to a `text` poll. Resolves once the card
   * is on disk, with the card as its author sees it (held until approved, in approve-first mode).
   */
  post(participantId: string, payload: PostPayload): Promise<Ack<{ card: CardView }>> {
    if (this.stopping) return Promise.resolve({ ok: false, error: STOPPING })
    const refuse = (error: string) => Promise.resolve({ ok: false as const, error })
    const pollId = payload.pollId ?? null
    const poll = pollId ? this.definitions.get(pollId) : undefined
    if (pollId && poll?.kind !== 'text') return refuse(`There is no open-answer poll "${pollId}".`)
    const id = cardId(participantId, payload.postId)
    const existing = this.board.view(id, 'presenter')
    if (existing) return Promise.resolve({ ok: true, card: existing }) // a retry: stored already
    const text = cleanLine(payload.text)
    const name = cleanLine(payload.name ?? '')
    const maxLength = poll?.maxLength ?? LIMITS.cardLength
    if (!text) return refuse(poll ? 'Write your answer first.' : 'Write your question first.')
    if (isInvisible(text)) return refuse(invisibleText(poll ? 'answer' : 'question'))
    if (name && isInvisible(name)) return refuse(invisibleText('name'))
    if (text.length > maxLength) return refuse(`Keep it under ${maxLength} characters.`)
    if (name.length > LIMITS.nameLength) return refuse(`Keep your name under ${LIMITS.nameLength} characters.`)
    if (/\p{Cc}/u.test(text + name)) return refuse('Use letters, digits and punctuation only.')
    if (poll) {
      if (!this.isOpen(poll.id)) return refuse('This poll is closed.')
      if (this.board.postedBy(participantId, poll.id) >= (poll.count ?? 1)) {
        return refuse(poll.count === 1 ? 'You have answered already.' : `You can post ${poll.count} answers here.`)
      }
    } else {
      if (this.board.postedBy(participantId, null) >= LIMITS.postsPerSession) {
        return refuse(`That makes ${LIMITS.postsPerSession} questions from you: thank you! Ask the rest aloud.`)
      }
      const now = Date.now()
      const recent = (this.postTimes.get(participantId) ?? []).filter((at) => now - at < LIMITS.postWindowMs)
      if (recent.length >= LIMITS.postsPerWindow)
        return refuse('Easy there: a few questions a minute. Try again shortly.')
      this.postTimes.set(participantId, [...recent, now])
    }
    const card: CardRecord = {
      id,
      pollId,
      participantId,
      text,
      name: name || null,
      at: this.tick(),
      status: !poll && this.approveQuestions ? 'waiting' : 'shown',
      pinned: false,
      answered: false,
    }
    return new Promise((resolve) => this.pending().push({ type: 'card', sessionId: this.session.id, card, resolve }))
  }

  /** An upvote on a shown question (a like on an open answer), or taking it back. */
  upvote(participantId: string, { cardId, on }: UpvotePayload): Promise<Ack<{ upvotes: number }>> {
    if (this.stopping) return Promise.resolve({ ok: false, error: STOPPING })
    if (this.board.get(cardId)?.status !== 'shown') {
      return Promise.resolve({ ok: false, error: 'That question or answer is not on the wall.' })
    }
    return new Promise((resolve) => this.pending().push({ type: 'upvote', cardId, participantId, on, resolve }))
  }

  /** The presenter's moderation of one card. */
  moderate({ cardId, action }: ModeratePayload): Promise<Ack> {
    return this.serially(async () => {
      if (!this.board.get(cardId)) return { ok: false as const, error: 'There is no such question or answer.' }
      const change: CardChange =
        action === 'hide' || action === 'show'
          ? { status: action === 'hide' ? 'hidden' : 'shown' }
          : action === 'pin' || action === 'unpin'
            ? { pinned: action === 'pin' }
            : { answered: action === 'answered' }
      await this.caughtUp(await this.store.moderateCard(this.session.id, cardId, change))
      return { ok: true as const }
    })
  }

  /** In follow mode, the poll on screen is the one open poll. */
  slideShown(pollId: string | null): Promise<Ack> {
    if (!this.followSlides) return Promise.resolve({ ok: true })
    return this.serially(async () => {
      // By the record's state, not whether a countdown ended: a deck that reconnects reports the
      // same slide again, and a timed poll that ran out there must not open for another round.
      for (const record of this.records.values()) {
        if (record.state === 'open' && record.pollId !== pollId) await this.setState(record.pollId, 'close')
      }
      if (pollId && this.records.get(pollId)?.state === 'closed') await this.setState(pollId, 'open')
      return { ok: true }
    })
  }

  private tick(): number {
    this.lastAt = Math.max(this.lastAt + 1, Date.now())
    return this.lastAt
  }

  /**
   * Stops taking answers and waits for every queued change to be written (before the store
   * closes): what was acknowledged is stored; what comes now is refused with a reason.
   */
  async drain(): Promise<void> {
    this.stopping = true
    this.batch = null
    for (const timer of this.countdowns.values()) clearTimeout(timer)
    this.countdowns.clear()
    if (this.boundaryTimer) clearTimeout(this.boundaryTimer)
    await this.queue
  }

  /**
   * The batch that new votes and taps join; it is written as one durable step on the queue.
   * Votes from other phones arrive in other I/O callbacks of the same event-loop turn, so the
   * batch stays open until that turn ends (setImmediate): a burst costs one write per turn, not
   * one per vote. A full batch closes early, so a long burst is acknowledged in steps.
   */
  private pending(): Pending[] {
    if (this.batch && this.batch.length >= MAX_BATCH) this.batch = null
    if (!this.batch) {
      const batch: Pending[] = []
      this.batch = batch
      this.enqueue(async () => {
        await new Promise((resolve) => setImmediate(resolve))
        if (this.batch === batch) this.batch = null
        await this.flush(batch)
      })
    }
    return this.batch
  }

  /** Runs after everything queued so far; votes that arrive later are judged after it. */
  private serially<T>(work: () => Promise<T>): Promise<T | { ok: false; error: string }> {
    if (this.stopping) return Promise.resolve({ ok: false as const, error: STOPPING })
    this.batch = null
    return this.enqueue(work).catch((error: unknown) => {
      console.error('A poll change failed:', error)
      return { ok: false as const, error: SAVE_FAILED }
    })
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work)
    // A failed step must not stop the queue; its caller sees the failure through `next`.
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Open, and its countdown (if any) has not reached zero. */
  private isOpen(pollId: string): boolean {
    const record = this.records.get(pollId)
    return record?.state === 'open' && !hasEnded(record)
  }

  /**
   * Writes a batch. Answers are acknowledged once durable; they reach the tallies (here and in
   * every other process) through the store's log.
   */
  private async flush(batch: Pending[]): Promise<void> {
    const votes: Extract<Pending, { type: 'vote' }>[] = []
    const taps: Extract<Pending, { type: 'tap' }>[] = []
    const cards = this.acceptedCards(batch)
    const upvotes = new Map<string, Extract<Pending, { type: 'upvote' }>[]>()
    for (const item of batch) {
      if (item.type === 'card') continue
      if (item.type === 'upvote') {
        // The last of one participant's taps on one card wins; the earlier ones get its answer.
        const key = `${item.cardId}\u0000${item.participantId}`
        upvotes.set(key, [...(upvotes.get(key) ?? []), item])
        continue
      }
      const pollId = item.type === 'vote' ? item.vote.pollId : item.pollId
      const closed = item.type === 'vote' ? this.closedTo(item.vote) : this.isOpen(pollId) ? null : POLL_CLOSED
      if (closed) item.resolve({ ok: false, error: closed })
      else if (item.type === 'tap') taps.push(item)
      else if (
        item.vote.sessionId === this.session.id &&
        this.tallies.get(pollId)?.isDuplicate(item.vote.participantId, item.vote.voteId)
      ) {
        item.resolve({ ok: true, answer: item.vote.answer })
      } else votes.push(item)
    }
    const tapCounts = new Map<string, { pollId: string; emoji: string; count: number }>()
    for (const { pollId, emoji } of taps) {
      const key = `${pollId}\u0000${emoji}`
      const entry = tapCounts.get(key) ?? { pollId, emoji, count: 0 }
      entry.count++
      tapCounts.set(key, entry)
    }
    // Each kind is saved separately: a failed write refuses only what it carried.
    const saved = async <T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> => {
      try {
        return { ok: true, value: await work() }
      } catch (error) {
        console.error('Saving failed:', error)
        return { ok: false }
      }
    }
    if (votes.length) {
      const { ok } = await saved(() => this.store.saveVotes(votes.map((item) => item.vote)))
      for (const { vote, resolve } of votes) resolve(ok ? { ok, answer: vote.answer } : { ok, error: SAVE_FAILED })
    }
    if (tapCounts.size) {
      const { ok } = await saved(() => this.store.addReactions(this.session.id, [...tapCounts.values()]))
      for (const tap of taps) tap.resolve(ok ? { ok } : { ok, error: SAVE_FAILED })
    }
    if (cards.length) {
      const { ok } = await saved(() =>
        this.store.saveCards(
          this.session.id,
          cards.map((item) => item.card),
        ),
      )
      for (const { card, resolve } of cards) {
        // The author sees the card whole, held or not.
        resolve(ok ? { ok, card: this.authorView(card) } : { ok, error: SAVE_FAILED })
      }
    }
    if (upvotes.size) await this.saveUpvotes([...upvotes.values()], saved)
  }

  /** Why a vote cannot be stored now (a closed poll or questionnaire, another session), or null. */
  private closedTo(vote: Vote): string | null {
    const question = this.questions.get(vote.pollId)
    if (question) {
      const questionnaireId = question.id.slice(0, question.id.indexOf('/'))
      return isWindowOpen(this.windows.get(windowKey(vote.sessionId, questionnaireId)))
        ? null
        : 'This questionnaire is closed: thank you, no more answers are needed.'
    }
    if (vote.sessionId !== this.session.id) return NEW_SESSION
    return this.isOpen(vote.pollId) ? null : POLL_CLOSED
  }

  /** Cards that may still be stored: the session, the poll and the per-person limits hold now. */
  private acceptedCards(batch: Pending[]): Extract<Pending, { type: 'card' }>[] {
    const accepted: Extract<Pending, { type: 'card' }>[] = []
    const inBatch = new Map<string, number>()
    for (const item of batch) {
      if (item.type !== 'card') continue
      const { card, resolve } = item
      const key = `${card.participantId}\u0000${card.pollId ?? ''}`
      const posted = this.board.postedBy(card.participantId, card.pollId) + (inBatch.get(key) ?? 0)
      const poll = card.pollId ? this.definitions.get(card.pollId) : undefined
      const original = accepted.find((other) => other.card.id === card.id)
      if (original) {
        // The same post twice in one batch (a retry): it gets the original's answer, once stored.
        const first = original.resolve
        original.resolve = (result) => {
          first(result)
          resolve(result)
        }
      } else if (item.sessionId !== this.session.id) resolve({ ok: false, error: NEW_SESSION })
      else if (this.board.get(card.id)) resolve({ ok: true, card: this.authorView(card) })
      else if (poll && !this.isOpen(poll.id)) resolve({ ok: false, error: 'This poll is closed.' })
      else if (posted >= (poll ? (poll.count ?? 1) : LIMITS.postsPerSession)) {
        resolve({ ok: false, error: poll ? 'You have answered already.' : 'You have asked enough for now.' })
      } else {
        inBatch.set(key, (inBatch.get(key) ?? 0) + 1)
        accepted.push(item)
      }
    }
    return accepted
  }

  /** The author's view: the card as stored, or as sent (the store's log may reach this process later). */
  private authorView(card: CardRecord): CardView {
    return this.board.view(card.id, 'presenter') ?? cardView(card, 0, 'presenter')
  }

  private async saveUpvotes(
    groups: Extract<Pending, { type: 'upvote' }>[][],
    saved: <T>(work: () => Promise<T>) => Promise<{ ok: true; value: T } | { ok: false }>,
  ): Promise<void> {
    const writes: Extract<Pending, { type: 'upvote' }>[][] = []
    for (const group of groups) {
      const last = group.at(-1) as Extract<Pending, { type: 'upvote' }>
      const reply = (result: Ack<{ upvotes: number }>) => {
        for (const item of group) item.resolve(result)
      }
      // Written even when this process already shows it: with Redis its view of its own last
      // write may lag, and giving or taking back an upvote twice changes nothing in the store.
      if (this.board.get(last.cardId)?.status !== 'shown') {
        reply({ ok: false, error: 'That question or answer is not on the wall.' })
      } else writes.push(group)
    }
    if (writes.length === 0) return
    const lasts = writes.map((group) => group.at(-1) as Extract<Pending, { type: 'upvote' }>)
    const result = await saved(() =>
      this.store.saveUpvotes(
        this.session.id,
        lasts.map(({ cardId, participantId, on }) => ({ cardId, participantId, on })),
      ),
    )
    writes.forEach((group, i) => {
      const count = result.ok ? result.value[i]?.upvotes : undefined
      for (const item of group) {
        item.resolve(count === undefined ? { ok: false, error: SAVE_FAILED } : { ok: true, upvotes: count })
      }
    })
  }

  private async setState(pollId: string, action: 'open' | 'close' | 'reveal'): Promise<void> {
    const record = this.records.get(pollId) as PollRecord
    const open = this.isOpen(pollId)
    let next: PollRecord
    if (action === 'reveal') {
      if (record.revealed) return
      next = { ...record, revealed: true }
    } else if (action === 'open') {
      if (open) return // opening an open poll keeps its countdown
      next = opened(record, this.definitions.get(pollId)?.timer)
    } else {
      // A poll whose countdown ended reads as closed already; writing it so is still tidy.
      if (record.state === 'closed') return
      next = closed(record)
    }
    await this.caughtUp(await this.store.setPollState(this.session.id, next))
  }

  private async applyControl(payload: ControlPayload): Promise<Ack> {
    const { pollId } = payload
    const poll = this.definitions.get(pollId)
    const record = this.records.get(pollId)
    if (!poll || !record) return { ok: false, error: `There is no poll "${pollId}".` }
    switch (payload.action) {
      case 'reset':
        await this.caughtUp(await this.store.resetPoll(this.session.id, { ...record, revealed: false }))
        return { ok: true }
      case 'hide': {
        if (poll.kind !== 'words') return { ok: false, error: 'Only words can be hidden, in a word poll.' }
        await this.caughtUp(await this.store.hideWord(this.session.id, pollId, normaliseWord(payload.word)))
        return { ok: true }
      }
      case 'reveal':
      case 'open':
      case 'close':
        await this.setState(pollId, payload.action)
        return { ok: true }
      default: {
        if (!this.isOpen(pollId)) return { ok: false, error: 'The poll is not open.' }
        const next = timed(record, payload.action)
        if (typeof next === 'string') return { ok: false, error: next }
        await this.caughtUp(await this.store.setPollState(this.session.id, next))
        return { ok: true }
      }
    }
  }
}
