/**
 * The stage's runtime config, read from `/config.json` (written by the web stack in AWS, served by
 * `npm run dev` locally), so one static build serves every stage.
 */
export interface AppConfig {
  apiUrl: string;
  cognitoRegion: string;
  userPoolId: string;
  clientId: string;
  /** Only locally: the Cognito-protocol IdP. In AWS it is derived from the region. */
  cognitoEndpoint?: string;
}

let pending: Promise<AppConfig> | undefined;

export function cognitoEndpoint(config: AppConfig): string {
  return config.cognitoEndpoint ?? `https://cognito-idp.${config.cognitoRegion}.amazonaws.com/`;
}

function parse(raw: unknown): AppConfig {
  const value = (raw ?? {}) as Record<string, unknown>;
  for (const key of ['apiUrl', 'cognitoRegion', 'userPoolId', 'clientId'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') throw new Error(`config.json: ${key} is missing`);
  }
  return {
    apiUrl: String(value.apiUrl).replace(/\/+$/, ''),
    cognitoRegion: String(value.cognitoRegion),
    userPoolId: String(value.userPoolId),
    clientId: String(value.clientId),
    ...(typeof value.cognitoEndpoint === 'string' && value.cognitoEndpoint ? { cognitoEndpoint: value.cognitoEndpoint } : {}),
  };
}

/** Loaded once per page load; a failure is retried on the next call. */
export function loadConfig(): Promise<AppConfig> {
  pending ??= fetch('/config.json', { cache: 'no-store' })
    .then(async (res) => {
      if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
      return parse(await res.json());
    })
    .catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
  return pending;
}
