"""Memory a job needs, from the sizes in config.yaml.

Every per-network stage holds a few N x N matrices (weights, Jacobians, Schur and
eigen-decompositions, training snapshots) and a few (time, trial, N) arrays
(trajectories). The estimates below count those arrays in bytes, with a margin,
on top of a fixed cost per stage (the interpreter, NumPy, SciPy, pandas and, for
training, TensorFlow: the peak memory of smoke-sized jobs, which every job writes to
its log). Measured on config.yaml: evaluating a decision network (289 conditions x
20 trials x 100 steps x 256 units at once, keeping only the output) peaks at 0.76 GB,
estimated 1,701 MB.
Rules declare the estimate as ``mem_mb``; ``check_config`` refuses a configuration
whose largest job cannot fit the memory available.
"""

from __future__ import annotations

import os

from .tasks import Task, make_task

# Fixed cost of a job of each stage in MB: the peak of smoke-sized jobs, rounded up;
# training's TensorFlow runtime grows with the graph (689 MB at smoke size, 913 MB for
# a 256-unit decision network on config.yaml), hence its larger margin.
BASE_MB = {
    "train": 1200,
    "evaluate": 500,
    "simulate": 400,
    "connectivity": 500,
    "latent": 500,
    "slowpoints": 500,
    "summary": 1000,
}
# Copies of the arrays counted below that are alive at once (temporaries, BLAS
# workspace, pandas and parquet buffers).
MARGIN = 2.0
PER_NETWORK_STAGES = ("train", "evaluate", "simulate", "connectivity", "latent", "slowpoints")
MiB = 2**20
# The config keys behind each stage's memory estimate besides the network's size
# (named in check_config's message when a job does not fit).
STAGE_SIZES = {
    "train": "training.batch_size, training.max_steps / snapshot_every, the task's trial_ms",
    "evaluate": "evaluation.n_trials, the task's test conditions and trial_ms",
    "simulate": "simulation.duration_ms, trials_per_condition, the task's simulated conditions",
    "connectivity": "training.max_steps / snapshot_every, connectivity.loss_trials",
    "latent": "latent.T, simulation.duration_ms, trials_per_condition, the task's simulated "
              "conditions",
    "slowpoints": "slowpoints.n_initial_states, the simulation's size",
}


def _steps(ms: float, dt: float) -> int:
    return max(1, int(round(ms / dt)))


def _stage_bytes(stage: str, task: Task, config: dict) -> float:
    """Bytes of the large arrays a job of ``stage`` holds for a network of ``task``."""
    n = float(task.n_units)
    dt = config["model"]["dt_ms"]
    training, latent = config["training"], config["latent"]
    trial_steps = _steps(task.config["trial_ms"], dt)
    simulation = config["simulation"]
    sim_steps = _steps(simulation["duration_ms"] + simulation.get("baseline_ms", 0), dt)
    sim_trials = task.n_simulation_trials(
        simulation, task.simulation_repeats(simulation, latent, dt))
    snapshots = training["max_steps"] // training["snapshot_every"] + 2
    matrix32, matrix64, matrix128 = 4 * n * n, 8 * n * n, 16 * n * n
    if stage == "train":
        # W_rec, its initial value, mask, gradient, Adam's two moments and graph
        # temporaries; every snapshot, held in a list and copied into each checkpoint;
        # the unrolled graph's rates, pre-activations, noise and their gradients.
        return (10 * matrix32 + 2 * snapshots * matrix32
                + 8 * 4 * training["batch_size"] * trial_steps * n)
    # a simulation holds its rates and pre-activations (float64) and its noise (float32):
    # 20 bytes per step, trial and unit
    if stage == "evaluate":
        # the evaluation keeps only the output of its simulation (simulate_readout): the
        # noise of every trial (float32) and one step's rates
        trials = config["evaluation"]["n_trials"] * len(task.evaluation_conditions())
        return 4 * matrix64 + 4 * trials * trial_steps * n + 3 * 8 * trials * n
    if stage == "simulate":
        return 4 * matrix64 + 20 * sim_trials * sim_steps * n
    if stage == "connectivity":
        # all snapshots (non-normality through training), Schur and eigen-decompositions
        # in complex arithmetic, the loss batch of the low-rank truncations
        loss_trials = config["connectivity"]["loss_trials"]
        return (snapshots * matrix32 + 8 * matrix128
                + 4 * 8 * loss_trials * trial_steps * n)
    if stage == "latent":
        # trajectories re-simulated at each leaky-ReLU angle (float64), the lagged
        # cross-covariances and the (2T N)^2 block-Toeplitz window covariance with its
        # factorisations
        window = 2 * latent["T"] * n
        return (4 * 8 * sim_trials * sim_steps * n + 2 * latent["T"] * matrix64
                + 3 * 8 * window * window)
    if stage == "slowpoints":
        # Jacobians and their complex eigenvectors at the points found, the initial
        # states, the trajectories they are drawn from
        starts = config["slowpoints"]["n_initial_states"]
        return 8 * matrix128 + 4 * 8 * starts * n + 2 * 4 * sim_trials * sim_steps * n
    raise ValueError(f"unknown stage {stage!r}; expected one of {sorted(BASE_MB)}")


def job_memory_mb(stage: str, config: dict, task: str | None = None, networks: int = 1) -> int:
    """Memory (MB) to declare for one job of ``stage`` on ``networks`` networks of ``task``
    (more than one: an ensemble's training job).

    Parameters
    ----------
    stage : str
        One of :data:`BASE_MB`'s keys; per-network stages need ``task``.
    config : dict
        The validated config.
    task : str, optional
        A key of ``config["tasks"]``.
    networks : int
        Networks the job holds at once; the fixed cost is paid once.
    """
    if stage == "summary":
        return BASE_MB["summary"]
    nbytes = _stage_bytes(stage, make_task(task, config["tasks"][task]), config)
    return int(BASE_MB[stage] + MARGIN * networks * nbytes / MiB) + 1


def largest_job(config: dict) -> tuple[str, str, int]:
    """(stage, task, MB) of the job with the largest memory estimate."""
    ensemble = min(config["training"].get("networks_per_job", 1), config["networks_per_task"])
    return max(((stage, task, job_memory_mb(stage, config, task,
                                            ensemble if stage == "train" else 1))
                for stage in PER_NETWORK_STAGES for task in config["tasks"]),
               key=lambda item: item[2])


def machine_memory_mb() -> int | None:
    """Physical memory of this machine in MB, or None where the OS does not say."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / MiB)
    except (ValueError, OSError, AttributeError):
        return None
