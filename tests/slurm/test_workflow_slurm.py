"""The project's workflow on the test SLURM cluster, through profiles/slurm.

A smoke run (tests/config/smoke.yaml) on SLURM up to Figure 1, the
task-performance table and Figure S1, whose per-network connectivity jobs
(non-normality among their analyses) share a grouped SLURM job with that
network's evaluation. The same targets
are built locally at the same time, in another directory, and every artifact
must come out equal. Then the failure path: on copies of the trained
networks, a config that makes evaluation fail; the failing SLURM job (one
network's evaluation) is retried once and reported with its log, the
independent Figure 4 still gets built, and a rerun with the fault removed
does only what is left.

`pytest tests/slurm -s` also prints the wall time of each run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from rnn_hypotheses import artifacts

from .conftest import REPO, SLURM_PROFILE

SNAKEFILE = REPO / "Snakefile"
SMOKE = REPO / "tests" / "config" / "smoke.yaml"

FIG01 = "results/figures/fig01_task_performance.pdf"
TABLE = "results/tables/task_performance.parquet"
# An analysis figure whose per-network jobs are grouped with the evaluations.
FIGS1 = "results/figures/figS1_nonnormality.pdf"
# Needs only the training histories: independent of every evaluation.
FIG04 = "results/figures/fig04_mean_weight.pdf"
TARGETS = (FIG01, TABLE, FIGS1)

RUN_TIMEOUT_S = 900
SUBMITTED = re.compile(r"^Job (\S+) has been submitted with SLURM jobid (\d+) \(log: (\S+)\)\.$",
                       re.M)


def smoke_networks() -> list[tuple[str, str]]:
    smoke = yaml.safe_load(SMOKE.read_text())
    tasks = yaml.safe_load((REPO / "config.yaml").read_text())["tasks"]
    return [(task, f"net{k:02d}") for task in tasks for k in range(smoke["networks_per_task"])]


NETWORKS = smoke_networks()


def snakemake_args(workdir: Path, *targets: str, configfiles: tuple[Path, ...] = ()) -> list[str]:
    # --configfile takes several values, so it comes last, after the targets.
    return ["-s", str(SNAKEFILE), "-d", str(workdir), *targets,
            "--configfile", str(SMOKE), *map(str, configfiles)]


def planned_jobs(output: str) -> dict[str, int]:
    """The 'Job stats' table of a run as {rule: count}, without the target rule all."""
    table = output.split("Job stats:")[1].split("total")[0]
    rows = [line.split() for line in table.splitlines()[3:] if line.strip()]
    return {rule: int(count) for rule, count in rows if rule != "all"}


def printed_jobs(output: str) -> list[dict]:
    """Every job block Snakemake printed before running it, in order.

    Each is {"rule", "jobid", "group" (None when ungrouped), "threads",
    "resources", "wildcards"}; members of a group job follow its header,
    indented by four more spaces.
    """
    jobs: list[dict] = []
    group = None
    for line in output.splitlines():
        header = re.match(r"^\[.*\] Group job (\S+) \(jobs in lexicogr\. order\):$", line)
        block = re.match(r"^( *)rule (\w+):$", line)
        field = re.match(r"^ +(jobid|threads|resources|wildcards): (.*)$", line)
        if header:
            group = header[1]
        elif block:
            jobs.append({"rule": block[2], "group": group if block[1] else None,
                         "threads": "1", "resources": {}, "wildcards": {}})
        elif field and jobs:
            key, value = field[1], field[2]
            if key in ("resources", "wildcards"):
                value = dict(item.split("=", 1) for item in value.split(", "))
            jobs[-1][key] = value
        elif line and not line.startswith((" ", "Shell command")):
            group = None
    return jobs


def rules_run_in(slurm_log: Path) -> list[str]:
    """Rules whose jobs the Snakemake inside one SLURM job ran, in its log."""
    return re.findall(r"^\s*rule (\w+):$", slurm_log.read_text(), re.M)


@dataclass(frozen=True)
class SmokeRuns:
    slurm: Path
    local: Path
    output: str  # the SLURM run's Snakemake output


@pytest.fixture(scope="module")
def smoke_runs(slurm_cluster, slurm_snakemake, tmp_path_factory) -> SmokeRuns:
    local_dir = tmp_path_factory.mktemp("local")
    slurm_dir = tmp_path_factory.mktemp("slurm")
    # Both at once: the SLURM run spends much of its time waiting for status
    # polls, which the local run fills. Each is timed from its own start.
    with open(local_dir / "snakemake.out", "w") as local_log:
        start, started_at = time.monotonic(), time.time()
        local = subprocess.Popen(
            [sys.executable, "-m", "snakemake", "--cores", "2",
             *snakemake_args(local_dir, *TARGETS)],
            cwd=local_dir, stdout=local_log, stderr=subprocess.STDOUT)
        try:
            slurm = slurm_snakemake(slurm_dir, *snakemake_args(slurm_dir, *TARGETS),
                                    timeout=RUN_TIMEOUT_S)
            slurm_s = time.monotonic() - start
            local_rc = local.wait(timeout=RUN_TIMEOUT_S)
        finally:
            if local.poll() is None:
                local.kill()
                local.wait()
    local_out = (local_dir / "snakemake.out").read_text()
    # the local run's last line is written when it ends
    local_s = (local_dir / "snakemake.out").stat().st_mtime - started_at
    assert slurm.returncode == 0, slurm.stdout[-8000:]
    assert local_rc == 0, local_out[-8000:]
    print(f"\nsmoke run to {', '.join(TARGETS)}: SLURM {slurm_s:.0f} s, "
          f"local (at the same time) {local_s:.0f} s")
    return SmokeRuns(slurm=slurm_dir, local=local_dir, output=slurm.stdout)


def test_grouping_covers_every_per_network_rule(tmp_path):
    """With profiles/slurm every job of a network except training joins that network's group.

    A dry run of every target: any other job that has a {net} wildcard and is
    printed outside a group is a per-network rule missing from the profile's
    `groups:`, and every group holds the jobs of one network only.
    """
    run = subprocess.run(
        [sys.executable, "-m", "snakemake", "--profile", str(SLURM_PROFILE), "-n",
         *snakemake_args(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-5000:]

    jobs = printed_jobs(output)
    ungrouped = sorted({job["rule"] for job in jobs if job["group"] is None
                        and not job["rule"].startswith("train") and "net" in job["wildcards"]})
    assert not ungrouped, (
        f"per-network rules outside any group: {ungrouped}; add them to `groups:` in "
        "profiles/slurm/config.yaml")
    groups = {job["group"] for job in jobs if job["group"]}
    assert sorted(groups) == sorted(f"net_{task}_{net}" for task, net in NETWORKS)
    for job in jobs:
        if job["group"]:
            assert job["group"] == "net_{task}_{net}".format(**job["wildcards"]), job


def test_every_job_ran_in_a_slurm_job(smoke_runs, slurm_cluster):
    out = smoke_runs.output
    planned = planned_jobs(out)
    assert "localrule" not in out, "a job ran on the submitting host"
    submissions = SUBMITTED.findall(out)
    logs = {Path(log) for _, _, log in submissions}
    # profiles/slurm keeps the SLURM log of successful jobs too.
    assert logs == set((smoke_runs.slurm / ".snakemake" / "slurm_logs").rglob("*.log"))

    # Every planned job ran inside one of the SLURM jobs, and only once.
    ran = Counter(rule for log in logs for rule in rules_run_in(log))
    assert dict(ran) == planned

    # One grouped job per network ran both of its small jobs.
    grouped = [log for log in logs if log.parent.name.startswith("group_")]
    assert len(grouped) == len(NETWORKS)
    for log in grouped:
        assert sorted(rules_run_in(log)) == ["connectivity", "evaluate"], log
    assert len(submissions) == sum(planned.values()) - len(NETWORKS)

    # SLURM itself recorded each of them as completed, in this working directory.
    records = {r["JobId"]: r for r in slurm_cluster.jobcomp_records(smoke_runs.slurm)}
    assert set(records) == {slurm_id for _, slurm_id, _ in submissions}
    assert {r["JobState"] for r in records.values()} == {"COMPLETED"}


def test_rule_resources_reach_sbatch(smoke_runs, slurm_cluster, smoke_config):
    """threads -> CPUs, mem_mb -> memory, runtime -> time limit, as SLURM recorded them.

    A grouped job runs its members one after another, so it asks for the most
    any member needs and for the sum of their runtimes.
    """
    jobs = printed_jobs(smoke_runs.output)
    single = {job["jobid"]: job for job in jobs if job["group"] is None}
    records = {r["JobId"]: r for r in slurm_cluster.jobcomp_records(smoke_runs.slurm)}
    trains = groups = 0
    for jobid, slurm_id, log in SUBMITTED.findall(smoke_runs.output):
        tres = dict(item.split("=", 1) for item in records[slurm_id]["Tres"].split(","))
        got = (int(tres["cpu"]), int(tres["mem"].rstrip("M")), int(records[slurm_id]["TimeLimit"]))
        if jobid in single:
            members = [single[jobid]]
            trains += members[0]["rule"].startswith("train")
        else:
            group = re.match(r"group_(net_[a-z]+_net\d+)_", Path(log).parent.name)[1]
            members = [job for job in jobs if job["group"] == group]
            groups += 1
        wanted = (max(int(job["threads"]) for job in members),
                  max(int(job["resources"]["mem_mb"]) for job in members),
                  sum(int(job["resources"]["runtime"]) for job in members))
        assert got == wanted, ([job["rule"] for job in members], got, wanted)
    # one training job per task: its two networks are one ensemble (networks_per_job)
    assert trains == len({task for task, _ in NETWORKS}) and groups == len(NETWORKS)
    train = next(job for job in jobs if job["rule"].startswith("train"))
    assert int(train["threads"]) == smoke_config["training"]["threads"]


def test_outputs_equal_a_local_run(smoke_runs):
    """Training is deterministic on CPU: SLURM and local runs agree bit for bit."""
    for task, net in NETWORKS:
        folder = Path("results") / task / net
        for name in ("network.npz", "snapshots.npz"):
            with np.load(smoke_runs.slurm / folder / name, allow_pickle=False) as a, \
                    np.load(smoke_runs.local / folder / name, allow_pickle=False) as b:
                assert sorted(a.files) == sorted(b.files)
                for key in a.files:
                    assert a[key].dtype == b[key].dtype, (folder / name, key)
                    assert np.array_equal(a[key], b[key]), (folder / name, key)
        for name in ("history.parquet", "eval.parquet", "eval_trace.parquet",
                     "nonnormality.parquet"):
            _assert_same_parquet(smoke_runs, folder / name)
    _assert_same_parquet(smoke_runs, Path(TABLE))
    md = "results/tables/task_performance.md"
    assert (smoke_runs.slurm / md).read_text() == (smoke_runs.local / md).read_text()
    for target in (FIG01, FIGS1):
        assert (smoke_runs.slurm / target).stat().st_size > 10_000


def _assert_same_parquet(runs: SmokeRuns, path: Path, slurm_dir: Path | None = None) -> None:
    """PATH under the SLURM run (or under `slurm_dir`) equals the local run's."""
    a, b = (slurm_dir or runs.slurm) / path, runs.local / path
    pd.testing.assert_frame_equal(artifacts.read_parquet(a), artifacts.read_parquet(b),
                                  check_exact=True, obj=str(path))
    assert artifacts.parquet_config(a) == artifacts.parquet_config(b), path


def test_failed_job_is_retried_reported_and_resumed(smoke_runs, slurm_snakemake, tmp_path):
    # The trained networks of the SLURM run, nothing after them.
    for task, net in NETWORKS:
        folder = Path("results") / task / net
        (tmp_path / folder).mkdir(parents=True)
        for name in ("network.npz", "history.parquet", "snapshots.npz"):
            shutil.copy2(smoke_runs.slurm / folder / name, tmp_path / folder / name)
    # 30 training steps do not meet the task criterion: the evaluation fails.
    fail = tmp_path / "enforce.yaml"
    fail.write_text("evaluation:\n  enforce_performance: true\n")
    task, net = NETWORKS[0]
    evaluation = f"results/{task}/{net}/eval.parquet"
    targets = (evaluation, FIG04)

    start = time.monotonic()
    run = slurm_snakemake(tmp_path, *snakemake_args(tmp_path, *targets, configfiles=(fail,)),
                          timeout=RUN_TIMEOUT_S)
    failed_s = time.monotonic() - start
    out = run.stdout
    assert run.returncode != 0, out[-5000:]
    assert planned_jobs(out) == {"evaluate": 1, "fig04_mean_weight": 1}
    slurm_logs = tmp_path / ".snakemake" / "slurm_logs"
    assert not list(slurm_logs.glob("rule_train*")), "the trained networks were retrained"

    # The failing job was submitted twice (retries: 1) ...
    assert out.count("Trying to restart job") == 1, out[-5000:]
    # ... each submission named the job's SLURM log, which holds the rule's own error;
    # each failure was reported with the group and the rule's log, which holds it too.
    submitted = re.findall(r"submitted with SLURM jobid \d+ \(log: (\S+)\)", out)
    logs = [log for log in submitted if f"group_net_{task}_{net}_evaluate" in log]
    assert len(logs) == 2, out[-5000:]
    for log in logs:
        assert "misses the task criterion" in Path(log).read_text(), log
    assert out.count(f"Error in group net_{task}_{net}") >= 2, out[-5000:]
    assert f"log: results/logs/evaluate/{task}/{net}.log (check log file" in out
    rule_log = (tmp_path / f"results/logs/evaluate/{task}/{net}.log").read_text()
    assert "error: RuntimeError" in rule_log and "misses the task criterion" in rule_log
    assert len(list(slurm_logs.glob(f"group_net_{task}_{net}_evaluate/*.log"))) == 2

    # keep-going: the job that needs no evaluation still ran.
    assert (tmp_path / FIG04).stat().st_size > 10_000
    assert not (tmp_path / evaluation).exists()

    # With the fault removed, a rerun does only what is left.
    start = time.monotonic()
    rerun = slurm_snakemake(tmp_path, *snakemake_args(tmp_path, *targets),
                            timeout=RUN_TIMEOUT_S)
    resumed_s = time.monotonic() - start
    assert rerun.returncode == 0, rerun.stdout[-5000:]
    assert planned_jobs(rerun.stdout) == {"evaluate": 1}
    # Same trained network, same config as the local smoke run: same evaluation.
    _assert_same_parquet(smoke_runs, Path(evaluation), slurm_dir=tmp_path)
    print(f"\nfailing run (2 failed submissions, 1 completed) {failed_s:.0f} s, "
          f"resumed run {resumed_s:.0f} s")


def test_gpu_request_reaches_sbatch(slurm_snakemake, tmp_path):
    """`--set-resources train_net00_net01:gpu=1` (or the profile's commented set-resources)
    asks for a GPU for that ensemble's training job.

    The test cluster has no GPU, so sbatch refuses the job, and the report of
    the refusal shows the call that asked for one.
    """
    run = slurm_snakemake(
        tmp_path, "--set-resources", "train_net00_net01:gpu=1", "--retries", "0",
        *snakemake_args(tmp_path, "results/perception/net00/network.npz"), timeout=300)
    assert run.returncode != 0
    calls = re.findall(r"^\s*sbatch --parsable .*$", run.stdout, re.M)
    assert calls, run.stdout[-5000:]
    for call in calls:
        assert " --gpus=1" in call and " --cpus-per-task=1 " in call, call
