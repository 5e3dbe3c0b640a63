// A public address for hybrid and remote sessions: HTTPS directly (TLS_CERT, TLS_KEY), and
// behind a real reverse proxy — nginx from Debian, run with the README's own configuration and a
// self-signed certificate made here with openssl — where the limits see each client's address
// (X-Forwarded-For believed from the configured proxy only) and the presenter's cookie is Secure.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { join } from 'node:path'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, startKit } from '../server/kit.ts'
import { ROOT, readSettings } from '../server/settings.ts'
import type { Client } from './harness/clients.ts'
import { freePort, tempDir } from './harness/system.ts'

const SECRET = 'proxy-test-secret-Jw2q'
let dir: ReturnType<typeof tempDir>
let cert: string
const clients: Client[] = []

beforeAll(() => {
  dir = tempDir('kit-proxy-')
  // A self-signed certificate for this machine's own names, as the README makes one.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(dir.path, 'key.pem'),
      '-out',
      join(dir.path, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  )
  cert = readFileSync(join(dir.path, 'cert.pem'), 'utf8')
})

afterAll(() => {
  for (const client of clients) client.close()
  dir?.remove()
})

/** An HTTPS request that trusts only the test's certificate. */
function get(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: cert, method: options.method ?? 'GET', headers: options.headers }, (response) => {
      let body = ''
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** Signs in with a presenter link, over HTTPS: the cookie as the server sets it. */
async function signInOver(base: string, link: string): Promise<string> {
  const response = await get(`${base}/api/presenter/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: new URL(link).hash.slice(1) }),
  })
  expect(response.status).toBe(201)
  return String(response.headers['set-cookie'] ?? '')
}

/** A phone over wss, from one of this machine's loopback addresses (each a client of its own). */
function phone(url: string, participantId: string, from: string, headers: Record<string, string> = {}) {
  const client: Client = io(url, {
    auth: { role: 'voter', participantId },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ca: cert,
    localAddress: from,
    extraHeaders: headers,
  } as Parameters<typeof io>[1])
  clients.push(client)
  return new Promise<string>((resolve) => {
    client.once('connect', () => resolve('connected'))
    client.once('connect_error', (error) => resolve(error.message))
  })
}

describe('HTTPS directly', () => {
  it('serves every page over TLS, with HSTS and a Secure __Host- presenter cookie', async () => {
    const settings = readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', join(dir.path, 'direct')], {
      TLS_CERT: join(dir.path, 'cert.pem'),
      TLS_KEY: join(dir.path, 'key.pem'),
    })
    const server = await startKit({ ...settings, secret: SECRET }, { polls: [] })
    try {
      expect(server.url).toMatch(/^https:\/\/localhost:\d+$/)
      expect(server.joinUrl).toMatch(/^https:\/\//)
      const page = await get(`${server.url}/vote`)
      expect(page.status).toBe(200)
      expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/)
      const cookie = await signInOver(server.url, await server.presenterLink())
      expect(cookie).toMatch(
        /^__Host-workshop_presenter=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/,
      )
      expect(await phone(server.url, 'tls-phone-1', '127.0.0.1')).toBe('connected')
    } finally {
      await server.close()
    }
  })

  it('names the fix when the certificate cannot be read', async () => {
    const settings = readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', join(dir.path, 'broken')], {
      TLS_CERT: join(dir.path, 'missing.pem'),
      TLS_KEY: join(dir.path, 'key.pem'),
    })
    await expect(startKit(settings, { polls: [] })).rejects.toThrow(
      /Cannot read the TLS certificate .*check TLS_CERT and TLS_KEY/,
    )
  })
})

describe('behind nginx', () => {
  let kit: RunningServer
  let nginx: ChildProcess
  let base: string

  beforeAll(async () => {
    const binary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path))
    if (!binary) throw new Error('nginx is not installed: sudo apt-get install nginx (the README names it).')
    const proxyPort = await freePort()
    base = `https://localhost:${proxyPort}`
    kit = await startKit(
      {
        ...readSettings(['--port', '0', '--host', '127.0.0.1', '--data-dir', join(dir.path, 'proxied')], {
          TRUST_PROXY: '127.0.0.1',
          PUBLIC_URL: base,
          MAX_CONNECTIONS_PER_ADDRESS: '2',
        }),
        secret: SECRET,
      },
      { polls: [] },
    )
    const kitPort = new URL(kit.url).port
    // The README's server block, as written, on this test's ports and certificate.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const block = /<!-- nginx: tested by tests\/proxy\.test\.ts -->\s*```nginx\n([\s\S]*?)```/.exec(readme)?.[1]
    if (!block) throw new Error('The README has no nginx block for tests/proxy.test.ts')
    const server = block
      .replace(/listen 443 ssl;/, `listen 127.0.0.1:${proxyPort} ssl;`)
      .replace(/\/etc\/ssl\/workshop\//g, `${dir.path}/`)
      .replace('127.0.0.1:3030', `127.0.0.1:${kitPort}`)
    expect(server).toContain(`127.0.0.1:${kitPort}`)
    const prefix = join(dir.path, 'nginx')
    mkdirSync(prefix, { recursive: true })
    // Only what nginx itself needs around the README's block: where its files go.
    writeFileSync(
      join(prefix, 'nginx.conf'),
      [
        'user root;',
        'worker_processes 1;',
        'daemon off;',
        `pid ${prefix}/nginx.pid;`,
        `error_log ${prefix}/error.log;`,
        'events {}',
        'http {',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${prefix}/${kind};`),
        server,
        '}',
      ].join('\n'),
    )
    nginx = spawn(binary, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: 'ignore' })
    // Until nginx answers (and passes the request on): a few hundred milliseconds.
    for (let tries = 0; ; tries++) {
      if ((await get(`${base}/healthz`).catch(() => ({ status: 0 }))).status === 200) break
      if (tries > 100) throw new Error(`nginx did not start:\n${readFileSync(join(prefix, 'error.log'), 'utf8')}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }, 60_000)

  afterAll(async () => {
    nginx?.kill('SIGTERM')
    await kit?.close()
  })

  it('serves the kit over HTTPS at the public address, HSTS and Secure cookie included', async () => {
    const page = await get(`${base}/vote`)
    expect(page.status).toBe(200)
    expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/)
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' wss://localhost:`)
    const link = await kit.presenterLink()
    expect(link).toMatch(new RegExp(`^${base}/present#`))
    const cookie = await signInOver(base, link)
    expect(cookie).toMatch(/^__Host-workshop_presenter=[^;]+;.*; Secure$/)
    const exports = await get(`${base}/api/sessions`, { headers: { cookie: cookie.split(';')[0] ?? '' } })
    expect(exports.status).toBe(200)
  })

  it("counts each client by its own address, which nginx forwards, and believes no one else's header", async () => {
    // Two phones from one address through the proxy fill that address's two places…
    expect(await phone(base, 'proxied-a-1', '127.0.0.5')).toBe('connected')
    expect(await phone(base, 'proxied-a-2', '127.0.0.5')).toBe('connected')
    expect(await phone(base, 'proxied-a-3', '127.0.0.5')).toMatch(/websocket error|Too many connections/)
    // …and a phone from another address still comes in: the kit sees clients, not nginx.
    expect(await phone(base, 'proxied-b-1', '127.0.0.6')).toBe('connected')
    // A client that talks to the kit directly and forwards for itself is counted as itself.
    const direct = kit.url.replace('localhost', '127.0.0.1')
    const forged = (i: number) => phone(direct, `forged-${i}`, '127.0.0.7', { 'x-forwarded-for': `203.0.113.${i}` })
    expect([await forged(1), await forged(2)]).toEqual(['connected', 'connected'])
    expect(await forged(3)).toMatch(/websocket error|Too many connections/)
  })
})
