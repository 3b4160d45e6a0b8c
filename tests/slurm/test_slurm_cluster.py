"""The test cluster itself, and the SLURM profile's retry/failure behaviour.

These use a toy workflow, not the project's, so that a failure here points at
the cluster or profiles/slurm rather than at the analysis code.
"""

from __future__ import annotations

import re
import subprocess
import textwrap
import time
from pathlib import Path

SBATCH_TIMEOUT_S = 120


def test_sbatch_job_runs_to_completion(slurm_cluster, tmp_path):
    out = tmp_path / "wrap.out"
    jobid = subprocess.run(
        ["sbatch", "--parsable", "--mem=100", "-o", str(out), "--wrap", "hostname; sleep 2"],
        cwd=tmp_path,
        env=slurm_cluster.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    deadline = time.monotonic() + SBATCH_TIMEOUT_S
    state = ""
    while time.monotonic() < deadline:
        state = subprocess.run(
            ["squeue", "-h", "-t", "all", "-j", jobid, "-o", "%T"],
            env=slurm_cluster.env,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if state in {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY"}:
            break
        time.sleep(0.5)
    assert state == "COMPLETED", f"job {jobid} ended as {state!r}"
    assert out.read_text().strip(), "the job wrote no hostname"
    record = [r for r in slurm_cluster.jobcomp_records() if r.get("JobId") == jobid]
    assert record and record[0]["JobState"] == "COMPLETED"


TOY_SNAKEFILE = textwrap.dedent(
    """
    # flaky fails on its first attempt only; broken always fails;
    # independent needs neither.
    rule all:
        input: "flaky.txt", "broken.txt", "independent.txt"

    rule flaky:
        output: "flaky.txt"
        resources:
            mem_mb=200,
            runtime=5,
            try_no=lambda wildcards, attempt: attempt,
        shell:
            "if [ {resources.try_no} -lt 2 ]; then echo 'first try fails' >&2; exit 1; fi;"
            " echo attempt={resources.try_no} job=$SLURM_JOB_ID > {output}"

    rule broken:
        output: "broken.txt"
        resources: mem_mb=200, runtime=5
        shell: "echo 'broken on purpose' >&2; exit 3"

    rule independent:
        output: "independent.txt"
        resources: mem_mb=200, runtime=5
        shell: "echo job=$SLURM_JOB_ID > {output}"
    """
)


def test_profile_retries_reports_and_keeps_going(slurm_cluster, slurm_snakemake, tmp_path):
    (tmp_path / "Snakefile").write_text(TOY_SNAKEFILE)
    started = time.monotonic()
    run = slurm_snakemake(tmp_path, "-j", "2", timeout=900)
    elapsed = time.monotonic() - started
    log = run.stdout

    # broken fails twice (retries: 1), so the run fails ...
    assert run.returncode != 0, log
    # ... but keep-going let the other jobs finish, and the retry rescued flaky.
    independent = re.fullmatch(r"job=(\d+)\n", (tmp_path / "independent.txt").read_text())
    assert independent, log
    flaky = re.fullmatch(r"attempt=2 job=(\d+)\n", (tmp_path / "flaky.txt").read_text())
    assert flaky, log
    assert not (tmp_path / "broken.txt").exists()
    assert "Trying to restart job" in log

    # The failure is reported with the path of the job's SLURM log, which
    # holds the rule's own error message.
    broken_logs = sorted(set(re.findall(r"log: (\S*slurm_logs/rule_broken/\d+\.log)", log)))
    assert len(broken_logs) == 2, log
    assert "broken on purpose" in Path(broken_logs[-1]).read_text()

    # Every job went through sbatch: 2 x flaky, 2 x broken, 1 x independent,
    # each with a SLURM log (profile keeps successful ones too) and a record.
    slurm_logs = sorted((tmp_path / ".snakemake" / "slurm_logs").rglob("*.log"))
    assert len(slurm_logs) == 5, slurm_logs
    records = slurm_cluster.jobcomp_records(tmp_path)
    states = sorted(r["JobState"] for r in records)
    assert states == ["COMPLETED", "COMPLETED", "FAILED", "FAILED", "FAILED"], records
    # The outputs name the SLURM jobs that wrote them: the two that completed.
    completed = {r["JobId"] for r in records if r["JobState"] == "COMPLETED"}
    assert {independent[1], flaky[1]} == completed, records
    # No hang after the last job: polling with squeue notices the end.
    assert elapsed < 600
