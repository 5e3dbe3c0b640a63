// A load balancer's stand-in for the multi-process tests: one loopback address in front of
// several servers.
import { createConnection, createServer, type Server, type Socket } from 'node:net'

/**
 * One address in front of several servers, like a load balancer: each new connection goes to
 * the first server that accepts it, so when one dies its clients reconnect to another.
 */
export async function startForwarder(targets: () => number[]): Promise<{ url: string; server: Server }> {
  const server = createServer((client: Socket) => {
    const tryTarget = (index: number) => {
      const port = targets()[index]
      if (port === undefined) return client.destroy()
      const upstream = createConnection({ port, host: '127.0.0.1' })
      let connected = false
      upstream.once('connect', () => {
        connected = true
        client.pipe(upstream).pipe(client)
      })
      upstream.once('error', () => {
        if (connected) client.destroy()
        else tryTarget(index + 1)
      })
      client.once('error', () => upstream.destroy())
      client.once('close', () => upstream.destroy())
      upstream.once('close', () => client.destroy())
    }
    tryTarget(0)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server }
}
