// A deck's own look, from its headmatter: its two colours (`colors: { primary, secondary }`), an
// optional logo (`logo: /logo.svg`, a file in the deck's public/ folder) and whether the layouts
// draw the workshop's two hats (`art: hats`). Without them a deck gets the kit's neutral look:
// its palette, and the title's first letter where the hats would be.
import { configs } from '@slidev/client'

export interface DeckLook {
  hats: boolean
  logo?: string
  /** The letter the neutral mark shows: the title's first. */
  initial: string
}

const HEX = /^#[0-9a-f]{6}$/i

export function deckLook(): DeckLook {
  const logo = typeof configs.logo === 'string' && configs.logo.trim() ? configs.logo.trim() : undefined
  const title = typeof configs.title === 'string' ? configs.title : ''
  return {
    hats: configs.art === 'hats',
    ...(logo ? { logo } : {}),
    initial: (/\p{L}|\p{N}/u.exec(title)?.[0] ?? '•').toUpperCase(),
  }
}

/**
 * The deck's colours as the kit's style variables (styles/kit.css): the primary colour where the
 * kit uses its first (teal), the secondary where it uses its second (ochre), each with the darker
 * and softer shades the layouts and results need. Only `#rrggbb` values are taken.
 */
export function applyDeckColors(root: HTMLElement): void {
  const colors = (configs.colors ?? {}) as { primary?: unknown; secondary?: unknown }
  const set = (name: string, value: string) => root.style.setProperty(name, value)
  if (typeof colors.primary === 'string' && HEX.test(colors.primary)) {
    const c = colors.primary
    set('--wk-lead', c)
    set('--wk-lead-dark', `color-mix(in srgb, ${c} 72%, black)`)
    set('--wk-lead-soft', `color-mix(in srgb, ${c} 12%, white)`)
    set('--slidev-theme-primary', c)
  }
  if (typeof colors.secondary === 'string' && HEX.test(colors.secondary)) {
    const c = colors.secondary
    set('--wk-manage', c)
    set('--wk-manage-bright', `color-mix(in srgb, ${c} 70%, white)`)
    set('--wk-manage-soft', `color-mix(in srgb, ${c} 14%, white)`)
  }
}
