# Shared by run.sh and test.sh: sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${FANARCHIVE_VENV:-$ROOT/.venv}"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

APT_UPDATED=""
apt_install() {
  # apt-get update once per run: the package lists of a fresh machine are empty or stale.
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      echo "$candidate"; return 0
    fi
  done
  echo "fanarchive needs Python 3.11 or newer" >&2; return 1
}

ensure_venv() {
  local extras="$1" python stamp
  python="$(find_python)"
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$python" -m venv "$VENV" 2>/dev/null; then
      rm -rf "$VENV"
      apt_install python3-venv
      "$python" -m venv "$VENV"
    fi
  fi
  # Reinstall only when pyproject.toml changed since the last install of these extras.
  stamp="$VENV/.installed-$(echo "$extras" | tr -c 'a-z' '_')"
  if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e "$ROOT$extras"
    touch "$stamp"
  fi
}
