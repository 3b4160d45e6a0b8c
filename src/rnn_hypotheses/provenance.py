"""The reproducibility record: versions, machine, commit, config, seeds, stage times."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import subprocess
import sys
from pathlib import Path

import pandas as pd

PACKAGES = ("rnn-hypotheses", "tensorflow", "tensorflow-cpu", "numpy", "scipy", "pandas",
            "pyarrow", "networkx", "matplotlib", "seaborn", "snakemake")


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Installed versions of the running interpreter's packages ("not installed" if absent)."""
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(gpus: list[str] | None = None) -> dict[str, str]:
    """CPU, core count, OS and the GPUs TensorFlow sees (pass them to avoid importing it)."""
    return {
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "os": platform.platform(),
        "gpus": ", ".join(gpus) if gpus else "none",
        "executable": sys.executable,
    }


def git_commit(repo: str | os.PathLike) -> str:
    """HEAD of the checkout (with "+dirty" for uncommitted changes), or "unknown"."""
    try:
        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True,
                               check=True).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def stage_times(benchmark_dir: str | os.PathLike) -> pd.DataFrame:
    """Wall time per stage from Snakemake's benchmark files.

    ``benchmark_dir/<stage>/...tsv``; the stage is the first folder below it (or
    the file's stem for files directly in it). Returns stage, jobs, total_s,
    max_s, cpu_s, sorted by total wall time.
    """
    rows = []
    root = Path(benchmark_dir)
    for path in sorted(root.rglob("*.tsv")):
        relative = path.relative_to(root)
        stage = relative.parts[0] if len(relative.parts) > 1 else relative.stem
        frame = pd.read_csv(path, sep="\t")
        for _, row in frame.iterrows():
            rows.append({"stage": stage, "s": float(row["s"]),
                         "cpu_time": float(row.get("cpu_time", float("nan")))})
    if not rows:
        return pd.DataFrame(columns=["stage", "jobs", "total_s", "max_s", "cpu_s"])
    jobs = pd.DataFrame(rows)
    table = jobs.groupby("stage").agg(jobs=("s", "size"), total_s=("s", "sum"),
                                      max_s=("s", "max"), cpu_s=("cpu_time", "sum"))
    return table.reset_index().sort_values("total_s", ascending=False, ignore_index=True)
