import { CreateCommandBodySchema } from '../commands/schemas';
import { createCommand } from '../commands/create';
import { commandStoreDeps } from '../commands/deps';
import { headerValue } from '../shared/http/cors';
import { createHandler } from '../shared/http/handler';
import { parseBody } from '../shared/http/validate';
import { route } from '../routes';

const deps = commandStoreDeps();

export const handler = createHandler(route('createOperationalCommand'), async ({ event, auth }) => {
  const body = parseBody(CreateCommandBodySchema, event);
  const idempotencyKey = headerValue(event.headers, 'idempotency-key');
  const created = await createCommand(deps, { body, createdBy: auth.sub, idempotencyKey });
  return { status: 202, body: created.body, headers: created.replayed ? { 'Idempotent-Replayed': 'true' } : undefined };
});
