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
    stream: str | None = None,
) -> Network:
    """Draw the untrained network of one (task, seed).

    W_rec and W_out have standard deviation g / sqrt(N) (the report writes
    "variance 1/sqrt(N)"; see the README's deviations), W_in and b have
    standard deviation ``input_std``. The diagonal of W_rec is zero.

    ``stream`` names the task whose random stream draws the weights (default ``task``):
    a task configured with ``init: {like: <other>}`` draws bitwise the network that
    ``<other>`` draws for the same seed, while ``meta["task"]`` still names ``task``.
    """
    rng = rng_for(task if stream is None else stream, seed, "init")
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


def transplanted(network: Network, W_rec: np.ndarray, meta: dict) -> Network:
    """``network`` starting from another recurrent matrix: ``W_rec`` (diagonal set to zero,
    as the model has no self-connections) becomes both W_rec and W_rec_init, and ``meta``
    is added to the network's meta; W_in, W_out and b stay the network's own."""
    W = (np.asarray(W_rec, dtype=np.float64) * network.mask).astype(np.float32)
    return Network(network.W_in, network.W_out, network.b, W, W.copy(), network.mask,
                   network.dt, network.tau, network.sigma, {**network.meta, **meta})


def low_rank_transplant(network: Network, source: Network, rank: int) -> Network:
    """``network`` plus the rank-``rank`` part of ``source``'s training change.

    W_rec_init becomes ``W_random + [dW]_r`` with its diagonal set to zero, where
    ``W_random`` is ``network``'s own draw and ``[dW]_r`` is the best rank-r approximation
    (truncated SVD, Eckart-Young) of ``dW = source.W_rec - source.W_rec_init``: the few
    directions in which training moved the source network, which carry its task's slow
    points (Schuessler et al. 2020), on a fresh random bulk.

    Parameters
    ----------
    network : Network
        The untrained network, shape (N, N).
    source : Network
        A trained network of the same size.
    rank : int, 1 <= rank <= N

    Returns
    -------
    Network
        The transplanted network; its meta records ``init_dW_norm`` (||[dW]_r||_F) and
        ``init_dW_share`` (the share of ||dW||_F^2 it holds).
    """
    from .analysis.connectivity import truncate_rank  # SciPy's import only where needed

    _same_size(network, source)
    if not 1 <= rank <= network.n_units:
        raise ValueError(f"rank must lie in 1..{network.n_units}, got {rank}")
    dW = np.asarray(source.W_rec, np.float64) - np.asarray(source.W_rec_init, np.float64)
    part = truncate_rank(dW, rank)
    total = float(np.sum(dW**2))
    record = {"init_dW_norm": float(np.linalg.norm(part)),
              "init_dW_share": float(np.sum(part**2) / total) if total > 0 else float("nan")}
    return transplanted(network, np.asarray(network.W_rec, np.float64) + part, record)


def trained_transplant(network: Network, source: Network) -> Network:
    """``network`` whose W_rec starts as ``source``'s trained W_rec (zero diagonal); W_in,
    W_out and b stay ``network``'s own draw."""
    _same_size(network, source)
    return transplanted(network, source.W_rec, {})


def _same_size(network: Network, source: Network) -> None:
    if source.W_rec.shape != network.W_rec.shape:
        raise ValueError(f"the source network has {source.n_units} units, this one "
                         f"{network.n_units}: a transplant needs networks of one size")
