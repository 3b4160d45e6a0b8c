"""A FixedPointFinder-style baseline: Adam on the kinetic energy q (Golub & Sussillo 2018)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

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
