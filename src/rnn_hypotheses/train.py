"""Training loop: batches and noise keyed by (task, seed, step), Adam on W_rec,
logged history and snapshots, periodic checkpoints, early stopping.

Because each step's batch and noise depend only on (task, seed, step), a run
resumed from a checkpoint replays exactly the steps an uninterrupted run would
take and ends with bitwise the same weights.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import artifacts
from .analysis.connectivity import mean_offdiagonal
from .network import Network
from .seeding import rng_for
from .simulate import largest_finite
from .tasks import Task


@dataclass
class TrainSettings:
    """Optimisation settings (config.yaml's ``training``)."""

    batch_size: int = 32
    max_steps: int = 3000
    learning_rate: float = 1e-3
    loss_window: int = 20
    log_every: int = 10
    snapshot_every: int = 100
    checkpoint_minutes: float = 2.0
    progress_seconds: float = 15.0

    @classmethod
    def from_config(cls, cfg: dict) -> TrainSettings:
        return cls(**{k: cfg[k] for k in cls.__dataclass_fields__ if k in cfg})


@dataclass
class TrainResult:
    """What a training run produced.

    Attributes
    ----------
    network : Network
        The trained network (W_rec_init holds the initial weights).
    history : DataFrame
        One row per logged step: step, loss, mean_weight, snapshot (index into
        ``snapshot_weights`` or -1).
    snapshot_steps : ndarray, shape (n_snapshots,)
    snapshot_weights : ndarray, shape (n_snapshots, N, N)
    stop_reason : str
        ``"loss_target"`` or ``"max_steps"``.
    """

    network: Network
    history: pd.DataFrame
    snapshot_steps: np.ndarray
    snapshot_weights: np.ndarray
    stop_reason: str


def step_batch(task: Task, network: Network, settings: TrainSettings, step: int):
    """The trials and standard-normal noise of one training step (pure in its arguments)."""
    seed = int(network.meta["seed"])
    batch = task.training_batch(rng_for(task.name, seed, "batch", step), settings.batch_size,
                                dt=network.dt)
    noise = rng_for(task.name, seed, "noise", step).standard_normal(
        (*batch.inputs.shape[:2], network.n_units), dtype=np.float32)
    return batch, noise


def _save_checkpoint(path: Path, state: dict, step: int, rows: list, snap_steps: list,
                     snap_weights: list, window: list, fingerprint: str) -> None:
    arrays = dict(state)
    arrays.update(
        step=np.int64(step),
        loss_window=np.asarray(window, dtype=np.float64),
        history=np.asarray(rows, dtype=np.float64).reshape(-1, len(artifacts.HISTORY_COLUMNS)),
        snapshot_steps=np.asarray(snap_steps, dtype=np.int64),
        snapshot_weights=np.asarray(snap_weights, dtype=np.float32),
    )
    artifacts.write_npz(path, arrays, {"fingerprint": fingerprint})


def _load_checkpoint(path: Path, fingerprint: str, log: Callable[[str], None]):
    try:
        arrays = artifacts.read_npz(path, ("W_rec", "adam_m", "adam_v", "adam_t", "step",
                                                "loss_window"))
    except artifacts.ArtifactError as exc:
        log(f"ignoring unusable checkpoint: {exc}")
        return None
    if artifacts.npz_config(arrays).get("fingerprint") != fingerprint:
        log(f"ignoring checkpoint {path}: written for another configuration")
        return None
    return arrays


def train(
    task: Task,
    network: Network,
    settings: TrainSettings,
    *,
    checkpoint_path: str | Path | None = None,
    log: Callable[[str], None] = print,
    stop_after: int | None = None,
) -> TrainResult:
    """Train W_rec of ``network`` on ``task`` with Adam.

    Parameters
    ----------
    task : Task
        Supplies the trials; its ``loss_target`` stops training early once the mean
        loss of the last ``loss_window`` steps falls below it.
    network : Network
        The untrained network; not modified.
    checkpoint_path : path, optional
        Where to checkpoint every ``checkpoint_minutes``; an existing checkpoint
        written for the same configuration is resumed.
    stop_after : int, optional
        Stop (with a checkpoint) after this many steps of this call, as if the
        job were killed; for testing resumption.

    Raises
    ------
    FloatingPointError
        If the loss becomes NaN or infinite, or after the last update the loss or
        W_rec is not finite (the network diverged).
    """
    from .model import CTRNN  # TensorFlow is imported only where training happens.

    fingerprint = artifacts._config_json(
        {"task": task.name, "task_cfg": task.config, "settings": settings.__dict__,
         "meta": network.meta, "dt": network.dt, "tau": network.tau, "sigma": network.sigma})
    model = CTRNN(network, learning_rate=settings.learning_rate)
    rows: list[list[float]] = []
    snap_steps: list[int] = []
    snap_weights: list[np.ndarray] = []
    step = 0
    # Early stopping looks at every step's loss, not only the logged ones.
    window: list[float] = []
    checkpoint_path = Path(checkpoint_path) if checkpoint_path else None
    if checkpoint_path is not None and checkpoint_path.exists():
        saved = _load_checkpoint(checkpoint_path, fingerprint, log)
        if saved is not None:
            model.restore(saved)
            step = int(saved["step"])
            rows = saved["history"].tolist()
            snap_steps = saved["snapshot_steps"].tolist()
            snap_weights = list(saved["snapshot_weights"])
            window = saved["loss_window"].tolist()
            log(f"resumed from checkpoint at step {step}")

    def record(step: int, loss: float, W: np.ndarray) -> None:
        snap = -1
        if step % settings.snapshot_every == 0:
            snap = len(snap_steps)
            snap_steps.append(step)
            snap_weights.append(W.copy())
        rows.append([step, loss, mean_offdiagonal(W), snap])

    t_start = time.perf_counter()
    t_checkpoint = t_progress = t_start
    steps_this_call = 0
    stop_reason = "max_steps"
    while step < settings.max_steps:
        batch, noise = step_batch(task, network, settings, step)
        W_before = model.W_rec.numpy() if step % settings.log_every == 0 else None
        loss = float(model.train_step(batch.inputs, noise, batch.targets, batch.loss_mask))
        if not np.isfinite(loss):
            raise FloatingPointError(
                f"{task} network seed {network.meta.get('seed')}: loss is {loss} at step "
                f"{step}; lower training.learning_rate or model.g")
        if W_before is not None:
            record(step, loss, W_before)
        window = (window + [loss])[-settings.loss_window:]
        step += 1
        steps_this_call += 1
        now = time.perf_counter()
        if now - t_progress >= settings.progress_seconds:
            rate = steps_this_call / (now - t_start)
            left = (settings.max_steps - step) / rate
            log(f"step {step}/{settings.max_steps}  loss {np.mean(window):.3g}  "
                f"{rate:.1f} steps/s  at most {left / 60:.1f} min left")
            t_progress = now
        if len(window) == settings.loss_window and np.mean(window) < task.config["loss_target"]:
            stop_reason = "loss_target"
            break
        if checkpoint_path is not None and (
            now - t_checkpoint >= 60 * settings.checkpoint_minutes
            or (stop_after is not None and steps_this_call >= stop_after)
        ):
            _save_checkpoint(checkpoint_path, model.state(), step, rows, snap_steps,
                             snap_weights, window, fingerprint)
            t_checkpoint = now
        if stop_after is not None and steps_this_call >= stop_after:
            raise InterruptedError(f"stopped after {steps_this_call} steps (step {step})")

    # The final state: its loss on the next step's batch, always logged and snapshotted.
    batch, noise = step_batch(task, network, settings, step)
    final_loss = float(model.loss(batch.inputs, noise, batch.targets, batch.loss_mask))
    W_final = model.W_rec.numpy()
    # Each step checks the loss before its update; the last update is checked here, so a
    # diverged network is never returned (and never written).
    if not np.isfinite(final_loss) or not np.isfinite(W_final).all():
        raise FloatingPointError(
            f"{task} network seed {network.meta.get('seed')}: training diverged; after step "
            f"{step} the loss is {final_loss} and W_rec holds "
            f"{np.count_nonzero(~np.isfinite(W_final))} non-finite weights (largest finite "
            f"|weight| {largest_finite(W_final):.3g}); lower training.learning_rate or "
            "model.g")
    if not rows or rows[-1][0] != step:
        if not snap_steps or snap_steps[-1] != step:
            snap_steps.append(step)
            snap_weights.append(W_final.copy())
        rows.append([step, final_loss, mean_offdiagonal(W_final), len(snap_steps) - 1])
    elapsed = time.perf_counter() - t_start
    log(f"finished at step {step} ({stop_reason}); final loss {final_loss:.3g}; "
        f"{elapsed:.1f} s in this run")

    history = pd.DataFrame(rows, columns=list(artifacts.HISTORY_COLUMNS))
    history = history.astype({"step": "int64", "snapshot": "int64"})
    meta = dict(network.meta, steps=int(step), stop_reason=stop_reason)
    trained = Network(network.W_in, network.W_out, network.b, W_final, network.W_rec_init,
                      network.mask, network.dt, network.tau, network.sigma, meta)
    return TrainResult(trained, history, np.asarray(snap_steps, np.int64),
                       np.asarray(snap_weights, np.float32), stop_reason)
