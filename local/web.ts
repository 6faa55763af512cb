import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { contentSecurityPolicy } from '../lib/web/security-headers';
import { buildExportIfStale, serveExport, type ExportServer } from './web-export';

/**
 * The frontend under `npm run dev`, in one of two modes:
 * - `dev` (default): `next dev` as a child in its own process group (so stopping it also stops the
 *   workers it forks), serving `/config.json` from a file this process writes once the API and the
 *   IdP listen (frontend/src/app/config.json/route.dev.ts), with the development variant of the
 *   Content-Security-Policy (React Refresh needs eval and inline scripts);
 * - `export` (`--web-export`): the static export, built if stale and served as CloudFront serves it,
 *   with the deployed policy (local/web-export.ts). The browser tests use this.
 */
export interface LocalWeb {
  url: string;
  port: number;
  /** Writes `/config.json` and resolves when the web server answers it. */
  ready(config: WebConfig): Promise<void>;
  stop(): Promise<void>;
}

/** The shape of `/config.json`, as the web stack writes it in AWS (plus the local IdP endpoint). */
export interface WebConfig {
  apiUrl: string;
  cognitoRegion: string;
  userPoolId: string;
  clientId: string;
  cognitoEndpoint?: string;
}

const FRONTEND_DIR = join(__dirname, '..', 'frontend');

/** A port the web server can take: WEB_PORT, or a free one when it is 0 (the API's CORS list needs the number). */
export async function resolveWebPort(port: number): Promise<number> {
  if (port !== 0) return port;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });
}

export function startLocalWeb(options: { port: number; configFile: string; log: (line: string) => void; mode?: 'dev' | 'export' }): LocalWeb {
  return options.mode === 'export' ? startExportWeb(options) : startNextDev(options);
}

function startExportWeb(options: { port: number; log: (line: string) => void }): LocalWeb {
  // Built while the database starts; served once the API and the IdP listen.
  const built = new Promise<void>((resolve, reject) => setImmediate(() => {
    try {
      buildExportIfStale(options.log);
      resolve();
    } catch (error) {
      reject(error as Error);
    }
  }));
  built.catch(() => undefined);
  let server: ExportServer | undefined;
  return {
    url: `http://localhost:${options.port}`,
    port: options.port,
    async ready(config) {
      await built;
      server = await serveExport({ port: options.port, config });
    },
    async stop() {
      await server?.stop();
    },
  };
}

function startNextDev(options: { port: number; configFile: string; log: (line: string) => void }): LocalWeb {
  const nextBin = require.resolve('next/dist/bin/next', { paths: [FRONTEND_DIR] });
  const child = spawn(process.execPath, [nextBin, 'dev', '--port', String(options.port)], {
    cwd: FRONTEND_DIR,
    detached: true,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      NEXT_TELEMETRY_DISABLED: '1',
      PAINEL_WEB_CONFIG_FILE: options.configFile,
      // The development variant of the deployed policy: the API and the IdP on any local port.
      PAINEL_CSP: contentSecurityPolicy({ apiOrigin: 'http://127.0.0.1:*', cognitoOrigin: 'http://localhost:*', development: true }),
      // A scratch data directory (the browser tests) gets its own build directory, so the tests can
      // run next to your `npm run dev` without sharing its lock. Fixed names: next dev lists each in tsconfig.json.
      PAINEL_NEXT_DIST_DIR: process.env.PAINEL_LOCAL_DIR ? '.next-scratch' : '.next',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    for (const line of chunk.toString().split('\n')) if (/error|warn/i.test(line)) options.log(`[web] ${line.trim()}`);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If this process dies without stopping us (an uncaught error), the server must not outlive it.
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      // The group outlives its leader while a forked worker is alive: signal the group, not the child.
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      /* the whole group is gone */
    }
  };
  process.once('exit', () => killGroup('SIGKILL'));

  const url = `http://localhost:${options.port}`;
  return {
    url,
    port: options.port,
    async ready(config) {
      writeFileSync(options.configFile, `${JSON.stringify(config, null, 2)}\n`);
      for (let i = 0; ; i++) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`next dev exited:\n${output}`);
        const res = await fetch(`http://127.0.0.1:${options.port}/config.json`).catch(() => undefined);
        if (res?.ok) return;
        if (i > 1200) throw new Error(`next dev did not answer /config.json:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      // next dev forks workers into the same group: make sure none is left.
      killGroup('SIGKILL');
    },
  };
}
