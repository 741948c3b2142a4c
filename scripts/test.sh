#!/usr/bin/env bash
# Install what the tests need (Python packages, Chromium, PostgreSQL), then run lint, type checks and
# the whole suite: once on SQLite (the search engine contract on tantivy, memory and PostgreSQL), and the
# database tests again on a real PostgreSQL server with PostgreSQL's full-text search behind listings.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/services.sh"
cd "$ROOT"
ensure_venv "[test]"
ensure_chromium
ensure_ebook_tools
ensure_axe
ensure_postgres
# The multi-node test starts its own PostgreSQL clusters (the server programs come with ensure_postgres's
# package) and its own redis-server.
command -v redis-server >/dev/null || apt_install redis-server
# Tests never touch a real archive's data directory.
export FANARCHIVE_HOME="${FANARCHIVE_TEST_HOME:-$(mktemp -d)}"
# The reader property tests run many more examples here than in a plain pytest run
# (profiles in tests/domain/properties/conftest.py).
export FANARCHIVE_HYPOTHESIS="${FANARCHIVE_HYPOTHESIS:-ci}"

echo "== lint and types"
bash scripts/lint.sh

echo "== tests on SQLite (domain, archive, web, search, browser), the slow ones included"
"$VENV/bin/pytest" -q -p no:cacheprovider -m "slow or not slow" --ignore=tests/multinode "$@"

echo "== the multi-node layout: PostgreSQL primary and streaming replica, Redis, two web nodes and a worker"
# On PostgreSQL: the outbox's drain lock is PostgreSQL's (the layout test makes its own clusters).
DATABASE_URL="$FANARCHIVE_TEST_DATABASE_URL" "$VENV/bin/pytest" -q -p no:cacheprovider -m "slow or not slow" tests/multinode

echo "== coverage-guided fuzzing of every reader, ${FANARCHIVE_FUZZ_RUNS:-4000} inputs each from a fixed seed (findings land in tests/fuzz/regressions)"
bash scripts/fuzz.sh --runs "${FANARCHIVE_FUZZ_RUNS:-4000}"

echo "== database, web and browser tests again on PostgreSQL, searched through PostgreSQL full-text search"
DATABASE_URL="$FANARCHIVE_TEST_DATABASE_URL" FANARCHIVE_TEST_SEARCH_BACKEND=postgres \
  "$VENV/bin/pytest" -q -p no:cacheprovider -m "not slow" tests/archive tests/accounts tests/web tests/feeds tests/browser tests/api "$@"
