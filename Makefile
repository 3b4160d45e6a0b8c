# Two commands: `make reproduce` (the whole report) and `make test` (the test suite).
# Both create .venv on first use: exact versions from envs/requirements.lock, then the
# package itself (editable, without resolving its dependencies again).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := envs/requirements.lock
CORES ?= all
FIG ?= fig01_task_performance

.PHONY: reproduce test figure lint bench clean help lock
.PHONY: report robustness
.PHONY: slurm-up slurm-down test-slurm

help:
	@echo "make reproduce   train, analyse and draw every figure (results/)"
	@echo "make test        run the test suite"
	@echo "make figure FIG=fig01_task_performance   build one figure and what it needs"
	@echo "make lint        ruff check and snakemake --lint"
	@echo "make bench       speed benchmarks (benchmarks/)"
	@echo "make lock        re-resolve envs/requirements.lock from pyproject.toml's ranges (uv)"
	@echo "make report      the workflow, then its HTML report results/report.html"
	@echo "make robustness  the workflow and its reruns (config/robustness.yaml), then the report"
	@echo "make slurm-up    start a one-node SLURM cluster on this machine (root; installs slurm-wlm)"
	@echo "make slurm-down  stop it"
	@echo "make test-slurm  the SLURM tests only (tests/slurm), on that cluster"

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# The lock covers every platform (tensorflow-cpu on Linux x86-64, tensorflow elsewhere) and
# the dev and slurm extras; tests/test_lock.py checks that it satisfies pyproject.toml.
# uv lives in a venv of its own, so a lock that no longer installs can still be replaced.
lock:
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/pip install --quiet uv
	$(VENV)-lock/bin/uv pip compile pyproject.toml --extra dev --extra slurm --universal \
		--python-version 3.11 --custom-compile-command "make lock" --output-file $(LOCK)

reproduce: $(STAMP)
	$(BIN)/snakemake --cores $(CORES)

test: $(STAMP)
	$(BIN)/pytest

figure: $(STAMP)
	$(BIN)/snakemake --cores $(CORES) results/figures/$(FIG).pdf results/figures/$(FIG).png

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/snakemake --lint

bench: $(STAMP)
	$(BIN)/python benchmarks/train_throughput.py
	@# DCA against the reference package, where an environment with it exists
	@ref="$${DCA_REFERENCE_PYTHON:-/tmp/dca-ref-venv/bin/python}"; \
	if [ -x "$$ref" ]; then $(BIN)/python benchmarks/dca_speed.py --reference-python "$$ref"; \
	else $(BIN)/python benchmarks/dca_speed.py; fi
	$(BIN)/python benchmarks/dag_time.py
	@# exact fixed points against the Adam baseline on a trained decision network
	$(BIN)/python benchmarks/fixed_points.py --network results/decision/net00/network.npz
	@# how each stage's cost grows with the number of units
	$(BIN)/python benchmarks/stage_growth.py

# The report needs finished results; --report itself runs no job.
report: reproduce
	$(BIN)/snakemake --report results/report.html

# Reruns the whole experiment with other seeds and gains (about three times `reproduce`).
robustness: $(STAMP)
	$(BIN)/snakemake --cores $(CORES) --configfile config/robustness.yaml
	$(BIN)/snakemake --report results/report.html --configfile config/robustness.yaml

# A single-node SLURM cluster on 127.0.0.1 for profiles/slurm and tests/slurm;
# `source ${TMPDIR:-/tmp}/rnn-hypotheses-slurm/cluster.env` points sbatch at it.
slurm-up:
	bash tests/slurm/start_cluster.sh

slurm-down:
	bash tests/slurm/stop_cluster.sh

test-slurm: $(STAMP)
	$(BIN)/pytest tests/slurm

clean:
	rm -rf results .snakemake
