/**
 * The web app's security headers, declared once: CloudFront's response headers policy (the Api
 * stack's SiteHosting) and the local web server (local/web.ts) both build them from here, so the
 * browser tests exercise the policy that is deployed.
 *
 * The Content-Security-Policy allows scripts only from the site itself (the static export has its
 * inline scripts moved into files by frontend/scripts/externalize-inline-scripts.mjs) and
 * connections only to the site, the stage's API and Cognito's user-pool endpoint.
 */
export interface ContentSecurityPolicySources {
  /** The stage's API origin, `https://<id>.execute-api.<region>.amazonaws.com` (no path). */
  readonly apiOrigin: string;
  /** Cognito's user-pool API origin, `https://cognito-idp.<region>.amazonaws.com` (locally, the IdP stand-in). */
  readonly cognitoOrigin: string;
  /**
   * `next dev` only: React Refresh evaluates code and Next's dev overlay injects inline scripts,
   * and hot reload uses a WebSocket. Never set for the export (CloudFront, the browser tests).
   */
  readonly development?: boolean;
}

/** The CSP header's value. Tokens (CloudFormation references) pass through unchanged. */
export function contentSecurityPolicy(sources: ContentSecurityPolicySources): string {
  const scripts = sources.development ? "'self' 'unsafe-inline' 'unsafe-eval'" : "'self'";
  const connections = ["'self'", sources.apiOrigin, sources.cognitoOrigin, ...(sources.development ? ['ws:'] : [])].join(' ');
  return [
    "default-src 'self'",
    `script-src ${scripts}`,
    // React and Recharts set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connections}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** HSTS max-age, seconds (two years, as the HSTS preload list asks). */
export const HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 60 * 60;
export const REFERRER_POLICY = 'strict-origin-when-cross-origin';

/** Every security header as `name → value` (what the local web server sends; CloudFront's policy sets the same). */
export function securityHeaders(sources: ContentSecurityPolicySources): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(sources),
    'Strict-Transport-Security': `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': REFERRER_POLICY,
  };
}
