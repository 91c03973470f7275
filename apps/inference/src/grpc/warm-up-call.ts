import { InferenceClient } from '@cutout/inference-contract';
import { warmUpPhoto } from '../imaging/warm-up-photo';

/** Where the server can call itself: a wildcard address through loopback, else the address it is bound to. */
export function selfAddress(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '' || host === '::' || host === '[::]') return `127.0.0.1:${port}`;
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * One cut-out of a synthetic photo (warmUpPhoto) with the default options, sent to this server
 * over gRPC as a client would send it, before its health turns SERVING: the whole request path runs
 * once — the handler and its streamed result parts, sharp's decoders, the compose, filter and
 * deflate loops, the buffer pool's first memory — so the first real requests do not pay for cold
 * code. Resolves with its milliseconds.
 */
export async function warmUpCall(host: string, port: number, deadlineMs = 120_000): Promise<number> {
  const started = performance.now();
  const image = await warmUpPhoto();
  const client = new InferenceClient({ urls: [selfAddress(host, port)], deadlineMs });
  try {
    await client.removeBackground({ image });
  } finally {
    client.close();
  }
  return performance.now() - started;
}
