"""Coverage-guided fuzzing of one reader with atheris (libFuzzer):

    python tests/fuzz/run.py READER BUDGET WORKDIR

Seeds from the project's fixtures, instruments fanarchive.domain, runs for BUDGET (SECONDS, or
`runs=N`: N inputs from libFuzzer's fixed seed 1, the same inputs on every machine, so that a CI
run finds exactly what the same command finds on a developer's) and leaves any crashing input in
WORKDIR/crash-* (scripts/fuzz.sh files those under regressions/READER/)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for fuzz.* and support.*

with atheris.instrument_imports(include=["fanarchive.domain"]):
    from fuzz.targets import parsers, run_one, seeds


def main() -> None:
    reader, budget, workdir = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    limit = (
        [f"-runs={budget[5:]}", "-seed=1"] if budget.startswith("runs=") else [f"-max_total_time={budget}"]
    )
    parser = parsers()[reader]
    corpus = workdir / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for number, data in enumerate(seeds()):
        try:
            run_one(parser, data)
        except Exception:
            # A fixture that already crashes the reader would stop libFuzzer before it starts:
            # hand it to triage as a finding and fuzz from the others.
            (workdir / f"crash-{hashlib.sha1(data).hexdigest()}").write_bytes(data)
            continue
        (corpus / f"seed-{number:03}").write_bytes(data)

    def target(data: bytes) -> None:
        run_one(parser, data)

    atheris.Setup(
        [
            sys.argv[0],
            *limit,
            "-timeout=10",  # an input that takes 10 s is a finding too (a hang)
            "-rss_limit_mb=2048",
            "-max_len=65536",
            "-print_final_stats=1",
            f"-artifact_prefix={workdir}/",
            str(corpus),
        ],
        target,
    )
    atheris.Fuzz()


if __name__ == "__main__":
    main()
