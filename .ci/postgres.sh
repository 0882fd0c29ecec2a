#!/usr/bin/env bash
# Install (if needed) and start a local PostgreSQL from Debian's packages; print a test database URL.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^${version} main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432 >&2
su postgres -c "psql -q -v ON_ERROR_STOP=1 -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='reassure') THEN CREATE ROLE reassure LOGIN PASSWORD 'reassure'; END IF; END \\\$\\\$;\"" >&2
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='reassure_test'\"" | grep -q 1; then
  su postgres -c "createdb -O reassure reassure_test" >&2
fi
echo "postgresql+psycopg://reassure:reassure@127.0.0.1:5432/reassure_test"
