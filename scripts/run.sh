#!/usr/bin/env bash
# Create the environment, install fanarchive, and serve the archive on SQLite at 127.0.0.1:8000.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/services.sh"
ensure_venv ""
ensure_pdf_libraries
exec "$VENV/bin/fanarchive" serve "$@"
