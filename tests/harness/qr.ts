// Reads a QR code from a screenshot, as a phone's camera would, with jsQR (a pure-JS decoder).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { BrowserContext } from 'playwright-core'

const JSQR = readFileSync(createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js'), 'utf8')

/** What the QR code in this PNG holds (null: none found), read in a blank page of its own (a deck's CSP allows no script of ours). */
export async function readQr(context: BrowserContext, png: Buffer): Promise<string | null> {
  const reader = await context.newPage()
  try {
    await reader.evaluate(JSQR)
    return await reader.evaluate(async (data) => {
      const image = new Image()
      image.src = `data:image/png;base64,${data}`
      await image.decode()
      const canvas = Object.assign(document.createElement('canvas'), { width: image.width, height: image.height })
      const context = canvas.getContext('2d') as CanvasRenderingContext2D
      context.drawImage(image, 0, 0)
      const { data: pixels, width, height } = context.getImageData(0, 0, image.width, image.height)
      type Decoder = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null
      return (window as unknown as { jsQR: Decoder }).jsQR(pixels, width, height)?.data ?? null
    }, png.toString('base64'))
  } finally {
    await reader.close()
  }
}
