# Sourced by test.sh: the system services and programs the full suite needs, installed and started
# only when they are missing, so that a fresh machine and a developer's both pass.

ensure_chromium() {
  if [ -z "${FANARCHIVE_CHROMIUM:-}" ]; then
    if ! command -v chromium >/dev/null; then apt_install chromium fonts-dejavu-core; fi
    export FANARCHIVE_CHROMIUM="$(command -v chromium)"
  fi
}

ensure_pdf_libraries() {
  # WeasyPrint (PDF downloads) loads pango and harfbuzz's subsetter at run time, and CJK text needs
  # a font that has it: WenQuanYi Micro Hei is 5 MB where Noto CJK is 90.
  local missing=() libraries fonts
  # Read whole, then searched: `grep -q` in a pipe would end it early and trip pipefail.
  libraries="$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)"
  fonts="$(fc-list 2>/dev/null || true)"
  [[ "$libraries" == *libpangoft2-1.0.so.0* ]] || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
  [[ "$libraries" == *libharfbuzz-subset.so.0* ]] || missing+=(libharfbuzz-subset0)
  [[ "$fonts" == *WenQuanYi* || "$fonts" == *"Noto Sans CJK"* ]] || missing+=(fontconfig fonts-wqy-microhei)
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
}

ensure_ebook_tools() {
  # epubcheck checks every EPUB the tests write; calibre (about 100 MB of packages, under a minute)
  # opens our EPUBs the way readers' libraries do and makes MOBI/AZW3. FANARCHIVE_SKIP_CALIBRE=1
  # leaves calibre out (its tests then skip, or fail under CI).
  ensure_pdf_libraries
  local missing=()
  [ -e /usr/bin/epubcheck ] || missing+=(epubcheck)
  if [ -z "${FANARCHIVE_SKIP_CALIBRE:-}" ] && ! command -v ebook-convert >/dev/null; then missing+=(calibre); fi
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
}

port_open() {
  "$VENV/bin/python" - "$1" "$2" <<'PY'
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1).close()
except OSError:
    sys.exit(1)
PY
}

ensure_postgres() {
  # A caller's own server wins; otherwise the local one on 5432, installed and started if need be.
  if [ -n "${FANARCHIVE_TEST_DATABASE_URL:-}" ]; then return 0; fi
  export FANARCHIVE_TEST_DATABASE_URL="postgresql://postgres:postgres@127.0.0.1:5432/fanarchive"
  if ! port_open 127.0.0.1 5432; then
    if ! command -v pg_ctlcluster >/dev/null; then apt_install postgresql; fi
    local version
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then as_root pg_createcluster "$version" main >/dev/null; fi
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do port_open 127.0.0.1 5432 && break; sleep 1; done
  fi
  # Debian's default TCP authentication wants a password: give the postgres role a known one.
  if ! PGPASSWORD=postgres "$VENV/bin/python" -c "
import psycopg, sys
psycopg.connect('postgresql://postgres:postgres@127.0.0.1:5432/postgres', connect_timeout=5).close()
" 2>/dev/null; then
    as_root su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  fi
}

AXE_VERSION="4.14.1"
ensure_axe() {
  # axe-core, the accessibility checker the browser tests inject into pages; from the npm registry.
  local target="$ROOT/.cache/node/node_modules/axe-core"
  if [ -f "$target/axe.min.js" ] && grep -q "\"version\": \"$AXE_VERSION\"" "$target/package.json"; then return 0; fi
  if ! command -v npm >/dev/null; then apt_install npm; fi
  npm install --no-save --no-audit --no-fund --silent --prefix "$ROOT/.cache/node" "axe-core@$AXE_VERSION" 2>&1 \
    | grep -v "Unknown user config" || true
  [ -f "$target/axe.min.js" ]
}
