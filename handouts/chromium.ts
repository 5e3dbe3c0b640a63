// Finds the system Chromium for PDF export and browser tests: never downloads one.
import { existsSync } from 'node:fs'
import { KitError } from '../server/errors.ts'

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
]

export class ChromiumNotFound extends KitError {}

/** CHROMIUM_PATH first, then the usual install paths. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CHROMIUM_PATH
  if (configured) {
    if (existsSync(configured)) return configured
    throw new ChromiumNotFound(
      `CHROMIUM_PATH points to ${configured}, which does not exist: fix the path, or unset it and install Chromium with \`sudo apt-get install chromium\` (Debian/Ubuntu).`,
    )
  }
  const found = CANDIDATES.find((path) => existsSync(path))
  if (found) return found
  throw new ChromiumNotFound(
    'No Chromium found: install it with `sudo apt-get install chromium` (Debian/Ubuntu) or set CHROMIUM_PATH to a Chrome or Chromium binary.',
  )
}

/** Flags for headless runs on machines without a network or a display. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
