// Real server processes for fault, fuzz and load tests: `server/main.ts` (what `npm start` runs) or
// `mkt worker` as child processes, on a port picked here, with a DATA_DIR whose trained NLU
// artifacts are copied from one shared warm folder so only the very first start pays for training.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Repository root (the child's working directory). */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Shared warm cache of `nlu/` (intent models, sentiment caches) keyed inside by data hash. */
export const WARM_DATA_DIR = resolve(REPO_ROOT, 'bench/.cache/platform-data');

/** A Direct Line token secret shared by every process of a test, so tokens survive restarts. */
export const TEST_TOKEN_SECRET = 'platform-test-token-secret-0123456789abcdef';

/** One field-encryption key for every process of a test (servers and workers must share it). */
export const TEST_ENCRYPTION_KEY = '7f'.repeat(32);

/**
 * The chat's start-up warm-up in test servers (CHAT_WARM_UP_SENTENCES, 400 when deployed): a tenth
 * of it, still through every read path it warms, since no test times replies and every server a
 * test starts paid for the full one. Benchmarks that time replies set the deployed value.
 */
export const TEST_CHAT_WARM_UP = { CHAT_WARM_UP_SENTENCES: '40' } as const;

/** A free TCP port on loopback (released just before use; fine on a test machine). */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port')),
      );
    });
  });
}

/** A fresh DATA_DIR with the warm NLU artifacts copied in (delete it with `rmSync` when done). */
export function newDataDir(label = 'server'): string {
  const dir = mkdtempSync(join(tmpdir(), `mkt-${label}-`));
  const warm = join(WARM_DATA_DIR, 'nlu');
  if (existsSync(warm)) cpSync(warm, join(dir, 'nlu'), { recursive: true });
  return dir;
}

/**
 * The intent-model registries a server serves (`DATA_DIR/nlu/<domain>`; INTENT_DOMAINS in
 * server/intent-models.ts, not imported: it would load the NLU into every test process using this).
 */
const SERVED_DOMAINS = ['customer', 'marketer'] as const;

/** Copies a started server's NLU artifacts into the warm cache (first start only). */
export function keepWarm(dataDir: string): void {
  const trained = join(dataDir, 'nlu');
  // Both served intent models (registry folders with an active version) must be there.
  const complete = (nlu: string) =>
    SERVED_DOMAINS.every((domain) => existsSync(join(nlu, domain, 'current.json')));
  if (complete(join(WARM_DATA_DIR, 'nlu')) || !complete(trained)) return;
  mkdirSync(WARM_DATA_DIR, { recursive: true });
  cpSync(trained, join(WARM_DATA_DIR, 'nlu'), { recursive: true });
}

/** Options of a child process. */
export interface ProcessOptions {
  /**
   * environment on top of a minimal default (PATH, HOME, LOG_LEVEL=warn, TOKEN_SECRET,
   * ENCRYPTION_KEY, TEST_CHAT_WARM_UP)
   */
  env: Record<string, string>;
  /** `server` runs server/main.ts; `worker` runs `mkt worker` */
  kind?: 'server' | 'worker';
  /** port for a server (a free one by default); kept across restarts */
  port?: number;
  /** how long to wait for /readyz (server) or the first output line (worker) */
  readyTimeoutMs?: number;
  /** runs the child under `nice -n 10` (benchmarks) */
  nice?: boolean;
  /** keep every output line in `log` (the log-scan test reads them all) */
  keepLog?: boolean;
}

/** One server or worker child process that can be killed and started again on the same port. */
export class ChildServer {
  #child?: ChildProcess;
  #exit?: Promise<number | null>;
  /** the last ~200 lines of stdout and stderr, for failure messages */
  readonly output: string[] = [];
  /** every line logged at error level or above (pino level ≥ 50), kept whole for diagnosis */
  readonly errorLines: string[] = [];
  /** every stdout and stderr line, when started with `keepLog` */
  readonly log: string[] = [];

  private constructor(
    readonly options: ProcessOptions,
    readonly port: number,
  ) {}

  /** Starts a process and waits until it is ready. */
  static async start(options: ProcessOptions): Promise<ChildServer> {
    const server = new ChildServer(options, options.port ?? (await freePort()));
    await server.start();
    return server;
  }

  /** http://127.0.0.1:PORT */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Process id of the running child. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** True while the child process has not exited. */
  get alive(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** (Re)starts the child and waits for readiness. */
  async start(): Promise<void> {
    const kind = this.options.kind ?? 'server';
    // node itself with the tsx loader (not the tsx CLI, which runs a second process): `kill -9`
    // must hit the process that holds the connections.
    const script = [
      '--import',
      'tsx',
      ...(kind === 'server' ? ['server/main.ts'] : ['cli/main.ts', 'worker']),
    ];
    const [command, args] = this.options.nice
      ? ['nice', ['-n', '10', process.execPath, ...script]]
      : [process.execPath, script];
    const child = spawn(command as string, args as string[], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? tmpdir(),
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(this.port),
        // a worker says "worker started" at info level: that line is its readiness signal
        LOG_LEVEL: kind === 'worker' ? 'info' : 'warn',
        TOKEN_SECRET: TEST_TOKEN_SECRET,
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        ...TEST_CHAT_WARM_UP,
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#exit = new Promise((ok) => child.once('exit', (code) => ok(code)));
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        this.output.push(line);
        if (this.options.keepLog) this.log.push(line);
        if (/^\{"level":(5|6)\d/.test(line) && this.errorLines.length < 10_000) this.errorLines.push(line);
      }
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 300_000);
    if (kind === 'worker') {
      await this.#until(
        deadline,
        async () => this.output.some((line) => line.includes('worker started')),
        '"worker started"',
      );
      return;
    }
    await this.#until(
      deadline,
      async () => {
        const res = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(5_000) }).catch(
          () => undefined,
        );
        return res?.status === 200;
      },
      '/readyz',
    );
    if (this.options.env.DATA_DIR) keepWarm(this.options.env.DATA_DIR);
  }

  async #until(deadline: number, ready: () => Promise<boolean>, what: string): Promise<void> {
    for (;;) {
      if (!this.alive) {
        throw new Error(
          `${this.options.kind ?? 'server'} exited before ${what}:\n${this.output.slice(-30).join('\n')}`,
        );
      }
      if (await ready()) return;
      if (Date.now() > deadline)
        throw new Error(`no ${what} before the deadline:\n${this.output.slice(-30).join('\n')}`);
      await new Promise((ok) => setTimeout(ok, 250));
    }
  }

  /** `kill -9`: no shutdown hooks run. Resolves once the process is gone. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.#child!.kill('SIGKILL');
    await this.#exit;
  }

  /** Graceful stop (SIGTERM), then SIGKILL after `timeoutMs`. Returns the exit code. */
  async stop(timeoutMs = 15_000): Promise<number | null | undefined> {
    if (!this.alive) return this.#child?.exitCode;
    this.#child!.kill('SIGTERM');
    const timer = setTimeout(() => this.#child?.kill('SIGKILL'), timeoutMs);
    const code = await this.#exit;
    clearTimeout(timer);
    return code;
  }

  /** Resolves with the exit code when the process ends. */
  exited(): Promise<number | null> {
    return this.#exit ?? Promise.resolve(null);
  }
}

/** Removes a temporary DATA_DIR. */
export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
