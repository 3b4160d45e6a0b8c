"""Exact versions: envs/requirements.lock satisfies pyproject.toml, and the Snakemake it
pins keeps a running workflow's lock when a second run in the same folder finishes."""

from __future__ import annotations

import subprocess
import sys
import time
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from .conftest import ROOT

LOCK = ROOT / "envs/requirements.lock"


def locked_pins() -> dict[str, list[tuple[Version, Requirement]]]:
    """Every pin of the lock file applying to this interpreter: name -> [(version, line)]."""
    pins: dict[str, list[tuple[Version, Requirement]]] = {}
    for line in LOCK.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        (spec,) = requirement.specifier  # every line pins one exact version
        assert spec.operator == "==", line
        pins.setdefault(canonicalize_name(requirement.name), []).append(
            (Version(spec.version), requirement))
    return pins


def project_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return [Requirement(r) for r in [*project["dependencies"], *extras["dev"], *extras["slurm"]]]


def test_lock_pins_a_version_in_every_range_of_pyproject():
    pins = locked_pins()
    for requirement in project_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in {LOCK.name}; run make lock"
        # every pin, on whichever platform or Python it applies to
        for version, _ in pins[name]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{LOCK.name} pins {name}=={version}, outside pyproject.toml's "
                f"{requirement}; run make lock")


def test_environment_was_installed_from_the_lock():
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        pytest.skip("not the project's .venv (make test installs it from the lock)")
    for name, entries in locked_pins().items():
        for version, pin in entries:
            if pin.marker is not None and not pin.marker.evaluate():
                continue
            assert Version(metadata.version(name)) == version, (
                f"{name} {metadata.version(name)} is installed, the lock pins {version}")


SNAKEFILE = """
rule slow:
    output: "slow.txt"
    shell: "sleep 25 && touch {output}"

rule quick:
    output: "quick.txt"
    shell: "touch {output}"
"""


def _snakemake(workdir: Path, target: str, **kwargs):
    return subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", "1", target],
        cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


def test_second_run_keeps_the_lock_of_a_running_one(tmp_path):
    """A run on another target finishes while the first still works; the first run's
    lock must survive, so a third run of the first target is refused."""
    (tmp_path / "Snakefile").write_text(SNAKEFILE)
    first = _snakemake(tmp_path, "slow.txt")
    locks = tmp_path / ".snakemake/locks"
    try:
        deadline = time.monotonic() + 20
        while not (locks.exists() and any(locks.iterdir())):
            assert time.monotonic() < deadline, "the first run took no lock"
            time.sleep(0.2)
        held = sorted(p.name for p in locks.iterdir())
        second = _snakemake(tmp_path, "quick.txt")
        assert second.wait(timeout=60) == 0, second.stdout.read()
        assert first.poll() is None, "the first run ended before the second"
        assert sorted(p.name for p in locks.glob("*")) == held, (
            "the second run removed the first run's lock files")
        third = _snakemake(tmp_path, "slow.txt")
        output = third.communicate(timeout=60)[0]
        assert third.returncode != 0 and "cannot be locked" in output, output
    finally:
        if first.poll() is None:
            first.kill()
        first.wait()
