#!/usr/bin/env bash
# The production settings end to end, as docs/deploy.md sets them up: a fresh PostgreSQL database, an
# environment file with a generated secret, the guide's setup block run line by line, the demo loaded,
# gunicorn and db_worker started with the guide's own ExecStart lines, a reverse proxy in front; then
# tests/production/smoke.py visits it over HTTP. Any failure, any 5xx, stops it with a non-zero exit.
#
#   bash tests/production/smoke.sh        (make smoke; PG_URL names the PostgreSQL server)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PYTHON=$ROOT/.venv/bin/python
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/test}
DEPLOY=docs/deploy.md

if ! "$PYTHON" -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=5).close()" "$PG_URL" 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    echo "smoke: PostgreSQL is not reachable at $PG_URL, and CI must run the production smoke." >&2
    exit 1
  fi
  echo "smoke skipped: no PostgreSQL server at $PG_URL (set PG_URL)"
  exit 0
fi

WORK=$(mktemp -d)
DB=smoke_$(date +%s)_$$
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$PYTHON" -c "import psycopg, sys; c = psycopg.connect(sys.argv[1], autocommit=True); c.execute(f'DROP DATABASE IF EXISTS {sys.argv[2]} WITH (FORCE)')" "$PG_URL" "$DB" || true
  rm -rf "$WORK"
}
trap cleanup EXIT
"$PYTHON" -c "import psycopg, sys; c = psycopg.connect(sys.argv[1], autocommit=True); c.execute(f'CREATE DATABASE {sys.argv[2]}')" "$PG_URL" "$DB"

free_port() { "$PYTHON" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
APP_PORT=$(free_port)
PROXY_PORT=$(free_port)

# The environment file of docs/deploy.md, section 2.
ENV_FILE=$WORK/clean-ledger.env
cat > "$ENV_FILE" <<EOF
DJANGO_SETTINGS_MODULE=tracker.settings_production
SECRET_KEY=$("$PYTHON" -c "import secrets; print(secrets.token_urlsafe(60))")
DATABASE_URL=${PG_URL%/*}/$DB
ALLOWED_HOSTS=127.0.0.1
MEDIA_ROOT=$WORK/media
STATIC_ROOT=$WORK/static
EOF

# Section 3, line by line, with this checkout for /srv/clean-ledger/app and this file for /etc.
setup=$(awk '/<!-- smoke: setup -->/ {found = 1; next} found && /^```/ {if (inside) exit; inside = 1; next} inside' "$DEPLOY")
[ -n "$setup" ] || { echo "smoke: no setup block in $DEPLOY" >&2; exit 1; }
{
  echo "set -euxo pipefail"
  grep -v createsuperuser <<< "$setup" | sed "s#/etc/clean-ledger.env#$ENV_FILE#g"
} > "$WORK/setup.sh"
bash "$WORK/setup.sh"

set -a; . "$ENV_FILE"; set +a
"$PYTHON" manage.py load_demo | tail -n +2
PASSWORD=$("$PYTHON" manage.py shell -c "from checklists.demo.build import PASSWORD; print(PASSWORD)" | tail -n 1)

# Section 4: the two services' ExecStart lines, in the order the guide gives them.
exec_start() {
  grep '^ExecStart=' "$DEPLOY" | sed -n "${1}p" | sed -e 's/^ExecStart=//' \
    -e "s#/srv/clean-ledger/app/#$ROOT/#g" -e "s#127.0.0.1:8000#127.0.0.1:$APP_PORT#"
}
WEB=$(exec_start 1)
WORKER=$(exec_start 2)
[[ $WEB == *gunicorn* && $WORKER == *db_worker* ]] || { echo "smoke: no ExecStart lines in $DEPLOY" >&2; exit 1; }
echo "\$ $WEB"
$WEB > "$WORK/web.log" 2>&1 &
PIDS+=($!)
echo "\$ $WORKER"
$WORKER > "$WORK/worker.log" 2>&1 &
PIDS+=($!)
"$PYTHON" tests/production/proxy.py "$PROXY_PORT" "$APP_PORT" &
PIDS+=($!)

for _ in $(seq 100); do
  "$PYTHON" -c "import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1).close()" "$APP_PORT" 2>/dev/null && break
  sleep 0.2
done

if ! "$PYTHON" tests/production/smoke.py "$PROXY_PORT" "$PASSWORD"; then
  echo "--- gunicorn ---"; tail -n 60 "$WORK/web.log"
  echo "--- db_worker ---"; tail -n 30 "$WORK/worker.log"
  exit 1
fi
