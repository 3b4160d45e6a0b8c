"""Task performance of a trained network (report, section 3 and Fig. 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .network import Network
from .seeding import rng_for
from .simulate import simulate_readout
from .tasks import Task, TrialBatch, n_steps


def evaluate(task: Task, network: Network, *, n_trials: int,
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate the task's test conditions with input and internal noise and score them.

    Parameters
    ----------
    task : Task
        Supplies the test conditions, their trials and the kind's extra columns.
    n_trials : int
        Noisy trials per test condition.

    Returns
    -------
    conditions : DataFrame
        One row per test condition: input1[, input2, ...] (the condition, see
        :class:`~rnn_hypotheses.tasks.TrialBatch`), target (for a target that varies
        within the trial, its mean over the second half), mean_output (trial mean over
        the second half of the trial), error (|mean_output - target|), then the kind's
        columns (decision: difference, input1 - input2, and accuracy, the fraction of
        trials on the correct side of the midpoint between the two targets).
    trace : DataFrame
        Trial-averaged output and the target over time per condition: condition, time_ms,
        output, target, input1[, input2, ...].
    """
    seed = int(network.meta["seed"])
    rng = rng_for(task.name, seed, "eval")
    levels = task.evaluation_conditions()
    conditions = np.repeat(levels, n_trials, axis=0)
    trials = task.trials(conditions, dt=network.dt, rng=rng)
    noise = rng.standard_normal((*trials.inputs.shape[:2], network.n_units), dtype=np.float32)
    # the output alone, step by step: thousands of trials need no (time, trial, N) arrays
    z = simulate_readout(network, trials.inputs, noise=noise)[..., 0]  # (time, trial)
    T, _ = n_steps(task.config, network.dt)
    late = slice(T // 2, T)
    n_cond = len(levels)
    z_cond = z.reshape(T, n_cond, n_trials)
    targets = trials.targets[:, ::n_trials, 0]  # (time, condition)
    # A target that varies within the trial (an oscillator's) is summarised over the
    # window that mean_output averages; the kind scores such a task on its trace.
    constant = bool(np.all(targets == targets[0]))
    target = targets[0] if constant else targets[late].mean(axis=0)
    per_trial = z_cond[late].mean(axis=0)  # (condition, trial)
    frame = pd.DataFrame({f"input{i + 1}": levels[:, i] for i in range(levels.shape[1])})
    frame["target"] = target
    frame["mean_output"] = per_trial.mean(axis=1)
    frame["error"] = np.abs(frame["mean_output"] - frame["target"])
    time_ms = network.dt * np.arange(1, T + 1)
    trace = pd.DataFrame({
        "condition": np.repeat(np.arange(n_cond), T),
        "time_ms": np.tile(time_ms, n_cond),
        "output": z_cond.mean(axis=2).T.ravel(),
        "target": targets.T.ravel(),
    })
    for i in range(levels.shape[1]):
        trace[f"input{i + 1}"] = np.repeat(levels[:, i], T)
    for name, values in task.evaluation_columns(levels, per_trial, target).items():
        frame[name] = values
    return frame, trace


def loss_batch(task: Task, network: Network, n_trials: int,
               ) -> tuple[TrialBatch, np.ndarray]:
    """A fixed, seeded batch from the training distribution, for comparing weight matrices.

    The trials (conditions and input noise) and the internal noise are drawn from
    streams keyed by the network's (task, seed) and the purpose ``"task_loss"``, so
    every call for one network returns the same batch and losses of different
    ``W_rec`` on it differ only through the weights (common random numbers).

    Parameters
    ----------
    task : Task
        The network's task.
    network : Network
        Supplies the seed (``meta["seed"]``), ``dt`` and the number of units.
    n_trials : int
        Trials in the batch.

    Returns
    -------
    batch : TrialBatch
        Inputs and targets shaped (time, trial, ...), loss mask (time, 1, 1).
    noise : ndarray, shape (time, trial, N)
        Standard-normal draws xi_t for :func:`~rnn_hypotheses.simulate.simulate`.
    """
    seed = int(network.meta["seed"])
    batch = task.training_batch(rng_for(task.name, seed, "task_loss_trials"), n_trials,
                                dt=network.dt)
    noise = rng_for(task.name, seed, "task_loss_noise").standard_normal(
        (*batch.inputs.shape[:2], network.n_units), dtype=np.float32)
    return batch, noise


def task_loss(network: Network, W_rec: np.ndarray | None, task: Task, *,
              n_trials: int = 128, batch: tuple[TrialBatch, np.ndarray] | None = None) -> float:
    """The training loss of ``network`` with recurrent weights ``W_rec``, in NumPy.

    The same quantity as the TensorFlow model's loss: the mean squared output
    error over the time steps after the settle period and over trials, here on
    the fixed batch of :func:`loss_batch`, with internal noise.

    Parameters
    ----------
    network : Network
        Supplies W_in, W_out, b, dt, tau, sigma and the seed of the batch.
    W_rec : ndarray, shape (N, N), or None
        Recurrent weights to evaluate; None uses ``network.W_rec``.
    task : Task
        The network's task.
    n_trials : int
        Trials of the batch (ignored when ``batch`` is given).
    batch : (TrialBatch, noise), optional
        A batch from :func:`loss_batch`, to reuse it across many ``W_rec``.

    Returns
    -------
    float
        Mean squared error, in squared output units.
    """
    trials, noise = batch if batch is not None else loss_batch(task, network, n_trials)
    z = simulate_readout(network, trials.inputs, noise=noise, W_rec=W_rec)  # (time, trial, out)
    weights = np.broadcast_to(trials.loss_mask, z.shape)
    return float(np.sum(weights * (z - trials.targets) ** 2) / np.sum(weights))
