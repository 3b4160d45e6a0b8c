"""The real Snakemake workflow on tests/config/smoke.yaml, in a temporary directory."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from rnn_hypotheses import artifacts

from .conftest import ROOT

pytestmark = pytest.mark.workflow
SMOKE = ROOT / "tests/config/smoke.yaml"


def snakemake(workdir, *args, check=True):
    # --configfile takes several values, so it goes last, after any target.
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(workdir),
           *args, "--configfile", str(SMOKE)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if check and run.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{run.stdout[-3000:]}\n{run.stderr[-5000:]}")
    return run


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("smoke")
    snakemake(workdir, "--cores", "2")
    return workdir


def test_lint_is_clean():
    run = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"),
                          "--lint"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_one_figure_builds_only_what_it_needs(tmp_path):
    run = snakemake(tmp_path, "results/figures/fig01_task_performance.pdf", "-n")
    assert planned_jobs(run.stdout + run.stderr) == {
        "train": 4, "evaluate": 4, "fig01_task_performance": 1}


def planned_jobs(dry_run_output: str) -> dict[str, int]:
    """The 'Job stats' table of a dry run as {rule: count}."""
    table = dry_run_output.split("Job stats:")[1].split("total")[0]
    rows = [line.split() for line in table.splitlines()[3:] if line.strip()]
    return {rule: int(count) for rule, count in rows}


def test_training_artifacts(smoke_run, smoke_config):
    for task in ("perception", "decision"):
        for net in ("net00", "net01"):
            folder = smoke_run / "results" / task / net
            network = artifacts.read_network(folder / "network.npz")
            assert network.n_units == smoke_config["tasks"][task]["n_units"]
            assert np.all(np.diag(network.W_rec) == 0)
            assert not np.array_equal(network.W_rec, network.W_rec_init)
            history = artifacts.read_history(folder / "history.parquet")
            steps, weights = artifacts.read_snapshots(folder / "snapshots.npz")
            assert history["step"].iloc[-1] == smoke_config["training"]["max_steps"]
            np.testing.assert_array_equal(weights[0], network.W_rec_init)
            np.testing.assert_array_equal(weights[-1], network.W_rec)
            assert list(steps) == list(history.loc[history["snapshot"] >= 0, "step"])
            assert artifacts.parquet_config(folder / "history.parquet")["seed"] == int(net[3:])
            assert not (folder / "checkpoint.npz").exists()
            log = (smoke_run / "results/logs/train" / task / f"{net}.log").read_text()
            assert "finished at step" in log


def test_task_performance_table_and_figure(smoke_run):
    table = artifacts.read_parquet(smoke_run / "results/tables/task_performance.parquet",
                                   ["task", "net", "error", "meets_criterion"])
    assert sorted(zip(table["task"], table["net"], strict=True)) == [
        ("decision", "net00"), ("decision", "net01"),
        ("perception", "net00"), ("perception", "net01")]
    assert table["error"].notna().all()
    md = (smoke_run / "results/tables/task_performance.md").read_text()
    assert md.count("\n| perception") == 2
    for suffix in ("pdf", "png"):
        path = smoke_run / f"results/figures/fig01_task_performance.{suffix}"
        assert path.stat().st_size > 10_000


def test_rerun_has_nothing_to_do(smoke_run):
    run = snakemake(smoke_run, "-n")
    assert "Nothing to be done" in run.stdout + run.stderr
