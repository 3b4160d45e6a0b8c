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
from .config import network_ids, network_seed
from .network import (
    Network,
    initialise_network,
    low_rank_transplant,
    trained_transplant,
)
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
    """The config values one network depends on (stored with its artifacts); for a task
    with an ``init`` key also how its initial network is drawn (:func:`initial_draw`)."""
    record = {
        "task": task,
        "net": net,
        "seed": network_seed(config, net),
        "model": config["model"],
        # without the analysis-only keys, which reach the analyses as their own param
        "task_config": stage_entry(config["tasks"][task]),
        # networks_per_job decides which jobs train a network, not its weights (model.py)
        "training": {k: v for k, v in config["training"].items() if k != "networks_per_job"},
    }
    if "init" in config["tasks"][task]:
        # only where the task has one: every other network's record stays as it was
        record["init"] = initial_draw(config, task, net)
    return record


def initial_draw(config: dict, task: str, net: str) -> dict:
    """How the initial network of (task, net) is drawn, from its task's ``init`` key.

    Returns
    -------
    dict: ``kind`` (``"like"``, ``"low_rank"`` or ``"trained"``), ``like`` (the task whose
    random stream draws W_rec, W_in, W_out and b) and its ``input_std``; for a transplant
    also ``source`` (task), ``source_shift`` and ``source_net``, the network
    ``(i + source_shift) mod networks_per_task`` of the source task (another seed than
    net i's own), and for ``low_rank`` the ``rank``. check_config has checked the key.
    """
    init = config["tasks"][task]["init"]
    like = init["like"]
    draw = {"kind": init.get("transplant", "like"), "like": like,
            "input_std": config["tasks"][like]["input_std"]}
    if "transplant" in init:
        shift = int(init.get("source_shift", 1))
        nets = network_ids(config)
        draw.update(source=init["source"], source_shift=shift,
                    source_net=nets[(nets.index(net) + shift) % len(nets)])
        if init["transplant"] == "low_rank":
            draw["rank"] = int(init["rank"])
    return draw


def transplant_source(config: dict, task: str, net: str) -> str | None:
    """The trained network.npz whose weights the initial network of (task, net) takes,
    or None where its task has no transplant (an input of its training rule)."""
    if "transplant" not in (config["tasks"][task].get("init") or {}):
        return None
    draw = initial_draw(config, task, net)
    return f"results/{draw['source']}/{draw['source_net']}/network.npz"


def network_task(provenance: dict, entry: dict | None = None) -> Task:
    """The :class:`~rnn_hypotheses.tasks.Task` a network was trained on, from the
    provenance of :func:`network_config` (a rule's ``provenance`` param), or from the
    task's whole config entry where an analysis needs its analysis-only keys (the
    rule's ``task_config`` param)."""
    return make_task(provenance["task"], provenance["task_config"] if entry is None else entry)


def initial_network(config: dict, task: str, net: str, source: Network | None = None
                    ) -> Network:
    """The untrained network of (task, net), drawn from its seed (and, for a task whose
    ``init`` transplants, from the trained ``source`` network)."""
    return untrained_network(network_config(config, task, net), source)


def untrained_network(provenance: dict, source: Network | None = None) -> Network:
    """The untrained network that a :func:`network_config` record describes.

    Without an ``init`` record: the task's own random draw (:func:`initialise_network`).
    With one (the task's ``init`` key; README, "Structured initial networks"): the draw of
    its ``like`` task for the same seed, then for a transplant the source network's
    weights: the rank-r part of its training change added to W_rec (``low_rank``), or its
    trained W_rec (``trained``). The network's meta records the draw (``init_*``).

    Parameters
    ----------
    provenance : dict
        A :func:`network_config` record.
    source : Network, optional
        The trained network of the record's ``init.source`` and ``init.source_net``;
        required for a transplant.

    Raises
    ------
    ValueError
        A transplant without ``source``, or a source of another task or seed.
    """
    model, task_cfg = provenance["model"], provenance["task_config"]
    draw = provenance.get("init")
    network = initialise_network(
        task=provenance["task"],
        seed=provenance["seed"],
        n_units=task_cfg["n_units"],
        n_inputs=task_cfg["n_inputs"],
        n_outputs=1,
        g=model["g"],
        # `like` draws exactly as its task does: with that task's input_std
        input_std=task_cfg["input_std"] if draw is None else draw["input_std"],
        dt=model["dt_ms"],
        tau=model["tau_ms"],
        sigma=model["sigma"],
        stream=None if draw is None else draw["like"],
    )
    if draw is None:
        return network
    network.meta.update(init_kind=draw["kind"], init_like=draw["like"])
    if "source" not in draw:
        return network
    where = f"tasks.{provenance['task']}.init"
    if source is None:
        raise ValueError(f"{where}: a {draw['kind']} transplant needs the trained network "
                         f"{draw['source']}/{draw['source_net']}")
    expected_seed = int(draw["source_net"].removeprefix("net")) + (
        provenance["seed"] - int(provenance["net"].removeprefix("net")))
    found = (source.meta.get("task"), source.meta.get("seed"))
    if found != (draw["source"], expected_seed):
        raise ValueError(f"{where}: the source network is {found[0]} seed {found[1]}, "
                         f"expected {draw['source']} seed {expected_seed} "
                         f"({draw['source_net']})")
    meta = {"init_source": draw["source"], "init_source_net": draw["source_net"],
            "init_source_seed": expected_seed, "init_source_shift": draw["source_shift"]}
    if draw["kind"] == "low_rank":
        network = low_rank_transplant(network, source, draw["rank"])
        meta["init_rank"] = draw["rank"]
    else:
        network = trained_transplant(network, source)
    network.meta.update(meta)
    return network


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
