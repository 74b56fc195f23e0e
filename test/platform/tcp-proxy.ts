// A tiny TCP proxy (node:net) between a server process and PostgreSQL, so a test can cut the
// database off for its own server only — the machine's shared PostgreSQL keeps running.
import { createServer, connect, type Server, type Socket } from 'node:net';

/** How the proxy behaves while cut: `reset` drops every connection at once, `blackhole` accepts
 * connections and holds them silently (a network partition: nothing answers, nothing fails). */
export type CutMode = 'reset' | 'blackhole';

/** A proxy on a loopback port forwarding to `target`. */
export class TcpProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #cut: CutMode | undefined;
  port = 0;

  private constructor(readonly target: { host: string; port: number }) {
    this.#server = createServer((client) => this.#accept(client));
  }

  /** Starts listening on a free loopback port. */
  static async start(target = { host: '127.0.0.1', port: 5432 }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await new Promise<void>((ok) => proxy.#server.listen(0, '127.0.0.1', ok));
    const address = proxy.#server.address();
    proxy.port = typeof address === 'object' && address ? address.port : 0;
    return proxy;
  }

  /** Cuts the link: open connections die (`reset`) or hang (`blackhole`), new ones do the same. */
  cut(mode: CutMode = 'reset'): void {
    this.#cut = mode;
    for (const socket of this.#sockets) {
      if (mode === 'reset') socket.destroy();
      else {
        socket.unpipe();
        socket.pause();
      }
    }
    if (mode === 'reset') this.#sockets.clear();
  }

  /** Restores the link for new connections (held blackhole connections are dropped). */
  restore(): void {
    if (this.#cut === 'blackhole') for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    this.#cut = undefined;
  }

  /** Connections currently open through the proxy (both directions counted once each). */
  get connections(): number {
    return this.#sockets.size;
  }

  /** Closes the proxy and every connection. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((ok) => this.#server.close(() => ok()));
  }

  #accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.#cut === 'reset') {
      client.destroy();
      return;
    }
    this.#sockets.add(client);
    client.on('close', () => this.#sockets.delete(client));
    if (this.#cut === 'blackhole') {
      client.pause();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    this.#sockets.add(upstream);
    upstream.on('close', () => this.#sockets.delete(upstream));
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
