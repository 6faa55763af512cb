import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { BUSINESS_METRICS, type BusinessMetric } from '../../lambda/shared/business-metrics';
import type { StageConfig } from '../config';
import { SERVICE_NAME, metricsNamespace } from './app-function';

/** The stack names whose resources the dashboard finds (physical names start with them). */
export interface StageDashboardProps {
  readonly config: StageConfig;
  /** `Painel-<stage>-Api`: the REST API's name (restApiName) and its functions' name prefix. */
  readonly apiStackName: string;
  /** `Painel-<stage>-Data`: the cluster's and the commands table's name prefix. */
  readonly dataStackName: string;
  /** `Painel-<stage>-Jobs`: the processor's, the jobs' and the failure queue's name prefix. */
  readonly jobsStackName: string;
}

const PERIOD = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

/**
 * One CloudWatch dashboard per stage: API latency and 5xx per route, Lambda errors, throttles and
 * duration per function, the processor's iterator age and failure queue, Aurora capacity and
 * connections, DynamoDB throttles, commands by status and type, and the nightly run.
 *
 * Every widget finds its metrics with a SEARCH expression on the physical-name prefix CloudFormation
 * gives generated names (`<stack name>-<logical id>-<suffix>`), so the dashboard holds no reference
 * to another stack's resources: replacing a function never blocks a deploy on an export in use.
 */
export class StageDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: StageDashboardProps) {
    super(scope, id);
    const { config } = props;
    const search = (schema: string, terms: string, statistic: string, label: string): cloudwatch.SearchExpression =>
      new cloudwatch.SearchExpression({ expression: `SEARCH('{${schema}} ${terms}', '${statistic}', ${PERIOD.toSeconds()})`, label, period: PERIOD });
    // Partial matches on the tokens of a generated name ("Painel-dev-Api-Routes…" → Painel, dev, Api, …).
    const named = (dimension: string, prefix: string) =>
      prefix
        .split('-')
        .map((token) => `${dimension}=${token}`)
        .join(' ');
    const graph = (title: string, metrics: cloudwatch.IMetric[], unit?: string) =>
      new cloudwatch.GraphWidget({ title, left: metrics, width: WIDTH, height: HEIGHT, ...(unit ? { leftYAxis: { label: unit, showUnits: false } } : {}) });
    const business = (metric: BusinessMetric, statistic = 'Sum') => {
      const declaration = BUSINESS_METRICS[metric];
      const dimensions = ['service', ...declaration.dimensions].join(',');
      return search(`${metricsNamespace(config)},${dimensions}`, `MetricName="${declaration.name}" service="${SERVICE_NAME}"`, statistic, declaration.name);
    };
    const api = `ApiName="${props.apiStackName}"`;
    const functions = named('FunctionName', `Painel-${config.stage}`);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(24),
      widgets: [
        [new cloudwatch.TextWidget({ markdown: `# Painel Operacional — ${config.stage}\nAPI, functions, commands, database and the nightly run. Alarms notify ${config.alarmEmail}.`, width: 24, height: 2 })],
        [
          graph('API latency p99 by route (ms)', [search('AWS/ApiGateway,ApiName,Method,Resource,Stage', `${api} MetricName="Latency"`, 'p99', '')], 'ms'),
          graph('API 5xx by route', [search('AWS/ApiGateway,ApiName,Method,Resource,Stage', `${api} MetricName="5XXError"`, 'Sum', '')]),
          graph('API requests by route', [search('AWS/ApiGateway,ApiName,Method,Resource,Stage', `${api} MetricName="Count"`, 'Sum', '')]),
        ],
        [
          graph('Lambda errors by function', [search('AWS/Lambda,FunctionName', `${functions} MetricName="Errors"`, 'Sum', '')]),
          graph('Lambda throttles by function', [search('AWS/Lambda,FunctionName', `${functions} MetricName="Throttles"`, 'Sum', '')]),
          graph('Lambda duration p99 by function (ms)', [search('AWS/Lambda,FunctionName', `${functions} MetricName="Duration"`, 'p99', '')], 'ms'),
        ],
        [
          graph('Commands processor: iterator age (ms)', [search('AWS/Lambda,FunctionName', `${named('FunctionName', props.jobsStackName)} FunctionName=CommandProcessor MetricName="IteratorAge"`, 'Maximum', '')], 'ms'),
          graph('Commands processor: records sent to the failure queue', [search('AWS/SQS,QueueName', `${named('QueueName', props.jobsStackName)} MetricName="NumberOfMessagesSent"`, 'Sum', '')]),
          graph('Commands by status and type', [business('commandsCreated'), business('commandsSucceeded'), business('commandsFailed')]),
        ],
        [
          graph('Aurora capacity (ACU)', [search('AWS/RDS,DBClusterIdentifier', `${named('DBClusterIdentifier', props.dataStackName.toLowerCase())} MetricName="ServerlessDatabaseCapacity"`, 'Maximum', '')], 'ACU'),
          graph('Aurora connections', [search('AWS/RDS,DBClusterIdentifier', `${named('DBClusterIdentifier', props.dataStackName.toLowerCase())} MetricName="DatabaseConnections"`, 'Maximum', '')]),
          graph('DynamoDB throttled requests (commands table)', [search('AWS/DynamoDB,TableName,Operation', `${named('TableName', props.dataStackName)} MetricName="ThrottledRequests"`, 'Sum', '')]),
        ],
        [
          graph('Nightly run: rows read and written', [business('aggregationRowsRead'), business('aggregationRowsWritten')]),
          graph('Nightly run: duration (ms)', [business('aggregationDuration', 'Maximum')], 'ms'),
          graph('Nightly run: incidents opened', [business('incidentsOpened')]),
        ],
      ],
    });
  }
}
