import { config } from 'zod/mini';
import { en } from 'zod/locales';

/**
 * The one zod import of everything that runs in Lambda (`import * as z from '../shared/zod'`):
 * zod's tree-shakable "mini" API, ~30 KB of a handler bundle where the classic API's methods pull
 * all of zod in (~95 KB). Mini ships no error messages by default, so the English ones the API's
 * 400s quote are configured here, once. Tooling that never ships (CDK config, the local stand-ins,
 * some tests) may use classic `zod`; both share zod's core, so a schema from here works with
 * either (`z.toJSONSchema`, `z.safeParse`).
 */
config(en());

export * from 'zod/mini';
