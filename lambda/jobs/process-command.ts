import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { commandDeps } from '../commands/processor-deps';
import { processRecord } from '../commands/process';
import { logger } from '../shared/logger';
import { withTrace } from '../shared/tracer';

const deps = commandDeps();
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * The commands table's stream consumer. Records are processed one after another, in stream
 * order; a record that throws is reported in batchItemFailures (ReportBatchItemFailures) and
 * Lambda retries from it, while the others count as done.
 */
export const handler = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
  logger.addContext(context);
  const response = await withTrace('processCommands', {}, () =>
    processPartialResponse(event, (record: DynamoDBRecord) => processRecord(deps, record), processor, { context, processInParallel: false }),
  );
  if (response.batchItemFailures.length > 0) logger.warn('batch had failures', { failed: response.batchItemFailures.length, records: event.Records.length });
  return response;
};
