import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalDatabase, type LocalDatabase } from '@local/data-api';

/**
 * The strictness rules again, asserted by a client this project did not write: boto3 from Debian
 * (python3-boto3, which npm test installs: scripts/test.sh), running scripts/data-api-fidelity.py against a local
 * Data API on embedded PGlite with a short call limit.
 */
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, '..', '..', '..', 'scripts', 'data-api-fidelity.py');

describe('the local Data API through boto3', () => {
  let local: LocalDatabase;
  const TIMEOUT_MS = 1_000;

  beforeAll(async () => {
    local = await startLocalDatabase({ statementTimeoutMs: TIMEOUT_MS });
  }, 60_000);
  afterAll(async () => {
    await local?.stop();
  });

  test('every rule holds as boto3 sees it', async () => {
    const probe = spawnSync(PYTHON, ['-c', 'import boto3'], { encoding: 'utf8' });
    if (!existsSync(PYTHON) || probe.status !== 0) {
      throw new Error(`boto3 is missing: install Debian's python3-boto3 (apt-get install python3-boto3), as npm test does (scripts/test.sh).\n${probe.stderr ?? ''}`);
    }
    const env = {
      ...process.env,
      DATA_API_ENDPOINT: local.api.url,
      RESOURCE_ARN: local.target.resourceArn,
      SECRET_ARN: local.target.secretArn,
      DATABASE: local.target.database,
      TIMEOUT_MS: String(TIMEOUT_MS),
    };
    // Asynchronously: the endpoint answers from this process's event loop.
    const { status, stdout, stderr } = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { spawn } = require('node:child_process') as typeof import('node:child_process');
      const child = spawn(PYTHON, [SCRIPT], { env });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('close', (code) => resolve({ status: code, stdout: out, stderr: err }));
    });
    const checks = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { check: string; ok: boolean; detail: string });
    expect(stderr.split('\n').filter((line) => /Traceback|Error:/.test(line))).toEqual([]);
    expect(checks.length).toBeGreaterThanOrEqual(17);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(status).toBe(0);
  }, 60_000);
});
