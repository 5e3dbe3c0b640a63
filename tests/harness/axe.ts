// axe-core in real Chromium: the WCAG 2.0–2.2 A and AA rules on a page as it is now.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface Violation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/** The serious and critical findings, one line each: `label`, the rule and where. */
export async function axeProblems(page: Page, label: string): Promise<string[]> {
  await page.evaluate(async () => {
    await document.fonts.ready
    // Colour transitions end first: axe measures the colours the person ends up seeing.
    await Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined)))
  })
  // Evaluated by the browser's devtools, not as a <script>: the page's CSP allows no script of ours.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE)
  const violations = (await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: unknown[] }> } }
    ).axe
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    })
    return result.violations
  })) as Violation[]
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${label}: ${violation.id} (${violation.help}) at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    )
}
