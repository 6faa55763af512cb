import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Small pieces every local stand-in's HTTP server needs. */

/** A FIFO lock: the holder runs alone until it calls the release function it was given. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

/**
 * The whole request body. Past `limit` bytes `tooLarge()` rejects and the rest of the body is read
 * and discarded (never buffered), so a runaway client cannot make a stand-in buffer without bound
 * and the caller can still answer (with `Connection: close`).
 */
export function readBody(req: IncomingMessage, limit = Infinity, tooLarge: () => Error = () => new Error('Request body too large')): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        chunks.length = 0;
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Listens (port 0 = a free one) and resolves with the port and the URL clients should use. */
export async function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return { port: bound, url: `http://${reachable}:${bound}` };
}
