import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The layering rules of eslint.config.mjs (issue 20), checked on code that breaks them: each case
 * is linted as if it were a file at `filePath`, with the project's own configuration.
 */
describe('ESLint layering rules', () => {
  // ESLint loads its (ESM) configuration with a dynamic import, which jest's module sandbox does
  // not run: each case is linted by ESLint's API in a child Node process.
  const ruleIdsOf = async (code: string, filePath: string): Promise<string[]> => {
    const script = `const { ESLint } = require('eslint');
      new ESLint().lintText(process.env.CODE, { filePath: process.env.FILE }).then((r) => process.stdout.write(JSON.stringify(r[0].messages.map((m) => m.ruleId))));`;
    const out = spawnSync(process.execPath, ['-e', script], { cwd: join(__dirname, '..', '..', '..'), env: { ...process.env, CODE: code, FILE: filePath }, encoding: 'utf8' });
    if (out.status !== 0) throw new Error(out.stderr);
    return JSON.parse(out.stdout) as string[];
  };

  test.each([
    ['lambda/ importing the local runtime', "import { startLocalDynamo } from '../../local/dynamodb';", 'lambda/tenant/scratch.ts'],
    ['lambda/ importing the local runtime by alias', "import { REGION } from '@local/config';", 'lambda/shared/scratch.ts'],
    ['lambda/ importing the CDK app', "import { stageConfig } from '../../lib/config';", 'lambda/internal/scratch.ts'],
    ['lambda/ importing the CDK', "import { Stack } from 'aws-cdk-lib';", 'lambda/jobs/scratch.ts'],
    ['the web app importing backend code', "import { createHandler } from '../../../../lambda/shared/http/handler';", 'frontend/src/lib/scratch.ts'],
    ['the web app importing the local runtime', "import { REGION } from '../../../../local/config';", 'frontend/src/lib/scratch.ts'],
    ['database/ importing the local runtime', "import { LOCAL_DIR } from '@local/config';", 'database/scratch.ts'],
    ['a bare require()', "const x = require('node:fs');", 'local/scratch.ts'],
  ])('refuses %s', async (_case, code, filePath) => {
    // WHEN the file is linted
    const ruleIds = await ruleIdsOf(code, filePath);

    // THEN the layering rule refuses it
    expect(ruleIds.length).toBeGreaterThan(0);
  });

  test.each([
    ['the web app importing the route manifest', "import { ROUTES } from '../../../../lambda/routes';", 'frontend/src/lib/api/scratch.ts'],
    ['the web app importing backend types', "import type * as tenant from '../../../../lambda/tenant/schemas';", 'frontend/src/lib/api/scratch.ts'],
    ['lambda/ importing its own shared code', "import { logger } from '../shared/logger';", 'lambda/tenant/scratch.ts'],
    ['the local runtime importing handlers', "import { ROUTES } from '@lambda/routes';", 'local/scratch.ts'],
  ])('allows %s', async (_case, code, filePath) => {
    expect(await ruleIdsOf(code, filePath)).toEqual([]);
  });
});
