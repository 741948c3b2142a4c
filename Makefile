# The two set-up commands of the README. Both work on a fresh Debian machine with only Python 3.11
# and apt; everything else is installed by scripts/.
.PHONY: run test lint

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint:
	bash scripts/lint.sh
