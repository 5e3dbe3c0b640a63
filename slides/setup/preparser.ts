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

export default function quizAnswerSetup({ mode }: { mode?: string } = {}) {
  if (!mode) return []
  return [{ name: 'workshop-kit:strip-quiz-answers', transformRawLines: stripQuizAnswers }]
}
