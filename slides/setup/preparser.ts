// What the built deck must not carry (notes are left out by `slidev build --without-notes`).
// Quiz answers are declared next to their poll (`correct:` and `explain:` in the slide's
// frontmatter) but must not reach attendees before the reveal, and Slidev ships each slide's raw
// frontmatter in the deck. This drops those entries from the lines Slidev builds the deck from.
// The poll server reads the same files through the same parser without a `mode` (Slidev always
// passes one: dev, build or export), and so keeps the answers. Write each entry on one line or
// as an indented block under `poll:`.
const SECRET_KEY = /^(\s+)(correct|explain):/
const FENCE = /^---\s*$/

export function stripQuizAnswers(lines: string[]): void {
  let inFrontmatter = false
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (FENCE.test(line)) {
      // Like Slidev: a fence opens frontmatter only when a non-blank line follows it.
      inFrontmatter = !inFrontmatter && /\S/.test(lines[i + 1] ?? '') && !FENCE.test(lines[i + 1] ?? '')
      continue
    }
    const key = inFrontmatter ? SECRET_KEY.exec(line) : null
    if (!key) continue
    const indent = key[1]?.length ?? 0
    let end = i + 1
    while (end < lines.length && (lines[end]?.search(/\S/) ?? -1) > indent) end++
    lines.splice(i, end - i)
    i--
  }
}

/**
 * A slide with `presenterOnly: true` in its own frontmatter is the presenter's: the deck keeps
 * its place (the windows stay in step) but shows the room a holding slide; its content reaches
 * the presenter view from the server (server/presenter-notes.ts), never the built deck.
 */
export function presenterOnlyContent(_content: string, frontmatter: Record<string, unknown>): string | undefined {
  if (frontmatter.presenterOnly !== true) return undefined
  // Slidev titles a slide by its first heading, and the title is in the built deck: not this one's.
  frontmatter.title = 'Presenter only'
  return '<PresenterOnly />'
}

export default function presenterContentSetup({ mode }: { mode?: string } = {}) {
  if (!mode) return []
  return [
    { name: 'workshop-kit:strip-quiz-answers', transformRawLines: stripQuizAnswers },
    { name: 'workshop-kit:presenter-only-slides', transformSlide: presenterOnlyContent },
  ]
}
