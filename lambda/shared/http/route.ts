import type { Group } from '../auth';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One entry of the route manifest (`lambda/routes.ts`): plain data read by the CDK stacks, the
 * local gateway, the API document and `createHandler`'s group check. Manifest entries may carry
 * more fields (e.g. the handler entry file); this is what the request path needs.
 */
export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway resource path, e.g. `/internal/tenants/{id}`. */
  readonly path: string;
  /** Groups allowed to call the route; the Cognito authorizer only proves identity. */
  readonly groups: readonly Group[];
  /** `Cache-Control: private, max-age` for successful GETs; 0 disables caching. */
  readonly cacheSeconds: number;
}
