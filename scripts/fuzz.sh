#!/usr/bin/env bash
# Coverage-guided fuzzing of every reader (or the READERs named) with atheris, SECONDS each
# (default 8: about three minutes for all twenty readers), or `--runs N` inputs each from a fixed
# seed: the same inputs on every machine, which is what the test command (and so CI) runs, so a
# finding there is one the same command shows on a developer's machine first. A crashing or hanging input
# is filed under tests/fuzz/regressions/<reader>/ (tests/fuzz/triage.py: unless a filed input fails
# the same way), where tests/fuzz/test_regressions.py replays it on every test run; the exit status
# is 1 when this run found a failure not filed before.
#   scripts/fuzz.sh [SECONDS | --runs N] [READER...]
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
if [ "${1:-}" = "--runs" ]; then budget="runs=$2"; shift 2; else budget="${1:-8}"; shift || true; fi
# Python's string hashing is seeded per process; fixed here so that a `--runs` fuzz is repeatable.
export PYTHONHASHSEED=0
if [ "$#" -gt 0 ]; then readers=("$@"); else
  mapfile -t readers < <("$VENV/bin/python" -c \
    'from fanarchive.domain.formats.registry import all_parsers; print(*(p.name for p in all_parsers()), sep="\n")')
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
new=0
for reader in "${readers[@]}"; do
  log="$work/$reader.log"
  # libFuzzer exits non-zero on a finding; the artifacts say what it found.
  "$VENV/bin/python" tests/fuzz/run.py "$reader" "$budget" "$work/$reader" >"$log" 2>&1 || true
  rate="$(grep -o 'average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')"
  echo "fuzz $reader: ${rate} execs/s (${budget})"
  "$VENV/bin/python" tests/fuzz/triage.py "$reader" "$work/$reader" || new=1
done
exit "$new"
