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

sqlite_tests() {
  echo "== tests on SQLite (the search engine contract on tantivy, memory and PostgreSQL), the slow ones included: $*"
  "${PYTEST[@]}" -m "slow or not slow" "$@"
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

postgres_tests() {
  # $1: the database URL (pytest-django makes test_<its name>); the rest: what to run.
  local url="$1"
  shift
  echo "== database, web and browser tests again on PostgreSQL, searched through PostgreSQL full-text search: $*"
  DATABASE_URL="$url" FANARCHIVE_TEST_SEARCH_BACKEND=postgres "${PYTEST[@]}" -m "not slow" "$@"
}

if [ "$#" -gt 0 ]; then
  # Arguments (a path, -k, -x) are for pytest: the stages one after the other, as a developer reads them.
  sqlite_tests --ignore=tests/multinode "$@"
  multinode_tests
  fuzz_readers
  postgres_tests "$FANARCHIVE_TEST_DATABASE_URL" "${DATABASE_TESTS[@]}" "$@"
  exit 0
fi

# The whole command: pytest runs on one core, so the stages run in two lanes at once, one per core.
# The database tests' files (most of the time, on both databases) are dealt out to the lanes in
# turn; the rest of the suite goes to one lane, the multi-node layout and the fuzzing to the other.
# Each lane has its own data directory (the task queue, page cache and index live there) and its
# own PostgreSQL test database; other PostgreSQL tests make databases of their own, and those that
# name theirs (tests/cli) run in one lane only. The second lane's output follows the first's.
mapfile -t database_files < <(find "${DATABASE_TESTS[@]}" -name 'test_*.py' | sort)
first_files=()
second_files=()
for index in "${!database_files[@]}"; do
  if ((index % 2)); then second_files+=("${database_files[$index]}"); else first_files+=("${database_files[$index]}"); fi
done
mapfile -t other_paths < <(find tests -mindepth 1 -maxdepth 1 \( -type d -o -name 'test_*.py' \) \
  -not -name __pycache__ -not -name multinode | sort | grep -vxF "$(printf '%s\n' "${DATABASE_TESTS[@]}")")
second_url="$("$VENV/bin/python" -c '
import sys, urllib.parse as u
parts = u.urlsplit(sys.argv[1])
print(u.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_second")))' "$FANARCHIVE_TEST_DATABASE_URL")"
second_home="$(mktemp -d)"
second_log="$(mktemp)"
(
  export FANARCHIVE_HOME="$second_home"
  sqlite_tests "${other_paths[@]}" "${second_files[@]}"
  postgres_tests "$second_url" "${second_files[@]}"
) >"$second_log" 2>&1 &
second_lane=$!
status=0
(sqlite_tests "${first_files[@]}" && multinode_tests && fuzz_readers && postgres_tests "$FANARCHIVE_TEST_DATABASE_URL" "${first_files[@]}") || status=$?
second_status=0
wait "$second_lane" || second_status=$?
echo "== the second lane"
cat "$second_log"
rm -f "$second_log"
if [ "$status" -ne 0 ] || [ "$second_status" -ne 0 ]; then
  echo "== failed: first lane exit $status, second lane exit $second_status" >&2
  exit 1
fi
