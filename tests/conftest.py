"""Shared fixtures: small configs and networks that train in seconds."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SMOKE = ROOT / "tests/config/smoke.yaml"


def snakemake(workdir, *args, check=True, configs=()):
    """Run the workflow in ``workdir`` on the smoke config (``configs`` merged over it).

    --configfile takes several values, so it goes last, after any target.
    """
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(workdir),
           *args, "--configfile", str(SMOKE), *map(str, configs)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if check and run.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{run.stdout[-3000:]}\n{run.stderr[-5000:]}")
    return run


def _merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@pytest.fixture(scope="session")
def full_config() -> dict:
    return yaml.safe_load((ROOT / "config.yaml").read_text())


@pytest.fixture(scope="session")
def smoke_config(full_config) -> dict:
    """config.yaml with tests/config/smoke.yaml merged over it, as Snakemake does."""
    return _merge(full_config, yaml.safe_load((ROOT / "tests/config/smoke.yaml").read_text()))


@pytest.fixture(scope="session")
def smoke_run(tmp_path_factory):
    """A working directory holding the whole smoke workflow's results (shared; do not
    change its results)."""
    workdir = tmp_path_factory.mktemp("smoke")
    snakemake(workdir, "--cores", "2")
    return workdir
