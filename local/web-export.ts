import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { securityHeaders } from '../lib/web/security-headers';
import { listen } from './http';
import type { WebConfig } from './web';

/**
 * The static export (frontend/out) served as CloudFront serves it in AWS: `<path>/index.html` for
 * directory URLs (the web stack's viewer-request function), /404.html with status 404 for anything
 * else, the security headers of lib/web/security-headers.ts — the same Content-Security-Policy,
 * with this machine's API and IdP as the connect-src origins — and the stage's `/config.json`.
 * The browser tests run the app this way, so they see the policy that is deployed.
 */
export const FRONTEND_DIR = join(__dirname, '..', 'frontend');
export const EXPORT_DIR = join(FRONTEND_DIR, 'out');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Newest modification time (ms) of the files the export is built from. */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.next') || name === 'out') continue;
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const dir of [join(FRONTEND_DIR, 'src'), join(FRONTEND_DIR, 'scripts'), join(__dirname, '..', 'lambda')]) walk(dir);
  for (const file of ['next.config.ts', 'package.json']) newest = Math.max(newest, statSync(join(FRONTEND_DIR, file)).mtimeMs);
  return newest;
}

/** Builds the export (`npm run build -w frontend`) unless it is newer than every source. */
export function buildExportIfStale(log: (line: string) => void): void {
  const index = join(EXPORT_DIR, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs > newestSource()) return;
  log('[web] building the static export (npm run build -w frontend)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build', '-w', 'frontend'], { cwd: join(FRONTEND_DIR, '..'), env: { ...process.env, NODE_OPTIONS: '', NEXT_TELEMETRY_DISABLED: '1' }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
}

export interface ExportServer {
  url: string;
  stop(): Promise<void>;
}

/** Serves EXPORT_DIR on `port` with the stage's config.json and security headers. */
export async function serveExport(options: { port: number; config: WebConfig }): Promise<ExportServer> {
  const cognitoOrigin = new URL(options.config.cognitoEndpoint ?? `https://cognito-idp.${options.config.cognitoRegion}.amazonaws.com/`).origin;
  const headers = securityHeaders({ apiOrigin: new URL(options.config.apiUrl).origin, cognitoOrigin });
  const configBody = JSON.stringify(options.config);

  const send = (res: ServerResponse, status: number, file: string) => {
    const immutable = file.includes(`${sep}_next${sep}static${sep}`);
    res.writeHead(status, {
      ...headers,
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://local').pathname);
    if (path === '/config.json') {
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      return void res.end(configBody);
    }
    // The web stack's DIRECTORY_INDEX function: `/x/` and `/x` (no dot in the last segment) → `/x/index.html`.
    const last = path.split('/').pop() ?? '';
    const key = path.endsWith('/') ? `${path}index.html` : last.includes('.') ? path : `${path}/index.html`;
    const file = normalize(join(EXPORT_DIR, key));
    if (file.startsWith(EXPORT_DIR + sep) && existsSync(file) && statSync(file).isFile()) return send(res, 200, file);
    send(res, 404, join(EXPORT_DIR, '404.html'));
  });
  const { port } = await listen(server, options.port, '127.0.0.1');
  return {
    url: `http://localhost:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
