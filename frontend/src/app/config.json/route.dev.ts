import { readFile } from 'node:fs/promises';

/**
 * `/config.json` under `npm run dev` only (a `.dev.ts` page extension: never in the static export,
 * where the web stack writes the file). local/dev.ts writes the values once its API and IdP listen.
 */
export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const file = process.env.PAINEL_WEB_CONFIG_FILE;
  try {
    if (!file) throw new Error('PAINEL_WEB_CONFIG_FILE is not set');
    return new Response(await readFile(file, 'utf8'), { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
  } catch {
    return Response.json({ error: 'config not ready' }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
  }
}
