"""Trial generators of the two tasks of the report (section 3).

Every generator returns arrays shaped (time, trial, ...) and draws only from
the generator it is given, so a batch is a pure function of its seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TASKS = ("perception", "decision")


@dataclass
class TrialBatch:
    """A batch of trials.

    Attributes
    ----------
    inputs : ndarray, shape (time, trial, n_inputs)
        Noisy inputs u_t.
    targets : ndarray, shape (time, trial, n_outputs)
    loss_mask : ndarray, shape (time, 1, 1)
        1 where the loss counts, 0 during the settle period.
    conditions : ndarray, shape (trial, n_inputs)
        The noise-free input levels of each trial.
    """

    inputs: np.ndarray
    targets: np.ndarray
    loss_mask: np.ndarray
    conditions: np.ndarray


def n_steps(task_cfg: dict, dt: float) -> tuple[int, int]:
    """Trial length and settle period of a task in Euler steps."""
    return int(round(task_cfg["trial_ms"] / dt)), int(round(task_cfg["settle_ms"] / dt))


def perception_target(levels: np.ndarray, task_cfg: dict) -> np.ndarray:
    """Target output of each input level: 0.8 -> 0.5 and 0.5 -> 0.8 in the report.

    Levels between the configured ones are interpolated linearly, so the map
    is defined for any input the simulations use.
    """
    known = np.asarray(task_cfg["input_levels"], dtype=float)
    out = np.asarray(task_cfg["output_targets"], dtype=float)
    order = np.argsort(known)
    return np.interp(levels, known[order], out[order])


def decision_target(conditions: np.ndarray, task_cfg: dict) -> np.ndarray:
    """High output when input 2 exceeds input 1, low otherwise (report, Fig. 1)."""
    high, low = task_cfg["output_high"], task_cfg["output_low"]
    return np.where(conditions[:, 1] > conditions[:, 0], high, low)


def targets_for(task: str, conditions: np.ndarray, task_cfg: dict) -> np.ndarray:
    """Target output per trial, shape (trial, 1)."""
    if task == "perception":
        return perception_target(conditions[:, 0], task_cfg)[:, None]
    if task == "decision":
        return decision_target(conditions, task_cfg)[:, None]
    raise ValueError(f"unknown task {task!r}; expected one of {TASKS}")


def sample_conditions(task: str, task_cfg: dict, rng: np.random.Generator, n: int) -> np.ndarray:
    """Noise-free input levels of n training trials, shape (n, n_inputs)."""
    if task == "perception":
        return rng.choice(np.asarray(task_cfg["input_levels"], dtype=float), size=(n, 1))
    if task == "decision":
        low, high = task_cfg["input_range"]
        return rng.uniform(low, high, size=(n, 2))
    raise ValueError(f"unknown task {task!r}; expected one of {TASKS}")


def make_trials(
    task: str,
    task_cfg: dict,
    conditions: np.ndarray,
    *,
    dt: float,
    rng: np.random.Generator | None,
) -> TrialBatch:
    """Trials holding each condition constant for the whole trial.

    Parameters
    ----------
    conditions : ndarray, shape (trial, n_inputs)
    rng : Generator or None
        Source of the input noise (standard deviation ``input_noise_std``);
        None gives noise-free inputs.
    """
    conditions = np.asarray(conditions, dtype=float)
    T, settle = n_steps(task_cfg, dt)
    inputs = np.broadcast_to(conditions, (T, *conditions.shape)).astype(np.float32)
    if rng is not None and task_cfg["input_noise_std"] > 0:
        inputs = inputs + rng.normal(0.0, task_cfg["input_noise_std"], inputs.shape).astype(
            np.float32
        )
    targets = np.broadcast_to(targets_for(task, conditions, task_cfg),
                              (T, conditions.shape[0], 1)).astype(np.float32)
    mask = np.zeros((T, 1, 1), np.float32)
    mask[settle:] = 1.0
    return TrialBatch(np.ascontiguousarray(inputs), np.ascontiguousarray(targets), mask,
                      conditions)


def training_batch(task: str, task_cfg: dict, rng: np.random.Generator, batch_size: int,
                   *, dt: float) -> TrialBatch:
    """One batch of training trials with random conditions and noisy inputs."""
    conditions = sample_conditions(task, task_cfg, rng, batch_size)
    return make_trials(task, task_cfg, conditions, dt=dt, rng=rng)


def evaluation_conditions(task: str, task_cfg: dict) -> np.ndarray:
    """The evaluation conditions, shape (n_conditions, n_inputs).

    Perception: each configured level. Decision: a regular grid over the
    input range (``test_grid`` values per input).
    """
    if task == "perception":
        return np.asarray(task_cfg["input_levels"], dtype=float)[:, None]
    if task == "decision":
        low, high = task_cfg["input_range"]
        values = np.linspace(low, high, task_cfg["test_grid"])
        u1, u2 = np.meshgrid(values, values, indexing="ij")
        return np.column_stack([u1.ravel(), u2.ravel()])
    raise ValueError(f"unknown task {task!r}; expected one of {TASKS}")


def simulation_trials(task: str, task_cfg: dict, sim_cfg: dict, *, dt: float,
                      rng: np.random.Generator | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Input sequences of the analysis simulations (config.yaml's ``simulation``).

    Held trials keep one condition for ``duration_ms``: perception's input levels,
    or decision's ``decision_grid`` x ``decision_grid`` grid over the input range.
    Perception adds switching trials whose input alternates between the first
    two levels every ``switch_every_ms`` (the report's Fig. 3).

    Returns
    -------
    inputs : ndarray, shape (time, trial, n_inputs)
    conditions : ndarray, shape (trial, n_inputs)
        The held level of each trial; NaN for switching trials.
    kind : ndarray of str, shape (trial,)
        ``"held"`` or ``"switching"``.
    """
    T = int(round(sim_cfg["duration_ms"] / dt))
    reps = sim_cfg["trials_per_condition"]
    if task == "perception":
        levels = np.asarray(task_cfg["input_levels"], dtype=float)[:, None]
    elif task == "decision":
        low, high = task_cfg["input_range"]
        values = np.linspace(low, high, sim_cfg["decision_grid"])
        u1, u2 = np.meshgrid(values, values, indexing="ij")
        levels = np.column_stack([u1.ravel(), u2.ravel()])
    else:
        raise ValueError(f"unknown task {task!r}; expected one of {TASKS}")
    conditions = np.repeat(levels, reps, axis=0)
    inputs = np.broadcast_to(conditions, (T, *conditions.shape))
    kind = np.full(len(conditions), "held")
    if task == "perception" and sim_cfg["switching_trials"] > 0:
        period = max(1, int(round(sim_cfg["switch_every_ms"] / dt)))
        first, second = task_cfg["input_levels"][:2]
        sequence = np.where((np.arange(T) // period) % 2 == 0, first, second)
        n_switch = sim_cfg["switching_trials"]
        switching = np.broadcast_to(sequence[:, None, None], (T, n_switch, 1))
        inputs = np.concatenate([inputs, switching], axis=1)
        conditions = np.concatenate([conditions, np.full((n_switch, 1), np.nan)])
        kind = np.concatenate([kind, np.full(n_switch, "switching")])
    inputs = inputs.astype(np.float32)
    if rng is not None and task_cfg["input_noise_std"] > 0:
        inputs = inputs + rng.normal(0.0, task_cfg["input_noise_std"], inputs.shape).astype(
            np.float32)
    return np.ascontiguousarray(inputs), conditions, kind
