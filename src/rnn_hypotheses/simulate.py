"""NumPy simulation of a saved network, with any leaky-ReLU slope and noise on or off."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .network import Network
from .seeding import rng_for


def leaky_relu(x: np.ndarray, theta: float = 0.0) -> np.ndarray:
    """The report's activation family (Fig. 5): slope 1 for x > 0, tan(theta) below.

    theta = 0 is the ReLU, theta = pi/4 the identity.
    """
    if theta == 0.0:
        return np.maximum(x, 0.0)
    return np.where(x > 0.0, x, np.tan(theta) * x)


def draw_noise(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Standard normal draws xi_t used by :func:`simulate` for ``noise_seed=seed``."""
    return np.random.default_rng(seed).standard_normal(shape, dtype=np.float32)


def input_onset(time_ms: ArrayLike) -> int:
    """Steps of a simulation's baseline: those at or before its input starts (time <= 0).

    ``sim_{state}.npz`` holds each trial's baseline (``simulation.baseline_ms`` at
    u = 0) and its input period, with time measured from the input's onset: the
    first input step is at ``dt``, the baseline's steps at ``-baseline_ms + dt .. 0``.
    """
    return int(np.count_nonzero(np.asarray(time_ms) <= 0))


def simulation_noise(task: str, seed: int, shape: tuple[int, int, int], enabled: bool
                     ) -> NDArray[np.float32] | None:
    """The standard-normal draws behind ``sim_{state}.npz`` (rule simulate).

    One stream, ``rng_for(task, seed, "sim_noise")``, for the simulate rule and for
    every later re-simulation (another activation on exactly the inputs and noise
    of the stored simulation); callers check that theta = 0 reproduces it.

    Parameters
    ----------
    task : str
    seed : int
        The network's seed.
    shape : tuple (time, trial, unit)
    enabled : bool
        ``simulation.noise`` of the config; False gives None (noise off).

    Returns
    -------
    ndarray of float32, shape ``shape``, or None.
    """
    if not enabled:
        return None
    return rng_for(task, seed, "sim_noise").standard_normal(shape, dtype=np.float32)


def simulate(
    network: Network,
    inputs: np.ndarray,
    *,
    noise_seed: int | None = None,
    theta: float = 0.0,
    r0: np.ndarray | None = None,
    noise: np.ndarray | None = None,
    W_rec: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Run the Euler-discretised CTRNN.

    r_t = (1 - a) r_{t-1} + a f(m_t),  m_t = W_rec r_{t-1} + W_in u_t + b + sqrt(2 sigma^2/a) xi_t

    Parameters
    ----------
    network : Network
    inputs : ndarray, shape (time, trial, n_inputs)
    noise_seed : int or None
        Seed of the noise xi (see :func:`draw_noise`); None switches noise off.
    theta : float
        Leaky-ReLU angle in radians (0: ReLU, pi/4: linear).
    r0 : ndarray, shape (trial, N) or (N,), optional
        Initial rates; zero by default.
    noise : ndarray, shape (time, trial, N), optional
        Explicit standard-normal draws, overriding ``noise_seed``.
    W_rec : ndarray, shape (N, N), optional
        Recurrent weights to use instead of ``network.W_rec`` (e.g. W_rec_init).

    Returns
    -------
    r : ndarray, shape (time, trial, N)
        Rates after each step.
    m : ndarray, shape (time, trial, N)
        Pre-activations that produced them.
    """
    inputs = _checked_inputs(network, inputs)
    n_steps, n_trials, _ = inputs.shape
    N = network.n_units
    if noise is None and noise_seed is not None:
        noise = draw_noise((n_steps, n_trials, N), noise_seed)
    rates = np.empty((n_steps, n_trials, N))
    pre = np.empty((n_steps, n_trials, N))
    for t, (r, m) in enumerate(_euler_steps(network, inputs, noise, W_rec, theta, r0)):
        rates[t] = r
        pre[t] = m
    return rates, pre


def simulate_readout(network: Network, inputs: np.ndarray, *, noise: np.ndarray | None = None,
                     W_rec: np.ndarray | None = None) -> np.ndarray:
    """The output z = W_out r of :func:`simulate` with ReLU, without keeping r or m.

    The same numbers as ``readout(network, simulate(network, inputs, noise=noise,
    W_rec=W_rec)[0])``,
    bit for bit: every step runs the same operations on the same slices (NumPy's
    ``matmul`` of a stack works slice by slice), but only one step's rates are held,
    so a large batch (the evaluation's thousands of trials) needs no memory of
    ``time x trial x N``.

    Parameters
    ----------
    network : Network
    inputs : ndarray, shape (time, trial, n_inputs)
    noise : ndarray, shape (time, trial, N), optional
        Standard-normal draws, as for :func:`simulate`; None switches noise off.
    W_rec : ndarray, shape (N, N), optional
        Recurrent weights to use instead of ``network.W_rec``.

    Returns
    -------
    ndarray, shape (time, trial, n_outputs)
    """
    inputs = _checked_inputs(network, inputs)
    z = np.empty((*inputs.shape[:2], network.W_out.shape[0]))
    W_out_T = network.W_out.T
    for t, (r, _) in enumerate(_euler_steps(network, inputs, noise, W_rec)):
        z[t] = r @ W_out_T
    return z


def _checked_inputs(network: Network, inputs: np.ndarray) -> np.ndarray:
    inputs = np.asarray(inputs, dtype=np.float64)
    if inputs.ndim != 3 or inputs.shape[2] != network.W_in.shape[1]:
        raise ValueError(f"inputs must be (time, trial, {network.W_in.shape[1]}), "
                         f"got {inputs.shape}")
    return inputs


def _euler_steps(network: Network, inputs: np.ndarray, noise: np.ndarray | None,
                 W_rec: np.ndarray | None = None, theta: float = 0.0,
                 r0: np.ndarray | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The Euler steps of :func:`simulate`, one at a time: (r_t, m_t), each (trial, N).

    Each step's drive comes from its own slice of ``inputs`` and ``noise`` (NumPy's
    matmul of a stack works slice by slice, so these are the numbers of a drive computed
    for all steps at once); the yielded rates are overwritten by the next step's.
    """
    n_trials, N = inputs.shape[1], network.n_units
    W_in_T = network.W_in.T.astype(np.float64)
    b = network.b.astype(np.float64)
    W = network.W_rec if W_rec is None else W_rec
    W_T = np.ascontiguousarray(np.asarray(W, dtype=np.float64).T)
    a = network.alpha
    r = np.zeros((n_trials, N)) if r0 is None else np.broadcast_to(r0, (n_trials, N)).astype(
        np.float64)
    for t in range(inputs.shape[0]):
        drive = inputs[t] @ W_in_T + b
        if noise is not None:
            drive = drive + network.noise_scale * np.asarray(noise[t], dtype=np.float64)
        m = r @ W_T + drive
        r = (1.0 - a) * r + a * leaky_relu(m, theta)
        yield r, m


def readout(network: Network, r: np.ndarray) -> np.ndarray:
    """Network output z = W_out r, shape (time, trial, n_outputs)."""
    return r @ network.W_out.T


def largest_finite(values: np.ndarray) -> float:
    """The largest finite absolute value (NaN if there is none): how far a run diverged."""
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size else float("nan")
