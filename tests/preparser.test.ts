import { describe, expect, it } from 'vitest'
import presenterContentSetup, { presenterOnlyContent, stripQuizAnswers } from '../slides/setup/preparser.ts'

const strip = (text: string) => {
  const lines = text.split('\n')
  stripQuizAnswers(lines)
  return lines.join('\n')
}

describe('stripping quiz answers from what Slidev builds', () => {
  it('removes correct: and explain: (one line or a block) from slide frontmatter only', () => {
    const deck = [
      '---',
      'theme: default',
      '---',
      '# Title',
      '',
      '---', // a bare separator: the next slide has no frontmatter
      '',
      '# No frontmatter here',
      '  correct: this is slide text, not frontmatter',
      '',
      '---',
      'poll:',
      '  id: round-1',
      '  kind: quiz',
      '  options: [Leader hat, Manager hat]',
      '  correct: Leader hat',
      '  explain:',
      '    A bold move.',
      '  results: hidden',
      '---',
      '# Round 1',
    ].join('\n')
    const out = strip(deck)
    expect(out).not.toContain('correct: Leader hat')
    expect(out).not.toContain('A bold move')
    expect(out).toContain('  results: hidden')
    expect(out).toContain('  correct: this is slide text, not frontmatter')
  })

  it('applies only when Slidev builds (with a mode), so the server keeps the answers', () => {
    // Quiz answers and presenter-only slides, in the dev server, the build and the export.
    expect(presenterContentSetup({ mode: 'build' })).toHaveLength(2)
    expect(presenterContentSetup({ mode: 'export' })).toHaveLength(2)
    expect(presenterContentSetup({})).toEqual([])
  })
})

describe('presenter-only slides in what Slidev builds', () => {
  it('keep their place but neither their content nor their title', () => {
    const frontmatter: Record<string, unknown> = { presenterOnly: true, layout: 'default' }
    expect(presenterOnlyContent('# Answer key\n\nRound 1: leader hat.', frontmatter)).toBe('<PresenterOnly />')
    expect(frontmatter.title).toBe('Presenter only')
    const other: Record<string, unknown> = { layout: 'default' }
    expect(presenterOnlyContent('# For the room', other)).toBeUndefined()
    expect(other).toEqual({ layout: 'default' })
  })
})
