#!/usr/bin/env bash
# Makes sure a PostgreSQL 15 server (Debian's package) runs on 127.0.0.1:5432 with a known
# password, for the integration tests' second backend. Prints the DATABASE_URL to use.
set -euo pipefail
PASSWORD=${PGPASSWORD_TEST:-painel}
if [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
  echo "installing postgresql 15 (apt)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql-15 >&2
fi
if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 \+main'; then
  pg_createcluster 15 main >&2
fi
if ! pg_lsclusters -h | grep -q '^15 \+main .* online'; then
  pg_ctlcluster 15 main start >&2
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -qAt -c 'select 1'" >/dev/null 2>&1 && break
  sleep 0.5
done
su postgres -c "psql -qAt -c \"ALTER USER postgres PASSWORD '${PASSWORD}'\"" >/dev/null
echo "postgres://postgres:${PASSWORD}@127.0.0.1:5432/postgres"
