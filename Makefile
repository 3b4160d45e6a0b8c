# Two commands: `make reproduce` (the whole report) and `make test` (the test suite).
# Both create .venv from pyproject.toml on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORES ?= all
FIG ?= fig01_task_performance

.PHONY: reproduce test figure lint bench clean help
.PHONY: report robustness
.PHONY: slurm-up slurm-down test-slurm

help:
	@echo "make reproduce   train, analyse and draw every figure (results/)"
	@echo "make test        run the test suite"
	@echo "make figure FIG=fig01_task_performance   build one figure and what it needs"
	@echo "make lint        ruff check and snakemake --lint"
	@echo "make bench       speed benchmarks (benchmarks/)"
	@echo "make report      the workflow, then its HTML report results/report.html"
	@echo "make robustness  the workflow and its reruns (config/robustness.yaml), then the report"
	@echo "make slurm-up    start a one-node SLURM cluster on this machine (root; installs slurm-wlm)"
	@echo "make slurm-down  stop it"
	@echo "make test-slurm  the SLURM tests only (tests/slurm), on that cluster"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,slurm]'
	touch $@

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
