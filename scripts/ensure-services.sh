#!/usr/bin/env bash
# Start the local PostgreSQL server when it is installed but not answering.
# Tests that need it fail in CI (CI=true) and skip elsewhere when it is absent.
set -u
if ! command -v pg_isready >/dev/null 2>&1; then
  echo "==> PostgreSQL client tools not found: PostgreSQL tests will $([ "${CI:-}" = true ] && echo fail || echo skip)"
  exit 0
fi
if pg_isready -q -h 127.0.0.1 -p 5432; then
  exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  echo "==> starting PostgreSQL"
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && exit 0
    sleep 1
  done
  echo "==> PostgreSQL did not come up on 127.0.0.1:5432"
fi
exit 0
