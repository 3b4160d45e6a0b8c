"""Fixed points and slow points of continuous-time ReLU RNNs (the report's section 6.1).

The noise-free dynamics at a constant input ``u`` are

    F(r) = (-r + relu(W_rec r + W_in u + b)) / tau,

with ``tau`` in ms, so ``F`` is a velocity in 1/ms.  The kinetic energy is
``q = |F|^2 / 2``, its gradient ``J^T F`` and, because the second derivative of
ReLU vanishes away from its kink, its Hessian ``J^T J`` where
``J = (-I + D W_rec) / tau`` and ``D`` is the diagonal 0/1 activation pattern.

A ReLU network is piecewise linear: inside the region where the pattern is
``D`` the fixed point, if any, solves ``(I - D W_rec) r = D (W_in u + b)``.
`find_fixed_points` exploits this (pattern -> linear solve -> pattern, which is
Newton's method on the piecewise-linear map) and therefore returns points that
are exact to rounding error; `enumerate_fixed_points` tries all ``2^N`` patterns
of a small network and is the ground truth that the tests compare against.  A
baseline in the style of FixedPointFinder (Golub & Sussillo 2018; Adam on q) is
available as ``method="adam"``.

Conventions
-----------
``W_rec[i, j]`` is the weight from unit j to unit i (zero diagonal), ``W_in`` has
shape (N, n_inputs), ``b`` shape (N,).  States are rows: a batch of states has
shape (..., N).  Trajectories are shaped (time, trial, unit).  ReLU's derivative
at exactly zero pre-activation is taken as 0, as in the report (``m_k <= 0``).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import linalg as sla
from scipy.optimize import lsq_linear
from scipy.spatial import cKDTree

__all__ = [
    "PointSet",
    "preactivation",
    "velocity",
    "jacobian",
    "kinetic_energy",
    "kinetic_energy_grad",
    "kinetic_energy_hessian",
    "noise_speed",
    "trajectory_slow_steps",
    "find_fixed_points",
    "find_slow_points",
    "enumerate_fixed_points",
    "sample_initial_states",
    "match_points",
]

# Adam baseline defaults, after FixedPointFinder's documented defaults (tol_q,
# tol_dq, max_iters, tol_unique, Adam epsilon, adaptive learning rate schedule,
# distance-outlier exclusion).  Its adaptive gradient-norm clipping is omitted
# and the arithmetic is float64 (FixedPointFinder's default is float32).
ADAM_DEFAULTS: dict[str, float] = {
    "tol_q": 1e-12,
    "tol_dq": 1e-20,
    "max_iters": 5000,
    "learning_rate": 1.0,
    "epsilon": 0.01,
    "beta1": 0.9,
    "beta2": 0.999,
    "dt": 10.0,
    "outlier_distance_scale": 10.0,
    "rate_patience": 5,
    "rate_decrease": 0.95,
    "rate_increase": 1.0 / 0.95,
}

_TABLE_COLUMNS = [
    "point",
    "method",
    "q",
    "speed",
    "grad_norm",
    "hessian_min_eig",
    "n_active",
    "n_unstable",
    "kind",
    "max_real_eig",
    "contraction_rate",
    "min_abs_preactivation",
    "n_hits",
    "converged",
]


# ---------------------------------------------------------------------------
# Result container
# ---------------------------------------------------------------------------


@dataclass
class PointSet:
    """Fixed points or slow points of one network at one constant input.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per point, in the order of ``locations``.  Columns: ``point``
        (index), ``method``, ``q`` (kinetic energy, 1/ms^2), ``speed`` (|F|,
        1/ms), ``grad_norm`` (|grad q|, 1/ms^3; for slow points the smallest
        norm over the one-sided gradients at ReLU kinks), ``hessian_min_eig``
        (smallest eigenvalue of J^T J, 1/ms^2; NaN where not computed),
        ``n_active`` (units with positive pre-activation), ``n_unstable``
        (Jacobian eigenvalues with positive real part), ``kind`` ("stable",
        "saddle" or "unstable"), ``max_real_eig`` (1/ms), ``contraction_rate``
        (sum of the real parts of the Jacobian eigenvalues = trace J, 1/ms;
        this equals -N/tau whenever W_rec has a zero diagonal),
        ``min_abs_preactivation`` (distance to the nearest ReLU kink),
        ``n_hits`` (initial states that ended at this point) and ``converged``
        (met the method's own tolerance).
    locations : ndarray, shape (n_points, N)
        The points, in firing-rate units.
    patterns : ndarray of bool, shape (n_points, N)
        Activation pattern (pre-activation > 0) at each point.
    eigenvalues : ndarray of complex, shape (n_points, N)
        Eigenvalues of the continuous-time Jacobian (1/ms), sorted by
        decreasing real part.
    unstable_vectors : ndarray of complex, shape (n_points, N, k_max)
        Unit-norm right eigenvectors of the eigenvalues with positive real
        part, in the order of ``eigenvalues``; NaN-padded where a point has
        fewer than ``k_max`` (the largest ``n_unstable``).
    info : dict
        Run summary: method, number of initial states, failures, time in s.
    """

    table: pd.DataFrame
    locations: np.ndarray
    patterns: np.ndarray
    eigenvalues: np.ndarray
    unstable_vectors: np.ndarray
    info: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.locations.shape[0])

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Arrays for ``np.savez`` (no pickling needed).

        Returns
        -------
        dict
            ``locations``, ``patterns``, ``eigenvalues``, ``unstable_vectors``
            and ``speed`` (for matching rows of the table).
        """
        return {
            "locations": self.locations,
            "patterns": self.patterns,
            "eigenvalues": self.eigenvalues,
            "unstable_vectors": self.unstable_vectors,
            "speed": self.table["speed"].to_numpy(dtype=float),
        }


# ---------------------------------------------------------------------------
# Dynamics and kinetic energy
# ---------------------------------------------------------------------------


def _drive(W_in: np.ndarray, b: np.ndarray, u: np.ndarray | None) -> np.ndarray:
    """Constant part of the pre-activation, ``W_in u + b``, shape (..., N)."""
    b = np.asarray(b, dtype=float)
    if u is None:
        return b
    u = np.atleast_1d(np.asarray(u, dtype=float))
    return u @ np.asarray(W_in, dtype=float).T + b


def preactivation(
    r: np.ndarray,
    W_rec: np.ndarray,
    W_in: np.ndarray,
    b: np.ndarray,
    u: np.ndarray | None = None,
) -> np.ndarray:
    """Noise-free pre-activation ``m = W_rec r + W_in u + b``.

    Parameters
    ----------
    r : ndarray, shape (..., N)
        Firing rates.
    W_rec : ndarray, shape (N, N)
    W_in : ndarray, shape (N, n_inputs)
    b : ndarray, shape (N,)
    u : ndarray, shape (n_inputs,) or (..., n_inputs), optional
        Input; None means no input.

    Returns
    -------
    ndarray, shape (..., N)
    """
    r = np.asarray(r, dtype=float)
    return r @ np.asarray(W_rec, dtype=float).T + _drive(W_in, b, u)


def velocity(
    r: np.ndarray,
    W_rec: np.ndarray,
    W_in: np.ndarray,
    b: np.ndarray,
    u: np.ndarray | None = None,
    *,
    tau: float,
) -> np.ndarray:
    """Noise-free velocity ``F(r) = (-r + relu(W_rec r + W_in u + b)) / tau``.

    Parameters
    ----------
    r : ndarray, shape (..., N)
        Firing rates.
    W_rec, W_in, b, u
        See `preactivation`.
    tau : float
        Time constant in ms.

    Returns
    -------
    ndarray, shape (..., N)
        dr/dt in 1/ms.
    """
    r = np.asarray(r, dtype=float)
    m = preactivation(r, W_rec, W_in, b, u)
    return (np.maximum(m, 0.0) - r) / tau


def jacobian(
    r: np.ndarray,
    W_rec: np.ndarray,
    W_in: np.ndarray,
    b: np.ndarray,
    u: np.ndarray | None = None,
    *,
    tau: float,
) -> np.ndarray:
    """Jacobian ``dF_k/dr_i = (-delta_ki + [m_k > 0] W_rec[k, i]) / tau``.

    Parameters
    ----------
    r : ndarray, shape (..., N)
    W_rec, W_in, b, u
        See `preactivation`.
    tau : float
        Time constant in ms.

    Returns
    -------
    ndarray, shape (..., N, N)
        ``J[..., k, i] = dF_k / dr_i`` in 1/ms.
    """
    W = np.asarray(W_rec, dtype=float)
    d = preactivation(r, W, W_in, b, u) > 0
    n = W.shape[0]
    return (d[..., :, None] * W - np.eye(n)) / tau


def kinetic_energy(
    r: np.ndarray,
    W_rec: np.ndarray,
    W_in: np.ndarray,
    b: np.ndarray,
    u: np.ndarray | None = None,
    *,
    tau: float,
) -> np.ndarray:
    """Kinetic energy ``q = |F(r)|^2 / 2``.

    Parameters
    ----------
    r : ndarray, shape (..., N)
    W_rec, W_in, b, u
        See `preactivation`.
    tau : float
        Time constant in ms.

    Returns
    -------
    ndarray, shape (...)
        q in 1/ms^2.
    """
    F = velocity(r, W_rec, W_in, b, u, tau=tau)
    return 0.5 * np.sum(F * F, axis=-1)


def kinetic_energy_grad(
    r: np.ndarray,
    W_rec: np.ndarray,
    W_in: np.ndarray,
    b: np.ndarray,
    u: np.ndarray | None = None,
    *,
    tau: float,
) -> np.ndarray:
    """Gradient ``dq/dr_i = sum_k dF_k/dr_i F_k`` (i.e. ``J^T F``).

    Computed without forming J: ``J^T F = (-F + W_rec^T (d * F)) / tau``.

    Parameters
    ----------
    r : ndarray, shape (..., N)
    W_rec, W_in, b, u
        See `preactivation`.
    tau : float
        Time constant in ms.

    Returns
    -------
    ndarray, shape (..., N)
        Gradient in 1/ms^2 per rate unit (1/ms^3 with tau in ms twice over).
    """
    W = np.asarray(W_rec, dtype=float)
    r = np.asarray(r, dtype=float)
    m = preactivation(r, W, W_in, b, u)
    F = (np.maximum(m, 0.0) - r) / tau
    return (-F + ((m > 0) * F) @ W) / tau


def kinetic_energy_hessian(
    r: np.ndarray,
    W_rec: np.ndarray,
    W_in: np.ndarray,
    b: np.ndarray,
    u: np.ndarray | None = None,
    *,
    tau: float,
) -> np.ndarray:
    """Hessian of q, ``J^T J`` for ReLU (the ``d^2 F`` term is zero off the kinks).

    Parameters
    ----------
    r : ndarray, shape (..., N)
    W_rec, W_in, b, u
        See `preactivation`.
    tau : float
        Time constant in ms.

    Returns
    -------
    ndarray, shape (..., N, N)
        Symmetric positive semi-definite, 1/ms^2.
    """
    J = jacobian(r, W_rec, W_in, b, u, tau=tau)
    return np.swapaxes(J, -1, -2) @ J


# ---------------------------------------------------------------------------
# Initial states and the report's trajectory scan
# ---------------------------------------------------------------------------


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
    W_rec: np.ndarray,
    W_in: np.ndarray,
    b: np.ndarray,
    inputs: np.ndarray | None = None,
    *,
    tau: float,
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
    W = np.asarray(W_rec, dtype=float)
    if speed_tol is None:
        speed_tol = noise_speed(sigma, dt, tau)
    if grad_tol is None:
        grad_tol = float(speed_tol / tau)

    if inputs is None:
        c = np.asarray(b, dtype=float)
    else:
        c = _drive(W_in, b, np.asarray(inputs, dtype=float))
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


# ---------------------------------------------------------------------------
# Shared machinery: deduplication and description of points
# ---------------------------------------------------------------------------


def _unique_groups(points: np.ndarray, tol: float) -> np.ndarray:
    """Label points so that any two within ``tol`` (max-abs norm) share a label.

    Returns labels 0..k-1 in order of first appearance (transitive closure
    via union-find over the pairs a k-d tree reports).
    """
    n = points.shape[0]
    parent = np.arange(n)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if n > 1:
        pairs = cKDTree(points).query_pairs(r=tol, p=np.inf, output_type="ndarray")
        for i, j in pairs:
            ri, rj = find(int(i)), find(int(j))
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    roots = np.array([find(i) for i in range(n)], dtype=int)
    _, first, labels = np.unique(roots, return_index=True, return_inverse=True)
    # Relabel by first appearance so the output order is deterministic.
    rank = np.empty_like(first)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return rank[labels]


def _dedupe(points: np.ndarray, hits: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Keep one representative (the first) per group; sum the hit counts."""
    if points.shape[0] == 0:
        return points, hits
    labels = _unique_groups(points, tol)
    k = labels.max() + 1
    first = np.full(k, -1)
    for i, lab in enumerate(labels):
        if first[lab] < 0:
            first[lab] = i
    return points[first], np.bincount(labels, weights=hits, minlength=k).astype(int)


def _min_norm_gradient(
    r: np.ndarray, m: np.ndarray, W: np.ndarray, tau: float, kink_tol: float
) -> tuple[float, np.ndarray]:
    """Smallest |grad q| over the one-sided gradients at the ReLU kinks near r.

    q is only piecewise smooth; at a kink (``|m_i| <= kink_tol``) the slope of
    ReLU can be anything in [0, 1] and so can ``d_i`` in
    ``grad q = (-F + W^T (d * F)) / tau``.  The norm of the best choice
    (a bounded least-squares problem in the few kink units) is zero at
    stationary points of q, smooth or not.

    Returns
    -------
    norm : float
    d : ndarray, shape (N,)
        The slopes that achieve it.
    """
    F = (np.maximum(m, 0.0) - r) / tau
    d = (m > kink_tol).astype(float)
    g0 = (-F + (d * F) @ W) / tau
    kinks = np.flatnonzero(np.abs(m) <= kink_tol)
    if kinks.size == 0:
        return float(np.linalg.norm(g0)), d
    Z = (W[kinks].T * F[kinks]) / tau
    sol = lsq_linear(Z, -g0, bounds=(0.0, 1.0), method="bvls")
    d[kinks] = sol.x
    return float(np.linalg.norm(g0 + Z @ sol.x)), d


def _hessian_min_eig(J: np.ndarray) -> float:
    """Smallest eigenvalue of ``J^T J``: the smallest singular value of J, squared.

    The SVD is used rather than ``eigvalsh(J.T @ J)``, which loses the small
    end of the spectrum to rounding when J is nearly singular.
    """
    return float(sla.svdvals(J, check_finite=False)[-1] ** 2)


def _describe(
    locations: np.ndarray,
    hits: np.ndarray,
    W: np.ndarray,
    c: np.ndarray,
    tau: float,
    method: str,
    *,
    converged: np.ndarray | None = None,
    grad_norm: np.ndarray | None = None,
    hessian: bool = False,
    info: dict[str, Any] | None = None,
) -> PointSet:
    """Characterise points by the linearisation of the dynamics there.

    With the units ordered (active A, inactive I) the Jacobian is block upper
    triangular, ``[[-I + W_AA, W_AI], [0, -I]] / tau``, so its spectrum is that
    of the active block plus ``-1/tau`` once per inactive unit, and
    eigenvectors of the active block (zero on inactive units) are
    eigenvectors of J.  Only the |A| x |A| block is decomposed.
    """
    n_pts, n = locations.shape if locations.ndim == 2 else (0, W.shape[0])
    locations = locations.reshape(n_pts, n)
    m = locations @ W.T + c if n_pts else np.zeros((0, n))
    patterns = m > 0
    F = (np.maximum(m, 0.0) - locations) / tau
    speed = np.linalg.norm(F, axis=1)
    eigs = np.empty((n_pts, n), dtype=complex)
    unstable: list[np.ndarray] = []
    hmin = np.full(n_pts, np.nan)
    gnorm = np.full(n_pts, np.nan) if grad_norm is None else np.asarray(grad_norm, float)
    for p in range(n_pts):
        A = np.flatnonzero(patterns[p])
        block = (W[np.ix_(A, A)] - np.eye(A.size)) / tau
        lam_a = sla.eigvals(block, check_finite=False) if A.size else np.zeros(0, complex)
        vecs = np.zeros((n, 0), dtype=complex)
        if A.size and np.any(lam_a.real > 0):
            # Vectors only where there are unstable modes; the eigenvalues of
            # this call replace the first ones so that counts agree exactly.
            lam_a, V = sla.eig(block, check_finite=False)
            keep = np.flatnonzero(lam_a.real > 0)
            keep = keep[np.argsort(-lam_a.real[keep], kind="stable")]
            vecs = np.zeros((n, keep.size), dtype=complex)
            vecs[A] = V[:, keep] / np.linalg.norm(V[:, keep], axis=0)
        unstable.append(vecs)
        lam = np.concatenate([lam_a, np.full(n - A.size, -1.0 / tau, dtype=complex)])
        eigs[p] = lam[np.argsort(-lam.real, kind="stable")]
        if grad_norm is None:
            g = (-F[p] + (patterns[p] * F[p]) @ W) / tau
            gnorm[p] = np.linalg.norm(g)
        if hessian:
            J = (patterns[p][:, None] * W - np.eye(n)) / tau
            hmin[p] = _hessian_min_eig(J)
    n_unstable = np.sum(eigs.real > 0, axis=1) if n_pts else np.zeros(0, int)
    k_max = int(n_unstable.max()) if n_pts else 0
    uvec = np.full((n_pts, n, k_max), np.nan + 0j, dtype=complex)
    for p, v in enumerate(unstable):
        uvec[p, :, : v.shape[1]] = v
    kind = np.where(n_unstable == 0, "stable", np.where(n_unstable == n, "unstable", "saddle"))
    table = pd.DataFrame(
        {
            "point": np.arange(n_pts),
            "method": method,
            "q": 0.5 * speed**2,
            "speed": speed,
            "grad_norm": gnorm,
            "hessian_min_eig": hmin,
            "n_active": patterns.sum(axis=1),
            "n_unstable": n_unstable,
            "kind": kind,
            "max_real_eig": eigs[:, 0].real if n_pts else np.zeros(0),
            "contraction_rate": eigs.real.sum(axis=1),
            "min_abs_preactivation": np.abs(m).min(axis=1) if n_pts else np.zeros(0),
            "n_hits": np.asarray(hits, dtype=int),
            "converged": np.ones(n_pts, bool) if converged is None else converged,
        },
        columns=_TABLE_COLUMNS,
    )
    return PointSet(table, locations, patterns, eigs, uvec, dict(info or {}))


# ---------------------------------------------------------------------------
# Exact search over activation patterns
# ---------------------------------------------------------------------------

_FAIL = -1


class _PatternNewton:
    """Newton's method on the piecewise-linear map, memoised by pattern.

    From any state, one Newton step lands on the solution of the linear
    system of the state's activation pattern, so the whole iteration is a
    map pattern -> pattern.  Each pattern is solved once; each pattern's
    final outcome (index of a fixed point, or failure) is stored, so chains
    from different initial states stop as soon as they meet a known pattern.
    """

    def __init__(
        self,
        W: np.ndarray,
        c: np.ndarray,
        tau: float,
        residual_tol: float,
        max_references: int = 8,
    ):
        self.W, self.c, self.tau = W, c, tau
        self.n = W.shape[0]
        self.residual_tol = residual_tol
        # key -> [target r or None, next key, next pattern, outcome or None]
        self.nodes: dict[bytes, list[Any]] = {}
        self.points: list[np.ndarray] = []
        self.n_solves = 0
        # Reference patterns with the explicit inverse of (I - D0 W): a
        # pattern that differs from one in k units is a rank-k change of it,
        # solved by the Woodbury identity in O(N^2 + N k^2) instead of a
        # fresh O(|A|^3) factorisation.  Patterns met during one search
        # mostly differ in a few units, so a handful of references suffice.
        self.max_references = max_references
        self.k_max = max(4, self.n // 8)
        self.ref_patterns = np.zeros((0, self.n), dtype=bool)
        self.ref_inverses: list[np.ndarray] = []

    @staticmethod
    def key(d: np.ndarray) -> bytes:
        return np.packbits(d).tobytes()

    def _direct(self, d: np.ndarray, A: np.ndarray) -> np.ndarray | None:
        """Solve (I - W_AA) r_A = c_A with one LU factorisation and one refinement."""
        W, c = self.W, self.c
        M = np.eye(A.size) - W[np.ix_(A, A)]
        try:
            with warnings.catch_warnings():
                # A singular block (LinAlgWarning) is caught by the finiteness
                # and residual checks; no need to alarm the caller.
                warnings.simplefilter("ignore")
                lu = sla.lu_factor(M, check_finite=False)
                x = sla.lu_solve(lu, c[A], check_finite=False)
                x += sla.lu_solve(lu, c[A] - M @ x, check_finite=False)
        except (ValueError, np.linalg.LinAlgError):
            return None
        r = np.zeros(self.n)
        r[A] = x
        if len(self.ref_inverses) < self.max_references:
            try:
                inv = np.linalg.inv(np.eye(self.n) - d[:, None] * W)
            except np.linalg.LinAlgError:
                inv = None
            if inv is not None and np.all(np.isfinite(inv)):
                self.ref_patterns = np.vstack([self.ref_patterns, d[None]])
                self.ref_inverses.append(inv)
        return r

    def _woodbury(self, d: np.ndarray) -> np.ndarray | None:
        """Solve (I - D W) r = D c from the nearest reference, or None if none is near."""
        if not self.ref_inverses:
            return None
        dist = np.count_nonzero(self.ref_patterns != d, axis=1)
        j = int(np.argmin(dist))
        if dist[j] > self.k_max:
            return None
        inv = self.ref_inverses[j]
        y = inv @ (d * self.c)
        S = np.flatnonzero(self.ref_patterns[j] != d)
        if S.size:
            # (I - D W) = (I - D0 W) - U V with U = E[:, S] (E = D - D0), V = W[S].
            Z = inv[:, S] * np.where(d[S], 1.0, -1.0)
            V = self.W[S]
            try:
                y = y + Z @ np.linalg.solve(np.eye(S.size) - V @ Z, V @ y)
            except np.linalg.LinAlgError:
                return None
        y[~d] = 0.0  # exact zeros for inactive units, whatever the rounding
        return y if np.all(np.isfinite(y)) else None

    def _solve(self, d: np.ndarray) -> list[Any]:
        W, c = self.W, self.c
        A = np.flatnonzero(d)
        self.n_solves += 1
        if A.size == 0:
            r: np.ndarray | None = np.zeros(self.n)
            fast = False
        else:
            r = self._woodbury(d)
            fast = r is not None
            if r is None:
                r = self._direct(d, A)
        if r is None:
            return [None, None, None, _FAIL]
        m = W @ r + c
        res = np.linalg.norm(np.maximum(m, 0.0) - r) / self.tau
        if fast and res > self.residual_tol and np.array_equal(m > 0, d):
            # A consistent pattern whose rank-k update lost accuracy: redo it
            # directly rather than reject a genuine fixed point.
            r2 = self._direct(d, A)
            if r2 is not None:
                r = r2
                m = W @ r + c
                res = np.linalg.norm(np.maximum(m, 0.0) - r) / self.tau
        outcome = None
        if res <= self.residual_tol:
            self.points.append(r)
            outcome = len(self.points) - 1
        nd = m > 0
        return [r, self.key(nd), nd, outcome]

    def node(self, key: bytes, d: np.ndarray) -> list[Any]:
        node = self.nodes.get(key)
        if node is None:
            node = self._solve(d)
            self.nodes[key] = node
        return node

    def follow(self, key: bytes, d: np.ndarray, max_steps: int) -> int:
        """Outcome of the pure pattern iteration started at pattern ``d``."""
        path: list[list[Any]] = []
        seen: set[bytes] = set()
        outcome = _FAIL
        for _ in range(max_steps + 1):
            node = self.node(key, d)
            if node[3] is not None:
                outcome = node[3]
                break
            if key in seen:  # the pattern repeats without a fixed point: a cycle
                break
            seen.add(key)
            path.append(node)
            key, d = node[1], node[2]
        for node in path:
            node[3] = outcome
        return outcome


def _line_search(
    W: np.ndarray,
    c: np.ndarray,
    R: np.ndarray,
    M: np.ndarray,
    delta: np.ndarray,
    q0: np.ndarray,
    alphas: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Step along ``delta``: the full step or the first ReLU kink, else a grid.

    Along a line the pre-activation is linear, ``m + alpha W delta``, so q at
    every trial step costs no further matrix product.  The full step and the
    step to the first kink are tried first (along a Newton direction the
    residual shrinks as ``(1 - alpha)`` up to that kink, so one of them
    decreases q); only states where neither does try the grid ``alphas``.

    Returns
    -------
    alpha : ndarray, shape (s,)
        Chosen step (0 where nothing decreases q).
    q : ndarray, shape (s,)
        Unscaled ``|G|^2`` (G = tau F) at the chosen step.
    """
    V = delta @ W.T
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = -M / V
    cross[~(cross > 1e-15)] = np.inf
    first = np.minimum(cross.min(axis=1), 1.0)

    def trial(idx: np.ndarray, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        Rt = R[idx, None, :] + steps[:, :, None] * delta[idx, None, :]
        Mt = M[idx, None, :] + steps[:, :, None] * V[idx, None, :]
        G = np.maximum(Mt, 0.0) - Rt
        qa = np.sum(G * G, axis=2)
        best = np.argmin(qa, axis=1)
        rows = np.arange(idx.size)
        return steps[rows, best], qa[rows, best]

    everyone = np.arange(R.shape[0])
    alpha, q = trial(everyone, np.stack([np.ones_like(first), first], axis=1))
    bad = np.flatnonzero(~(q < q0))
    if bad.size:
        grid = np.broadcast_to(alphas, (bad.size, alphas.size))
        alpha[bad], q[bad] = trial(bad, np.ascontiguousarray(grid))
    ok = q < q0
    return np.where(ok, alpha, 0.0), np.where(ok, q, q0)


_ALPHAS = 2.0 ** -np.arange(0, 21)
_PAIR_UNITS = 12  # units near threshold whose pairwise flips are explored


def _exact_search(
    W: np.ndarray,
    c: np.ndarray,
    tau: float,
    X0: np.ndarray,
    residual_tol: float,
    max_pattern_steps: int,
    max_fallback_steps: int,
    max_fallback_states: int,
    max_explored: int,
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Pattern iteration from every initial state, damped Newton where it cycles."""
    engine = _PatternNewton(W, c, tau, residual_tol)
    M0 = X0 @ W.T + c
    D0 = M0 > 0
    packed = np.packbits(D0, axis=1)
    _, first, inverse = np.unique(packed, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    outcome_u = np.array(
        [engine.follow(packed[i].tobytes(), D0[i], max_pattern_steps) for i in first]
    )
    outcome = outcome_u[inverse]
    n_cycled = int(np.sum(outcome == _FAIL))

    # Fallback for states whose pattern iteration cycles: damped Newton on
    # |G|^2 (G = tau F) from the state itself.  At each iterate, the pure
    # iteration from the current pattern is tried first (it is memoised);
    # otherwise a line search along the Newton direction, or along the
    # velocity (an Euler step) where the region's system is singular.
    todo = np.flatnonzero(outcome == _FAIL)
    if todo.size > max_fallback_states:
        # Far from equilibrium (e.g. chaotic networks) most chains wander;
        # an evenly spread subset bounds the cost of the slower fallback.
        todo = todo[np.linspace(0, todo.size - 1, max_fallback_states).astype(int)]
    if todo.size:
        R = X0[todo].copy()
        live = np.arange(todo.size)
        for _ in range(max_fallback_steps):
            if live.size == 0:
                break
            Rl = R[live]
            Ml = Rl @ W.T + c
            Dl = Ml > 0
            Gl = np.maximum(Ml, 0.0) - Rl
            delta = np.empty_like(Rl)
            done = np.zeros(live.size, bool)
            for j in range(live.size):
                key = engine.key(Dl[j])
                # A short chain only: long ones already failed from nearby.
                res = engine.follow(key, Dl[j], 5)
                if res != _FAIL:
                    outcome[todo[live[j]]] = res
                    done[j] = True
                    continue
                target = engine.node(key, Dl[j])[0]
                delta[j] = (target - Rl[j]) if target is not None else Gl[j]
            keep = ~done
            if not np.any(keep):
                live = live[keep]
                break
            q0 = np.sum(Gl[keep] ** 2, axis=1)
            alpha, _ = _line_search(W, c, Rl[keep], Ml[keep], delta[keep], q0, _ALPHAS)
            stuck = alpha == 0
            # A stalled descent is nudged by a few Euler steps of the flow,
            # which leaves the kink where Newton directions disagree.
            step = alpha[:, None] * delta[keep]
            idx = live[keep]
            R[idx] = Rl[keep] + step
            if np.any(stuck):
                s_idx = idx[stuck]
                for _e in range(5):
                    Ms = R[s_idx] @ W.T + c
                    R[s_idx] += 0.1 * (np.maximum(Ms, 0.0) - R[s_idx])
            live = idx

    # Neighbour exploration: fixed points of ReLU networks come in families
    # whose patterns differ in a unit or two (a stable point and the saddles
    # beside it).  Starting the iteration from flips of each known point's
    # pattern finds many that no initial state led to.
    n_explored = 0
    queue = list(range(len(engine.points)))
    while queue and n_explored < max_explored:
        m = W @ engine.points[queue.pop(0)] + c
        d = m > 0
        # Every single-unit flip, and every pair among the units closest to
        # their kink (the ones a nearby fixed point most likely differs in).
        near = np.argsort(np.abs(m), kind="stable")[:_PAIR_UNITS]
        flips = [(i,) for i in range(W.shape[0])]
        flips += [(i, j) for k, i in enumerate(near) for j in near[k + 1 :]]
        before = len(engine.points)
        for units in flips:
            e = d.copy()
            e[list(units)] ^= True
            engine.follow(engine.key(e), e, max_pattern_steps)
        queue.extend(range(before, len(engine.points)))
        n_explored += 1
    info = {
        "n_explored": n_explored,
        "n_patterns": len(engine.nodes),
        "n_solves": engine.n_solves,
        "n_cycled": n_cycled,
        "n_failed": int(np.sum(outcome == _FAIL)),
    }
    ok = outcome != _FAIL
    if not engine.points:
        return np.zeros((0, W.shape[0])), np.zeros(0, int), info
    pts = np.asarray(engine.points)
    hits = np.bincount(outcome[ok], minlength=len(pts))
    # Points no initial state ended at (met only as a side effect) are kept
    # too: they are verified fixed points all the same.
    return pts, hits, info


# ---------------------------------------------------------------------------
# Adam baseline (FixedPointFinder style)
# ---------------------------------------------------------------------------


class _AdaptiveRate:
    """Learning-rate schedule driven by the recent loss history.

    Lowered when the newest loss is worse than all of the previous
    ``patience`` ones, raised after ``patience`` steps of monotone
    improvement; at most one change per ``patience`` steps.
    """

    def __init__(self, rate: float, patience: int, decrease: float, increase: float):
        self.rate = rate
        self.patience = patience
        self.decrease = decrease
        self.increase = increase
        self.history: list[float] = []
        self.last_change = -1

    def update(self, loss: float) -> float:
        self.history.append(loss)
        step = len(self.history) - 1
        n = self.patience
        if step >= self.last_change + n and len(self.history) > n:
            window = np.asarray(self.history[-(n + 1) :])
            if np.all(window[-1] > window[:-1]):
                self.rate *= self.decrease
                self.last_change = step
            elif np.all(np.diff(window) < 0):
                self.rate *= self.increase
                self.last_change = step
        return self.rate


def _adam_search(
    W: np.ndarray, c: np.ndarray, tau: float, X0: np.ndarray, opts: Mapping[str, float]
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Joint Adam descent of the mean q over all initial states.

    As FixedPointFinder sees an RNN cell: the Euler map x -> (1-a) x + a
    relu(W x + c), a = dt / tau, with ``q_fpf = |x - cell(x)|^2 / 2``
    (= dt^2 q), the loss is the batch mean of q_fpf, and the run stops when
    every q_fpf < tol_q, every |dq| < tol_dq * rate, or after max_iters.
    """
    a = opts["dt"] / tau
    b1, b2, eps = opts["beta1"], opts["beta2"], opts["epsilon"]
    sched = _AdaptiveRate(
        opts["learning_rate"],
        int(opts["rate_patience"]),
        opts["rate_decrease"],
        opts["rate_increase"],
    )
    X = X0.copy()
    n = X.shape[0]
    mom = np.zeros_like(X)
    vel = np.zeros_like(X)
    q_prev = None
    it = 0
    q = np.full(n, np.inf)
    for it in range(1, int(opts["max_iters"]) + 1):
        M = X @ W.T + c
        G = np.maximum(M, 0.0) - X
        q = 0.5 * a * a * np.sum(G * G, axis=1)
        if np.all(q < opts["tol_q"]):
            break
        if q_prev is not None and np.all(np.abs(q_prev - q) < opts["tol_dq"] * sched.rate):
            break
        grad = a * a * (-G + ((M > 0) * G) @ W) / n
        mom = b1 * mom + (1 - b1) * grad
        vel = b2 * vel + (1 - b2) * grad * grad
        # The TensorFlow form of Adam: bias correction folded into the rate,
        # epsilon added to the uncorrected root second moment.
        step = sched.rate * np.sqrt(1 - b2**it) / (1 - b1**it)
        X -= step * mom / (np.sqrt(vel) + eps)
        sched.update(float(np.mean(q)))
        q_prev = q
    return X, q, {"n_iters": it, "final_rate": sched.rate}


# ---------------------------------------------------------------------------
# Public finders
# ---------------------------------------------------------------------------


def find_fixed_points(
    W_rec: np.ndarray,
    W_in: np.ndarray,
    b: np.ndarray,
    u: np.ndarray | None = None,
    *,
    tau: float,
    initial_states: np.ndarray,
    tol_unique: float | None = None,
    method: Literal["exact", "adam"] = "exact",
    residual_tol: float = 1e-10,
    max_pattern_steps: int = 30,
    max_fallback_steps: int = 50,
    max_fallback_states: int = 64,
    max_explored: int = 64,
    adam_options: Mapping[str, float] | None = None,
) -> PointSet:
    """Fixed points of the noise-free dynamics at constant input ``u``.

    ``method="exact"`` (default) iterates, from each initial state, pattern
    -> linear solve ``(I - D W_rec) r = D (W_in u + b)`` -> pattern of the
    solution until a pattern repeats; a solution whose residual
    ``|F(r)| <= residual_tol`` is a fixed point, exact to rounding.  Solves
    are memoised by pattern, so initial states that share a pattern, and
    chains that merge, cost nothing more.  Where the iteration cycles, a
    damped Newton descent of |F| from the initial state (with Euler steps
    where it stalls) takes over.  The patterns next to every point found
    (single and some paired unit flips) then seed further chains, which
    finds saddles beside stable points that no initial state led to.  Every
    returned point is verified, so precision is 1 by construction; recall
    depends on the initial states (1.0 against enumeration in the tests).

    ``method="adam"`` is the FixedPointFinder-style baseline: Adam on the
    kinetic energy of the Euler map from all initial states jointly, then
    deduplication with ``tol_unique`` and exclusion of points far from the
    initial states.  All its end points are returned; ``converged`` marks
    those that met ``tol_q``.

    Parameters
    ----------
    W_rec : ndarray, shape (N, N)
        Recurrent weights, ``W_rec[i, j]`` from unit j to unit i.
    W_in : ndarray, shape (N, n_inputs)
    b : ndarray, shape (N,)
    u : ndarray, shape (n_inputs,), optional
        The constant input; None for the autonomous network.
    tau : float
        Time constant in ms.
    initial_states : ndarray, shape (n_init, N)
        Starting states, e.g. from `sample_initial_states`.
    tol_unique : float, optional
        Points closer than this in every unit are one point.  Defaults to
        1e-6 for "exact" and 1e-3 (FixedPointFinder's value) for "adam".
    method : {"exact", "adam"}
    residual_tol : float, default 1e-10
        Largest |F| (1/ms) accepted as a fixed point by the exact method.
    max_pattern_steps : int, default 30
        Longest pattern chain before it is treated as cycling (Newton
        chains that converge do so in a few steps).
    max_fallback_steps : int, default 50
        Damped Newton iterations for states whose chain cycles.
    max_fallback_states : int, default 64
        At most this many such states (evenly spread) get the fallback.
    max_explored : int, default 64
        Fixed points whose neighbouring patterns seed further chains
        (breadth first, including points found that way): every single-unit
        flip, and every pair among the 12 units nearest their kink.  Costs up
        to N + 66 chains per point; 0 turns the exploration off.
    adam_options : mapping, optional
        Overrides of `ADAM_DEFAULTS` (``tol_q``, ``tol_dq``, ``max_iters``,
        ``learning_rate``, ``epsilon``, ``beta1``, ``beta2``, ``dt`` in ms,
        ``outlier_distance_scale``, and the rate schedule).

    Returns
    -------
    PointSet
        ``.table`` (one row per point), ``.locations`` (n_points, N),
        ``.patterns``, ``.eigenvalues``, ``.unstable_vectors``, ``.info``.
    """
    t0 = time.perf_counter()
    W = np.asarray(W_rec, dtype=float)
    c = np.asarray(_drive(W_in, b, u), dtype=float)
    X0 = np.atleast_2d(np.asarray(initial_states, dtype=float))
    if X0.shape[1] != W.shape[0]:
        raise ValueError(f"initial_states has {X0.shape[1]} units, W_rec has {W.shape[0]}")
    if method == "exact":
        tol = 1e-6 if tol_unique is None else tol_unique
        pts, hits, info = _exact_search(
            W,
            c,
            tau,
            X0,
            residual_tol,
            max_pattern_steps,
            max_fallback_steps,
            max_fallback_states,
            max_explored,
        )
        pts, hits = _dedupe(pts, hits, tol)
        converged = None
    elif method == "adam":
        opts = dict(ADAM_DEFAULTS)
        if adam_options:
            unknown = set(adam_options) - set(ADAM_DEFAULTS)
            if unknown:
                raise ValueError(f"unknown adam_options: {sorted(unknown)}")
            opts.update(adam_options)
        tol = 1e-3 if tol_unique is None else tol_unique
        X, q_fpf, info = _adam_search(W, c, tau, X0, opts)
        labels = _unique_groups(X, tol) if len(X) else np.zeros(0, int)
        k = int(labels.max()) + 1 if len(X) else 0
        # Representative of each group: its lowest-q member.
        rep = np.array(
            [np.flatnonzero(labels == g)[np.argmin(q_fpf[labels == g])] for g in range(k)],
            dtype=int,
        )
        pts = X[rep] if k else np.zeros((0, W.shape[0]))
        hits = np.bincount(labels, minlength=k)
        converged = q_fpf[rep] < opts["tol_q"] if k else np.zeros(0, bool)
        # Drop points far from where the search started, relative to the
        # spread of the initial states around their centroid.
        centre = X0.mean(axis=0)
        scale = np.mean(np.linalg.norm(X0 - centre, axis=1))
        if scale > 0 and k:
            near = np.linalg.norm(pts - centre, axis=1) / scale < opts["outlier_distance_scale"]
            pts, hits, converged = pts[near], hits[near], converged[near]
        info["n_failed"] = int(np.sum(q_fpf >= opts["tol_q"]))
    else:
        raise ValueError(f"method must be 'exact' or 'adam', got {method!r}")
    info.update(method=method, n_initial_states=int(X0.shape[0]))
    result = _describe(pts, hits, W, c, tau, method, converged=converged, info=info)
    result.info["elapsed_s"] = time.perf_counter() - t0
    return result


def enumerate_fixed_points(
    W_rec: np.ndarray,
    W_in: np.ndarray,
    b: np.ndarray,
    u: np.ndarray | None = None,
    *,
    tau: float,
    residual_tol: float = 1e-10,
    tol_unique: float = 1e-6,
    max_units: int = 12,
) -> PointSet:
    """All fixed points, by solving the linear system of every activation pattern.

    Ground truth for small networks: ``2^N`` patterns, each solved in one
    batched call.  A pattern whose solution reproduces it (residual
    ``|F| <= residual_tol``) contributes its fixed point.  Isolated fixed
    points only: a continuum of fixed points (singular block) is not listed.

    Parameters
    ----------
    W_rec, W_in, b, u, tau, residual_tol, tol_unique
        As in `find_fixed_points`.
    max_units : int, default 12
        Refuse larger networks (2^N solves).

    Returns
    -------
    PointSet
        ``n_hits`` counts the patterns that produced each point (more than
        one only for points on a ReLU kink).
    """
    t0 = time.perf_counter()
    W = np.asarray(W_rec, dtype=float)
    n = W.shape[0]
    if n > max_units:
        raise ValueError(f"enumeration needs N <= {max_units}, got {n}")
    c = np.asarray(_drive(W_in, b, u), dtype=float)
    codes = np.arange(2**n)
    D = ((codes[:, None] >> np.arange(n)) & 1).astype(bool)
    mats = np.eye(n) - D[:, :, None] * W
    rhs = D * c
    try:
        R = np.linalg.solve(mats, rhs[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:
        # A singular pattern somewhere: solve one by one and skip those.
        R = np.full((codes.size, n), np.nan)
        for i in range(codes.size):
            try:
                R[i] = np.linalg.solve(mats[i], rhs[i])
            except np.linalg.LinAlgError:
                pass
    ok = np.all(np.isfinite(R), axis=1)
    R = np.where(ok[:, None], R, 0.0)
    res = np.linalg.norm(np.maximum(R @ W.T + c, 0.0) - R, axis=1) / tau
    good = ok & (res <= residual_tol)
    pts, hits = _dedupe(R[good], np.ones(int(good.sum()), int), tol_unique)
    info = {"method": "enumerate", "n_patterns": int(codes.size)}
    result = _describe(pts, hits, W, c, tau, "enumerate", info=info)
    result.info["elapsed_s"] = time.perf_counter() - t0
    return result


def _polish(
    r: np.ndarray,
    W: np.ndarray,
    c: np.ndarray,
    kink_rel: float,
    fixed_gg: float,
    max_steps: int,
) -> tuple[np.ndarray, bool]:
    """Gauss-Newton on q restricted to the ReLU kinks the point sits on.

    Units with ``|m_i|`` within the kink band are held on their kink
    (``W_i . delta = -m_i``), where ReLU is zero on either side, so the
    residual G = tau F is linear along the constraint and the constrained
    Gauss-Newton step is exact.  This lands a stalled descent exactly on the
    kink minimum instead of zig-zagging across it.

    Returns the point and whether it reached q ~ 0 (a fixed point).
    """
    n = r.size
    eye = np.eye(n)
    for _ in range(max_steps):
        m = W @ r + c
        G = np.maximum(m, 0.0) - r
        gg = float(G @ G)
        if gg <= fixed_gg:
            return r, True
        band = kink_rel * (1.0 + np.abs(m).max())
        B = np.flatnonzero(np.abs(m) <= band)
        J0 = (m > band)[:, None] * W - eye
        try:
            lu = sla.lu_factor(J0, check_finite=False)
            step = -sla.lu_solve(lu, G, check_finite=False)
            if B.size:
                WB = W[B]
                # (J0^T J0)^-1 W_B^T from two triangular solves with J0's LU.
                Y = sla.lu_solve(
                    lu, sla.lu_solve(lu, WB.T, trans=1, check_finite=False), check_finite=False
                )
                lam = np.linalg.solve(WB @ Y, WB @ step + m[B])
                step = step - Y @ lam
        except (ValueError, np.linalg.LinAlgError):
            break
        if not np.all(np.isfinite(step)):
            break
        alpha, gg_new = _line_search(W, c, r[None], m[None], step[None], np.array([gg]), _ALPHAS)
        if alpha[0] == 0 or gg - gg_new[0] <= 1e-15 * gg:
            break
        r = r + alpha[0] * step
    return r, False


def find_slow_points(
    W_rec: np.ndarray,
    W_in: np.ndarray,
    b: np.ndarray,
    u: np.ndarray | None = None,
    *,
    tau: float,
    initial_states: np.ndarray,
    tol_unique: float = 1e-6,
    residual_tol: float = 1e-10,
    max_iter: int = 100,
    n_rounds: int = 5,
    stationarity_tol: float = 1e-6,
    kink_tol: float = 1e-9,
    cluster_tol: float = 1e-3,
    q_max: float | None = None,
) -> PointSet:
    """Local minima of q with q > 0 (slow points that are not fixed points).

    Inside one activation region q is an exact quadratic,
    ``|J (r - r_D)|^2 / 2`` with r_D the region's own (virtual) fixed point,
    so the Gauss-Newton step of that quadratic is the step to r_D.  Minima
    with q > 0 therefore lie on ReLU kinks.  The search runs in three stages:

    1. every initial state descends q along Gauss-Newton directions (memoised
       per pattern) with a line search that always includes the first kink
       on the way, so every accepted step decreases q;
    2. stalled end points are grouped (``cluster_tol``) and one per group is
       polished by Gauss-Newton constrained to the kinks it sits on, which
       lands exactly on the kink minimum;
    3. the polished point is a minimum when the smallest gradient over the
       one-sided slopes at its kinks vanishes (``stationarity_tol``);
       otherwise it steps down that gradient and is polished again, up to
       ``n_rounds`` times.

    End points with q ~ 0 are fixed points and are left to
    `find_fixed_points`.

    Parameters
    ----------
    W_rec, W_in, b, u, tau, initial_states
        As in `find_fixed_points`.
    tol_unique : float, default 1e-6
        Merge radius for the final minima (max-abs, rate units).
    residual_tol : float, default 1e-10
        End points with |F| at or below this (1/ms) are fixed points, dropped.
    max_iter : int, default 100
        Descent iterations in stage 1 and polishing steps per round.
    n_rounds : int, default 5
        Stationarity tests (and escapes) per group.
    stationarity_tol : float, default 1e-6
        A point is a minimum when its smallest gradient norm is below
        ``stationarity_tol * |F| * (1 + ||W_rec||_2) / tau`` (scale-free).
    kink_tol : float, default 1e-9
        Units with ``|m_i| <= kink_tol * (1 + max |m|)`` sit on their kink.
    cluster_tol : float, default 1e-3
        Stalled descents closer than this are polished once, together.
    q_max : float, optional
        Drop minima with q above this (1/ms^2).

    Returns
    -------
    PointSet
        As `find_fixed_points`; ``grad_norm`` is the smallest one-sided
        gradient norm (1/ms^3), ``hessian_min_eig`` the smallest eigenvalue
        of J^T J with the m > 0 convention (1/ms^2), ``n_hits`` the initial
        states whose descent ended there.
    """
    t0 = time.perf_counter()
    W = np.asarray(W_rec, dtype=float)
    c = np.asarray(_drive(W_in, b, u), dtype=float)
    R = np.atleast_2d(np.asarray(initial_states, dtype=float)).copy()
    n_init, n = R.shape
    engine = _PatternNewton(W, c, tau, residual_tol)
    fixed_gg = (residual_tol * tau) ** 2  # |G|^2 at the fixed-point threshold

    # Stage 1: vectorised Gauss-Newton descent from every initial state.
    to_fixed = np.zeros(n_init, bool)
    live = np.arange(n_init)
    for _ in range(max_iter):
        if live.size == 0:
            break
        Rl = R[live]
        Ml = Rl @ W.T + c
        Gl = np.maximum(Ml, 0.0) - Rl
        gg = np.sum(Gl * Gl, axis=1)
        fixed = gg <= fixed_gg
        to_fixed[live[fixed]] = True
        keep = ~fixed
        live, Rl, Ml, Gl, gg = live[keep], Rl[keep], Ml[keep], Gl[keep], gg[keep]
        if live.size == 0:
            break
        Dl = Ml > 0
        delta = np.empty_like(Rl)
        for j in range(live.size):
            target = engine.node(engine.key(Dl[j]), Dl[j])[0]
            delta[j] = (target - Rl[j]) if target is not None else Gl[j]
        alpha, gg_new = _line_search(W, c, Rl, Ml, delta, gg, _ALPHAS)
        R[live] = Rl + alpha[:, None] * delta
        # Stalled: no step helps, or the decrease is at rounding level.
        live = live[(alpha > 0) & (gg - gg_new > 1e-14 * gg)]
    # Catch states whose final step reached q ~ 0.
    G_end = np.maximum(R @ W.T + c, 0.0) - R
    to_fixed |= np.sum(G_end * G_end, axis=1) <= fixed_gg
    stalled = np.flatnonzero(~to_fixed)

    # Stage 2 and 3: polish one representative per group of stalled ends.
    w_norm = float(np.linalg.norm(W, 2))
    labels = _unique_groups(R[stalled], cluster_tol) if stalled.size else np.zeros(0, int)
    n_groups = int(labels.max()) + 1 if stalled.size else 0
    minima: list[np.ndarray] = []
    minima_hits: list[int] = []
    minima_grad: list[float] = []
    n_groups_fixed = n_groups_failed = 0
    for g in range(n_groups):
        members = stalled[labels == g]
        r = R[members[np.argmin(np.sum(G_end[members] ** 2, axis=1))]].copy()
        outcome = "failed"
        for _ in range(n_rounds):
            r, is_fixed = _polish(r, W, c, kink_tol, fixed_gg, max_iter)
            if is_fixed:
                outcome = "fixed"
                break
            m = W @ r + c
            F = (np.maximum(m, 0.0) - r) / tau
            fn = float(np.linalg.norm(F))
            band = kink_tol * (1.0 + np.abs(m).max())
            gn, slopes = _min_norm_gradient(r, m, W, tau, band)
            scale = fn * (1.0 + w_norm) / tau
            if gn <= stationarity_tol * scale:
                outcome = "minimum"
                break
            # Not stationary: step down the smallest one-sided gradient, with
            # steps scaled by where its linear model would reach q = 0.
            grad = (-F + (slopes * F) @ W) / tau
            q0 = 0.5 * fn * fn
            trial = r - (q0 / max(float(grad @ grad), 1e-300)) * _ALPHAS[:, None] * grad
            Gt = np.maximum(trial @ W.T + c, 0.0) - trial
            qt = 0.5 * np.sum(Gt * Gt, axis=1) / tau**2
            k = int(np.argmin(qt))
            if qt[k] >= q0:
                break
            r = trial[k]
        if outcome == "minimum":
            minima.append(r)
            minima_hits.append(int(members.size))
            minima_grad.append(gn)
        elif outcome == "fixed":
            n_groups_fixed += 1
        else:
            n_groups_failed += 1

    pts = np.asarray(minima).reshape(-1, n)
    hits = np.asarray(minima_hits, dtype=int)
    grads = np.asarray(minima_grad, dtype=float)
    if q_max is not None and pts.shape[0]:
        Fp = (np.maximum(pts @ W.T + c, 0.0) - pts) / tau
        sel = 0.5 * np.sum(Fp * Fp, axis=1) <= q_max
        pts, hits, grads = pts[sel], hits[sel], grads[sel]
    if pts.shape[0]:
        labels = _unique_groups(pts, tol_unique)
        k = int(labels.max()) + 1
        rep = np.array([np.flatnonzero(labels == g)[0] for g in range(k)], dtype=int)
        pts, grads = pts[rep], grads[rep]
        hits = np.bincount(labels, weights=hits, minlength=k).astype(int)
    info = {
        "method": "slow",
        "n_initial_states": n_init,
        "n_to_fixed_point": int(to_fixed.sum()),
        "n_stalled": int(stalled.size),
        "n_groups": n_groups,
        "n_groups_fixed": n_groups_fixed,
        "n_groups_failed": n_groups_failed,
        "n_solves": engine.n_solves,
    }
    result = _describe(pts, hits, W, c, tau, "slow", grad_norm=grads, hessian=True, info=info)
    result.info["elapsed_s"] = time.perf_counter() - t0
    return result


def match_points(
    found: np.ndarray, reference: np.ndarray, tol: float
) -> tuple[float, float, np.ndarray]:
    """Recall and precision of ``found`` against ``reference`` points.

    Parameters
    ----------
    found : ndarray, shape (n_found, N)
    reference : ndarray, shape (n_ref, N)
    tol : float
        Two points match when they differ by at most ``tol`` in every unit.

    Returns
    -------
    recall : float
        Fraction of reference points with a found point within ``tol``
        (1.0 when there is no reference point).
    precision : float
        Fraction of found points with a reference point within ``tol``
        (1.0 when nothing was found).
    matched : ndarray of bool, shape (n_ref,)
        Which reference points were found.
    """
    found = np.atleast_2d(np.asarray(found, dtype=float))
    reference = np.atleast_2d(np.asarray(reference, dtype=float))
    if reference.shape[0] == 0:
        return 1.0, float(found.shape[0] == 0), np.zeros(0, bool)
    if found.shape[0] == 0:
        return 0.0, 1.0, np.zeros(reference.shape[0], bool)
    d_ref, _ = cKDTree(found).query(reference, p=np.inf)
    d_found, _ = cKDTree(reference).query(found, p=np.inf)
    matched = d_ref <= tol
    return float(matched.mean()), float(np.mean(d_found <= tol)), matched
