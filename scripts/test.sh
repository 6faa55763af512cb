#!/usr/bin/env bash
# `npm test`: what the README promises on a fresh Debian machine, with nothing set up beforehand.
# 1. Brings the system packages the tests use, with apt when they are missing (as root; otherwise
#    it says which to install): Debian's chromium (the browser tests drive it with playwright-core;
#    no browser download) and Debian's boto3 (the independent client the local Data API is checked
#    with), and PostgreSQL 15 (scripts/postgres15.sh), the integration tests' second backend.
#    DATABASE_URL already set → that server is used; PAINEL_TEST_BACKENDS=pglite → PGlite only.
# 2. Type-checks, lints the layering (ESLint, eslint.config.mjs), runs the unit, integration (both
#    backends), infrastructure and end-to-end suites,
#    then one real `cdk synth -c env=prod` with its bundle checks (scripts/check-bundles.ts).
# CI (.ci/run) runs `npm ci && npm test` and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import boto3' 2>/dev/null || missing+=(python3-boto3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "npm test needs Debian packages: ${missing[*]} — install them (sudo apt-get install ${missing[*]}) and run again" >&2
    exit 1
  fi
  echo "installing ${missing[*]} (apt)" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ -z "${DATABASE_URL:-}" ] && [ "${PAINEL_TEST_BACKENDS:-}" != pglite ]; then
  DATABASE_URL="$(bash scripts/postgres15.sh)"
  export DATABASE_URL
fi

npm run typecheck
npm run lint
npm run test:unit
npm run test:integration
npm run test:infra
npm run test:e2e
npm run synth:prod
