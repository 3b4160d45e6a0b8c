"""Glue shared by the workflow's scripts: job logs, per-network config, provenance.

Kept free of Snakemake imports: scripts pass plain values in.
"""

from __future__ import annotations

import atexit
import os
import resource
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import pandas as pd

from . import artifacts
from .config import network_seed
from .network import Network, initialise_network
from .tasks import Task, make_task, stage_entry


def peak_memory_mb() -> float:
    """This process's peak resident memory in MB (Linux reports kilobytes, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def job_log(path: str | Path | None) -> Callable[[str], None]:
    """A function that appends time-stamped lines to a rule's log (and stderr).

    It also makes the log hold the job's error: an exception that ends the script is
    written there (message and traceback) before Python prints it, so the log that
    Snakemake points to on failure says what went wrong. Its last line is the job's
    peak memory and CPU time.
    """
    handle = open(path, "a", buffering=1) if path else None  # noqa: SIM115 - lives for the job

    def log(message: str) -> None:
        line = f"[{time.strftime('%H:%M:%S')}] {message}"
        print(line, file=sys.stderr, flush=True)
        if handle is not None:
            handle.write(line + "\n")

    if handle is not None:
        # Snakemake's benchmark samples memory about once a second and misses the peak of
        # short jobs; the kernel's high-water mark does not (rnn_hypotheses.resources).
        def log_peak_memory() -> None:
            if not handle.closed:
                # and the job's CPU (user + system), which Snakemake's benchmark files,
                # sampled every few seconds, miss most of in a job of seconds
                usage = resource.getrusage(resource.RUSAGE_SELF)
                handle.write(f"[{time.strftime('%H:%M:%S')}] peak memory "
                             f"{peak_memory_mb():.0f} MB, CPU "
                             f"{usage.ru_utime + usage.ru_stime:.2f} s\n")

        atexit.register(log_peak_memory)
        previous_hook = sys.excepthook

        def log_error(kind, value, tb) -> None:
            handle.write(f"[{time.strftime('%H:%M:%S')}] error: {kind.__name__}: {value}\n")
            handle.write("".join(traceback.format_exception(kind, value, tb)))
            previous_hook(kind, value, tb)

        sys.excepthook = log_error
    return log


def end_job() -> NoReturn:
    """End a job's process now, its outputs written, without the interpreter's teardown.

    Runs the exit handlers (the job log's peak-memory line among them) and flushes the
    standard streams, then exits with status 0 at once: freeing every loaded module one
    by one (NumPy, SciPy, pandas, pyarrow, matplotlib) costs a job 0.1 to 0.3 s of CPU and
    does nothing for it. Every artifact is closed when written (:mod:`.artifacts`), and
    the log is line-buffered. Call it last, on success only; an error before it ends the
    process as usual, with its traceback and a non-zero status.
    """
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(0)


def network_config(config: dict, task: str, net: str) -> dict:
    """The config values one network depends on (stored with its artifacts)."""
    return {
        "task": task,
        "net": net,
        "seed": network_seed(config, net),
        "model": config["model"],
        # without the analysis-only keys, which reach the analyses as their own param
        "task_config": stage_entry(config["tasks"][task]),
        # networks_per_job decides which jobs train a network, not its weights (model.py)
        "training": {k: v for k, v in config["training"].items() if k != "networks_per_job"},
    }


def network_task(provenance: dict, entry: dict | None = None) -> Task:
    """The :class:`~rnn_hypotheses.tasks.Task` a network was trained on, from the
    provenance of :func:`network_config` (a rule's ``provenance`` param), or from the
    task's whole config entry where an analysis needs its analysis-only keys (the
    rule's ``task_config`` param)."""
    return make_task(provenance["task"], provenance["task_config"] if entry is None else entry)


def initial_network(config: dict, task: str, net: str) -> Network:
    """The untrained network of (task, net), drawn from its seed."""
    return untrained_network(network_config(config, task, net))


def untrained_network(provenance: dict) -> Network:
    """The untrained network that a :func:`network_config` record describes."""
    model, task_cfg = provenance["model"], provenance["task_config"]
    return initialise_network(
        task=provenance["task"],
        seed=provenance["seed"],
        n_units=task_cfg["n_units"],
        n_inputs=task_cfg["n_inputs"],
        n_outputs=1,
        g=model["g"],
        input_std=task_cfg["input_std"],
        dt=model["dt_ms"],
        tau=model["tau_ms"],
        sigma=model["sigma"],
    )


def gather_parquet(paths: Sequence[str | Path], tasks: Sequence[str], nets: Sequence[str],
                   columns: Sequence[str] = ()) -> pd.DataFrame:
    """Read one parquet artifact per network and stack them with ``task`` and ``net`` columns.

    Parameters
    ----------
    paths, tasks, nets : sequences of equal length
        The artifact of each network, and the task and network it belongs to.
    columns : sequence of str
        Columns every artifact must have (checked by :func:`artifacts.read_parquet`).

    Returns
    -------
    DataFrame: ``task``, ``net``, then the artifacts' columns, in the order given.
    """
    frames = []
    for path, task, net in zip(paths, tasks, nets, strict=True):
        frame = artifacts.read_parquet(path, columns)
        for key, value in (("task", task), ("net", net)):
            # an artifact that names its network already must name the right one
            if key in frame.columns:
                if not (frame[key] == value).all():
                    raise artifacts.ArtifactError(f"{path}: {key} is not {value!r}")
                frame = frame.drop(columns=key)
        frame.insert(0, "net", net)
        frame.insert(0, "task", task)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
