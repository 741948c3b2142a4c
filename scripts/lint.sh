#!/usr/bin/env bash
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$VENV/bin/ruff" check src tests
"$VENV/bin/ruff" format --check src tests
"$VENV/bin/mypy"
