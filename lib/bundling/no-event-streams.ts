/**
 * Stands in for `@smithy/core/event-streams` in the Lambda bundles only (an esbuild alias in
 * HOUSE_BUNDLING; tests and `npm run dev` keep the real module).
 *
 * Why: the SDK's HTTP protocol loads the event-stream codec with a dynamic `import()` the first
 * time an operation with an event-stream member runs, and esbuild inlines it (~15 KB minified).
 * None of the services these functions call (RDS Data API, DynamoDB, Secrets Manager) has such an
 * operation, so it can never run here; if a future client needs one, this fails loudly instead.
 */
function unavailable(): never {
  throw new Error('event streams are not bundled in this function (lib/bundling/no-event-streams.ts)');
}

export class EventStreamSerde {
  constructor() {
    unavailable();
  }
}

export const eventStreamSerdeProvider = (): never => unavailable();
