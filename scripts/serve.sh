#!/usr/bin/env bash
# Serves the demo: the background worker (imports, batch printing) and the web server
# together; stopping the server (Ctrl-C) stops the worker too.
set -euo pipefail
PY="${PY:-.venv/bin/python}"
PORT="${PORT:-8000}"

"$PY" manage.py db_worker --no-reload --verbosity 0 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM

# DEBUG stays off unless the environment sets it, so the demo shows the real error pages;
# --insecure serves static files live from the source tree all the same.
"$PY" manage.py runserver --insecure "127.0.0.1:$PORT"
