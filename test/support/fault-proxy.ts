import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of a local stand-in (Data API, DynamoDB, Secrets Manager) that breaks
 * calls the way a network does, for fault-injection tests. Per request, `decide` answers:
 * - `pass`: forwarded, answered;
 * - `drop`: the connection is cut before the request reaches the service (it did not happen);
 * - `lose`: forwarded and executed, then the connection is cut before the answer (it happened,
 *   the caller cannot know) — the case that makes a retried call run twice.
 * The real SDK clients see a reset connection and retry as they would in AWS.
 */
export type Fault = 'pass' | 'drop' | 'lose';

export interface ProxiedCall {
  /** `X-Amz-Target` (JSON protocols), else the path (the Data API's REST-JSON). */
  operation: string;
  body: string;
}

export interface FaultProxy {
  readonly url: string;
  /** Faults injected so far, by kind. */
  readonly injected: { drop: number; lose: number };
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string, decide: (call: ProxiedCall) => Fault): Promise<FaultProxy> {
  const upstream = new URL(target);
  const injected = { drop: 0, lose: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? req.url ?? '');
      const fault = decide({ operation, body: body.toString('utf8') });
      if (fault === 'drop') {
        injected.drop++;
        req.socket.destroy();
        return;
      }
      const forwarded = request(
        { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
        (answer: IncomingMessage) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            if (fault === 'lose') {
              injected.lose++;
              req.socket.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(parts));
          });
        },
      );
      forwarded.on('error', () => req.socket.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    injected,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
