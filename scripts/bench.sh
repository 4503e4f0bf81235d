#!/usr/bin/env bash
# `make bench`: install the reference tools, start a throw-away PostgreSQL, generate a
# synthetic province and measure (shuangliang/bench). SCALE=tiny|small|province (default
# small); extra arguments go to `manage.py run_bench` (e.g. --only load,dashboards).
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${SCALE:-small}

# wrk (the load generator) and the PostgreSQL server come from Debian's packages.
missing=()
command -v wrk >/dev/null || missing+=(wrk)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        echo "WARNING: missing ${missing[*]}; install them as root (apt-get install ${missing[*]})." >&2
        echo "WARNING: without wrk the load measures are reported as gaps." >&2
    fi
fi

export DJANGO_SETTINGS_MODULE=shuangliang.bench.settings
# A fixed key for the run: gunicorn's workers and the bench process sign the same way.
SECRET_KEY=${SECRET_KEY:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')}
export SECRET_KEY
exec bash scripts/test-postgres.sh .venv/bin/python manage.py run_bench --scale "$scale" "$@"
