import * as z from '@lambda/shared/zod';

/**
 * The same schema refusing, at every level, any key it does not name: the tests parse responses
 * with it, so a column leaking into a response (a secret ARN, a config blob) fails the test.
 */
export function deepStrict<T extends z.core.$ZodType>(schema: T): T {
  return strictCopy(schema) as unknown as T;
}

function strictCopy(schema: z.core.$ZodType): z.core.$ZodType {
  const def = schema._zod.def;
  switch (def.type) {
    case 'object': {
      const shape = (def as z.core.$ZodObjectDef).shape;
      return z.strictObject(Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, strictCopy(value)])));
    }
    case 'array':
      return z.array(strictCopy((def as z.core.$ZodArrayDef).element));
    case 'nullable':
      return z.nullable(strictCopy((def as z.core.$ZodNullableDef).innerType));
    case 'optional':
      return z.optional(strictCopy((def as z.core.$ZodOptionalDef).innerType));
    default:
      return schema;
  }
}
