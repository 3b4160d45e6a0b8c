"""Initial states for the searches, and the report's own scan of simulated trajectories."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .dynamics import Dynamics
from .points import _hessian_min_eig


def sample_initial_states(
    trajectories: np.ndarray,
    n: int,
    noise_scale: float = 0.0,
    random_state: int | np.random.Generator | None = None,
    *,
    valid: np.ndarray | None = None,
) -> np.ndarray:
    """Draw states from simulated trajectories and jitter them.

    Parameters
    ----------
    trajectories : ndarray, shape (time, trial, N)
        Firing rates.
    n : int
        Number of states to return.
    noise_scale : float, default 0
        Standard deviation of the i.i.d. Gaussian noise added to every unit
        (rate units).  Jitter moves starts off the trajectories so that the
        search also explores nearby activation patterns.
    random_state : int, Generator or None
        Seed or generator; sampling is with replacement over (time, trial).
    valid : ndarray of bool, shape (time, trial), optional
        Restrict the draw to these time steps (e.g. after stimulus onset).

    Returns
    -------
    ndarray, shape (n, N)
    """
    if noise_scale < 0:
        raise ValueError(f"noise_scale must be non-negative, got {noise_scale}")
    X = np.asarray(trajectories, dtype=float)
    if X.ndim != 3:
        raise ValueError(f"trajectories must be (time, trial, unit), got shape {X.shape}")
    rng = np.random.default_rng(random_state)
    flat = X.reshape(-1, X.shape[-1])
    if valid is None:
        pool = np.arange(flat.shape[0])
    else:
        valid = np.asarray(valid, dtype=bool)
        if valid.shape != X.shape[:2]:
            raise ValueError(f"valid has shape {valid.shape}, expected {X.shape[:2]}")
        pool = np.flatnonzero(valid.reshape(-1))
        if pool.size == 0:
            raise ValueError("valid selects no time step")
    idx = rng.choice(pool, size=n, replace=True)
    states = flat[idx].copy()
    if noise_scale > 0:
        states += noise_scale * rng.standard_normal(states.shape)
    return states


def noise_speed(sigma: float, dt: float, tau: float) -> float:
    """Velocity noise per unit of the simulations, 1/ms.

    The Euler step adds ``sqrt(2 sigma^2 / a) xi`` (a = dt / tau) to each
    pre-activation, which moves dr/dt by that amount over tau. This is the
    report's "tolerance on the order of the noise" for |dr/dt| (section
    6.1.1), and the default of :func:`trajectory_slow_steps`.
    """
    return float(np.sqrt(2.0 * sigma**2 / (dt / tau)) / tau)


def trajectory_slow_steps(
    trajectories: np.ndarray,
    dynamics: Dynamics,
    inputs: np.ndarray | None = None,
    *,
    dt: float = 10.0,
    sigma: float = 0.01,
    speed_tol: float | None = None,
    grad_tol: float | None = None,
    max_hessian_evals: int = 100,
) -> pd.DataFrame:
    """The report's own method: flag slow time steps of simulated trajectories.

    A step is *fixed* when the root-mean-square (over units) noise-free speed
    |F(r_t)| is below ``speed_tol``, and *slow* when the RMS of grad q is below
    ``grad_tol`` and the Hessian J^T J is positive definite there.  Both
    tolerances default to the scale of the simulation noise, as the report
    asks: the Euler scheme adds ``sqrt(2 sigma^2 / a) xi`` (a = dt/tau) to each
    pre-activation, i.e. a velocity noise of ``sqrt(2 sigma^2 / a) / tau`` per
    active unit, which is ``speed_tol``; ``grad_tol = speed_tol / tau`` since J
    is of order 1/tau.  The finite-difference speed |r_{t+1} - r_t| / dt that
    the report writes is also returned (``speed_fd``), noise included.

    Parameters
    ----------
    trajectories : ndarray, shape (time, trial, N)
        Simulated firing rates.
    W_rec, W_in, b
        Network parameters, see `preactivation`.
    inputs : ndarray, shape (time, trial, n_inputs) or (n_inputs,), optional
        Inputs at each step (None: no input).
    tau, dt : float
        Time constant and Euler step in ms.
    sigma : float, default 0.01
        The report's noise strength; only used for the default tolerances.
    speed_tol, grad_tol : float, optional
        RMS tolerances in 1/ms and 1/ms^2 per unit.
    max_hessian_evals : int, default 100
        The Hessian is constant within an activation region, so it is
        evaluated once per distinct pattern among gradient candidates, the
        candidates with the smallest gradients first; beyond this many
        patterns ``hessian_min_eig`` stays NaN and ``is_slow`` False.

    Returns
    -------
    pandas.DataFrame
        One row per (time, trial): ``time_index``, ``trial``, ``speed``,
        ``speed_fd`` (NaN at the last step), ``grad`` (RMS values), ``q``,
        ``hessian_min_eig``, ``is_fixed``, ``is_fixed_fd``, ``is_slow``.
    """
    X = np.asarray(trajectories, dtype=float)
    if X.ndim != 3:
        raise ValueError(f"trajectories must be (time, trial, unit), got shape {X.shape}")
    n_time, n_trial, n = X.shape
    W, tau = dynamics.W_rec, dynamics.tau
    if speed_tol is None:
        speed_tol = noise_speed(sigma, dt, tau)
    if grad_tol is None:
        grad_tol = float(speed_tol / tau)

    c = dynamics.drive(None if inputs is None else np.asarray(inputs, dtype=float))
    m = X @ W.T + c
    F = (np.maximum(m, 0.0) - X) / tau
    active = m > 0
    grad = (-F + (active * F) @ W) / tau
    speed = np.sqrt(np.mean(F * F, axis=-1))
    grad_rms = np.sqrt(np.mean(grad * grad, axis=-1))
    q = 0.5 * np.sum(F * F, axis=-1)
    speed_fd = np.full((n_time, n_trial), np.nan)
    if n_time > 1:
        speed_fd[:-1] = np.sqrt(np.mean(np.diff(X, axis=0) ** 2, axis=-1)) / dt

    hmin = np.full((n_time, n_trial), np.nan)
    cand = np.argwhere(grad_rms <= grad_tol)
    if cand.size:
        order = np.argsort(grad_rms[cand[:, 0], cand[:, 1]], kind="stable")
        cache: dict[bytes, float] = {}
        eye = np.eye(n)
        for t, k in cand[order]:
            key = np.packbits(active[t, k]).tobytes()
            if key not in cache:
                if len(cache) >= max_hessian_evals:
                    continue
                J = (active[t, k][:, None] * W - eye) / tau
                cache[key] = _hessian_min_eig(J)
            hmin[t, k] = cache[key]

    tt, kk = np.meshgrid(np.arange(n_time), np.arange(n_trial), indexing="ij")
    table = pd.DataFrame(
        {
            "time_index": tt.ravel(),
            "trial": kk.ravel(),
            "speed": speed.ravel(),
            "speed_fd": speed_fd.ravel(),
            "grad": grad_rms.ravel(),
            "q": q.ravel(),
            "hessian_min_eig": hmin.ravel(),
        }
    )
    table["is_fixed"] = table["speed"] <= speed_tol
    table["is_fixed_fd"] = table["speed_fd"] <= speed_tol
    table["is_slow"] = (table["grad"] <= grad_tol) & (table["hessian_min_eig"] > 0)
    table.attrs.update(speed_tol=speed_tol, grad_tol=grad_tol)
    return table
