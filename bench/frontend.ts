/**
 * The web app's first-load JavaScript per page: the static export is built (`npm run build -w
 * frontend`) and, for each page's index.html, the scripts it loads are summed (raw and gzip),
 * which is what a browser fetches before the page is interactive.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'frontend', 'out');

export interface PageFirstLoad {
  page: string;
  scripts: number;
  bytes: number;
  gzipBytes: number;
}

function pages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '_next' ? [] : pages(path);
    return name === 'index.html' ? [path] : [];
  });
}

export function benchFrontend(): PageFirstLoad[] {
  execFileSync('npm', ['run', 'build', '-w', 'frontend'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(OUT)) throw new Error('the frontend build produced no frontend/out');
  return pages(OUT)
    .map((file) => {
      const html = readFileSync(file, 'utf8');
      const sources = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)].map((m) => m[1]!))];
      let bytes = 0;
      let gzipBytes = 0;
      for (const src of sources) {
        const path = join(OUT, src.replace(/^\//, '').split('?')[0]!);
        if (!existsSync(path)) continue;
        const content = readFileSync(path);
        bytes += content.byteLength;
        gzipBytes += gzipSync(content).byteLength;
      }
      const page = `/${relative(OUT, file).replace(/index\.html$/, '')}`;
      return { page, scripts: sources.length, bytes, gzipBytes };
    })
    .sort((a, b) => a.page.localeCompare(b.page));
}

if (require.main === module) console.log(JSON.stringify(benchFrontend(), null, 2));
