"""The parameters of one continuous-time ReLU RNN and their initialisation.

Kept free of TensorFlow so that simulation and analysis can load networks
without importing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .seeding import rng_for


@dataclass
class Network:
    """Parameters of r_t = (1-a) r_{t-1} + a f(W_rec r_{t-1} + W_in u_t + b + noise).

    Attributes
    ----------
    W_in : ndarray, shape (N, n_inputs)
    W_out : ndarray, shape (n_outputs, N)
    b : ndarray, shape (N,)
    W_rec : ndarray, shape (N, N)
        ``W_rec[i, j]`` is the weight from unit j to unit i; zero diagonal.
    W_rec_init : ndarray, shape (N, N)
        W_rec before training.
    mask : ndarray, shape (N, N)
        1 where W_rec may change, 0 on the diagonal.
    dt, tau : float
        Euler step and time constant in ms.
    sigma : float
        Noise strength (the report's sigma).
    meta : dict
        Scalars describing where the network came from (task, seed, g, ...).
    """

    W_in: np.ndarray
    W_out: np.ndarray
    b: np.ndarray
    W_rec: np.ndarray
    W_rec_init: np.ndarray
    mask: np.ndarray
    dt: float
    tau: float
    sigma: float
    meta: dict = field(default_factory=dict)

    @property
    def n_units(self) -> int:
        return self.W_rec.shape[0]

    @property
    def alpha(self) -> float:
        """Euler factor a = dt / tau."""
        return self.dt / self.tau

    @property
    def noise_scale(self) -> float:
        """Standard deviation of the noise added to the pre-activation per step,
        sqrt(2 sigma^2 / a) (report, section 2)."""
        return float(np.sqrt(2.0 * self.sigma**2 / self.alpha))

    def recurrent_weights(self, state: str) -> np.ndarray:
        """W_rec of the network in ``state``: ``"untrained"`` or ``"trained"``."""
        if state not in ("untrained", "trained"):
            raise ValueError(f"state must be 'untrained' or 'trained', got {state!r}")
        return self.W_rec_init if state == "untrained" else self.W_rec

    def with_weights(self, W_rec: np.ndarray) -> Network:
        """A copy with another recurrent matrix (e.g. a training snapshot)."""
        return Network(self.W_in, self.W_out, self.b, np.asarray(W_rec), self.W_rec_init,
                       self.mask, self.dt, self.tau, self.sigma, dict(self.meta))


def initialise_network(
    *,
    task: str,
    seed: int,
    n_units: int,
    n_inputs: int,
    n_outputs: int,
    g: float,
    input_std: float,
    dt: float,
    tau: float,
    sigma: float,
) -> Network:
    """Draw the untrained network of one (task, seed).

    W_rec and W_out have standard deviation g / sqrt(N) (the report writes
    "variance 1/sqrt(N)"; see the README's deviations), W_in and b have
    standard deviation ``input_std``. The diagonal of W_rec is zero.
    """
    rng = rng_for(task, seed, "init")
    scale = g / np.sqrt(n_units)
    W_rec = rng.normal(0.0, scale, (n_units, n_units))
    mask = 1.0 - np.eye(n_units)
    W_rec *= mask
    W_out = rng.normal(0.0, scale, (n_outputs, n_units))
    W_in = rng.normal(0.0, input_std, (n_units, n_inputs))
    b = rng.normal(0.0, input_std, n_units)
    f32 = np.float32
    meta = {"task": task, "seed": int(seed), "g": float(g), "input_std": float(input_std)}
    return Network(W_in.astype(f32), W_out.astype(f32), b.astype(f32), W_rec.astype(f32),
                   W_rec.astype(f32), mask.astype(f32), float(dt), float(tau), float(sigma), meta)
