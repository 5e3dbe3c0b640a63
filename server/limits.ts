// Limits on everything that comes in and goes out. No dependencies, so the phone page and the
// deck's components import the same numbers the server enforces.
export const LIMITS = {
  /** Largest Socket.IO message the server accepts, in bytes. */
  maxMessageBytes: 4 * 1024,
  /** Messages per second one connection may send before it is told to slow down. */
  messagesPerSecond: 20,
  /** Burst allowance on top of the steady rate. */
  messageBurst: 40,
  /** Tallies go to decks at most this often (ms): coalesced, never one broadcast per vote. */
  tallyIntervalMs: 50,
  optionsPerPoll: 12,
  labelLength: 80,
  questionLength: 200,
  /** Longest answer a word poll may accept. */
  wordLength: 60,
  /** Longest action step a participant may write. */
  stepLength: 200,
  /** Words shown in a cloud; the long tail stays in the export. */
  cloudWords: 40,
  /** Reactions one participant may send in a window, and the window (ms). */
  reactionsPerWindow: 5,
  reactionWindowMs: 3000,
  /** Longest question from the room or open answer (a sentence or two). */
  cardLength: 280,
  /** Longest name an attendee may sign a question with. */
  nameLength: 40,
  /** Questions one participant may post in a window, the window (ms), and in a whole session. */
  postsPerWindow: 3,
  postWindowMs: 60_000,
  postsPerSession: 20,
  /** Open answers one participant may post to one `text` poll, at most. */
  answersPerPoll: 3,
  /** Questions, cards and counts reach the presenter at most this often (ms)... */
  cardIntervalMs: 250,
  /** ...and the room (phones, other decks) at most this often: an upvote storm in a big room. */
  roomCardIntervalMs: 1000,
  /** Cards the room receives per wall: the top ones in the room's order (the rest stay in exports). */
  roomCards: 40,
  /** "+30 s" on a timed poll, and the longest timer an author may declare (s). */
  timerExtendSeconds: 30,
  timerMaxSeconds: 3600,
  /** Options a ranking may have, and items a 2×2 may place. */
  rankingOptions: 8,
  matrixItems: 6,
  /** A 2×2's scales run from 0 to this. */
  matrixSteps: 10,
} as const
