"""The reproducibility record: versions, machine, commit, config, seeds, stage times."""

from __future__ import annotations

import importlib.metadata
import math
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


def run_span(benchmark_dir: str | os.PathLike) -> float:
    """Seconds from the first job's start to the last job's end, from the benchmark files.

    A benchmark file is written when its job ends, so its modification time is the
    end and that minus its wall time the start. The span includes any pause between
    separate Snakemake runs that built the results.

    Returns
    -------
    float
        NaN if there is no benchmark file.
    """
    starts, ends = [], []
    for path in Path(benchmark_dir).rglob("*.tsv"):
        end = path.stat().st_mtime
        seconds = pd.read_csv(path, sep="\t")["s"].astype(float).sum()
        starts.append(end - seconds)
        ends.append(end)
    return max(ends) - min(starts) if ends else float("nan")


# ----------------------------------------------------------------------------- the record

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                    "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")
"""Environment variables that cap the threads of BLAS and TensorFlow."""

RECORD_COLUMNS = ("section", "key", "value", "seconds")
"""Columns of the reproducibility record (``seconds`` only for stage times)."""


def tensorflow_gpus() -> list[str]:
    """Physical GPUs TensorFlow sees (imports TensorFlow; empty if it is absent)."""
    try:
        import tensorflow as tf
    except ImportError:
        return []
    return [device.name for device in tf.config.list_physical_devices("GPU")]


def thread_settings(job_threads: int | None = None) -> dict[str, str]:
    """The thread limits a job runs under.

    Parameters
    ----------
    job_threads : int, optional
        Threads Snakemake gave the job.

    Returns
    -------
    dict
        Usable cores (CPU affinity), the job's threads and every variable of
        :data:`THREAD_VARIABLES` ("unset" where absent).
    """
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 0
    out = {"usable cores": str(usable)}
    if job_threads is not None:
        out["threads of this job"] = str(job_threads)
    out.update({name: os.environ.get(name, "unset") for name in THREAD_VARIABLES})
    return out


def flatten_config(config: dict, prefix: str = "") -> dict[str, str]:
    """Config values under dotted keys (``model.g``), lists written out.

    Parameters
    ----------
    config : dict
    prefix : str
        Prepended to every key (used in the recursion).

    Returns
    -------
    dict
        Dotted key -> ``str`` of the value, in the config's order.
    """
    out: dict[str, str] = {}
    for key, value in config.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten_config(value, f"{name}."))
        else:
            out[name] = str(value)
    return out


def _seed_range(seeds: list[int]) -> str:
    if not seeds:
        return "none"
    if seeds == list(range(seeds[0], seeds[-1] + 1)) and len(seeds) > 2:
        return f"{seeds[0]}..{seeds[-1]}"
    return ", ".join(str(s) for s in seeds)


def seed_record(config: dict) -> dict[str, str]:
    """Every seed a run of ``config`` uses, in words.

    Parameters
    ----------
    config : dict
        The workflow config (``robustness`` variants included, if present).

    Returns
    -------
    dict
        Network seeds per task, how draws derive from them, the bootstrap seed of
        the claims tables, and the seeds of each robustness variant.
    """
    from .config import network_ids, network_seed

    seeds = [network_seed(config, net) for net in network_ids(config)]
    out = {f"{task} networks": f"{len(seeds)} networks, seeds {_seed_range(seeds)}"
           for task in config["tasks"]}
    out["random streams"] = ("numpy SeedSequence of (crc32 of the task, network seed, crc32 of "
                             "the purpose, step...): rnn_hypotheses.seeding.rng_for")
    out["bootstrap of the claims tables"] = "numpy default_rng(0), 10000 resamples"
    for group, variants in (config.get("robustness") or {}).items():
        for name, overrides in variants.items():
            first = overrides.get("first_seed", config["first_seed"])
            n = overrides.get("networks_per_task", config["networks_per_task"])
            out[f"robustness {group}/{name}"] = (f"{n} networks per task, seeds "
                                                 f"{_seed_range(list(range(first, first + n)))}")
    return out


def _stage_rows(stages: pd.DataFrame, prefix: str = "", span: float = float("nan")
                ) -> list[dict[str, object]]:
    rows = []
    for stage in stages.itertuples(index=False):
        rows.append({"section": "stage wall time", "key": f"{prefix}{stage.stage}",
                     "value": (f"{stage.total_s:.1f} s in {stage.jobs} job(s); longest "
                               f"{stage.max_s:.1f} s; CPU {stage.cpu_s:.1f} s"),
                     "seconds": float(stage.total_s)})
    if len(stages):
        total = float(stages["total_s"].sum())
        rows.append({"section": "stage wall time", "key": f"{prefix}all stages",
                     "value": f"{total:.1f} s ({total / 3600:.2f} h) summed over jobs",
                     "seconds": total})
    if math.isfinite(span):
        rows.append({"section": "stage wall time", "key": f"{prefix}elapsed",
                     "value": (f"{span:.1f} s ({span / 3600:.2f} h) from the first job's start "
                               "to the last job's end"),
                     "seconds": span})
    return rows


def reproducibility_record(
    *,
    config: dict,
    versions: dict[str, str],
    machine_info: dict[str, str],
    commit: str,
    threads: dict[str, str],
    stages: pd.DataFrame,
    span: float = float("nan"),
    variant_stages: dict[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """The reproducibility record as one long table.

    Parameters
    ----------
    config : dict
        The workflow config.
    versions : dict
        :func:`package_versions`.
    machine_info : dict
        :func:`machine`.
    commit : str
        :func:`git_commit`.
    threads : dict
        :func:`thread_settings`.
    stages : DataFrame
        :func:`stage_times` of the run.
    span : float, optional
        :func:`run_span` of the run.
    variant_stages : dict, optional
        Robustness variant -> its :func:`stage_times`.

    Returns
    -------
    DataFrame with :data:`RECORD_COLUMNS`; sections in the order: package, machine,
    threads, git, seed, config, stage wall time. ``seconds`` is NaN except for stage
    times, which are sums of job wall times (the jobs may have run in parallel).
    """
    rows: list[dict[str, object]] = []

    def add(section: str, values: dict[str, str]) -> None:
        rows.extend({"section": section, "key": k, "value": v, "seconds": float("nan")}
                    for k, v in values.items())

    add("package", versions)
    add("machine", machine_info)
    add("threads", threads)
    add("git", {"commit": commit})
    add("seed", seed_record(config))
    add("config", flatten_config(config))
    rows += _stage_rows(stages, span=span)
    for name, frame in (variant_stages or {}).items():
        rows += _stage_rows(frame, prefix=f"robustness {name}: ")
    return pd.DataFrame(rows, columns=list(RECORD_COLUMNS)).astype(
        {"section": str, "key": str, "value": str, "seconds": "float64"})


def record_sections(record: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The record split by section, each part with ``key`` and ``value`` only.

    Parameters
    ----------
    record : DataFrame
        :func:`reproducibility_record`.

    Returns
    -------
    list of (section, DataFrame) in the record's order.
    """
    return [(name, record.loc[record["section"] == name, ["key", "value"]]
             .reset_index(drop=True))
            for name in dict.fromkeys(record["section"])]
