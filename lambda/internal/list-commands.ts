import { ListCommandsQuerySchema } from '../commands/schemas';
import { listCommands } from '../commands/list';
import { commandStoreDeps } from '../commands/deps';
import { createHandler } from '../shared/http/handler';
import { parseQuery } from '../shared/http/validate';
import { route } from '../routes';

const deps = commandStoreDeps();

export const handler = createHandler(route('listOperationalCommands'), async ({ event }) => ({
  body: await listCommands(deps, parseQuery(ListCommandsQuerySchema, event)),
}));
