// After `next build`: moves every inline <script> of the static export into a file, so the site runs
// under a Content-Security-Policy with `script-src 'self'` (lib/web/security-headers.ts) — no
// 'unsafe-inline', no per-page hashes (CloudFront's response headers policy holds one CSP for
// every page, and at most 1,783 characters of it).
//
// Each inline script becomes `<script src="/_next/static/inline/<sha256>.js">` with its other
// attributes kept. A classic external script without async/defer blocks the parser and runs where
// the inline one ran, in document order, so the page behaves the same. The files sit with Next's
// hashed chunks (content-addressed, immutable, never pruned by the web stack). JSON data blocks
// are not executed and stay inline. An inline event handler (onclick=…) fails the build: no policy
// without 'unsafe-inline' would run it.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const OUT = join(import.meta.dirname, '..', 'out');
const INLINE_DIR = join(OUT, '_next', 'static', 'inline');
const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/g;
const DATA_TYPES = /\btype\s*=\s*["']?(application\/(ld\+)?json)/i;

function* htmlFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* htmlFiles(path);
    else if (name.endsWith('.html')) yield path;
  }
}

mkdirSync(INLINE_DIR, { recursive: true });
let moved = 0;
let files = 0;
for (const file of htmlFiles(OUT)) {
  const html = readFileSync(file, 'utf8');
  const rewritten = html.replace(SCRIPT, (whole, attributes, body) => {
    if (/\bsrc\s*=/i.test(attributes) || DATA_TYPES.test(attributes) || body.trim() === '') return whole;
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 20);
    writeFileSync(join(INLINE_DIR, `${hash}.js`), body);
    moved++;
    return `<script src="/_next/static/inline/${hash}.js"${attributes}></script>`;
  });
  const handler = /<[a-z][^>]*\son[a-z]+\s*=/i.exec(rewritten);
  if (handler) throw new Error(`${relative(OUT, file)} has an inline event handler (${handler[0].slice(0, 80)}…), which the CSP forbids`);
  if (rewritten !== html) writeFileSync(file, rewritten);
  files++;
}
console.log(`externalize-inline-scripts: ${moved} inline scripts of ${files} pages moved to _next/static/inline/`);
