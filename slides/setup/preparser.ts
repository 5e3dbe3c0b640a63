// Quiz answers are declared next to their poll (`correct:` and `explain:` in the slide's
// frontmatter) but must not reach attendees before the reveal, and Slidev ships each slide's raw
// frontmatter in the deck. This drops those entries from the lines Slidev sees; the server reads
// the files itself and keeps them. Write each on one line or as an indented block.
export default function stripQuizAnswers() {
  return [
    {
      name: 'workshop-kit:strip-quiz-answers',
      transformRawLines(lines: string[]) {
        let inFrontmatter = false
        for (let i = 0; i < lines.length; i++) {
          const line = lines[i] ?? ''
          if (line.trimEnd() === '---') inFrontmatter = !inFrontmatter
          const key = inFrontmatter ? /^(\s+)(correct|explain):/.exec(line) : null
          if (!key) continue
          const indent = key[1]?.length ?? 0
          let end = i + 1
          while (end < lines.length && /^\s*$|^\s+/.test(lines[end] ?? '') && (lines[end]?.search(/\S/) ?? 0) > indent)
            end++
          lines.splice(i, end - i)
          i--
        }
      },
    },
  ]
}
