import { join } from 'node:path';
import type { NextConfig } from 'next';
import { PHASE_DEVELOPMENT_SERVER } from 'next/constants';

/**
 * One static build for every stage: `next build` exports plain files to `out/` (S3 + CloudFront);
 * the stage's API and Cognito ids come at run time from `/config.json`, written next to them by the
 * web stack. `npm run dev` runs `next dev` instead, where the `*.dev.ts` files (the local
 * `/config.json` route) exist; the export never contains them.
 */
export default function config(phase: string): NextConfig {
  const dev = phase === PHASE_DEVELOPMENT_SERVER;
  return {
    reactStrictMode: true,
    // Every page is a directory with index.html, so a reload of a deep link finds a file on S3.
    trailingSlash: true,
    images: { unoptimized: true },
    poweredByHeader: false,
    // The app imports the route manifest and the response types from ../lambda (declared once).
    turbopack: { root: join(__dirname, '..') },
    outputFileTracingRoot: join(__dirname, '..'),
    ...(dev
      ? {
          pageExtensions: ['tsx', 'ts', 'dev.ts'],
          // Each `npm run dev` (one per web port) gets its own build directory and lock.
          distDir: process.env.PAINEL_NEXT_DIST_DIR ?? '.next',
          // The development variant of the deployed Content-Security-Policy (local/web.ts sets it).
          async headers() {
            const csp = process.env.PAINEL_CSP;
            return csp ? [{ source: '/:path*', headers: [{ key: 'Content-Security-Policy', value: csp }] }] : [];
          },
        }
      : { output: 'export' as const, pageExtensions: ['tsx', 'ts'] }),
  };
}
