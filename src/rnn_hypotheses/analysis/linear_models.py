"""Linear models fitted to the dynamics near stable fixed points (report, section 6, question 7).

The report asks what linear models fitted to the "slow" dynamics teach us. Near a
stable fixed point ``x*`` of a constant input ``u*`` the Euler dynamics of the
network, linearised, are

    x_{t+1} - x* = M (x_t - x*) + noise,    M = I + dt J = (1 - a) I + a D W_rec,

with ``J = (-I + D W_rec) / tau`` the Jacobian (1/ms), ``D`` the units active at the
point, ``a = dt / tau``. This module fits such a map by least squares to the noisy
trials of the network held at ``u*`` and asks two things of it:

- does the fitted map equal the Jacobian's (:func:`compare_with_jacobian`)? It must,
  up to sampling error, where the trials stay inside the point's activation region;
  the noise pushes a few units across their ReLU kink at every step, and a fit to the
  responses of the network linearised at the point under the same noise
  (:func:`linearised_response`) tells the sampling error from what the kinks change;
- how far from the point does it predict the next 100 ms within a stated error
  (:func:`path_errors`, :func:`valid_radius`), and how far does the Jacobian's map?

Why a principal subspace. The states near a point are thousands of samples of a 128-
or 256-dimensional state, too few for the ``N^2`` entries of a full map.
:class:`LinearDynamicsFit` fits ``A`` (``k x k``) in the ``k`` leading principal
directions ``P`` of the deviations ``x_t - x*``. For that choice the least-squares
``A`` estimates ``P M P^T``, the Jacobian's map compressed to the subspace, without
bias from the directions left out: the sample covariance of the leading coordinates
with the rest is zero, so the rest cannot leak into ``A``. Without noise and inside
one activation region the fit therefore returns ``P M P^T`` exactly, for any ``k``;
that is the module's test. The leading principal directions of noise-driven
deviations are the slow and the most amplified ones (the variance of a mode grows as
``1 / (1 - |mu|^2)`` for its map eigenvalue ``mu``), which is what "the slow dynamics"
means here. Their covariance is diagonal with the ``k`` largest eigenvalues, so no
ridge is needed once ``k`` leaves out the directions without variance.

Why an offset. Units near their kink rectify the noise, which moves the mean of the
noisy states away from ``x*`` (by a third of their typical distance from it in the
trained decision networks). A map without offset must hold that displacement in place
and can only do so with an eigenvalue near 1: in those networks it reports a slowest
rate of -0.5/s where the Jacobian has -4/s. With an offset (:class:`LinearDynamicsFit`,
``fit_offset``) the slope is fitted about the data's mean, and the offset records the
displacement.

Units: rates (the state) are dimensionless; time in ms; eigenvalues of ``J`` and of
the fitted ``(A - I) / dt`` in 1/s in the tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linear_sum_assignment

from ..claims import STATES, ClaimSpec, evaluate_claims
from ..network import Network
from ..simulate import simulate
from .slowpoints import Dynamics

__all__ = [
    "LINEAR_MODEL_COLUMNS",
    "LinearDynamicsFit",
    "LinearModelSettings",
    "added_trials",
    "analyse_network",
    "analyse_point",
    "compare_with_jacobian",
    "euler_map",
    "jacobian_paths",
    "linearised_response",
    "matched_eigenvalues",
    "network_paths",
    "path_errors",
    "relative_frobenius_error",
    "valid_radius",
]

PER_SECOND = 1000.0
"""Rates are computed in 1/ms; tables show 1/s."""


def euler_map(jacobian: ArrayLike, dt: float) -> NDArray[np.float64]:
    """The Euler step's map of deviations, ``I + dt J``.

    Parameters
    ----------
    jacobian : array, shape (N, N)
        Continuous-time Jacobian, 1/ms.
    dt : float
        Euler step, ms.

    Returns
    -------
    ndarray, shape (N, N)
    """
    J = np.asarray(jacobian, dtype=float)
    return np.eye(J.shape[0]) + dt * J


class LinearDynamicsFit:
    """Least-squares affine map of deviations from a fixed point, in their principal subspace.

    The model is ``z_{t+1} = A z_t + c`` with ``z_t = P (x_t - x*)``; ``P`` holds the
    ``k`` leading principal directions of the deviations ``x_t - x*``, ``A`` and ``c``
    minimise ``sum_t |z_{t+1} - A z_t - c|^2``. With ``fit_offset=False``, ``c = 0``
    and the principal directions are those of the second moment about ``x*``.

    Parameters
    ----------
    center : array, shape (N,)
        The fixed point ``x*`` (rates).
    n_components : int
        ``k``; fewer when the deviations have fewer directions with variance (a
        direction counts when its variance exceeds ``rank_tolerance`` times the
        largest).
    fit_offset : bool
        Fit ``c``. A noise-driven network whose units cross their ReLU kink near the
        point does not fluctuate about ``x*``: rectification moves the mean of its
        states away, and a map without offset must then hold that displacement in
        place, which it can only do with an eigenvalue near 1 (a spurious slow mode).
    rank_tolerance : float
        See ``n_components``: directions below it hold rounding error only (the
        variances of an N x N scatter matrix are exact to about 1e-16 of the largest),
        and fitting them would divide by it.
    components : array, shape (k, N), optional
        Orthonormal rows: fit in this subspace instead of the deviations' principal one
        (e.g. another fit's ``components_``, to fit other responses to the same states
        in the same coordinates); ``n_components`` is then ignored.

    Attributes
    ----------
    components_ : ndarray, shape (k, N)
        Orthonormal rows ``P``.
    transition_ : ndarray, shape (k, k)
        ``A``.
    offset_ : ndarray, shape (k,)
        ``c`` (rates per step; zeros without ``fit_offset``).
    explained_share_ : float
        Share of the deviations' variance (second moment about ``x*`` without
        ``fit_offset``) that the ``k`` directions hold.
    singular_values_ : ndarray, shape (k,)
        Of the deviations along the components (rates x sqrt(samples)).
    n_samples_ : int
        Pairs ``(x_t, x_{t+1})`` fitted.
    residual_rms_ : float
        RMS over samples of ``|z_{t+1} - A z_t - c|`` (rates per step).
    """

    def __init__(self, center: ArrayLike, n_components: int = 3, fit_offset: bool = True,
                 rank_tolerance: float = 1e-12, components: ArrayLike | None = None):
        self.center = np.asarray(center, dtype=float)
        self.n_components = int(n_components)
        self.fit_offset = bool(fit_offset)
        self.rank_tolerance = float(rank_tolerance)
        self.components = None if components is None else np.asarray(components, dtype=float)

    def fit(self, states: ArrayLike, next_states: ArrayLike) -> LinearDynamicsFit:
        """Fit ``A``, ``c`` and ``P`` to pairs of consecutive states.

        Parameters
        ----------
        states, next_states : array, shape (n_samples, N)
            ``x_t`` and ``x_{t+1}`` (rates).

        Returns
        -------
        self
        """
        X = np.asarray(states, dtype=float) - self.center
        Y = np.asarray(next_states, dtype=float) - self.center
        if X.shape != Y.shape or X.ndim != 2 or X.shape[1] != self.center.size:
            raise ValueError(f"states and next_states must both be (n_samples, "
                             f"{self.center.size}); got {X.shape} and {Y.shape}")
        if self.n_components < 1:
            raise ValueError(f"n_components must be at least 1, got {self.n_components}")
        mean_x = X.mean(axis=0) if self.fit_offset else np.zeros(X.shape[1])
        mean_y = Y.mean(axis=0) if self.fit_offset else np.zeros(X.shape[1])
        # centred in place: X is this method's own copy
        X -= mean_x
        Y -= mean_y
        if self.components is None:
            P, variances = self._principal_directions(X)
        else:
            P = self.components
            variances = np.sum((X @ P.T) ** 2, axis=0)
        Z, Z_next = X @ P.T, Y @ P.T
        # Along principal directions Z is uncorrelated with the deviations' other
        # directions, which therefore cannot leak into A, and Z^T Z is diagonal.
        A = np.linalg.solve(Z.T @ Z, Z.T @ Z_next).T
        self.components_ = P
        self.transition_ = A
        self.offset_ = P @ mean_y - A @ (P @ mean_x)
        self.singular_values_ = np.sqrt(variances)
        self.explained_share_ = float(np.sum(variances) / np.einsum("ij,ij->", X, X))
        self.n_samples_ = int(X.shape[0])
        residual = Z_next - Z @ A.T
        self.residual_rms_ = float(np.sqrt(np.mean(np.sum(residual**2, axis=1))))
        return self

    def _principal_directions(self, Xc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` leading principal directions of centred deviations (rows) and their
        variances (sums of squares), largest first."""
        # from the N x N scatter matrix: for thousands of samples of a few hundred units,
        # ten times faster than an SVD of the samples
        variances, vectors = np.linalg.eigh(Xc.T @ Xc)
        variances, vectors = variances[::-1], vectors[:, ::-1]
        if variances.size == 0 or variances[0] <= 0.0:
            raise ValueError("the states do not vary: nothing to fit")
        k = min(self.n_components,
                int(np.count_nonzero(variances > self.rank_tolerance * variances[0])))
        return vectors[:, :k].T, variances[:k]

    def transform(self, states: ArrayLike) -> NDArray[np.float64]:
        """Subspace coordinates ``P (x - x*)``, shape (..., k)."""
        return (np.asarray(states, dtype=float) - self.center) @ self.components_.T

    def predict(self, states: ArrayLike, n_steps: int, offset: bool = True
                ) -> NDArray[np.float64]:
        """The model's path from each state, in subspace coordinates.

        Parameters
        ----------
        states : array, shape (n, N)
            Start states (rates).
        n_steps : int
            Steps to predict.
        offset : bool
            Add ``c`` at each step. Without it the path relaxes to ``x*`` rather than to
            the model's own fixed point: the prediction to compare with the network's
            noise-free path, since ``c`` is what the noise's rectification adds.

        Returns
        -------
        ndarray, shape (n_steps, n, k)
            ``z_h = A z_{h-1} + c`` from ``z_0 = P (x_0 - x*)``, for ``h = 1 .. n_steps``.
        """
        z = self.transform(states)
        c = self.offset_ if offset else np.zeros_like(self.offset_)
        path = np.empty((n_steps, *z.shape))
        for h in range(n_steps):
            z = z @ self.transition_.T + c
            path[h] = z
        return path

    def fixed_point(self) -> NDArray[np.float64]:
        """The model's own fixed point ``(I - A)^{-1} c`` in subspace coordinates, shape (k,):
        where the fitted dynamics place the point, against ``x*`` at the origin (the
        least-squares solution where ``A`` has an eigenvalue 1)."""
        k = self.transition_.shape[0]
        return np.linalg.lstsq(np.eye(k) - self.transition_, self.offset_, rcond=None)[0]

    def projected(self, matrix: ArrayLike) -> NDArray[np.float64]:
        """``P B P^T``: an (N, N) map compressed to the fitted subspace, shape (k, k)."""
        P = self.components_
        return P @ np.asarray(matrix, dtype=float) @ P.T


def relative_frobenius_error(estimate: ArrayLike, reference: ArrayLike,
                             baseline: ArrayLike | None = None) -> float:
    """``|estimate - reference|_F / |reference - baseline|_F``.

    Parameters
    ----------
    estimate, reference : array, shape (k, k)
    baseline : array, shape (k, k), optional
        What the reference is measured from (zero by default). For a step's map
        ``I + dt J`` pass the identity: the error is then relative to the part of the
        map that is dynamics, ``dt J``, and a fit that learnt nothing (``A = I``) scores
        1, where relative to ``|I + dt J|`` it would score ``dt |J| / |I + dt J|``,
        about 0.1, and look good.

    Returns
    -------
    float
        NaN when the reference equals the baseline.
    """
    estimate, reference = np.asarray(estimate, dtype=float), np.asarray(reference, dtype=float)
    base = np.zeros_like(reference) if baseline is None else np.asarray(baseline, dtype=float)
    scale = np.linalg.norm(reference - base)
    return float(np.linalg.norm(estimate - reference) / scale) if scale > 0 else float("nan")


def matched_eigenvalues(estimate: ArrayLike, reference: ArrayLike
                        ) -> tuple[NDArray[np.complex128], NDArray[np.complex128]]:
    """Pair two spectra so that the summed distance between partners is smallest.

    Parameters
    ----------
    estimate, reference : array of complex, shape (k,)

    Returns
    -------
    (estimate, reference) : two arrays of complex, shape (k,)
        Partners at equal positions, ordered by decreasing real part of the reference.
    """
    a = np.asarray(estimate, dtype=complex)
    b = np.asarray(reference, dtype=complex)
    rows, cols = linear_sum_assignment(np.abs(a[:, None] - b[None, :]))
    a, b = a[rows], b[cols]
    order = np.argsort(-b.real, kind="stable")
    return a[order], b[order]


def compare_with_jacobian(model: LinearDynamicsFit, jacobian: ArrayLike, dt: float
                          ) -> dict[str, float]:
    """The fitted map against the Jacobian's Euler map, both in the fitted subspace.

    Parameters
    ----------
    model : LinearDynamicsFit
        Fitted.
    jacobian : array, shape (N, N)
        At the fixed point, 1/ms.
    dt : float
        Euler step, ms.

    Returns
    -------
    dict
        ``jacobian_error``: :func:`relative_frobenius_error` of ``A`` against
        ``P M P^T`` measured from the identity (1: the fit learnt nothing);
        ``eigenvalue_error``: mean distance between matched eigenvalues of
        ``(A - I) / dt`` and ``P J P^T`` over the mean modulus of the latter;
        ``slowest_rate_fit`` and ``slowest_rate_jacobian``: their largest real parts
        (1/s); ``slowest_rate_error``: the difference of the two (1/s).
    """
    M = model.projected(euler_map(jacobian, dt))
    A = model.transition_
    identity = np.eye(A.shape[0])
    fitted = (np.linalg.eigvals(A) - 1.0) / dt * PER_SECOND
    exact = (np.linalg.eigvals(M) - 1.0) / dt * PER_SECOND
    fitted, exact = matched_eigenvalues(fitted, exact)
    return {
        "jacobian_error": relative_frobenius_error(A, M, identity),
        "eigenvalue_error": float(np.mean(np.abs(fitted - exact)) / np.mean(np.abs(exact))),
        "slowest_rate_fit": float(fitted.real.max()),
        "slowest_rate_jacobian": float(exact.real.max()),
        "slowest_rate_error": float(fitted.real.max() - exact.real.max()),
    }


def linearised_response(states: ArrayLike, next_preactivations: ArrayLike,
                        fixed_point: ArrayLike, fixed_preactivation: ArrayLike,
                        alpha: float) -> NDArray[np.float64]:
    """The next states of the network linearised at a fixed point, under the same noise.

    The simulation's step is ``x_{t+1} = (1 - a) x_t + a relu(m_{t+1})``, with
    ``m_{t+1}`` the pre-activation including the noise and the input's noise. The
    linearisation replaces ``relu(m)`` by ``relu(m*) + D* (m - m*)``, with ``D*`` the
    units active at the point. Fed the simulation's own ``m``, it gives the responses
    an exactly linear network would have produced from the same states and the same
    noise: a fit to them carries the sampling error of the real fit and none of the
    error the ReLU kinks cause.

    Parameters
    ----------
    states : array, shape (n, N)
        ``x_t`` (rates).
    next_preactivations : array, shape (n, N)
        ``m_{t+1}``.
    fixed_point, fixed_preactivation : array, shape (N,)
        ``x*`` and ``m*``.
    alpha : float
        ``a = dt / tau``.

    Returns
    -------
    ndarray, shape (n, N)
    """
    m_star = np.asarray(fixed_preactivation, dtype=float)
    # in place: the samples are the largest arrays of the analysis
    response = np.asarray(next_preactivations, dtype=float) - m_star
    response *= m_star > 0
    response += np.maximum(m_star, 0.0)
    response *= alpha
    response += (1.0 - alpha) * np.asarray(states, dtype=float)
    return response


def path_errors(predicted: ArrayLike, actual: ArrayLike, start: ArrayLike
                ) -> NDArray[np.float64]:
    """Relative error of predicted paths: error over the path / distance travelled.

    Parameters
    ----------
    predicted, actual : array, shape (n_steps, n, d)
        The model's and the network's paths from each of ``n`` starts.
    start : array, shape (n, d)
        The starts, in the same coordinates.

    Returns
    -------
    ndarray, shape (n,)
        ``sqrt(sum_h |pred_h - act_h|^2) / sqrt(sum_h |act_h - start|^2)``: 1 for a model
        that predicts no movement, 0 for a perfect one.
    """
    predicted, actual = np.asarray(predicted, float), np.asarray(actual, float)
    moved = np.sqrt(np.sum((actual - np.asarray(start, float)[None]) ** 2, axis=(0, 2)))
    error = np.sqrt(np.sum((predicted - actual) ** 2, axis=(0, 2)))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(moved > 0, error / moved, np.nan)


def valid_radius(distances: ArrayLike, errors: ArrayLike, threshold: float,
                 block: int) -> float:
    """The largest start distance up to which a model's predictions stay within a threshold.

    The segments are sorted by start distance and cut into consecutive blocks of
    ``block`` segments (a few more where ``block`` does not divide them); a block
    passes when its median error is at most ``threshold``. The radius is the largest
    start distance of the last block of the passing run that begins at the innermost
    block: 0 when the innermost block fails, the farthest start when every block passes
    (a lower bound then).

    Parameters
    ----------
    distances : array, shape (n,)
        Distance of each segment's start from the point (rates).
    errors : array, shape (n,)
        Its relative error (:func:`path_errors`); NaN segments are left out.
    threshold : float
        Largest acceptable relative error.
    block : int
        Segments per block: medians over a block, so that one unlucky segment does
        not end the radius.

    Returns
    -------
    float
        Rates; NaN when no segment has a finite error.
    """
    d, e = np.asarray(distances, float), np.asarray(errors, float)
    keep = np.isfinite(d) & np.isfinite(e)
    d, e = d[keep], e[keep]
    if d.size == 0:
        return float("nan")
    order = np.argsort(d, kind="stable")
    d, e = d[order], e[order]
    n_blocks = max(1, d.size // max(1, int(block)))
    radius = 0.0
    for chunk_d, chunk_e in zip(np.array_split(d, n_blocks), np.array_split(e, n_blocks),
                                strict=True):
        if np.median(chunk_e) > threshold:
            break
        radius = float(chunk_d[-1])
    return radius


@dataclass(frozen=True)
class LinearModelSettings:
    """What :func:`analyse_network` fits and how it scores the fits.

    Attributes
    ----------
    n_components : int
        Dimension ``k`` of the principal subspace the map is fitted in.
    fit_radius : float
        The fit uses the steps within this many typical distances of the point (the
        median distance of the held trials' steady state from it).
    steady_ms : float
        The last this many ms of a held trial are its steady state.
    added_trials : int
        Noise-driven trials started at each point and held at its input, added to the
        fit's samples (0: the workflow's simulations alone).
    added_ms : float
        Length of each added trial, ms.
    horizon_ms : float
        Length of the predicted paths, ms.
    error_threshold : float
        Largest relative path error (:func:`path_errors`) of a valid prediction.
    block : int
        Segments per block of :func:`valid_radius`.
    """

    n_components: int = 3
    fit_radius: float = 2.0
    steady_ms: float = 500.0
    added_trials: int = 128
    added_ms: float = 1000.0
    horizon_ms: float = 100.0
    error_threshold: float = 0.1
    block: int = 10

    @classmethod
    def from_config(cls, section: dict) -> LinearModelSettings:
        """From a config section (keys other than the fields are ignored)."""
        return cls(**{k: section[k] for k in cls.__dataclass_fields__ if k in section})


def added_trials(network: Network, state: str, fixed_point: ArrayLike, u: ArrayLike,
                 n_trials: int, duration_ms: float, input_noise_std: float,
                 rng: np.random.Generator) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Noise-driven trials of the network started at a fixed point, its input held.

    The noise is the simulations': the model's own (``sigma``) and the task's input
    noise, both drawn from ``rng``.

    Parameters
    ----------
    network : Network
    state : {"untrained", "trained"}
    fixed_point : array, shape (N,)
    u : array, shape (n_inputs,)
    n_trials : int
    duration_ms : float
    input_noise_std : float
        Standard deviation of the input's noise per step (the task's ``input_noise_std``).
    rng : numpy Generator

    Returns
    -------
    rates, preactivations : ndarray, shape (time, n_trials, N)
        Starting with the state one step after ``fixed_point``.
    """
    u = np.asarray(u, dtype=float)
    n_steps = max(2, int(round(duration_ms / network.dt)))
    inputs = u + input_noise_std * rng.standard_normal((n_steps, n_trials, u.size))
    noise = rng.standard_normal((n_steps, n_trials, network.n_units))
    return simulate(network, inputs, noise=noise, r0=np.asarray(fixed_point, dtype=float),
                    W_rec=network.recurrent_weights(state))


def analyse_point(network: Network, state: str, fixed_point: ArrayLike, u: ArrayLike,
                  rates: ArrayLike, preactivations: ArrayLike, settings: LinearModelSettings,
                  added: tuple[ArrayLike, ArrayLike] | None = None) -> dict[str, float]:
    """Fit, compare and test the linear model of one stable fixed point.

    Parameters
    ----------
    network : Network
    state : {"untrained", "trained"}
        Which W_rec the dynamics use.
    fixed_point : array, shape (N,)
        ``x*`` (rates).
    u : array, shape (n_inputs,)
        The constant input of the point.
    rates, preactivations : array, shape (time, trial, N)
        Simulated trials held at ``u`` that settle at this point, from the input's
        onset on (``r`` and ``m`` of ``sim_{state}.npz``).
    settings : LinearModelSettings
    added : (rates, preactivations), each shape (time, trial, N), optional
        More trials held at ``u`` (:func:`added_trials`): their steps within the fit
        radius join the fit; the starts of the prediction test are the simulated
        trials' alone (only they come from afar).

    Returns
    -------
    dict
        ``n_trials``, ``typical_distance`` (median distance of the steady state from
        the point, rates), ``fit_radius`` (rates), ``n_samples`` (of which
        ``n_sim_samples`` from ``rates``), ``subspace_dim``, ``explained_share``,
        ``flipped_units`` (mean number of units per fitted step whose pre-activation
        is on the other side of its kink than at the point), ``mean_shift`` (distance
        of the fitted states' mean from the point, over the typical distance: what the
        rectification of the noise moves), :func:`compare_with_jacobian`'s values for the
        fit, ``surrogate_error`` and ``surrogate_eigenvalue_error`` (the same for a fit
        to the linearised network's responses, :func:`linearised_response`: the
        sampling error alone); the prediction test (:func:`valid_radius` of
        :func:`path_errors` over ``settings.horizon_ms``): ``valid_radius`` of the
        fitted model, started from each visited state's part in its subspace and
        compared with the network's path from there in the subspace (rates), over
        ``subspace_typical_distance`` (the typical distance in the subspace);
        ``jacobian_valid_radius`` of the Jacobian's map in the full state, over
        ``typical_distance``; ``floor_error`` and ``jacobian_floor_error``, the median
        error of the innermost block of starts; ``max_start_distance`` and
        ``jacobian_max_start_distance``, the farthest start tested; ``n_segments``.
    """
    x_star = np.asarray(fixed_point, dtype=float)
    u = np.asarray(u, dtype=float)
    R = np.asarray(rates, dtype=float)
    Mpre = np.asarray(preactivations, dtype=float)
    dynamics = Dynamics.of_network(network, state)
    m_star = dynamics.preactivation(x_star, u)
    jacobian = dynamics.jacobian(x_star, u)
    dt, alpha = network.dt, network.alpha
    n_steps, n_trials = R.shape[:2]
    row: dict[str, float] = {"n_trials": n_trials}
    steady = max(1, min(n_steps, int(round(settings.steady_ms / dt))))
    typical = float(np.median(np.linalg.norm(R[-steady:] - x_star, axis=2)))
    radius = settings.fit_radius * typical

    # The fit's pairs (x_t, x_{t+1}, m_{t+1}), filled source by source into arrays of
    # their final size: the added trials' copies are the job's largest arrays.
    sources = [(R, Mpre)] if added is None else [(R, Mpre), added]
    masks = [np.linalg.norm(np.asarray(r[:-1], dtype=float) - x_star, axis=2) <= radius
             for r, _ in sources]
    n_pairs = [int(mask.sum()) for mask in masks]
    X, Y, M_next = (np.empty((sum(n_pairs), x_star.size)) for _ in range(3))
    start = 0
    for (r, m), mask, n in zip(sources, masks, n_pairs, strict=True):
        X[start:start + n], Y[start:start + n] = r[:-1][mask], r[1:][mask]
        M_next[start:start + n] = m[1:][mask]
        start += n
    n_sim = n_pairs[0]
    del sources, added
    row.update(typical_distance=typical, fit_radius=radius, n_samples=int(X.shape[0]),
               n_sim_samples=int(n_sim))
    if X.shape[0] <= settings.n_components + 1:
        return row
    model = LinearDynamicsFit(x_star, settings.n_components).fit(X, Y)
    surrogate = LinearDynamicsFit(x_star, components=model.components_).fit(
        X, linearised_response(X, M_next, x_star, m_star, alpha))
    exact = compare_with_jacobian(surrogate, jacobian, dt)
    row.update(subspace_dim=model.components_.shape[0],
               explained_share=model.explained_share_,
               flipped_units=float(np.mean(np.sum((M_next > 0) != (m_star > 0), axis=1))),
               mean_shift=float(np.linalg.norm(X.mean(axis=0) - x_star)) / typical,
               **compare_with_jacobian(model, jacobian, dt),
               surrogate_error=exact["jacobian_error"],
               surrogate_eigenvalue_error=exact["eigenvalue_error"])

    # The prediction test starts from every state the simulated trials visited: from the
    # input's onset, far from the point, to the steady state around it.
    horizon = max(1, int(round(settings.horizon_ms / dt)))
    starts = R.reshape(-1, R.shape[-1])
    # a k-dimensional model can only be handed the part of a state inside its subspace
    inside = x_star + model.transform(starts) @ model.components_
    fitted_errors = path_errors(
        model.predict(inside, horizon, offset=False),
        model.transform(network_paths(network, state, inside, u, horizon)),
        model.transform(inside))
    jacobian_errors = path_errors(
        jacobian_paths(euler_map(jacobian, dt), x_star, starts, horizon),
        network_paths(network, state, starts, u, horizon), starts)
    subspace_typical = float(np.median(np.linalg.norm(model.transform(R[-steady:]), axis=2)))
    row["subspace_typical_distance"] = subspace_typical
    for name, errors, distance, scale in (
            ("", fitted_errors, np.linalg.norm(inside - x_star, axis=1), subspace_typical),
            ("jacobian_", jacobian_errors, np.linalg.norm(starts - x_star, axis=1), typical)):
        found = valid_radius(distance, errors, settings.error_threshold, settings.block)
        innermost = np.argsort(distance, kind="stable")[:max(1, settings.block)]
        row.update({f"{name}valid_radius": found,
                    f"{name}valid_radius_relative": found / scale,
                    f"{name}floor_error": float(np.nanmedian(errors[innermost])),
                    f"{name}max_start_distance": float(distance.max())})
    row["n_segments"] = int(starts.shape[0])
    return row


def network_paths(network: Network, state: str, starts: ArrayLike, u: ArrayLike,
                  n_steps: int) -> NDArray[np.float64]:
    """The network's noise-free paths from each start, its input held at ``u``.

    Parameters
    ----------
    network : Network
    state : {"untrained", "trained"}
    starts : array, shape (n, N)
    u : array, shape (n_inputs,)
    n_steps : int

    Returns
    -------
    ndarray, shape (n_steps, n, N)
    """
    starts = np.asarray(starts, dtype=float)
    u = np.asarray(u, dtype=float)
    inputs = np.broadcast_to(u, (n_steps, starts.shape[0], u.size))
    path, _ = simulate(network, inputs, r0=starts, W_rec=network.recurrent_weights(state))
    return path


def jacobian_paths(step_map: ArrayLike, fixed_point: ArrayLike, starts: ArrayLike,
                   n_steps: int) -> NDArray[np.float64]:
    """Paths of the linearised network, ``x* + M^h (x_0 - x*)``, from each start.

    Parameters
    ----------
    step_map : array, shape (N, N)
        ``M`` (:func:`euler_map`).
    fixed_point : array, shape (N,)
    starts : array, shape (n, N)
    n_steps : int

    Returns
    -------
    ndarray, shape (n_steps, n, N)
    """
    M = np.asarray(step_map, dtype=float)
    x_star = np.asarray(fixed_point, dtype=float)
    deviation = np.asarray(starts, dtype=float) - x_star
    path = np.empty((n_steps, *deviation.shape))
    for h in range(n_steps):
        deviation = deviation @ M.T
        path[h] = x_star + deviation
    return path


LINEAR_MODEL_COLUMNS = (
    "condition", "label", "point", "location", "n_trials", "typical_distance", "fit_radius",
    "n_samples", "n_sim_samples", "subspace_dim", "explained_share", "flipped_units", "mean_shift",
    "jacobian_error", "eigenvalue_error", "slowest_rate_fit",
    "slowest_rate_jacobian", "slowest_rate_error", "slowest_rate_full", "surrogate_error",
    "surrogate_eigenvalue_error", "subspace_typical_distance", "valid_radius",
    "valid_radius_relative", "floor_error", "max_start_distance", "jacobian_valid_radius",
    "jacobian_valid_radius_relative", "jacobian_floor_error", "jacobian_max_start_distance",
    "n_segments",
)
"""Columns of :func:`analyse_network`'s table after the inputs (``input1`` ...)."""


def analyse_network(network: Network, state: str, *, rates: ArrayLike,
                    preactivations: ArrayLike, sim_conditions: ArrayLike,
                    sim_kind: Sequence[str], points: pd.DataFrame,
                    locations: ArrayLike, condition_inputs: ArrayLike,
                    condition_labels: Sequence[str], settings: LinearModelSettings,
                    input_noise_std: float = 0.0,
                    rng: np.random.Generator | None = None) -> pd.DataFrame:
    """Linear models of every stable fixed point of one network in one state.

    Each held trial of a condition is assigned to the stable fixed point of that
    condition nearest its last state (where it settled); each point is then
    analysed on its trials (:func:`analyse_point`), with ``settings.added_trials``
    more trials started at it (:func:`added_trials`). A stable point no trial settles
    at keeps its row, with ``n_trials`` 0 and no fit; conditions without held trials
    (the autonomous network, u = 0, and the constant inputs of kinds whose held
    trials are driven by sines) have no rows.

    Parameters
    ----------
    network : Network
    state : {"untrained", "trained"}
    rates, preactivations : array, shape (time, trial, N)
        ``r`` and ``m`` of ``sim_{state}.npz`` from the input's onset on.
    sim_conditions : array, shape (trial, n_inputs)
        Held input of each trial (NaN for changing trials).
    sim_kind : sequence of str, shape (trial,)
        ``"held"`` or the kind of changing trial.
    points : DataFrame
        ``slowpoints_{state}.parquet``: needs ``condition``, ``method``, ``kind``,
        ``location``, ``point``, ``max_real_eig`` (1/ms).
    locations : array, shape (P, N)
        ``locations`` of ``slowpoints_{state}.npz``.
    condition_inputs : array, shape (C, n_inputs)
    condition_labels : sequence of str, shape (C,)
    settings : LinearModelSettings
    input_noise_std : float
        The task's input noise, for the added trials.
    rng : numpy Generator, optional
        Draws the added trials' noise, point after point in table order; required when
        ``settings.added_trials`` is positive.

    Returns
    -------
    DataFrame
        One row per stable exact fixed point of a condition with held trials:
        ``input1`` ... and :data:`LINEAR_MODEL_COLUMNS` (``slowest_rate_full``: the
        largest real part of the point's whole Jacobian spectrum, 1/s).
    """
    if settings.added_trials > 0 and rng is None:
        raise ValueError("added_trials > 0 needs a random generator (rng)")
    R = np.asarray(rates)
    Mpre = np.asarray(preactivations)
    conditions = np.asarray(sim_conditions, dtype=float)
    held = np.asarray(sim_kind) == "held"
    locations = np.asarray(locations, dtype=float)
    inputs = np.atleast_2d(np.asarray(condition_inputs, dtype=float))
    stable = points[(points["method"] == "exact") & (points["kind"] == "stable")]
    rows = []
    for c, u in enumerate(inputs):
        trials = np.flatnonzero(held & np.all(np.isclose(conditions, u[None, :], atol=1e-9),
                                              axis=1))
        here = stable[stable["condition"] == c].sort_values("point")
        if trials.size == 0 or here.empty:
            continue
        centres = locations[here["location"].to_numpy(dtype=int)]
        ends = R[-1, trials].astype(float)
        settled_at = np.argmin(np.linalg.norm(ends[:, None, :] - centres[None], axis=2), axis=1)
        for i, point in enumerate(here.itertuples()):
            mine = trials[settled_at == i]
            row = {"condition": c, "label": str(condition_labels[c]),
                   **{f"input{j + 1}": float(v) for j, v in enumerate(u)},
                   "point": int(point.point), "location": int(point.location),
                   "n_trials": int(mine.size),
                   "slowest_rate_full": float(point.max_real_eig) * PER_SECOND}
            if mine.size:
                # passed on, not held here: analyse_point frees them once it has its pairs
                row.update(analyse_point(
                    network, state, centres[i], u, R[:, mine], Mpre[:, mine], settings,
                    added_trials(network, state, centres[i], u, settings.added_trials,
                                 settings.added_ms, input_noise_std, rng)
                    if settings.added_trials > 0 else None))
            rows.append(row)
    columns = [f"input{j + 1}" for j in range(inputs.shape[1])]
    return pd.DataFrame(rows, columns=[*LINEAR_MODEL_COLUMNS[:2], *columns,
                                       *LINEAR_MODEL_COLUMNS[2:]])


# --- over networks: one number per network, the claims and the summary table ---

NETWORK_STATISTICS = ("jacobian_error", "surrogate_error", "eigenvalue_error",
                      "valid_radius_relative", "jacobian_valid_radius_relative")
"""Per-point columns that :func:`network_statistics` takes the median of, per network."""


def network_statistics(points: pd.DataFrame, networks: pd.DataFrame | None = None
                       ) -> pd.DataFrame:
    """One row per network: the median over its fitted points of each of
    :data:`NETWORK_STATISTICS`, as ``<column>_<state>``.

    Parameters
    ----------
    points : DataFrame
        :func:`analyse_network`'s rows of every network and state, with ``task``, ``net``
        and ``state``. Points no trial settled at (``n_trials`` 0) have no fit and are
        left out.
    networks : DataFrame, optional
        ``task`` and ``net`` of every network analysed, so that a network without rows
        (no held trial at any analysed input) has its row, not fitted. Default: the
        networks of ``points``.

    Returns
    -------
    DataFrame
        ``task``, ``net``, ``<statistic>_<state>``, ``n_fitted_<state>`` (points with a
        fit) and ``fitted_<state>`` (at least one: the network's statistics exist), for
        each state of :data:`STATES`.
    """
    fitted = points[np.isfinite(points["jacobian_error"].to_numpy(dtype=float))]
    keys = (points if networks is None else networks)[["task", "net"]]
    keys = keys.drop_duplicates().sort_values(["task", "net"])
    table = keys.reset_index(drop=True)
    for state in STATES:
        part = fitted[fitted["state"] == state]
        medians = part.groupby(["task", "net"])[list(NETWORK_STATISTICS)].median()
        counts = part.groupby(["task", "net"]).size().rename(f"n_fitted_{state}")
        medians.columns = [f"{c}_{state}" for c in medians.columns]
        table = table.merge(medians.reset_index(), on=["task", "net"], how="left")
        table = table.merge(counts.reset_index(), on=["task", "net"], how="left")
        table[f"n_fitted_{state}"] = table[f"n_fitted_{state}"].fillna(0).astype(int)
        table[f"fitted_{state}"] = table[f"n_fitted_{state}"] > 0
    return table


_NO_FIT = ("no held trial of the simulations settled at a stable fixed point of an analysed "
           "input, so no linear model was fitted (a kind whose analysed inputs are not its "
           "held conditions, e.g. farther's random draws, has none)")
LINEAR_MODEL_CLAIMS = (
    ClaimSpec("linear_model_departs", "the linear model fitted near the stable points departs "
              "from the Jacobian's map beyond sampling error", "6 (Q7)",
              "error of the fitted map against the Jacobian's, minus that of the same fit to "
              "the network linearised at the point (relative to |dt J|; median over the "
              "network's points), {state}", "jacobian_error_{state}",
              other="surrogate_error_{state}", kind="paired", states=STATES,
              measurable="fitted_{state}", unmeasurable_reason=_NO_FIT,
              equivalence="equivalence_margin"),
    ClaimSpec("linear_model_reach", "the Jacobian's map holds beyond the noise's typical "
              "distance from the stable points (it predicts the horizon within the error "
              "threshold there)",
              "6 (Q7)", "distance from the point up to which the Jacobian's map predicts the "
              "horizon within the threshold, in typical distances of the noisy trials from "
              "the point (median over the network's points), vs 1, {state}",
              "jacobian_valid_radius_relative_{state}", kind="one_sample", reference=1.0,
              states=STATES, measurable="fitted_{state}", unmeasurable_reason=_NO_FIT),
)
"""Question 7's claims, per task and state. The first asks whether the ReLU kinks the noise
crosses change the slope a least-squares fit finds; "equivalent" (the two errors within
``equivalence_margin`` of each other) says the fitted model is the Jacobian's map. The
second asks whether the linear picture holds beyond the fluctuations the noise alone
causes (1 typical distance)."""


def linear_model_claims(per_network: pd.DataFrame, *, equivalence_margin: float,
                        n_boot: int = 10_000, seed: int = 0) -> pd.DataFrame:
    """The claims of :data:`LINEAR_MODEL_CLAIMS` on :func:`network_statistics`' table,
    one row per claim, task and state (verdicts unadjusted).

    ``equivalence_margin`` is in the errors' unit (relative to ``|dt J|``).
    """
    return evaluate_claims(LINEAR_MODEL_CLAIMS, per_network,
                           thresholds={"equivalence_margin": float(equivalence_margin)},
                           n_boot=n_boot, seed=seed)


SUMMARY_STATISTICS = (*NETWORK_STATISTICS, "slowest_rate_fit", "slowest_rate_jacobian",
                      "slowest_rate_full", "valid_radius", "jacobian_valid_radius",
                      "flipped_units")


def linear_model_summary(points: pd.DataFrame, networks: pd.DataFrame | None = None, *,
                         equivalence_margin: float = 0.02) -> pd.DataFrame:
    """Per task and state: networks, stable points and fitted points, and the median over
    fitted points of :data:`SUMMARY_STATISTICS` (rates in 1/s, radii in rate units or, for
    ``*_relative``, typical distances), with the share of fitted points whose two errors
    are within ``equivalence_margin`` of each other (``share_within_margin``; the claims'
    margin). ``networks`` (``task``, ``net``, ``state`` of every
    network analysed) gives a task without rows its row of zero points."""
    if networks is None:
        networks = points[["task", "net", "state"]]
    rows = []
    for (task, state), nets in networks.groupby(["task", "state"], sort=True):
        part = points[(points["task"] == task) & (points["state"] == state)]
        fitted = part[np.isfinite(part["jacobian_error"].to_numpy(dtype=float))]
        gap = np.abs(fitted["jacobian_error"] - fitted["surrogate_error"])
        rows.append({
            "task": task, "state": state, "networks": nets["net"].nunique(),
            "stable_points": len(part), "fitted_points": len(fitted),
            **{c: float(fitted[c].median()) if len(fitted) else np.nan
               for c in SUMMARY_STATISTICS},
            "share_within_margin": (float(np.mean(gap <= equivalence_margin))
                                    if len(fitted) else np.nan),
        })
    return pd.DataFrame(rows)
