# Two commands: `make reproduce` (the whole report) and `make test` (the test suite).
# Both create .venv from pyproject.toml on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORES ?= all
FIG ?= fig01_task_performance

.PHONY: reproduce test figure lint bench clean help

help:
	@echo "make reproduce   train, analyse and draw every figure (results/)"
	@echo "make test        run the test suite"
	@echo "make figure FIG=fig01_task_performance   build one figure and what it needs"
	@echo "make lint        ruff check and snakemake --lint"
	@echo "make bench       speed benchmarks (benchmarks/)"

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

clean:
	rm -rf results .snakemake
