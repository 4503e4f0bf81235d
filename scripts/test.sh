#!/usr/bin/env bash
# Every check `make test` (and CI) runs, in order, with a summary at the end:
# ruff, Django's system checks, the migration check, the dependency audit, the suite on
# SQLite, the suite on a throw-away PostgreSQL. The compiled translation catalogues are committed, and a test
# (tests/test_i18n.py) fails when they are stale, so nothing is compiled here.
# Every step runs even when an earlier one failed, so one run reports everything; the exit
# status is non-zero when any step failed.
#
# Within each database pytest runs serially (with pytest-xdist each worker migrates its
# own test database, and on a two-core machine that made the suite slower). The SQLite and
# the PostgreSQL suites run side by side instead, one per core, each with its own media
# directory: the PostgreSQL suite's output goes to a log that is printed when it ends.
#
# Environment: PYTEST_ARGS adds arguments to both pytest runs (e.g. "-k smoke -x").
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

py=.venv/bin/python
ruff=.venv/bin/ruff
read -r -a pytest_args <<<"${PYTEST_ARGS:-}"

# Tests write media and the development key here, never into the checkout's var/.
SHUANGLIANG_VAR_DIR=$(mktemp -d "${TMPDIR:-/tmp}/shuangliang-test-var.XXXXXX")
export SHUANGLIANG_VAR_DIR
trap 'rm -rf "$SHUANGLIANG_VAR_DIR"' EXIT
unset DATABASE_URL SHUANGLIANG_PRODUCTION SQLITE_PATH MEDIA_ROOT

names=()
results=()
seconds=()
failed=0
started=$SECONDS

step() {
    local name=$1
    shift
    local begin=$SECONDS rc=0
    echo
    echo "==> $name"
    "$@" || rc=$?
    names+=("$name")
    seconds+=($((SECONDS - begin)))
    if [ "$rc" = 0 ]; then
        results+=("ok")
    else
        results+=("FAILED (exit $rc)")
        failed=$((failed + 1))
    fi
}

# pytest exits 5 when it collected no tests; that is not a failure here.
# `pytest_run --postgres ARGS` runs it under scripts/test-postgres.sh.
pytest_run() {
    local rc=0 wrapper=()
    if [ "${1:-}" = --postgres ]; then
        shift
        wrapper=(bash scripts/test-postgres.sh)
    fi
    "${wrapper[@]}" "$py" -m pytest --durations=10 "$@" || rc=$?
    if [ "$rc" = 5 ]; then
        echo "pytest collected no tests (exit 5); counted as success."
        rc=0
    fi
    return "$rc"
}

# The PostgreSQL suite starts in the background with its own var directory, and its
# result is collected after the SQLite steps. It starts first, so the checks below run
# alongside it as well.
pg_var=$(mktemp -d "${TMPDIR:-/tmp}/shuangliang-test-var-pg.XXXXXX")
pg_log="$pg_var.log"
trap 'rm -rf "$SHUANGLIANG_VAR_DIR" "$pg_var" "$pg_log"' EXIT
# Interrupted: stop the background suite too (scripts/test-postgres.sh removes its server).
trap 'kill 0' INT TERM
pg_begin=$SECONDS
(
    export SHUANGLIANG_VAR_DIR="$pg_var"
    pytest_run --postgres "${pytest_args[@]}"
) >"$pg_log" 2>&1 &
pg_pid=$!
echo
echo "==> pytest on PostgreSQL: started alongside, output follows the SQLite steps"

step "ruff check" "$ruff" check .
step "ruff format --check" "$ruff" format --check .
step "manage.py check" "$py" manage.py check
step "makemigrations --check" "$py" manage.py makemigrations --check --dry-run
# QUALITY.md F3: every installed distribution against PyPI's advisory data, or a fallback
# check when that data is unreachable (the script explains both).
step "dependency audit" "$py" scripts/audit.py --venv .venv
step "pytest on SQLite" pytest_run "${pytest_args[@]}"
# The suite's SQLite is in memory, which threads cannot share; the concurrency tests (16
# writers, concurrent duplicates, rate limits under load) run again on a file in WAL mode.
sqlite_file_run() {
    SQLITE_TEST_PATH="$SHUANGLIANG_VAR_DIR/concurrency.sqlite3" pytest_run "$@"
}
step "concurrency, SQLite file" sqlite_file_run tests/test_appeals_concurrency.py "${pytest_args[@]}"

postgres_wait() {
    local rc=0
    wait "$pg_pid" || rc=$?
    cat "$pg_log"
    return "$rc"
}
step "pytest on PostgreSQL" postgres_wait
# The step's time is the suite's own, from its start alongside the SQLite steps.
seconds[${#seconds[@]} - 1]=$((SECONDS - pg_begin))

echo
echo "==> summary"
for i in "${!names[@]}"; do
    printf '  %-24s %-18s %5ss\n' "${names[$i]}" "${results[$i]}" "${seconds[$i]}"
done
total=$((SECONDS - started))
if [ "$failed" = 0 ]; then
    echo "make test: PASSED, all ${#names[@]} steps, in $((total / 60))m$((total % 60))s"
else
    echo "make test: FAILED, $failed of ${#names[@]} steps, in $((total / 60))m$((total % 60))s"
    exit 1
fi
