import type { APIGatewayProxyResult } from 'aws-lambda';
import { route } from '@lambda/routes';
import { BUSINESS_METRICS } from '@shared/business-metrics';
import type { ApiHandler } from '@shared/http/handler';
import { BACKENDS } from '../../support/local-db';
import { SEED_NOW, startSeededApi, type SeededApi } from '../../support/api';
import { apiEvent } from '../../support/events';
import { captureOutput } from '../../support/logs';

/** One EMF document as Powertools Metrics prints it (the CloudWatch Embedded Metric Format). */
interface Emf {
  _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [key: string]: unknown;
}

/**
 * Issue 17, observability: the business figures are published as EMF (Powertools Metrics) with the
 * names, units and dimensions lambda/shared/business-metrics.ts declares, which is what the stage
 * dashboard queries.
 */
describe.each(BACKENDS)('business metrics on %s', (kind) => {
  let api: SeededApi;
  const METRICS_ON = { POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_METRICS_NAMESPACE: 'Painel/test' };

  beforeAll(async () => {
    api = await startSeededApi(kind);
  }, 180_000);
  afterAll(async () => {
    await api?.stop();
  });

  const metricsIn = (raw: string): Emf[] =>
    raw
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Emf);
  const find = (documents: Emf[], name: string) => documents.filter((doc) => doc._aws.CloudWatchMetrics[0]!.Metrics.some((m) => m.Name === name));

  test('a created command counts as CommandsCreated by type, and its success as CommandsSucceeded', async () => {
    const output = captureOutput();
    const create = api.loadModule<{ handler: ApiHandler }>(route('createOperationalCommand').handler, METRICS_ON).handler;
    const mapping = api.startProcessor({ ...METRICS_ON, LOG_LEVEL: 'SILENT' }, { startingPosition: 'LATEST' });
    const event = apiEvent({ method: 'POST', path: '/internal/operations/commands', body: { command_type: 'HEALTH_CHECK', parameters: {} }, claims: api.claims.support });
    const result = (await create(event)) as APIGatewayProxyResult;
    expect(result.statusCode).toBe(202);
    for (let i = 0; i < 100 && find(metricsIn(output.raw()), BUSINESS_METRICS.commandsSucceeded.name).length === 0; i++) {
      await mapping.idle();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    jest.restoreAllMocks();
    await mapping.stop();

    const documents = metricsIn(output.raw());
    const [created] = find(documents, 'CommandsCreated');
    expect(created).toMatchObject({ command_type: 'HEALTH_CHECK', service: 'painel-operacional', CommandsCreated: 1 });
    expect(created!._aws.CloudWatchMetrics[0]).toEqual({ Namespace: 'Painel/test', Dimensions: [['service', 'command_type']], Metrics: [{ Name: 'CommandsCreated', Unit: 'Count' }] });
    const [succeeded] = find(documents, 'CommandsSucceeded');
    expect(succeeded).toMatchObject({ command_type: 'HEALTH_CHECK', CommandsSucceeded: 1 });
  });

  test('a nightly run publishes rows read and written, its duration and the incidents it opened', async () => {
    const output = captureOutput();
    const job = api.loadModule<{ handler: (event: unknown) => Promise<{ rowsRead: number; rowsWritten: number }> }>('jobs/aggregate-daily-metrics.ts', { ...METRICS_ON, LOG_LEVEL: 'SILENT' }).handler;
    const day = new Date(SEED_NOW.getTime() - 86_400_000).toISOString().slice(0, 10);
    const report = await job({ from: day, to: day });
    jest.restoreAllMocks();

    const documents = metricsIn(output.raw());
    const value = (name: string) => find(documents, name)[0]?.[name];
    expect(value('AggregationRowsRead')).toBe(report.rowsRead);
    expect(value('AggregationRowsWritten')).toBe(report.rowsWritten);
    expect(value('AggregationDuration')).toEqual(expect.any(Number));
    expect(find(documents, 'AggregationDuration')[0]!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: 'AggregationDuration', Unit: 'Milliseconds' }]);
    expect(value('IncidentsOpened')).toEqual(expect.any(Number));
  });

  test('metrics stay off where POWERTOOLS_METRICS_DISABLED is set (the local runtime and the other tests)', async () => {
    const output = captureOutput();
    const create = api.loadModule<{ handler: ApiHandler }>(route('createOperationalCommand').handler, { POWERTOOLS_METRICS_DISABLED: 'true' }).handler;
    await create(apiEvent({ method: 'POST', path: '/internal/operations/commands', body: { command_type: 'HEALTH_CHECK', parameters: {} }, claims: api.claims.support }));
    jest.restoreAllMocks();
    expect(metricsIn(output.raw())).toEqual([]);
  });
});
