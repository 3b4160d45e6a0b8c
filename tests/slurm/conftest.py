"""Pytest fixtures for the tests that need a real SLURM cluster.

`slurm_cluster` (session scope) starts the single-node test cluster with
tests/slurm/start_cluster.sh, or reuses one that is already running, and stops
at the end of the session only what it started itself. It skips, with the
script's explanation, only where the cluster cannot exist here at all (the
script exits 3: slurm-wlm/munge missing and apt-get unable to install them, or
not root); any other failure to start is a test error, with the daemons' logs.

Every test collected under tests/slurm/ is marked `slurm`, so
`pytest -m "not slurm"` leaves them out.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
START = HERE / "start_cluster.sh"
STOP = HERE / "stop_cluster.sh"
SLURM_PROFILE = REPO / "profiles" / "slurm"

# Same default as the scripts; a fixed path lets a running cluster be found.
DEFAULT_STATE_DIR = Path(os.environ.get("TMPDIR", "/tmp")) / "rnn-hypotheses-slurm"
# apt-get update + install of slurm-wlm and munge can take minutes on a cold
# machine; starting the daemons themselves takes about a second.
START_TIMEOUT_S = 900
STOP_TIMEOUT_S = 120
# The script's status for "this machine cannot host the cluster".
EXIT_CANNOT_INSTALL = 3


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.slurm)


@dataclass(frozen=True)
class SlurmCluster:
    """A running test cluster, as recorded in its cluster.env."""

    state_dir: Path
    conf: Path
    partition: str
    # os.environ plus SLURM_CONF: pass as env= to sbatch/squeue/snakemake.
    env: dict[str, str] = field(repr=False)

    @property
    def jobcomp_log(self) -> Path:
        return self.state_dir / "log" / "jobcomp.log"

    def jobcomp_records(self, workdir: Path | None = None) -> list[dict[str, str]]:
        """One dict per job that has ended (jobcomp/filetxt), oldest first.

        Unlike squeue, which forgets finished jobs after MinJobAge (300 s),
        this record lasts as long as the cluster does. With `workdir`, only
        the jobs submitted from that directory (their WorkDir).
        """
        if not self.jobcomp_log.exists():
            return []
        records = []
        for line in self.jobcomp_log.read_text().splitlines():
            # "Key=value Key=value ..."; a value may be empty, and a new field
            # starts wherever a space is followed by "Word=".
            parts = re.split(r" (?=[A-Za-z]+=)", line.strip())
            records.append(dict(p.split("=", 1) for p in parts if "=" in p))
        if workdir is not None:
            records = [r for r in records if r.get("WorkDir") == str(workdir)]
        return records


def _read_env_file(env_file: Path) -> dict[str, str]:
    # Let bash parse what bash wrote (printf %q quoting).
    out = subprocess.run(
        [
            "bash",
            "-c",
            'source "$1"; printf "%s\\0%s\\0%s\\0" '
            '"$SLURM_CONF" "$SLURM_TEST_DIR" "$SLURM_TEST_PARTITION"',
            "_",
            str(env_file),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    conf, state_dir, partition = out.split("\0")[:3]
    return {"SLURM_CONF": conf, "SLURM_TEST_DIR": state_dir, "SLURM_TEST_PARTITION": partition}


def _is_running(state_dir: Path) -> bool:
    r = subprocess.run(
        ["bash", str(START), "--check", str(state_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return r.returncode == 0


@pytest.fixture(scope="session")
def slurm_cluster() -> Iterator[SlurmCluster]:
    state_dir = Path(os.environ.get("SLURM_TEST_DIR", DEFAULT_STATE_DIR))
    started_here = False
    if not _is_running(state_dir):
        try:
            r = subprocess.run(
                ["bash", str(START), str(state_dir)],
                capture_output=True,
                text=True,
                timeout=START_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired as e:
            pytest.fail(f"start_cluster.sh took over {START_TIMEOUT_S} s:\n{e.stderr}")
        if r.returncode == EXIT_CANNOT_INSTALL:
            pytest.skip(f"no SLURM cluster possible here: {r.stderr.strip()}")
        if r.returncode != 0:
            pytest.fail(f"start_cluster.sh failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
        started_here = True

    recorded = _read_env_file(state_dir / "cluster.env")
    cluster = SlurmCluster(
        state_dir=Path(recorded["SLURM_TEST_DIR"]),
        conf=Path(recorded["SLURM_CONF"]),
        partition=recorded["SLURM_TEST_PARTITION"],
        env={**os.environ, **recorded},
    )
    try:
        yield cluster
    finally:
        # A cluster found running belongs to whoever started it.
        if started_here:
            subprocess.run(
                ["bash", str(STOP), str(state_dir)],
                capture_output=True,
                text=True,
                timeout=STOP_TIMEOUT_S,
            )


@pytest.fixture(scope="session")
def slurm_snakemake(
    slurm_cluster: SlurmCluster,
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Runs Snakemake with profiles/slurm against the test cluster.

    Call as slurm_snakemake(workdir, *extra_args, timeout=1200). The first
    status poll comes after 3 s instead of the profile's 10 s, which shortens
    chains of short jobs. `timeout` is a hard limit (SIGKILL): a Snakemake
    whose status queries fail waits forever, even after SIGTERM. Returns the
    completed process, stderr merged into stdout.
    """

    def run(workdir: Path, *args: str, timeout: float = 1200) -> subprocess.CompletedProcess[str]:
        cmd = [
            sys.executable,
            "-m",
            "snakemake",
            "--profile",
            str(SLURM_PROFILE),
            "--slurm-init-seconds-before-status-checks",
            "3",
            *args,
        ]
        return subprocess.run(
            cmd,
            cwd=workdir,
            env=slurm_cluster.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )

    return run
