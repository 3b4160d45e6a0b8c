"""Latent spaces of the simulated networks (report, sections 4, 5.1, 5.2 and 5.3).

Pure functions of arrays that the latent stage of the workflow wires to files:

- :func:`fit_dca` fits DCA to ReLU activity after dropping silent units, and
  returns the subspace in the full unit space, together with every random
  restart (the uniqueness analysis of Fig. S3) and any warm starts;
- :func:`theta_grid` and :func:`leaky_relu_curves`
  serve the leaky-ReLU family of Figs. 5 and 6;
- :func:`condition_groups`, :func:`steady_states`, :func:`restart_table`,
  :func:`readout_angles`, :func:`chance_vector_angle` and
  :func:`random_subspace_angles` give the numbers behind Figs. 2, 3, 9, 10, 11;
- :func:`network_table`, :func:`.stats.band` and :func:`latent_claims` summarise across
  networks for the figures and the claims table.

Conventions: activity arrays are ``(time, trial, unit)``; subspaces are
``(unit, d)`` matrices with orthonormal columns; angles are in degrees; PI is in
nats; ``theta`` is the leaky-ReLU angle in radians (0: ReLU, pi/4: linear).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ..claims import STATES, ClaimSpec, evaluate_claims
from ..tasks import Task
from .dca import (
    DynamicalComponentsAnalysis,
    cross_covariances,
    predictive_information,
    window_ridge,
)
from .subspaces import orthonormal_basis, pca_basis, principal_angles, vector_subspace_angle

__all__ = [
    "LATENT_CLAIMS",
    "UNSTABLE_GROWTH",
    "SubspaceFit",
    "active_units",
    "chance_vector_angle",
    "condition_groups",
    "embed",
    "fit_dca",
    "improve_fit",
    "latent_claims",
    "network_table",
    "pca_of",
    "random_subspace_angles",
    "readout_angles",
    "restart_table",
    "steady_states",
    "theta_grid",
]


# ----------------------------------------------------------------------------- inputs


def theta_grid(n: int) -> NDArray[np.float64]:
    """``n`` evenly spaced leaky-ReLU angles from 0 (ReLU) to pi/4 (linear), in radians."""
    if n < 2:
        raise ValueError(f"need at least two angles, got {n}")
    return np.linspace(0.0, np.pi / 4, n)


def condition_groups(task: Task, conditions: ArrayLike, trial_kind: ArrayLike
                     ) -> list[tuple[str, NDArray[np.int64]]]:
    """Trials of the two input conditions whose latent spaces are compared (Fig. 10).

    The task's kind chooses them among the held trials
    (:meth:`rnn_hypotheses.tasks.Task.condition_groups`): perception, the first and
    the second input level (the report's 0.5 and 0.8); decision, input 1 > input 2
    and input 2 > input 1 (the two answers). Trials whose input changes belong to
    no group.

    Parameters
    ----------
    task : Task
    conditions : array, shape (trial, n_inputs)
        Held input level(s) of each trial; NaN for switching trials.
    trial_kind : array of str, shape (trial,)
        ``"held"`` or ``"switching"``.

    Returns
    -------
    list of two (label, trial indices) pairs.
    """
    held = np.asarray(trial_kind) == "held"
    return task.condition_groups(np.asarray(conditions, dtype=float), held)


def steady_states(r: ArrayLike, conditions: ArrayLike, kind: ArrayLike, window: int
                  ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Mean activity at the end of the held trials, one state per input condition.

    Parameters
    ----------
    r : array, shape (time, trial, unit)
    conditions : array, shape (trial, n_inputs)
    kind : array of str, shape (trial,)
    window : int
        Steps at the end of each trial to average over (the settled part).

    Returns
    -------
    levels : ndarray, shape (k, n_inputs)
        The distinct held conditions, sorted lexicographically.
    states : ndarray, shape (k, unit)
        Mean rate over the window and over the trials of each condition.
    """
    r = np.asarray(r, dtype=float)
    conditions = np.asarray(conditions, dtype=float)
    if not 1 <= window <= r.shape[0]:
        raise ValueError(f"window must be between 1 and {r.shape[0]} steps, got {window}")
    held = np.flatnonzero(np.asarray(kind) == "held")
    levels, inverse = np.unique(conditions[held], axis=0, return_inverse=True)
    end = r[-window:, held].mean(axis=0)  # (held trial, unit)
    states = np.stack([end[inverse.ravel() == k].mean(axis=0) for k in range(len(levels))])
    return levels, states


# ----------------------------------------------------------------------------- DCA fits


def active_units(r: ArrayLike, tolerance: float, min_units: int = 1) -> NDArray[np.bool_]:
    """Units whose activity varies: variance above ``tolerance`` times the largest.

    A ReLU unit that never crosses threshold has zero rate throughout. Such a
    unit carries no information, but DCA cannot tell it from any other direction
    of zero variance and gives it arbitrary loadings, so it is left out of a fit.

    Parameters
    ----------
    r : array, shape (..., unit)
    tolerance : float
        Relative variance below which a unit is silent.
    min_units : int
        At least this many units are kept (those of largest variance), so that
        a d-dimensional fit stays possible.

    Returns
    -------
    ndarray of bool, shape (unit,)
    """
    r = np.asarray(r)
    var = r.reshape(-1, r.shape[-1]).astype(float).var(axis=0)
    keep = var > tolerance * var.max() if var.max() > 0 else np.zeros(var.shape, bool)
    if keep.sum() < min_units:
        keep[np.argsort(var)[::-1][:min_units]] = True
    return keep


def embed(basis: ArrayLike, active: ArrayLike) -> NDArray[np.float64]:
    """Zero-pad a basis of the active units to the full unit space.

    Parameters
    ----------
    basis : array, shape (n_active, d)
    active : array of bool, shape (unit,)

    Returns
    -------
    ndarray, shape (unit, d): rows of silent units are zero, so orthonormal
    columns stay orthonormal.
    """
    basis = np.asarray(basis, dtype=float)
    active = np.asarray(active, dtype=bool)
    out = np.zeros((active.size, basis.shape[1]))
    out[active] = basis
    return out


@dataclass(frozen=True)
class SubspaceFit:
    """A DCA fit in the full unit space.

    Attributes
    ----------
    coef : ndarray, shape (unit, d)
        Orthonormal basis of the highest-PI subspace found (zero on silent units).
    pi : float
        Its predictive information, nats.
    start : str
        Which start found it: ``"random"`` or the name of a warm start.
    restart_coefs : ndarray, shape (n_init, unit, d)
        The solution of every random start, in the order run.
    restart_pis : ndarray, shape (n_init,)
        Their PIs, nats.
    active : ndarray of bool, shape (unit,)
        Units included in the fit.
    mean : ndarray, shape (unit,)
        Mean activity over all samples (subtract before projecting).
    cross_covs : ndarray, shape (2T, n_active, n_active)
        Cross-covariances of the active units (for the PI of other subspaces).
    ridge : float
        Diagonal shift that made their window covariance positive definite (squared
        rates; 0 when it already was, see :func:`.dca.window_ridge`).
    ridge_relative : float
        ``ridge`` over the active units' mean variance.
    """

    coef: NDArray[np.float64]
    pi: float
    start: str
    restart_coefs: NDArray[np.float64]
    restart_pis: NDArray[np.float64]
    active: NDArray[np.bool_]
    mean: NDArray[np.float64]
    cross_covs: NDArray[np.float64]
    ridge: float = 0.0
    ridge_relative: float = 0.0

    def pi_of(self, basis: ArrayLike) -> float:
        """PI (nats) of another full-space subspace on this fit's data, e.g. PCA's."""
        restricted = np.asarray(basis, dtype=float)[self.active]
        return predictive_information(self.cross_covs, orthonormal_basis(restricted))

    def project(self, r: ArrayLike) -> NDArray[np.float64]:
        """Coordinates of activity ``(..., unit)`` in the subspace, ``(..., d)``."""
        return (np.asarray(r, dtype=float) - self.mean) @ self.coef


def fit_dca(
    r: ArrayLike,
    d: int,
    T: int,
    n_init: int,
    rng: np.random.Generator,
    *,
    tolerance: float = 1e-8,
    warm_starts: Sequence[tuple[str, ArrayLike]] = (),
) -> SubspaceFit:
    """DCA of network activity, silent units left out, from random and warm starts.

    Parameters
    ----------
    r : array, shape (time, trial, unit)
        Rates.
    d : int
        Dimension of the subspace.
    T : int
        Half window in time steps (PI between ``T`` past and ``T`` future steps).
    n_init : int
        Random orthonormal starts (at least 1); their solutions are kept in
        ``restart_coefs``/``restart_pis`` for the uniqueness analysis.
    rng : numpy.random.Generator
        Source of the random starts.
    tolerance : float
        Relative variance below which a unit is silent (:func:`active_units`).
    warm_starts : sequence of (name, array of shape (unit, d))
        Further starting subspaces in the full unit space (see :func:`improve_fit`).

    Returns
    -------
    SubspaceFit
    """
    r = np.asarray(r)
    N = r.shape[-1]
    active = active_units(r, tolerance, min_units=d)
    x = r[..., active].astype(float)
    mean_active = x.reshape(-1, x.shape[-1]).mean(axis=0)
    C = cross_covariances(x, T, mean=mean_active, rectify=False)
    variance = float(np.mean(np.diag(C[0])))
    ridge = window_ridge(C)
    C[0] += ridge * np.eye(C.shape[1])
    random = DynamicalComponentsAnalysis(d, T, n_init=max(1, n_init), random_state=rng)
    random.fit_cross_covs(C)
    fit = SubspaceFit(
        coef=embed(random.coef_, active),
        pi=float(random.pi_),
        start="random",
        restart_coefs=np.stack([embed(V, active) for V in random.restart_coefs_]),
        restart_pis=np.asarray(random.restart_pis_, dtype=float),
        active=active,
        mean=np.asarray(r, dtype=float).reshape(-1, N).mean(axis=0),
        cross_covs=C,
        ridge=ridge,
        ridge_relative=ridge / variance if variance > 0 else float("nan"),
    )
    return improve_fit(fit, T, warm_starts)


def improve_fit(fit: SubspaceFit, T: int, warm_starts: Sequence[tuple[str, ArrayLike]]
                ) -> SubspaceFit:
    """Run DCA from further starting subspaces and keep whichever PI is highest.

    DCA's objective can have several local maxima, and random starts may all
    land on the same lower one; starting from the optimum of a neighbouring
    problem (e.g. the next leaky-ReLU angle) often reaches a higher one.

    Parameters
    ----------
    fit : SubspaceFit
        A fit whose cross-covariances and active units are reused.
    T : int
        Half window in time steps (as in the fit).
    warm_starts : sequence of (name, array of shape (unit, d))
        Starting subspaces in the full unit space. A start whose rows on the
        active units do not span ``d`` dimensions is skipped.

    Returns
    -------
    SubspaceFit
        ``fit`` itself, or a copy with the better ``coef``, ``pi`` and ``start``
        (the random starts are left as they were).
    """
    d = fit.coef.shape[1]
    for name, start in warm_starts:
        V = orthonormal_basis(np.asarray(start, dtype=float)[fit.active])
        if V.shape[1] < d:
            continue
        warm = DynamicalComponentsAnalysis(d, T, init=V).fit_cross_covs(fit.cross_covs)
        if warm.pi_ > fit.pi:
            fit = replace(fit, coef=embed(warm.coef_, fit.active), pi=float(warm.pi_),
                          start=name)
    return fit


@dataclass(frozen=True)
class LeakySweep:
    """DCA along the leaky-ReLU family (Figs. 5 and 6).

    Attributes
    ----------
    thetas : ndarray, shape (n_thetas,)
        Angles of the negative slope, radians (0: ReLU, pi/4: linear).
    fits : list of SubspaceFit
        The best subspace found at each angle.
    max_rates : ndarray, shape (n_thetas,)
        Largest |r| of the trajectories at each angle (divergence shows here).
    seconds : ndarray, shape (n_thetas,)
        Time spent at each angle, both sweeps.
    """

    thetas: NDArray[np.float64]
    fits: list[SubspaceFit]
    max_rates: NDArray[np.float64]
    seconds: NDArray[np.float64]


def leaky_relu_sweep(
    rates_at: Callable[[float], NDArray],
    first_fit: SubspaceFit,
    thetas: ArrayLike,
    T: int,
    n_init: int,
    rng_at: Callable[[int], np.random.Generator],
    *,
    tolerance: float = 1e-8,
) -> LeakySweep:
    """Fit DCA at each leaky-ReLU angle, sweeping up the angles and back down.

    DCA's objective has local maxima, and the optimum moves smoothly with the
    angle: each angle starts from ``n_init`` random subspaces, the first angle's
    optimum and the previous angle's; a second sweep, from the last angle back to
    the first, restarts each angle from the next angle's optimum. This
    continuation finds higher maxima than random starts alone.

    Parameters
    ----------
    rates_at : callable theta -> array of shape (time, trial, unit)
        The network's trajectories at angle ``theta`` (the same inputs and noise
        at every angle).
    first_fit : SubspaceFit
        The fit at ``thetas[0]``, made beforehand (its random starts are kept).
    thetas : array of shape (n_thetas,)
        Angles in radians, increasing.
    T : int
        DCA half window in time steps.
    n_init : int
        Random starts at each angle after the first.
    rng_at : callable k -> numpy.random.Generator
        The random starts' generator of angle ``k``.
    tolerance : float
        Relative variance below which a unit is silent.

    Returns
    -------
    LeakySweep
    """
    thetas = np.asarray(thetas, dtype=float)
    d = first_fit.coef.shape[1]
    fits: list[SubspaceFit] = []
    max_rates, seconds = [], []
    for k, theta in enumerate(thetas):
        start = time.perf_counter()
        rates = rates_at(float(theta))
        max_rates.append(float(np.abs(rates).max()))
        if k == 0:
            fits.append(first_fit)
        else:
            warm = [("theta 0", first_fit.coef), ("previous theta", fits[-1].coef)]
            fits.append(fit_dca(rates, d, T, n_init, rng_at(k), tolerance=tolerance,
                                warm_starts=warm))
        seconds.append(time.perf_counter() - start)
    for k in range(len(thetas) - 2, -1, -1):
        start = time.perf_counter()
        fits[k] = improve_fit(fits[k], T, [("next theta", fits[k + 1].coef)])
        seconds[k] += time.perf_counter() - start
    return LeakySweep(thetas, fits, np.asarray(max_rates), np.asarray(seconds))


def pca_of(r: ArrayLike, d: int, active: ArrayLike) -> NDArray[np.float64]:
    """Leading ``d`` principal axes of the active units' activity, in the full unit space.

    Parameters
    ----------
    r : array, shape (time, trial, unit)
    d : int
    active : array of bool, shape (unit,)

    Returns
    -------
    ndarray, shape (unit, d), orthonormal, zero on inactive units (which have
    no variance, so PCA would give them no weight anyway).
    """
    active = np.asarray(active, dtype=bool)
    return embed(pca_basis(np.asarray(r)[..., active], d), active)


# ----------------------------------------------------------------------------- angles


def restart_table(restart_coefs: ArrayLike, restart_pis: ArrayLike, unique_angle: float,
                  best: tuple[ArrayLike, float] | None = None) -> pd.DataFrame:
    """How far every random DCA start ended from the best subspace (Fig. S3).

    Parameters
    ----------
    restart_coefs : array, shape (n_init, unit, d)
    restart_pis : array, shape (n_init,)
        PI of each start, nats.
    unique_angle : float
        A start found the best subspace when all its principal angles to it are
        below this, in degrees.
    best : (array of shape (unit, d), float), optional
        The best subspace known and its PI, if another search (e.g. warm starts)
        found a better one than every random start; by default the best start.

    Returns
    -------
    DataFrame with n_init rows: restart, pi, pi_gap (best PI minus this one,
    nats), max_angle and mean_angle (principal angles to the best subspace,
    degrees), same_as_best (bool), best (bool: the random start with the highest PI).
    """
    coefs = np.asarray(restart_coefs, dtype=float)
    pis = np.asarray(restart_pis, dtype=float)
    top = int(np.argmax(pis))
    best_coef, best_pi = (coefs[top], pis[top]) if best is None else best
    best_pi = max(float(best_pi), float(pis[top]))
    angles = np.stack([principal_angles(V, best_coef) for V in coefs])
    frame = pd.DataFrame({
        "restart": np.arange(len(pis)),
        "pi": pis,
        "pi_gap": best_pi - pis,
        "max_angle": angles.max(axis=1),
        "mean_angle": angles.mean(axis=1),
    })
    frame["same_as_best"] = frame["max_angle"] < unique_angle
    frame["best"] = frame["restart"] == top
    return frame


def readout_angles(W_out: ArrayLike, bases: dict[str, ArrayLike]) -> dict[str, float]:
    """Angle between the readout vector and each latent subspace (Fig. 11).

    Parameters
    ----------
    W_out : array, shape (1, unit) or (unit,)
        The readout (one output).
    bases : dict of name -> array of shape (unit, d)

    Returns
    -------
    dict of name -> angle in degrees (0: the readout lies in the subspace, 90:
    it is orthogonal to it).
    """
    w = np.asarray(W_out, dtype=float)
    if w.ndim == 2:
        if w.shape[0] != 1:
            raise ValueError(f"expected one readout, got W_out of shape {w.shape}")
        w = w[0]
    return {name: vector_subspace_angle(w, basis) for name, basis in bases.items()}


def chance_vector_angle(n: int, d: int) -> float:
    """Typical angle between a fixed vector and a uniformly random d-dim subspace of R^n.

    The squared cosine of that angle has mean d / n, so the angle whose cosine
    is ``sqrt(d / n)`` is the chance level of a readout angle, in degrees.
    """
    return float(np.degrees(np.arccos(np.sqrt(d / n))))


def random_subspace_angles(n: int, d: int, n_draws: int = 200, seed: int = 0
                           ) -> NDArray[np.float64]:
    """Mean principal angles between two uniformly random d-dim subspaces of R^n.

    The chance level against which "nearly orthogonal" subspaces are judged: in
    many dimensions two random subspaces are close to orthogonal already.

    Parameters
    ----------
    n, d : int
    n_draws : int
        Random pairs averaged.
    seed : int

    Returns
    -------
    ndarray, shape (d,): mean angle of each rank (ascending), degrees.
    """
    rng = np.random.default_rng(seed)
    angles = [principal_angles(rng.standard_normal((n, d)), rng.standard_normal((n, d)))
              for _ in range(n_draws)]
    return np.mean(angles, axis=0)


# ----------------------------------------------------------------------------- summaries


def network_table(latent: pd.DataFrame, pi_theta: pd.DataFrame, change: pd.DataFrame
                  ) -> pd.DataFrame:
    """One row per network with every statistic the latent claims test.

    Parameters
    ----------
    latent : DataFrame
        The ``latent_{state}.parquet`` rows of every network: task, net, state,
        pi, readout_dca, readout_pca, readout_chance, condition_angle_mean,
        unique_share, pi_spread, n_units.
    pi_theta : DataFrame
        The ``pi_theta_{state}.parquet`` rows: task, net, state, theta, pi and
        max_rate (largest |rate| of the simulation at that angle).
    change : DataFrame
        The ``latent_change.parquet`` rows: task, net, dim, angle_dca, chance.

    Returns
    -------
    DataFrame, one row per (task, net): ``<statistic>_<state>`` for the
    per-state statistics, ``pi_theta0_<state>`` and ``pi_thetamax_<state>`` (PI at
    the smallest and largest angle; ``max_rate_...`` likewise), ``linear_bounded``
    (True where the linear network, the largest angle, stays bounded in both states:
    its largest rate at most :data:`UNSTABLE_GROWTH` times the ReLU network's; a
    diverging network's PI measures its growth, so the linear PI claim leaves it
    out), ``prepost_min_angle``, ``prepost_mean_angle`` and ``prepost_chance_min``
    (the chance level of the smallest angle).
    """
    keys = ["task", "net"]
    per_state = ["pi", "readout_dca", "readout_pca", "readout_chance", "condition_angle_mean",
                 "unique_share", "pi_spread"]
    wide = latent.pivot_table(index=keys, columns="state", values=per_state, aggfunc="first")
    wide.columns = [f"{stat}_{state}" for stat, state in wide.columns]
    ends = pi_theta.loc[pi_theta["theta"].isin([pi_theta["theta"].min(),
                                                pi_theta["theta"].max()])].copy()
    ends["end"] = np.where(np.isclose(ends["theta"], pi_theta["theta"].min()), "theta0",
                           "thetamax")
    if "max_rate" not in ends.columns:
        raise ValueError("pi_theta lacks max_rate: the linear PI claim needs it to tell "
                         "diverging linear networks")
    pis = ends.pivot_table(index=keys, columns=["end", "state"], values=["pi", "max_rate"],
                           aggfunc="first")
    pis.columns = [f"{value}_{end}_{state}" for value, end, state in pis.columns]
    # a missing or NaN rate counts as unbounded (the comparison is False)
    rates = pis.reindex(columns=[f"max_rate_{end}_{state}" for end in ("theta0", "thetamax")
                                 for state in STATES])
    pis["linear_bounded"] = np.logical_and.reduce([
        (rates[f"max_rate_thetamax_{state}"]
         <= UNSTABLE_GROWTH * rates[f"max_rate_theta0_{state}"]).to_numpy(bool)
        for state in STATES])
    angles = change.groupby(keys).agg(prepost_min_angle=("angle_dca", "min"),
                                      prepost_mean_angle=("angle_dca", "mean"),
                                      prepost_chance_min=("chance", "min"))
    return wide.join(pis, how="outer").join(angles, how="outer").reset_index()


UNSTABLE_GROWTH = 100.0
"""A linear (theta = pi/4) simulation whose largest rate exceeds this many times the
ReLU simulation's is counted as growing without bound: the linear PI claim leaves the
network out as not measurable (``linear_bounded`` of :func:`network_table`)."""


# why a network's PI at pi/4 measures nothing the claims ask about
_LINEAR_DIVERGES = (f"the linear (theta = pi/4) network diverges (largest rate over "
                    f"{UNSTABLE_GROWTH:g} times the ReLU network's) untrained or trained, and "
                    "its PI then measures that growth")

LATENT_CLAIMS: tuple[ClaimSpec, ...] = (
    ClaimSpec("pi_relu", "trained PI < untrained PI at theta = 0 (ReLU)", "5.1",
              "maximal PI of a d-dim DCA projection at theta = 0, trained minus untrained "
              "(nats)", "pi_theta0_trained", other="pi_theta0_untrained", alternative="less",
              kind="paired"),
    ClaimSpec("pi_linear", "trained PI >= untrained PI at theta = pi/4 (linear)", "5.1",
              "maximal PI at theta = pi/4, trained minus untrained (nats); tested as "
              "'greater'", "pi_thetamax_trained", other="pi_thetamax_untrained", kind="paired",
              measurable="linear_bounded", unmeasurable_reason=_LINEAR_DIVERGES),
    ClaimSpec("pi_gap_grows", "the trained-minus-untrained PI gap grows from theta = 0 to "
              "pi/4", "5.1", "PI gap (trained minus untrained) at pi/4 minus that at 0 (nats)",
              "pi_gap_thetamax", other="pi_gap_theta0", kind="paired",
              measurable="linear_bounded", unmeasurable_reason=_LINEAR_DIVERGES),
    ClaimSpec("prepost_orthogonal", "DCA subspaces before and after training are nearly "
              "orthogonal in the first dimensions", "5.2",
              "smallest principal angle between the untrained and trained DCA subspaces "
              "(degrees), vs the threshold", "prepost_min_angle", kind="one_sample",
              reference="orthogonal_deg"),
    ClaimSpec("conditions_unchanged", "condition-subspace angles barely change with training",
              "5.2", "|trained - untrained| mean principal angle between the two condition "
              "subspaces (degrees), vs the margin", "condition_angle_mean_trained",
              other="condition_angle_mean_untrained", reference="unchanged_margin_deg",
              alternative="less", absolute=True, kind="paired"),
    ClaimSpec("readout_dca_away", "the DCA latent space moves away from the readout with "
              "training", "5.3", "angle between W_out and the DCA subspace, trained minus "
              "untrained (degrees)", "readout_dca_trained", other="readout_dca_untrained",
              kind="paired"),
    ClaimSpec("readout_pca_away", "the PCA latent space moves away from the readout with "
              "training", "5.3", "angle between W_out and the PCA subspace, trained minus "
              "untrained (degrees)", "readout_pca_trained", other="readout_pca_untrained",
              kind="paired"),
    ClaimSpec("dca_beyond_pca", "DCA is further from the readout than PCA (trained)", "5.3",
              "angle between W_out and the DCA subspace minus that to the PCA subspace, "
              "trained networks (degrees)", "readout_dca_trained", other="readout_pca_trained",
              kind="paired"),
    ClaimSpec("dca_unique", "DCA solutions are (mostly) unique across restarts", "1 (4th "
              "hypothesis)", "share of random starts ending within the uniqueness angle of "
              "the best subspace found (by any start, warm starts included), vs 1/2",
              "unique_share_{state}", kind="one_sample", reference=0.5, states=STATES),
)
"""The claims of the latent claims table, in its row order."""

def _note(part: pd.DataFrame, claim: ClaimSpec, thresholds: dict[str, float],
          state: str | None) -> str:
    """A sentence of context: the levels that a difference alone hides."""
    m = part.mean(numeric_only=True)
    if claim.key == "dca_unique":
        every = int((part[f"unique_share_{state}"] >= 1.0).sum())
        return (f"{every} of {len(part)} networks with every start on the best subspace; "
                f"mean PI spread over starts {m[f'pi_spread_{state}']:.3g} nats")
    if claim.key in ("pi_relu", "pi_linear"):
        end = "theta0" if claim.key == "pi_relu" else "thetamax"
        text = (f"mean PI untrained {m[f'pi_{end}_untrained']:.3g}, "
                f"trained {m[f'pi_{end}_trained']:.3g} nats")
        if claim.key == "pi_linear":
            text += "; equality cannot be shown by this test, only a strict increase"
            if "max_rate_thetamax_trained" in part.columns:
                # a linear network with an eigenvalue beyond the stability line grows
                # exponentially, and its PI then measures that growth
                grows = {s: int((part[f"max_rate_thetamax_{s}"]
                                 > UNSTABLE_GROWTH * part[f"max_rate_theta0_{s}"]).sum())
                         for s in ("untrained", "trained")}
                text += (f"; rates grow over {UNSTABLE_GROWTH:g}-fold in the linear network "
                         f"in {grows['trained']} trained and {grows['untrained']} untrained of "
                         f"{len(part)}")
        return text
    if claim.key == "prepost_orthogonal":
        return (f"threshold {thresholds['orthogonal_deg']:g} deg; mean of all d angles "
                f"{m['prepost_mean_angle']:.3g} deg; two random subspaces: smallest angle "
                f"{m['prepost_chance_min']:.3g} deg")
    if claim.key == "conditions_unchanged":
        return (f"margin {thresholds['unchanged_margin_deg']:g} deg; mean angle untrained "
                f"{m['condition_angle_mean_untrained']:.3g}, trained "
                f"{m['condition_angle_mean_trained']:.3g} deg")
    if claim.key.startswith("readout") or claim.key == "dca_beyond_pca":
        return (f"mean DCA {m['readout_dca_untrained']:.3g} -> {m['readout_dca_trained']:.3g}, "
                f"PCA {m['readout_pca_untrained']:.3g} -> {m['readout_pca_trained']:.3g} deg; "
                f"chance {m['readout_chance_untrained']:.3g} deg")
    return ""


def latent_claims(table: pd.DataFrame, *, orthogonal_deg: float, unchanged_margin_deg: float,
                  claims: Sequence[ClaimSpec] = LATENT_CLAIMS, alpha: float | None = None,
                  n_boot: int = 10_000, seed: int = 0) -> pd.DataFrame:
    """The latent claims table: one row per claim and task (and state, where per state).

    Parameters
    ----------
    table : DataFrame
        :func:`network_table`'s output.
    orthogonal_deg : float
        "Nearly orthogonal": smallest principal angle above this, degrees.
    unchanged_margin_deg : float
        "Barely changes": absolute change below this, degrees.
    claims : sequence of ClaimSpec
    alpha, n_boot, seed
        Test level (default: the project's :data:`.stats.ALPHA`), bootstrap resamples
        and seed (:func:`.stats.claim_row`).

    Returns
    -------
    DataFrame with :data:`.stats.CLAIMS_COLUMNS`; claims read ``"<task>: <text>"``
    (``"<task>, <state>: <text>"`` per state), tasks in name order.
    """
    thresholds = {"orthogonal_deg": orthogonal_deg, "unchanged_margin_deg": unchanged_margin_deg}
    table = table.assign(
        pi_gap_theta0=table["pi_theta0_trained"] - table["pi_theta0_untrained"],
        pi_gap_thetamax=table["pi_thetamax_trained"] - table["pi_thetamax_untrained"],
    )
    return evaluate_claims(
        claims, table, thresholds=thresholds,
        note=lambda part, claim, state: _note(part, claim, thresholds, state),
        alpha=alpha, n_boot=n_boot, seed=seed)
