"""Task performance of a trained network (report, section 3 and Fig. 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .network import Network
from .seeding import rng_for
from .simulate import readout, simulate
from .tasks import evaluation_conditions, make_trials, n_steps


def evaluate(task: str, task_cfg: dict, network: Network, *, n_trials: int,
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate the test conditions with input and internal noise and score them.

    Parameters
    ----------
    n_trials : int
        Noisy trials per test condition.

    Returns
    -------
    conditions : DataFrame
        One row per test condition: input1[, input2], difference (input1 - input2,
        decision only), target, mean_output (trial mean over the second half of the
        trial), error (|mean_output - target|), accuracy (decision: fraction of trials
        on the correct side of the midpoint between the two target levels).
    trace : DataFrame
        Trial-averaged output over time per condition: condition, time_ms, output, target,
        input1[, input2].
    """
    seed = int(network.meta["seed"])
    rng = rng_for(task, seed, "eval")
    levels = evaluation_conditions(task, task_cfg)
    conditions = np.repeat(levels, n_trials, axis=0)
    trials = make_trials(task, task_cfg, conditions, dt=network.dt, rng=rng)
    noise = rng.standard_normal((*trials.inputs.shape[:2], network.n_units), dtype=np.float32)
    r, _ = simulate(network, trials.inputs, noise=noise)
    z = readout(network, r)[..., 0]  # (time, trial)
    T, _ = n_steps(task_cfg, network.dt)
    late = slice(T // 2, T)
    n_cond = len(levels)
    z_cond = z.reshape(T, n_cond, n_trials)
    target = trials.targets[0, ::n_trials, 0]
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
        "target": np.repeat(target, T),
    })
    for i in range(levels.shape[1]):
        trace[f"input{i + 1}"] = np.repeat(levels[:, i], T)
    if task == "decision":
        frame["difference"] = levels[:, 0] - levels[:, 1]
        midpoint = 0.5 * (task_cfg["output_high"] + task_cfg["output_low"])
        says_high = per_trial > midpoint
        should_be_high = (target > midpoint)[:, None]
        frame["accuracy"] = (says_high == should_be_high).mean(axis=1)
    return frame, trace


def performance_summary(task: str, task_cfg: dict, frame: pd.DataFrame, trace: pd.DataFrame
                        ) -> dict:
    """Score one network from its evaluation tables (see :func:`evaluate`).

    Returns
    -------
    dict
        error (perception: largest |output - target| of the trial-averaged output over
        the second half of the trial; decision: mean squared error of the per-condition
        mean output), sign_accuracy (decision: mean accuracy over conditions with
        |input1 - input2| >= min_test_difference) and meets_criterion.
    """
    if task == "perception":
        late = trace["time_ms"] > task_cfg["trial_ms"] / 2
        error = float((trace.loc[late, "output"] - trace.loc[late, "target"]).abs().max())
        return {"error": error, "sign_accuracy": float("nan"),
                "meets_criterion": error <= task_cfg["tolerance"]}
    clear = frame["difference"].abs() >= task_cfg["min_test_difference"] - 1e-9
    accuracy = float(frame.loc[clear, "accuracy"].mean())
    error = float(np.mean((frame["mean_output"] - frame["target"]) ** 2))
    return {"error": error, "sign_accuracy": accuracy,
            "meets_criterion": accuracy >= task_cfg["min_accuracy"]}
