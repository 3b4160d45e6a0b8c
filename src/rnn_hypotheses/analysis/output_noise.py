"""How much of the noise at a stable fixed point reaches the readout (report, third hypothesis).

The report's third hypothesis says the dynamics of the computation move away from
the readout. One reading of it is about noise: if training makes the fluctuations
around the network's stable states *output-null*, the readout ``z = W_out r`` sees
less of them than a random readout of the same norm would.

Around a fixed point ``r*`` the Euler dynamics of the model, linearised, are

    e_{t+1} = A e_t + a D s xi_t,   A = (1 - a) I + a D W_rec,

with ``e = r - r*``, ``a = dt / tau``, ``D = diag(m* > 0)`` (the units active at
the point: noise enters the pre-activation, and inactive units pass none of it),
``s`` the per-step noise scale and ``xi`` standard normal. For a stable point
(spectral radius of ``A`` below 1) the stationary covariance solves the discrete
Lyapunov equation ``S = A S A^T + D`` (up to the factor ``a^2 s^2``, which cancels
below). The readout's share of the noise is

    share = (w S w^T) / (|w|^2 tr(S) / N),

the output variance over its mean over readouts of the same norm drawn uniformly
from the sphere: 1 for a readout that sees the noise like a random one, below 1
for an output-null arrangement, above 1 where the noise concentrates on the readout.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.linalg import solve_discrete_lyapunov

__all__ = ["readout_noise_share", "stationary_noise_covariance"]


def stationary_noise_covariance(W_rec: ArrayLike, active: ArrayLike, alpha: float
                                ) -> np.ndarray:
    """Stationary covariance of the linearised noisy dynamics at a fixed point, up to scale.

    Parameters
    ----------
    W_rec : array, shape (N, N)
    active : array of bool, shape (N,)
        Units whose pre-activation is positive at the point.
    alpha : float
        dt / tau.

    Returns
    -------
    ndarray, shape (N, N)
        ``S`` with ``S = A S A^T + D``, in units of the per-step noise variance
        ``a^2 s^2``; NaN everywhere when the point is not stable (spectral radius of
        ``A`` at least 1), where no stationary state exists.
    """
    W = np.asarray(W_rec, dtype=float)
    d = np.asarray(active, dtype=float)
    n = W.shape[0]
    transition = (1.0 - alpha) * np.eye(n) + alpha * d[:, None] * W
    if np.max(np.abs(np.linalg.eigvals(transition))) >= 1.0:
        return np.full((n, n), np.nan)
    return solve_discrete_lyapunov(transition, np.diag(d))


def readout_noise_share(W_rec: ArrayLike, W_out: ArrayLike, active: ArrayLike,
                        alpha: float) -> float:
    """The readout's share of the stationary noise at a fixed point, against a random one.

    Parameters
    ----------
    W_rec : array, shape (N, N)
    W_out : array, shape (1, N) or (N,)
        The readout (one output).
    active : array of bool, shape (N,)
    alpha : float
        dt / tau.

    Returns
    -------
    float
        ``w S w^T / (|w|^2 tr(S) / N)``: 1 for a readout that sees the noise as a random
        direction does, below 1 for output-null noise. NaN for an unstable point or when
        no unit is active (no noise reaches the network).
    """
    w = np.asarray(W_out, dtype=float).ravel()
    S = stationary_noise_covariance(W_rec, active, alpha)
    total = np.trace(S)
    if not np.isfinite(total) or total <= 0:
        return float("nan")
    return float(w @ S @ w / (w @ w * total / w.size))
