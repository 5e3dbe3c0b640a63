// The part of Slidev's client API that the kit's components and deck setup use, typed with
// Slidev's own published types (@slidev/types). @slidev/client ships TypeScript sources written
// for its own compiler settings rather than declarations; type-checked under ours they report
// hundreds of errors in Slidev's files, so tsconfig.json points the import here. Slidev is
// pinned (52.20.x): extend this file when a component needs more of the API.
import type { ClicksContext, Frontmatter, RenderContext, SlideInfo, SlideRoute, SlidevConfig } from '@slidev/types'
import type { ComputedRef, Ref } from 'vue'

export interface SlidevNav {
  slides: Ref<SlideRoute[]>
  total: ComputedRef<number>
  currentSlideNo: ComputedRef<number>
  currentSlideRoute: ComputedRef<SlideRoute>
  clicksContext: ComputedRef<ClicksContext>
  currentFrontmatter: ComputedRef<Record<string, unknown>>
  clicks: ComputedRef<number>
  clicksTotal: ComputedRef<number>
  isPresenter: ComputedRef<boolean>
  isPrintMode: ComputedRef<boolean>
  isPrintWithClicks: Ref<boolean>
  isEmbedded: ComputedRef<boolean>
  printRange: Ref<number[]>
  next: () => Promise<void>
  prev: () => Promise<void>
  go: (no: number | string, clicks?: number, force?: boolean) => Promise<void>
}

export declare function useNav(): SlidevNav

/**
 * What Slidev's windows share (the presenter and audience windows of one browser stay in step
 * through it): here, its presenter clock, written the way Slidev's own timer writes it.
 */
export declare const sharedState: {
  page: number
  clicks: number
  timer: {
    status: 'stopped' | 'running' | 'paused'
    slides: Record<number, { start?: number; end?: number }>
    startedAt: number
    pausedAt: number
  }
}

export declare function useSlideContext(): {
  $slidev: { nav: SlidevNav; configs: SlidevConfig & { slidesTitle: string } }
  $nav: Ref<SlidevNav>
  $clicksContext: ClicksContext
  $clicks: Ref<number>
  $page: Ref<number>
  $route: SlideRoute | undefined
  $renderContext: Ref<RenderContext>
  $frontmatter: Frontmatter & Record<string, unknown>
  $scale: Ref<number>
  $zoom: ComputedRef<number>
}

/** Runs when the slide this component sits on becomes the current one. */
export declare function onSlideEnter(callback: () => void): void
export declare function onSlideLeave(callback: () => void): void

// Slidev puts each slide's parsed source (frontmatter, notes…) on its route.
declare module 'vue-router' {
  interface RouteMeta {
    slide?: Omit<SlideInfo, 'source'> & { filepath: string; id: number; no: number }
  }
}

/** The deck's headmatter as Slidev resolved it (the kit reads its own keys: colors, logo, art). */
export declare const configs: SlidevConfig & Record<string, unknown>
