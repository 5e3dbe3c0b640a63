// Runs once in every deck window. When printing (PDF export) it only tells the exporter when the
// page is complete. In the presenter's window it adds the poll shortcuts and,
// in follow-the-slide mode, tells the server which poll's slide is on screen; it is also the
// stage a phone remote moves (components/useStage.ts). Only the presenter window reports: the
// projector window and the next-slide preview never do.
import { useNav } from '@slidev/client'
import { watch } from 'vue'
import { applyDeckColors } from '../components/deckLook'
import { sendControl, sendFollow, sendSlide, usePollChannel } from '../components/usePollChannel'
import { releaseWhenPrintReady } from '../components/usePrintReady'
import { useStage } from '../components/useStage'

export default function setupPollPresenter() {
  applyDeckColors(document.documentElement)
  const nav = useNav()
  if (nav.isPrintMode.value) return void releaseWhenPrintReady(nav.printRange.value.length)
  const channel = usePollChannel()
  const currentPollId = () => {
    const poll = nav.currentSlideRoute.value?.meta?.slide?.frontmatter?.poll as { id?: unknown } | undefined
    return typeof poll?.id === 'string' ? poll.id : null
  }
  const presenting = () => nav.isPresenter.value && channel.presenter
  // The presenter window is the stage a phone remote moves.
  useStage()

  watch(
    () => [currentPollId(), presenting(), channel.followSlides, channel.connected] as const,
    ([pollId, isPresenting, follow, connected]) => {
      if (isPresenting && follow && connected) void sendSlide(pollId)
    },
  )

  const actions: Record<string, () => unknown> = {
    KeyO: () => withPoll((pollId) => sendControl({ pollId, action: 'open' })),
    KeyC: () => withPoll((pollId) => sendControl({ pollId, action: 'close' })),
    KeyR: () => withPoll((pollId) => sendControl({ pollId, action: 'reveal' })),
    KeyX: () =>
      withPoll((pollId) =>
        window.confirm('Reset this poll? Every answer in it will be deleted.')
          ? sendControl({ pollId, action: 'reset' })
          : null,
      ),
    KeyF: () => sendFollow(!channel.followSlides),
  }
  function withPoll(run: (pollId: string) => unknown) {
    const pollId = currentPollId()
    if (pollId) run(pollId)
  }
  window.addEventListener('keydown', (event) => {
    const typing = event.target instanceof HTMLElement && event.target.closest('input, textarea, [contenteditable]')
    const action = actions[event.code]
    if (!event.altKey || event.ctrlKey || event.metaKey || typing || !action || !presenting()) return
    event.preventDefault()
    action()
  })
}
