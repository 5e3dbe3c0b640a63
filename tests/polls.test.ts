// Poll declarations are read from slide frontmatter; mistakes name the file and the poll.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadPolls } from '../server/polls.ts'
import { tempDir } from './harness/system.ts'

let dir: ReturnType<typeof tempDir>
beforeEach(() => {
  dir = tempDir()
  mkdirSync(join(dir.path, 'sections'))
})
afterEach(() => dir.remove())

const write = (name: string, text: string) => writeFileSync(join(dir.path, name), text)
const hatSection = `---
poll:
  id: hat-start
  question: Which hat are you wearing right now?
  options: [Leading, Managing]
---
# Which hat?
<PollResults />
`

describe('loadPolls', () => {
  it('finds polls in sections imported by several decks, once', async () => {
    write('sections/hat.md', hatSection)
    write('workshop.md', '---\ntheme: default\n---\n# Title\n---\nsrc: ./sections/hat.md\n---\n')
    write('short.md', '---\ntheme: default\n---\n# Short\n---\nsrc: ./sections/hat.md\n---\n')
    const polls = await loadPolls(dir.path)
    expect(polls.map((p) => p.id)).toEqual(['hat-start'])
    expect(polls[0]?.options.map((o) => o.id)).toEqual(['leading', 'managing'])
  })

  it('names the file and the poll when a declaration is wrong', async () => {
    write('sections/bad.md', '---\npoll:\n  id: one-option\n  question: Q?\n  options: [Only]\n---\n# Bad\n')
    write('workshop.md', '---\ntheme: default\n---\n# Title\n---\nsrc: ./sections/bad.md\n---\n')
    await expect(loadPolls(dir.path)).rejects.toThrow(
      /workshop\.md, slide 2 \(from [^)]*sections\/bad\.md\): poll "one-option" is not valid \(options\): a poll needs at least two options\. A single poll is written like this:\n {4}poll:\n {6}id: lunch/,
    )
  })

  it('names the file when a 2×2 lacks its scales', async () => {
    write('sections/map.md', '---\npoll:\n  id: week-map\n  kind: matrix\n  question: Q?\n  items: [A]\n---\n# Map\n')
    write('workshop.md', '---\ntheme: default\n---\n# Title\n---\nsrc: ./sections/map.md\n---\n')
    await expect(loadPolls(dir.path)).rejects.toThrow(
      /sections\/map\.md\): poll "week-map" is not valid \(x\)[\s\S]*kind: matrix/,
    )
  })

  it('says which kinds there are when a kind is unknown', async () => {
    write(
      'workshop.md',
      '---\ntheme: default\n---\n# T\n---\npoll: { id: pick, kind: choice, question: Q?, options: [A, B] }\n---\n# Q\n',
    )
    await expect(loadPolls(dir.path)).rejects.toThrow(
      /workshop\.md, slide 2: poll "pick" is not valid \(kind\).*kind: is one of single, multiple, quiz, scale, words/,
    )
  })

  it('refuses a layout that does not exist, naming the slide and the layouts there are', async () => {
    write('workshop.md', '---\ntheme: default\n---\n# T\n---\nlayout: two-columns\n---\n# Q\n')
    await expect(loadPolls(dir.path)).rejects.toThrow(
      /workshop\.md, slide 2: there is no layout "two-columns"\. Write one of the kit's \(layout: close, compare, cover, poll, practice, quote, section\)/,
    )
    write('workshop.md', '---\ntheme: default\n---\n# T\n---\nlayout: two-cols\n---\n# Q\n')
    await expect(loadPolls(dir.path)).resolves.toEqual([])
  })

  it('refuses an agenda with a wrong row, or one that does not add up to the duration', async () => {
    const deck = (agenda: string) =>
      `---\ntheme: default\nduration: 30min\n---\n# T\n---\nagenda:\n${agenda}\n---\n<Agenda />\n`
    write('workshop.md', deck("  - { title: 'Welcome', minutes: ten }"))
    await expect(loadPolls(dir.path)).rejects.toThrow(
      /workshop\.md, slide 2: agenda row 1 is not valid \(minutes: .*\)\. Write each row as \{ title: 'Name of the block', minutes: 10 \}/,
    )
    write('workshop.md', deck("  - { title: 'Welcome', minutes: 10 }\n  - { title: 'Practice', minutes: 15 }"))
    await expect(loadPolls(dir.path)).rejects.toThrow(
      /slide 2: the agenda adds up to 25 min but the deck's duration: is 30 min\. Change a row's minutes/,
    )
    write(
      'workshop.md',
      deck("  - { title: 'Welcome', minutes: 10 }\n  - { title: 'Buffer', minutes: 20, buffer: true }"),
    )
    await expect(loadPolls(dir.path)).resolves.toEqual([])
  })

  it('refuses one id declared twice with different questions', async () => {
    write('sections/hat.md', hatSection)
    write('sections/other.md', hatSection.replace('Which hat are you wearing right now?', 'Another question?'))
    write(
      'workshop.md',
      '---\ntheme: default\n---\n# T\n---\nsrc: ./sections/hat.md\n---\n\n---\nsrc: ./sections/other.md\n---\n',
    )
    await expect(loadPolls(dir.path)).rejects.toThrow(/poll "hat-start" is also declared, differently/)
  })
})

describe('quiz answers that the deck could not leave out', () => {
  it.each([
    ['a one-line poll', '---\npoll: { id: q1, kind: quiz, question: Q?, options: [A, B], correct: A }\n---\n# Q\n'],
    [
      'a quoted key',
      '---\npoll:\n  id: q2\n  kind: quiz\n  question: Q?\n  options: [A, B]\n  "correct": A\n---\n# Q\n',
    ],
  ])('refuses %s', async (_name, section) => {
    write('sections/quiz.md', section)
    write('workshop.md', '---\ntheme: default\n---\n# T\n---\nsrc: ./sections/quiz.md\n---\n')
    await expect(loadPolls(dir.path)).rejects.toThrow(/must give correct: and explain: each on its own line/)
  })

  it('accepts answers on their own lines, one line or a block', async () => {
    write(
      'sections/quiz.md',
      '---\npoll:\n  id: q3\n  kind: quiz\n  question: Q?\n  options: [A, B]\n  correct:\n    - A\n  explain: Because.\n---\n# Q\n',
    )
    write('workshop.md', '---\ntheme: default\n---\n# T\n---\nsrc: ./sections/quiz.md\n---\n')
    expect((await loadPolls(dir.path))[0]?.correct).toEqual(['a'])
  })
})
