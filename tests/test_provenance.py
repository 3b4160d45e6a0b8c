"""The reproducibility record reports the running interpreter's real state."""

from __future__ import annotations

import importlib.metadata
import platform

import numpy as np
import pytest

from rnn_hypotheses.provenance import git_commit, machine, package_versions, stage_times

from .conftest import ROOT


def test_versions_are_those_of_this_interpreter():
    versions = package_versions()
    assert versions["python"] == platform.python_version()
    assert versions["numpy"] == np.__version__
    assert versions["snakemake"] == importlib.metadata.version("snakemake")
    assert package_versions(("no-such-package-xyz",))["no-such-package-xyz"] == "not installed"


def test_machine_and_commit(tmp_path):
    info = machine(["GPU:0"])
    assert info["gpus"] == "GPU:0" and int(info["cores"]) >= 1
    commit = git_commit(ROOT)
    assert commit == "unknown" or len(commit.split("+")[0]) == 40
    assert git_commit(tmp_path) == "unknown"


def test_stage_times_sum_benchmark_files(tmp_path):
    header = "s\th:m:s\tmax_rss\tcpu_time\n"
    (tmp_path / "train/perception").mkdir(parents=True)
    (tmp_path / "train/perception/net00.tsv").write_text(header + "10.5\t0:00:10\t1\t9\n")
    (tmp_path / "train/perception/net01.tsv").write_text(header + "4.5\t0:00:04\t1\t4\n")
    (tmp_path / "task_performance.tsv").write_text(header + "1.0\t0:00:01\t1\t1\n")
    table = stage_times(tmp_path)
    assert list(table["stage"]) == ["train", "task_performance"]
    train = table.iloc[0]
    assert train["jobs"] == 2 and train["total_s"] == pytest.approx(15.0)
    assert train["max_s"] == pytest.approx(10.5) and train["cpu_s"] == pytest.approx(13.0)
    assert stage_times(tmp_path / "missing").empty
