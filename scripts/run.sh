#!/usr/bin/env bash
# Create the environment, install fanarchive, and serve the archive on SQLite at 127.0.0.1:8000.
source "$(dirname "$0")/lib.sh"
ensure_venv ""
exec "$VENV/bin/fanarchive" serve "$@"
