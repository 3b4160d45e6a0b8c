"""The reproducibility record reports the running interpreter's real state."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import shutil
import subprocess

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


def _git(repo, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_machine_and_commit(tmp_path):
    info = machine(["GPU:0"])
    assert info["gpus"] == "GPU:0" and info["cores"] == str(os.cpu_count())
    assert machine()["gpus"] == "none"
    assert git_commit(tmp_path) == "unknown"
    if shutil.which("git") is None:
        pytest.skip("git is not installed: no commit to compare with")
    # the tests run inside the checkout: its HEAD, marked dirty or not (others may be
    # editing tracked files, so only the hash is compared exactly here)
    head = _git(ROOT, "rev-parse", "HEAD")
    commit = git_commit(ROOT)
    assert commit in (head, head + "+dirty")
    # a throwaway repository whose state is known: clean, then with a tracked edit
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.txt").write_text("one\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "a.txt")
    _git(repo, "-c", "user.name=test", "-c", "user.email=test@example.org",
         "commit", "-q", "-m", "first")
    head = _git(repo, "rev-parse", "HEAD")
    assert len(head) == 40 and git_commit(repo) == head
    (repo / "untracked.txt").write_text("not tracked\n")
    assert git_commit(repo) == head  # untracked files do not make the checkout dirty
    (repo / "a.txt").write_text("two\n")
    assert git_commit(repo) == head + "+dirty"


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


def test_record_holds_this_interpreters_versions_seeds_config_and_stage_times(tmp_path,
                                                                              smoke_config):
    from rnn_hypotheses.provenance import (
        RECORD_COLUMNS,
        record_sections,
        reproducibility_record,
        thread_settings,
    )

    header = "s\th:m:s\tmax_rss\tcpu_time\n"
    (tmp_path / "train").mkdir()
    (tmp_path / "train/a.tsv").write_text(header + "3.0\t0:00:03\t1\t2\n")
    (tmp_path / "latent.tsv").write_text(header + "1.0\t0:00:01\t1\t1\n")
    config = {**smoke_config, "robustness": {"gain": {"g0.8": {"model": {"g": 0.8}}},
                                             "seeds": {"s7": {"first_seed": 7}}}}
    record = reproducibility_record(
        config=config, versions=package_versions(), machine_info=machine(),
        commit=git_commit(ROOT), threads=thread_settings(1), stages=stage_times(tmp_path),
        variant_stages={"g0.8": stage_times(tmp_path)})
    assert tuple(record.columns) == RECORD_COLUMNS
    values = {(s, k): v for s, k, v in zip(record["section"], record["key"], record["value"],
                                          strict=True)}
    assert values[("package", "numpy")] == np.__version__
    assert values[("package", "pandas")] == importlib.metadata.version("pandas")
    assert values[("package", "python")] == platform.python_version()
    assert values[("config", "model.g")] == str(smoke_config["model"]["g"])
    assert values[("config", "tasks.decision.n_units")] == "24"
    assert values[("seed", "decision networks")] == "2 networks, seeds 0, 1"
    assert values[("seed", "robustness seeds/s7")] == "2 networks per task, seeds 7, 8"
    assert values[("threads", "threads of this job")] == "1"
    stages = record[record["section"] == "stage wall time"].set_index("key")["seconds"]
    assert stages["train"] == pytest.approx(3.0) and stages["all stages"] == pytest.approx(4.0)
    assert "elapsed" not in stages  # no span given
    assert stages["robustness g0.8: all stages"] == pytest.approx(4.0)
    assert [name for name, _ in record_sections(record)] == [
        "package", "machine", "threads", "git", "seed", "config", "stage wall time"]


def test_run_span_runs_from_first_start_to_last_end(tmp_path):
    import os

    from rnn_hypotheses.provenance import run_span

    header = "s\th:m:s\tmax_rss\tcpu_time\n"
    for name, seconds, end in (("a", 5.0, 1000.0), ("b", 2.0, 1010.0)):
        path = tmp_path / f"{name}.tsv"
        path.write_text(header + f"{seconds}\t0:00:01\t1\t1\n")
        os.utime(path, (end, end))
    assert run_span(tmp_path) == pytest.approx(1010.0 - 995.0)
    assert np.isnan(run_span(tmp_path / "none"))
