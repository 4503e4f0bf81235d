# Shuangliang: `make run` starts the demo on this machine, `make test` runs what CI runs.
# The shell work lives in scripts/ (venv.sh, serve.sh, system-deps.sh, test.sh,
# test-postgres.sh).

SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.installed-requirements
TEST_STAMP := $(VENV)/.installed-requirements-test
BENCH_STAMP := $(VENV)/.installed-requirements-bench
DEMO_PASSWORD := shuangliang-demo

.PHONY: run test lint format system-deps bench

# Reinstall only when a requirements file changed since the last install.
$(RUNTIME_STAMP): requirements.txt
	@bash scripts/venv.sh requirements.txt $@

$(TEST_STAMP): requirements.txt requirements-test.txt
	@bash scripts/venv.sh requirements-test.txt $@

$(BENCH_STAMP): requirements.txt requirements-bench.txt
	@bash scripts/venv.sh requirements-bench.txt $@

run: $(RUNTIME_STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo
	@echo "Shuangliang is starting at http://127.0.0.1:$(PORT)/"
	@echo "Demo logins, all with the password $(DEMO_PASSWORD):"
	@echo "  admin     superuser (also /admin/)"
	@echo "  county    county federation staff (示範縣總工會)"
	@echo "  leader    county leadership, read-only"
	@echo "  township  staff of one township"
	@echo "  cadre     a federation cadre assigned to enterprises"
	@echo "  chair     the chair of one enterprise union"
	@echo
	@# collectstatic fills STATIC_ROOT for whitenoise (which warns when it is missing).
	@$(PY) manage.py collectstatic --noinput --verbosity 0
	@PY=$(PY) PORT=$(PORT) bash scripts/serve.sh

system-deps:
	@bash scripts/system-deps.sh

test: system-deps
	@$(MAKE) --no-print-directory $(TEST_STAMP)
	@bash scripts/test.sh

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(TEST_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The benchmark (README "Benchmark"): SCALE=tiny|small|province, default small.
bench: $(BENCH_STAMP)
	@SCALE=$(SCALE) bash scripts/bench.sh
