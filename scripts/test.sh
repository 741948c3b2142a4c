#!/usr/bin/env bash
# Install what the tests need (Python packages, Chromium, PostgreSQL), then run lint, type checks and
# the whole suite: once on SQLite (the search engine contract on tantivy, memory and PostgreSQL), and the
# database tests again on a real PostgreSQL server with PostgreSQL's full-text search behind listings.
# Without arguments the stages run in two lanes at once, one per core (below).
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
PYTEST=("$VENV/bin/pytest" -q -p no:cacheprovider)
# The database, web and browser tests: run on SQLite, then again on PostgreSQL.
DATABASE_TESTS=(tests/archive tests/accounts tests/web tests/feeds tests/browser tests/api)

echo "== lint and types"
bash scripts/lint.sh

sqlite_database_tests() {
  echo "== database, web and browser tests on SQLite (the search engine contract on tantivy), the slow ones included"
  "${PYTEST[@]}" -m "slow or not slow" "${DATABASE_TESTS[@]}" "$@"
}

sqlite_other_tests() {
  echo "== the other tests on SQLite (domain, search backends on tantivy, memory and PostgreSQL, CLI, benches), the slow ones included"
  local skip=(--ignore=tests/multinode)
  for folder in "${DATABASE_TESTS[@]}"; do skip+=("--ignore=$folder"); done
  "${PYTEST[@]}" -m "slow or not slow" "${skip[@]}" "$@"
}

multinode_tests() {
  echo "== the multi-node layout: PostgreSQL primary and streaming replica, Redis, two web nodes and a worker"
  # On PostgreSQL: the outbox's drain lock is PostgreSQL's (the layout test makes its own clusters).
  DATABASE_URL="$FANARCHIVE_TEST_DATABASE_URL" "${PYTEST[@]}" -m "slow or not slow" tests/multinode
}

fuzz_readers() {
  echo "== coverage-guided fuzzing of every reader, ${FANARCHIVE_FUZZ_RUNS:-4000} inputs each from a fixed seed (findings land in tests/fuzz/regressions)"
  bash scripts/fuzz.sh --runs "${FANARCHIVE_FUZZ_RUNS:-4000}"
}

postgres_database_tests() {
  echo "== database, web and browser tests again on PostgreSQL, searched through PostgreSQL full-text search"
  DATABASE_URL="$FANARCHIVE_TEST_DATABASE_URL" FANARCHIVE_TEST_SEARCH_BACKEND=postgres \
    "${PYTEST[@]}" -m "not slow" "${DATABASE_TESTS[@]}" "$@"
}

if [ "$#" -gt 0 ]; then
  # Arguments (a path, -k, -x) are for pytest: the stages one after the other, as a developer reads them.
  echo "== tests on SQLite, the slow ones included"
  "${PYTEST[@]}" -m "slow or not slow" --ignore=tests/multinode "$@"
  multinode_tests
  fuzz_readers
  postgres_database_tests "$@"
  exit 0
fi

# The whole command: pytest runs on one core, so the stages run in two lanes, one per core, each
# with its own data directory (the task queue, page cache and index live there). Nothing else is
# shared between them: PostgreSQL tests make databases of their own, and only one lane runs the
# tests that name theirs. The second lane's output follows the first's.
other_log="$(mktemp)"
other_home="$(mktemp -d)"
(
  export FANARCHIVE_HOME="$other_home"
  sqlite_other_tests
  fuzz_readers
) >"$other_log" 2>&1 &
other_lane=$!
status=0
( sqlite_database_tests && multinode_tests && postgres_database_tests ) || status=$?
other_status=0
wait "$other_lane" || other_status=$?
cat "$other_log"
rm -f "$other_log"
if [ "$status" -ne 0 ] || [ "$other_status" -ne 0 ]; then
  echo "== failed: database lane exit $status, other lane exit $other_status" >&2
  exit 1
fi
