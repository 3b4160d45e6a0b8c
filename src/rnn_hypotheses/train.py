"""Training loop: batches and noise keyed by (task, seed, step), Adam on W_rec,
logged history and snapshots, periodic checkpoints, early stopping.

Because each step's batch and noise depend only on (task, seed, step), a run
resumed from a checkpoint replays exactly the steps an uninterrupted run would
take and ends with bitwise the same weights.

Several networks of one task can train together as an ensemble (one graph, batched
products; ``training.networks_per_job``). Each keeps its own seed, batches, noise,
early stop, history, snapshots and checkpoint; a network that reaches its loss
target leaves the ensemble and the others go on without it. On a CPU a network ends
with bitwise the same weights in any ensemble as alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
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
    l1: float = 0.0
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


def _fingerprint(task: Task, network: Network, settings: TrainSettings) -> str:
    # Nothing of the ensemble: a network trains to the same bits in any ensemble (model.py),
    # so the checkpoints of another ensemble serve as well.
    return artifacts._config_json(
        {"task": task.name, "task_cfg": task.config, "settings": settings.__dict__,
         "meta": network.meta, "dt": network.dt, "tau": network.tau, "sigma": network.sigma})


@dataclass(eq=False)  # members are told apart by identity
class _Member:
    """One network's training record inside an ensemble."""

    network: Network
    fingerprint: str
    checkpoint: Path | None
    rows: list = field(default_factory=list)
    snap_steps: list = field(default_factory=list)
    snap_weights: list = field(default_factory=list)
    # early stopping looks at every step's loss, not only the logged ones
    window: list = field(default_factory=list)
    result: TrainResult | None = None
    # whether the checkpoint on disk holds the finished network (written once)
    saved_final: bool = False

    @property
    def label(self) -> str:
        return f"seed {self.network.meta.get('seed')}"

    def record(self, step: int, loss: float, W: np.ndarray, snapshot_every: int) -> None:
        snap = -1
        if step % snapshot_every == 0:
            snap = len(self.snap_steps)
            self.snap_steps.append(step)
            self.snap_weights.append(W.copy())
        self.rows.append([step, loss, mean_offdiagonal(W), snap])

    def save(self, state: dict, step: int) -> None:
        arrays = dict(state)
        arrays.update(
            step=np.int64(step),
            finished=np.bool_(self.result is not None),
            stop_reason=np.str_(self.result.stop_reason if self.result else ""),
            loss_window=np.asarray(self.window, dtype=np.float64),
            history=np.asarray(self.rows, dtype=np.float64).reshape(
                -1, len(artifacts.HISTORY_COLUMNS)),
            snapshot_steps=np.asarray(self.snap_steps, dtype=np.int64),
            snapshot_weights=np.asarray(self.snap_weights, dtype=np.float32),
        )
        artifacts.write_npz(self.checkpoint, arrays, {"fingerprint": self.fingerprint})

    def load(self, log: Callable[[str], None]) -> dict | None:
        if self.checkpoint is None or not self.checkpoint.exists():
            return None
        try:
            arrays = artifacts.read_npz(self.checkpoint, (
                "W_rec", "adam_m", "adam_v", "adam_t", "step", "finished", "stop_reason",
                "loss_window", "history", "snapshot_steps", "snapshot_weights"))
        except artifacts.ArtifactError as exc:
            log(f"ignoring unusable checkpoint: {exc}")
            return None
        if artifacts.npz_config(arrays).get("fingerprint") != self.fingerprint:
            log(f"ignoring checkpoint {self.checkpoint}: written for another configuration")
            return None
        return arrays

    def resume(self, saved: dict) -> None:
        self.rows = saved["history"].tolist()
        self.snap_steps = saved["snapshot_steps"].tolist()
        self.snap_weights = list(saved["snapshot_weights"])
        self.window = saved["loss_window"].tolist()
        if bool(saved["finished"]):
            self.result = self._result(saved["W_rec"], int(saved["step"]),
                                       str(saved["stop_reason"]))
            self.saved_final = True

    def finish(self, step: int, final_loss: float, W_final: np.ndarray, stop_reason: str,
               log: Callable[[str], None], prefix: str) -> None:
        """Check and log the final state, always logged and snapshotted."""
        # Each step checks the loss before its update; the last update is checked here, so
        # a diverged network is never returned (and never written).
        if not np.isfinite(final_loss) or not np.isfinite(W_final).all():
            raise FloatingPointError(
                f"{self.network.meta.get('task')} network {self.label}: training diverged; "
                f"after step {step} the loss is {final_loss} and W_rec holds "
                f"{np.count_nonzero(~np.isfinite(W_final))} non-finite weights (largest "
                f"finite |weight| {largest_finite(W_final):.3g}); lower "
                "training.learning_rate or model.g")
        if not self.rows or self.rows[-1][0] != step:
            if not self.snap_steps or self.snap_steps[-1] != step:
                self.snap_steps.append(step)
                self.snap_weights.append(W_final.copy())
            self.rows.append([step, final_loss, mean_offdiagonal(W_final),
                              len(self.snap_steps) - 1])
        self.result = self._result(W_final, step, stop_reason)
        log(f"{prefix}finished at step {step} ({stop_reason}); final loss {final_loss:.3g}")

    def _result(self, W_final: np.ndarray, step: int, stop_reason: str) -> TrainResult:
        net = self.network
        history = pd.DataFrame(self.rows, columns=list(artifacts.HISTORY_COLUMNS))
        history = history.astype({"step": "int64", "snapshot": "int64"})
        meta = dict(net.meta, steps=int(step), stop_reason=stop_reason)
        trained = Network(net.W_in, net.W_out, net.b, W_final, net.W_rec_init, net.mask,
                          net.dt, net.tau, net.sigma, meta)
        return TrainResult(trained, history, np.asarray(self.snap_steps, np.int64),
                           np.asarray(self.snap_weights, np.float32), stop_reason)


def _stacked_step(task: Task, members: list[_Member], settings: TrainSettings, step: int):
    """Every member's trials and noise of one step, stacked along axis 1 (the ensemble
    axis of the model): inputs, noise, targets, loss_mask."""
    parts = [step_batch(task, m.network, settings, step) for m in members]
    return tuple(np.stack(arrays, axis=1) for arrays in zip(
        *[(b.inputs, noise, b.targets, b.loss_mask) for b, noise in parts], strict=True))


def train(
    task: Task,
    network: Network,
    settings: TrainSettings,
    *,
    checkpoint_path: str | Path | None = None,
    log: Callable[[str], None] = print,
    stop_after: int | None = None,
) -> TrainResult:
    """Train W_rec of one network on ``task`` with Adam (an ensemble of one; see
    :func:`train_ensemble` for the arguments)."""
    return train_ensemble(task, [network], settings,
                          checkpoint_paths=None if checkpoint_path is None else [checkpoint_path],
                          log=log, stop_after=stop_after)[0]


def train_ensemble(
    task: Task,
    networks: list[Network],
    settings: TrainSettings,
    *,
    checkpoint_paths: list[str | Path] | None = None,
    log: Callable[[str], None] = print,
    stop_after: int | None = None,
) -> list[TrainResult]:
    """Train W_rec of each of ``networks`` on ``task`` with Adam, side by side.

    Parameters
    ----------
    task : Task
        Supplies the trials; its ``loss_target`` stops a network's training once the mean
        loss of its last ``loss_window`` steps falls below it.
    networks : list of Network
        The untrained networks (same size); not modified.
    checkpoint_paths : list of paths, optional
        One per network: where to checkpoint every ``checkpoint_minutes``. If every
        network has a checkpoint written for the same configuration, all from the same
        step (or finished), the ensemble resumes from them.
    stop_after : int, optional
        Stop (with checkpoints) after this many steps of this call, as if the job were
        killed; for testing resumption.

    Returns
    -------
    list of TrainResult, in the order of ``networks``.

    Raises
    ------
    FloatingPointError
        If a network's loss becomes NaN or infinite, or after its last update its loss or
        W_rec is not finite (the network diverged).
    """
    from .model import CTRNN  # TensorFlow is imported only where training happens.

    paths = checkpoint_paths or [None] * len(networks)
    members = [_Member(net, _fingerprint(task, net, settings), Path(path) if path else None)
               for net, path in zip(networks, paths, strict=True)]
    solo = len(members) == 1

    def prefix(member: _Member) -> str:
        return "" if solo else f"{member.label}: "

    model = CTRNN(networks, learning_rate=settings.learning_rate, l1=settings.l1)
    step = 0
    saved = [m.load(log) for m in members] if checkpoint_paths else []
    open_steps = {int(s["step"]) for s in saved if s is not None and not bool(s["finished"])}
    resumed = bool(saved) and all(s is not None for s in saved) and len(open_steps) <= 1
    if resumed:
        for member, state in zip(members, saved, strict=True):
            member.resume(state)
        if open_steps:
            step = open_steps.pop()
            log(f"resumed from checkpoint at step {step}")
        else:
            step = settings.max_steps
            log("every network had finished before the job stopped: nothing left to train")
    elif any(s is not None for s in saved):
        log("ignoring checkpoints: not every network of the ensemble has one from the same "
            "step")
    active = [m for m in members if m.result is None]
    if len(active) < len(members):
        model.keep([members.index(m) for m in active])
    if resumed and active:
        model.restore([saved[members.index(m)] for m in active])

    def save_checkpoints() -> None:
        for j, member in enumerate(active):
            member.save(model.state(j), step)
        for member in members:
            if member.result is not None and not member.saved_final:
                member.saved_final = True
                W_final = member.result.network.W_rec
                member.save({"W_rec": W_final, "adam_m": np.zeros_like(W_final),
                             "adam_v": np.zeros_like(W_final), "adam_t": np.float32(0)},
                            member.result.network.meta["steps"])

    def finish(leaving: list[int], stop_reason: str) -> None:
        inputs, noise, targets, loss_mask = _stacked_step(task, active, settings, step)
        final_losses = model.loss(inputs, noise, targets, loss_mask).numpy()
        W = model.W_rec.numpy()
        for j in leaving:
            active[j].finish(step, float(final_losses[j]), W[j], stop_reason, log,
                             prefix(active[j]))

    t_start = time.perf_counter()
    t_checkpoint = t_progress = t_start
    steps_this_call = 0
    while active and step < settings.max_steps:
        inputs, noise, targets, loss_mask = _stacked_step(task, active, settings, step)
        W_before = model.W_rec.numpy() if step % settings.log_every == 0 else None
        losses = model.train_step(inputs, noise, targets, loss_mask).numpy()
        for j, member in enumerate(active):
            loss = float(losses[j])
            if not np.isfinite(loss):
                raise FloatingPointError(
                    f"{task} network {member.label}: loss is {loss} at step {step}; lower "
                    "training.learning_rate or model.g")
            if W_before is not None:
                member.record(step, loss, W_before[j], settings.snapshot_every)
            member.window = (member.window + [loss])[-settings.loss_window:]
        step += 1
        steps_this_call += 1
        now = time.perf_counter()
        if now - t_progress >= settings.progress_seconds:
            rate = steps_this_call / (now - t_start)
            left = (settings.max_steps - step) / rate
            mean_loss = np.mean([np.mean(m.window) for m in active])
            training = "" if solo else f"  {len(active)} of {len(members)} networks training"
            log(f"step {step}/{settings.max_steps}  loss {mean_loss:.3g}{training}  "
                f"{rate:.1f} steps/s  at most {left / 60:.1f} min left")
            t_progress = now
        reached = [j for j, m in enumerate(active) if len(m.window) == settings.loss_window
                   and np.mean(m.window) < task.config["loss_target"]]
        if reached:
            finish(reached, "loss_target")
            staying = [j for j in range(len(active)) if j not in reached]
            active = [active[j] for j in staying]
            if not active:
                break
            model.keep(staying)
        if checkpoint_paths and (
            now - t_checkpoint >= 60 * settings.checkpoint_minutes
            or (stop_after is not None and steps_this_call >= stop_after)
        ):
            save_checkpoints()
            t_checkpoint = now
        if stop_after is not None and steps_this_call >= stop_after:
            raise InterruptedError(f"stopped after {steps_this_call} steps (step {step})")
    if active:
        finish(list(range(len(active))), "max_steps")
    log(f"{len(members)} network(s) trained in {time.perf_counter() - t_start:.1f} s "
        "in this run")
    return [m.result for m in members]
