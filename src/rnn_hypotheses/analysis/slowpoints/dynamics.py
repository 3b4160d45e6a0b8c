"""The noise-free dynamics of a ReLU CTRNN at a constant input, and its kinetic energy.

    F(r) = (-r + relu(W_rec r + W_in u + b)) / tau,    q(r) = |F(r)|^2 / 2,

with ``tau`` in ms, so ``F`` is a velocity in 1/ms. Because ReLU's second
derivative vanishes away from its kink, the Hessian of q is ``J^T J`` with
``J = (-I + D W_rec) / tau`` and ``D`` the diagonal 0/1 activation pattern.
ReLU's derivative at exactly zero pre-activation is taken as 0 (``m_k <= 0``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Dynamics:
    """One network's noise-free dynamics: W_rec, W_in, b and tau.

    Attributes
    ----------
    W_rec : ndarray, shape (N, N)
        ``W_rec[i, j]`` is the weight from unit j to unit i.
    W_in : ndarray, shape (N, n_inputs)
    b : ndarray, shape (N,)
    tau : float
        Time constant in ms.

    States are rows: a batch of states has shape (..., N); an input ``u`` has
    shape (n_inputs,) or (..., n_inputs), and None means no input.
    """

    W_rec: np.ndarray
    W_in: np.ndarray
    b: np.ndarray
    tau: float

    def __post_init__(self) -> None:
        for name in ("W_rec", "W_in", "b"):
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=float))
        object.__setattr__(self, "tau", float(self.tau))

    @classmethod
    def of_network(cls, network, state: str) -> Dynamics:
        """The dynamics of a :class:`~rnn_hypotheses.network.Network` in ``state``."""
        return cls(network.recurrent_weights(state), network.W_in, network.b, network.tau)

    @property
    def n_units(self) -> int:
        return self.W_rec.shape[0]

    def drive(self, u: np.ndarray | None = None) -> np.ndarray:
        """Constant part of the pre-activation, ``W_in u + b``, shape (..., N)."""
        if u is None:
            return self.b
        u = np.atleast_1d(np.asarray(u, dtype=float))
        return u @ self.W_in.T + self.b

    def preactivation(self, r: np.ndarray, u: np.ndarray | None = None) -> np.ndarray:
        """Noise-free pre-activation ``m = W_rec r + W_in u + b``, shape (..., N)."""
        return np.asarray(r, dtype=float) @ self.W_rec.T + self.drive(u)

    def velocity(self, r: np.ndarray, u: np.ndarray | None = None) -> np.ndarray:
        """``F(r)``, shape (..., N), in 1/ms."""
        r = np.asarray(r, dtype=float)
        return (np.maximum(self.preactivation(r, u), 0.0) - r) / self.tau

    def jacobian(self, r: np.ndarray, u: np.ndarray | None = None) -> np.ndarray:
        """``J[..., k, i] = dF_k / dr_i = (-delta_ki + [m_k > 0] W_rec[k, i]) / tau``,
        shape (..., N, N), in 1/ms."""
        return linearised_jacobian(self.W_rec, self.preactivation(r, u) > 0, self.tau)

    def kinetic_energy(self, r: np.ndarray, u: np.ndarray | None = None) -> np.ndarray:
        """``q = |F(r)|^2 / 2``, shape (...), in 1/ms^2."""
        F = self.velocity(r, u)
        return 0.5 * np.sum(F * F, axis=-1)

    def kinetic_energy_grad(self, r: np.ndarray, u: np.ndarray | None = None) -> np.ndarray:
        """``dq/dr = J^T F = (-F + W_rec^T (d * F)) / tau``, shape (..., N), without forming
        J; in 1/ms^2 per rate unit."""
        r = np.asarray(r, dtype=float)
        m = self.preactivation(r, u)
        F = (np.maximum(m, 0.0) - r) / self.tau
        return (-F + ((m > 0) * F) @ self.W_rec) / self.tau

    def kinetic_energy_hessian(self, r: np.ndarray, u: np.ndarray | None = None) -> np.ndarray:
        """``J^T J``, shape (..., N, N): symmetric positive semi-definite, 1/ms^2."""
        J = self.jacobian(r, u)
        return np.swapaxes(J, -1, -2) @ J


def linearised_jacobian(W_rec: np.ndarray, active: np.ndarray, tau: float) -> np.ndarray:
    """``J = (-I + D W_rec) / tau`` in 1/ms, ``D = diag(active)``: the Jacobian of the
    rate dynamics where the units ``active`` (bool, shape (..., N)) have a positive
    pre-activation; shape (..., N, N)."""
    active = np.asarray(active, dtype=bool)
    return (active[..., :, None] * W_rec - np.eye(W_rec.shape[-1])) / tau
