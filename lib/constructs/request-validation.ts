import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as z from '../../lambda/shared/zod';
import type { RouteContract } from '../../lambda/api-contract';

/**
 * What API Gateway checks before invoking a function, derived from the route's zod contract. Kept
 * shallow on purpose: the handler validates everything again and its 400 names the field, while a
 * gateway rejection can only say "rejected". The gateway only turns away requests that could never
 * be valid (a missing required parameter, a body that is not an object with the required keys).
 */
export interface GatewayValidation {
  readonly requestParameters: Record<string, boolean>;
  /** A draft-4 JSON schema for the body, when the route takes one. */
  readonly bodySchema?: apigw.JsonSchema;
}

type JsonObject = { type?: unknown; required?: string[]; properties?: Record<string, { enum?: unknown[] }>; oneOf?: JsonObject[]; anyOf?: JsonObject[] };

const toJson = (schema: z.core.$ZodType): JsonObject => z.toJSONSchema(schema, { target: 'draft-4', io: 'input', unrepresentable: 'any' }) as JsonObject;

const requiredKeys = (schema: z.ZodMiniObject | undefined): string[] => (schema ? (toJson(schema).required ?? []) : []);

/** The top level of a body schema (one object, or a union of objects): the keys every variant requires, enums merged. */
export function shallowBodySchema(schema: z.core.$ZodType): apigw.JsonSchema {
  const json = toJson(schema);
  const variants = json.oneOf ?? json.anyOf ?? [json];
  if (!variants.every((variant) => variant.type === 'object')) return { schema: apigw.JsonSchemaVersion.DRAFT4, type: apigw.JsonSchemaType.OBJECT };
  const required = variants.map((variant) => variant.required ?? []).reduce((common, keys) => common.filter((key) => keys.includes(key)));
  const properties: Record<string, apigw.JsonSchema> = {};
  for (const key of required) {
    const enums = variants.map((variant) => variant.properties?.[key]?.enum);
    if (enums.every((values) => Array.isArray(values))) properties[key] = { enum: [...new Set(enums.flat())] as apigw.JsonSchema['enum'] };
  }
  return { schema: apigw.JsonSchemaVersion.DRAFT4, type: apigw.JsonSchemaType.OBJECT, required, properties };
}

export function gatewayValidation(contract: RouteContract): GatewayValidation {
  const requestParameters: Record<string, boolean> = {};
  for (const key of requiredKeys(contract.path)) requestParameters[`method.request.path.${key}`] = true;
  for (const key of requiredKeys(contract.query)) requestParameters[`method.request.querystring.${key}`] = true;
  return { requestParameters, bodySchema: contract.body ? shallowBodySchema(contract.body) : undefined };
}
