"""Predictive information of the linearised dynamics at the stable points (section 6, question 5).

The report asks whether a notion of task complexity follows from linearising the
dynamics around the fixed and slow points a network visits while it does the task, and
measuring predictive information there, and whether such a measure is consistent across
networks trained on the same task. Near a stable point ``x*`` found at a constant input
(the slow-point stage's points, found from the simulated trials), the noisy network is,
to first order, an Ornstein-Uhlenbeck process

    dx = J x dt + B dW,    J = (-I + D W_rec) / tau,

with ``x = r - x*``, ``D`` the diagonal 0/1 pattern of units active at the point and ``B
B^T = Q`` the noise covariance. Its stationary covariance ``S`` solves the continuous
Lyapunov equation ``J S + S J^T + Q = 0`` (it exists when every eigenvalue of ``J`` has a
negative real part), and the state ``lag`` later is ``x_{t+lag} = e^{J lag} x_t + e`` with
``e`` Gaussian, independent of ``x_t``, of covariance ``C = S - e^{J lag} S e^{J^T lag} =
int_0^lag e^{J s} Q e^{J^T s} ds``. The predictive information at the lag is the mutual
information of two Gaussian vectors (:func:`predictive_information`):

    I(x_t; x_{t+lag}) = 1/2 log det S - 1/2 log det C    (nats).

For one mode of rate ``lambda < 0`` this is ``-1/2 log(1 - e^{2 lambda lag})``: a fast
mode (``lambda lag << -1``) carries almost none, a slow one (``lambda -> 0``) grows without
bound, logarithmically. For a normal ``J`` the modes add. ``I`` does not depend on the
noise amplitude: ``Q -> c Q`` scales ``S`` and ``C`` by ``c`` and the two log
determinants by the same ``n log c``. So ``sigma`` drops out and only the shape of ``Q``
matters.

Which noise. The model's noise is isotropic in the pre-activation (``m = W_rec r + W_in u
+ b + noise``); linearised, it reaches the rates through ``D``: ``Q`` is proportional to
``D``, and a unit inactive at the point receives none. Its deviation then decays to 0 and
stays there (its row of ``J`` is ``-1/tau`` on the diagonal alone), so the process lives
on the active units, with ``J_AA = (-I + W_AA) / tau`` and ``Q = I`` there: that is
``noise="preactivation"`` (the default; exact for the linearised model). ``noise=
"isotropic"`` drives every unit alike (``Q = I`` on all ``N``), the textbook form, which
adds the inactive units' decay and their coupling into the active ones. The task's input
noise (through ``W_in``, correlated across units) is left out of both.

Which points. Exact fixed points whose kind is "stable" (stable on every side of any ReLU
kink they sit on) and slow regions whose slowest rate (largest real part of the
Jacobian's eigenvalues, at the stored activation pattern) is negative; by default at the
task's analysed inputs only, not the autonomous network (u = 0, the pre-input baseline,
alike for every task).

One number per network (:func:`network_values`): the mean over the analysed inputs that
have a stable point of the mean over that input's stable points; inputs with none are
counted and left out.

Units: time in ms (``lag``, ``tau``); rates in the tables in 1/s; information in nats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import expm, solve_continuous_lyapunov

from .slowpoints.dynamics import linearised_jacobian

__all__ = [
    "INFORMATION_CLAIM_KEYS",
    "NOISES",
    "POINT_COLUMNS",
    "consistency_claim",
    "information_claims",
    "lag_covariance",
    "network_information",
    "network_values",
    "ordering_claim",
    "point_information",
    "predictive_information",
    "spearman_rho",
    "stable_points",
    "stationary_covariance",
    "task_summary",
    "variance_ratio",
]

PER_SECOND = 1000.0
"""The slow-point artifacts' eigenvalues are in 1/ms; the tables use 1/s."""

NOISES = ("preactivation", "isotropic")
"""The noise covariances :func:`point_information` knows (see the module's text)."""

Noise = Literal["preactivation", "isotropic"]

INFORMATION_CLAIM_KEYS = ("predictive_information_consistent",
                          "predictive_information_orders_dimension")
"""The keys of :func:`information_claims`' rows."""


# ----------------------------------------------------------------------------- one process


def _slowest_rate(J: NDArray[np.float64]) -> float:
    return float(np.linalg.eigvals(J).real.max())


def _checked(J: ArrayLike, Q: ArrayLike | None) -> tuple[NDArray[np.float64],
                                                          NDArray[np.float64]]:
    """``J`` (n, n) and ``Q`` (identity if None) as arrays; refuses a ``J`` that is not
    stable (no stationary distribution) and a ``Q`` that does not match it."""
    J = np.atleast_2d(np.asarray(J, dtype=float))
    if J.ndim != 2 or J.shape[0] != J.shape[1]:
        raise ValueError(f"J must be square, got shape {J.shape}")
    Q = np.eye(J.shape[0]) if Q is None else np.atleast_2d(np.asarray(Q, dtype=float))
    if Q.shape != J.shape:
        raise ValueError(f"Q has shape {Q.shape}, J {J.shape}")
    rate = _slowest_rate(J)
    if not rate < 0:
        raise ValueError(f"J is not stable (largest real part of its eigenvalues {rate:.3g} "
                         ">= 0): the Ornstein-Uhlenbeck process has no stationary covariance")
    return J, Q


def stationary_covariance(J: ArrayLike, Q: ArrayLike | None = None) -> NDArray[np.float64]:
    """Stationary covariance ``S`` of ``dx = J x dt + B dW``, ``B B^T = Q``.

    Parameters
    ----------
    J : array, shape (n, n)
        Drift, 1/time; every eigenvalue's real part must be negative.
    Q : array, shape (n, n), optional
        Noise covariance per unit time (identity if None).

    Returns
    -------
    array, shape (n, n)
        The solution of ``J S + S J^T + Q = 0``, symmetrised.
    """
    J, Q = _checked(J, Q)
    S = solve_continuous_lyapunov(J, -Q)
    return (S + S.T) / 2


def lag_covariance(J: ArrayLike, lag: float, Q: ArrayLike | None = None
                   ) -> NDArray[np.float64]:
    """Covariance of ``x_{t+lag}`` given ``x_t``: ``int_0^lag e^{J s} Q e^{J^T s} ds``.

    Van Loan's (1978) block exponential, which needs no subtraction of two nearly equal
    matrices (``S - e^{J lag} S e^{J^T lag}`` loses digits along modes much slower than
    ``1 / lag``): the top-right block of ``expm([[-J, Q], [0, J^T]] t)`` is ``F12``, the
    bottom-right ``e^{J^T t}``, and the integral to ``t`` is ``e^{J t} F12``. The block
    holds ``e^{-J t}``, which overflows the digits of the slow modes when ``|J| t`` is
    large, so it is taken over a step ``t = lag / 2^k`` with ``|J| t <= 1`` and doubled
    ``k`` times: ``C(2t) = C(t) + e^{J t} C(t) e^{J^T t}``, sums of positive
    semi-definite matrices.

    Parameters
    ----------
    J, Q : see :func:`stationary_covariance`
    lag : float, > 0
        In the units of ``1 / J``.
    """
    J, Q = _checked(J, Q)
    if not lag > 0:
        raise ValueError(f"lag must be positive, got {lag}")
    n = J.shape[0]
    scale = float(np.abs(J).sum(axis=0).max()) * lag
    doublings = max(0, int(np.ceil(np.log2(scale)))) if scale > 0 else 0
    step = lag / 2**doublings
    E = expm(np.block([[-J, Q], [np.zeros((n, n)), J.T]]) * step)
    A = E[n:, n:].T  # e^{J step}
    C = A @ E[:n, n:]
    for _ in range(doublings):
        C = C + A @ C @ A.T
        A = A @ A
    return (C + C.T) / 2


def _log_det(M: NDArray[np.float64]) -> float:
    """log det of a symmetric positive definite matrix (Cholesky); NaN if it is not."""
    try:
        L = np.linalg.cholesky(M)
    except np.linalg.LinAlgError:
        return float("nan")
    return float(2 * np.log(np.diag(L)).sum())


def predictive_information(J: ArrayLike, lag: float, Q: ArrayLike | None = None) -> float:
    """``I(x_t; x_{t+lag})`` of the stationary Ornstein-Uhlenbeck process, in nats.

    ``1/2 log det S - 1/2 log det C`` with ``S`` :func:`stationary_covariance` and ``C``
    :func:`lag_covariance`. Independent of the scale of ``Q``.

    Parameters
    ----------
    J : array, shape (n, n)
        Drift (1/time), stable: a ``J`` with an eigenvalue of real part >= 0 is refused
        (ValueError).
    lag : float, > 0
        In the units of ``1 / J``.
    Q : array, shape (n, n), optional
        Noise covariance (identity if None), positive definite.

    Returns
    -------
    float, >= 0
    """
    S = stationary_covariance(J, Q)
    C = lag_covariance(J, lag, Q)
    log_det_S, log_det_C = _log_det(S), _log_det(C)
    if not (np.isfinite(log_det_S) and np.isfinite(log_det_C)):
        raise ValueError("the stationary or the lagged covariance is not positive definite "
                         "(is Q positive definite?)")
    return 0.5 * (log_det_S - log_det_C)


# ----------------------------------------------------------------------------- one network


def point_information(W_rec: ArrayLike, pattern: ArrayLike, tau: float, lag: float,
                      noise: Noise = "preactivation") -> dict[str, float]:
    """Predictive information of the network linearised at one point.

    Parameters
    ----------
    W_rec : array, shape (N, N)
    pattern : array of bool, shape (N,)
        Units active at the point.
    tau, lag : float
        ms.
    noise : {"preactivation", "isotropic"}
        ``"preactivation"``: the model's noise, through the active units (the process
        on the active units, ``J_AA`` and ``Q = I``); ``"isotropic"``: ``Q = I`` on all
        units with the whole ``J``.

    Returns
    -------
    dict
        ``information`` (nats), ``slowest_rate`` (1/s: the largest real part of ``J``'s
        eigenvalues; those of ``J_AA`` and ``-1/tau``), ``n_active``.
    """
    if noise not in NOISES:
        raise ValueError(f"noise must be one of {NOISES}, got {noise!r}")
    d = np.asarray(pattern, dtype=bool)
    active = np.flatnonzero(d)
    W = np.asarray(W_rec, dtype=float)
    if noise == "preactivation":
        J = (W[np.ix_(active, active)] - np.eye(active.size)) / float(tau)
        # an inactive unit's mode decays at 1/tau whatever the others do
        rate = max(_slowest_rate(J) if active.size else -np.inf, -1.0 / float(tau))
        information = predictive_information(J, lag) if active.size else 0.0
    else:
        J = linearised_jacobian(W, d, tau)
        rate = _slowest_rate(J)
        information = predictive_information(J, lag)
    return {"information": float(information), "slowest_rate": rate * PER_SECOND,
            "n_active": int(active.size)}


def stable_points(points: pd.DataFrame, autonomous: ArrayLike, *,
                  include_autonomous: bool = False) -> pd.DataFrame:
    """The stable fixed points and stable slow regions of one network in one state.

    Parameters
    ----------
    points : DataFrame
        ``slowpoints_{state}.parquet``: ``condition``, ``method``, ``kind``,
        ``max_real_eig`` (1/ms), ``location``.
    autonomous : array of bool, shape (C,)
        ``condition_autonomous`` of ``slowpoints_{state}.npz``: which conditions are the
        autonomous network (u = 0).
    include_autonomous : bool
        Keep the autonomous network's points.

    Returns
    -------
    DataFrame
        The rows of ``points`` that are exact fixed points of kind ``"stable"`` or slow
        regions (``method == "slow"``) with ``max_real_eig < 0``, at the analysed
        conditions.
    """
    autonomous = np.asarray(autonomous, dtype=bool)
    exact = (points["method"] == "exact") & (points["kind"] == "stable")
    slow = (points["method"] == "slow") & (points["max_real_eig"] < 0)
    at = points["condition"].to_numpy(dtype=int)
    analysed = np.ones(len(points), dtype=bool) if include_autonomous else ~autonomous[at]
    return points[(exact | slow).to_numpy() & analysed]


POINT_COLUMNS = ("condition", "label", "point", "method", "location", "n_stable_points",
                 "n_active", "slowest_rate", "information", "information_per_unit")
"""Columns of :func:`network_information`'s table after the inputs (``input1`` ...)."""


def network_information(points: pd.DataFrame, patterns: ArrayLike, autonomous: ArrayLike,
                        W_rec: ArrayLike, tau: float, lag: float, *,
                        noise: Noise = "preactivation", include_autonomous: bool = False
                        ) -> pd.DataFrame:
    """Predictive information at every stable point of one network in one state.

    Parameters
    ----------
    points : DataFrame
        ``slowpoints_{state}.parquet`` (as for :func:`stable_points`, and ``label``,
        ``point``, ``input1`` ...).
    patterns : array of bool, shape (P, N)
        ``patterns`` of ``slowpoints_{state}.npz`` (rows named by ``location``).
    autonomous : array of bool, shape (C,)
        ``condition_autonomous`` of ``slowpoints_{state}.npz``.
    W_rec : array, shape (N, N)
        The network's recurrent weights in that state.
    tau, lag : float
        ms.
    noise, include_autonomous
        See :func:`point_information` and :func:`stable_points`.

    Returns
    -------
    DataFrame
        One row per stable point: ``input1`` ... and :data:`POINT_COLUMNS`
        (``n_stable_points``: the stable points at its input; ``slowest_rate`` in 1/s;
        ``information`` in nats; ``information_per_unit``, over ``n_active``: each
        active unit adds a mode, and the value grows with their number).
    """
    chosen = stable_points(points, autonomous, include_autonomous=include_autonomous)
    patterns = np.asarray(patterns, dtype=bool)
    inputs = sorted((c for c in points.columns if c.startswith("input") and c[5:].isdigit()),
                    key=lambda c: int(c[5:]))
    per_input = chosen["condition"].value_counts()
    rows = []
    for row in chosen.sort_values(["condition", "method", "point"]).to_dict("records"):
        found = point_information(W_rec, patterns[int(row["location"])], tau, lag, noise)
        rows.append({**{c: float(row[c]) for c in inputs}, "condition": int(row["condition"]),
                     "label": str(row["label"]), "point": int(row["point"]),
                     "method": str(row["method"]), "location": int(row["location"]),
                     "n_stable_points": int(per_input[row["condition"]]), **found,
                     "information_per_unit": found["information"] / found["n_active"]
                     if found["n_active"] else np.nan})
    return pd.DataFrame(rows, columns=[*inputs, *POINT_COLUMNS])


def network_values(table: pd.DataFrame, n_inputs: Mapping[tuple[str, str, str], int]
                   ) -> pd.DataFrame:
    """One value per network and state: the mean over inputs of the mean over points.

    Parameters
    ----------
    table : DataFrame
        :func:`network_information`'s rows of every network, with ``task``, ``net``,
        ``state``.
    n_inputs : mapping
        (task, net, state) -> the number of analysed inputs of that network (also those
        without a stable point); every network of the run, with points or without.

    Returns
    -------
    DataFrame
        One row per (task, net, state) of ``n_inputs``, in its order: ``inputs``
        (analysed), ``inputs_with_points``, ``inputs_without_points``, ``points``,
        ``information`` (NaN where no input has a stable point), ``information_min``,
        ``information_max`` (over the inputs' means), ``slowest_rate`` (1/s, the
        largest over the points), ``n_active`` (units active at a point, the mean
        over the points: each active unit adds a mode, so the value grows with it) and
        ``information_per_unit`` (the same mean of the points' information over their
        ``n_active``).
    """
    rows = []
    groups = dict(list(table.groupby(["task", "net", "state"], sort=False))) if len(table) \
        else {}
    for (task, net, state), count in n_inputs.items():
        part = groups.get((task, net, state))
        if part is None or part.empty:
            means = pd.Series(dtype=float)
            points, rate, active, per_unit = 0, np.nan, np.nan, np.nan
        else:
            means = part.groupby("condition")["information"].mean()
            points, rate = len(part), float(part["slowest_rate"].max())
            active = float(part["n_active"].mean())
            per_unit = float(part.groupby("condition")["information_per_unit"].mean().mean())
        rows.append({"task": task, "net": net, "state": state, "inputs": int(count),
                     "inputs_with_points": len(means),
                     "inputs_without_points": int(count) - len(means), "points": points,
                     "information": float(means.mean()) if len(means) else np.nan,
                     "information_min": float(means.min()) if len(means) else np.nan,
                     "information_max": float(means.max()) if len(means) else np.nan,
                     "slowest_rate": rate, "n_active": active,
                     "information_per_unit": per_unit})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- summaries


def _percentile_interval(replicates: NDArray[np.float64], confidence: float
                         ) -> tuple[float, float]:
    # a resample without spread within its groups has an infinite F: it stays, as +inf
    kept = replicates[~np.isnan(replicates)]
    if kept.size == 0:
        return float("nan"), float("nan")
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(kept, [tail, 100 - tail], method="inverted_cdf")
    return float(low), float(high)


def _median(part: pd.DataFrame, column: str) -> float:
    """Median of a column over networks, NaNs left out (NaN for none or no column)."""
    if column not in part:
        return float("nan")
    values = part[column].to_numpy(dtype=float)
    return float(np.median(values[np.isfinite(values)])) if np.isfinite(values).any() \
        else float("nan")


def task_summary(values: pd.DataFrame, kinds: Mapping[str, str],
                 dimensions: Mapping[str, Sequence], *, confidence: float = 0.95,
                 n_boot: int = 10_000, seed: int = 0) -> pd.DataFrame:
    """Median per-network value per task and state, with its interval.

    Parameters
    ----------
    values : DataFrame
        :func:`network_values`' output.
    kinds : mapping
        Task -> kind, in the order of the rows.
    dimensions : mapping
        Task -> (family, D) of the complexity sweep's tasks.

    Returns
    -------
    DataFrame
        One row per task and state (untrained first): ``task``, ``kind``, ``family``,
        ``dimension`` (NaN outside a sweep), ``state``, ``networks`` (with a value),
        ``networks_without_value``, ``inputs_without_points`` (summed over networks),
        ``median`` and its percentile bootstrap interval ``median_low``, ``median_high``
        (networks resampled), ``mean`` and its BCa interval ``mean_low``,
        ``mean_high``, ``slowest_rate`` (median over networks, 1/s), ``n_active`` and
        ``median_per_unit`` (medians over networks of ``n_active`` and
        ``information_per_unit``).
    """
    from .stats import bootstrap_ci

    rng = np.random.default_rng(seed)
    rows = []
    for task, kind in kinds.items():
        family, dimension = dimensions.get(task, (None, np.nan))
        for state in ("untrained", "trained"):
            part = values[(values["task"] == task) & (values["state"] == state)]
            if part.empty:
                continue
            x = part["information"].to_numpy(dtype=float)
            x = x[np.isfinite(x)]
            if x.size:
                boot = np.median(x[rng.integers(0, x.size, (n_boot, x.size))], axis=1)
                median_ci = _percentile_interval(boot, confidence)
            else:
                median_ci = (np.nan, np.nan)
            mean_ci = bootstrap_ci(x, confidence, n_boot, seed)
            rows.append({
                "task": task, "kind": kind, "family": family, "dimension": float(dimension),
                "state": state, "networks": int(x.size),
                "networks_without_value": len(part) - int(x.size),
                "inputs_without_points": int(part["inputs_without_points"].sum()),
                "median": float(np.median(x)) if x.size else np.nan,
                "median_low": median_ci[0], "median_high": median_ci[1],
                "mean": float(x.mean()) if x.size else np.nan,
                "mean_low": mean_ci[0], "mean_high": mean_ci[1],
                "slowest_rate": _median(part, "slowest_rate"),
                "n_active": _median(part, "n_active"),
                "median_per_unit": _median(part, "information_per_unit")})
    return pd.DataFrame(rows)


def _mean_squares(arrays: Sequence[NDArray[np.float64]]) -> tuple[float, float, float]:
    """(F, ICC(1), n0) of a one-way layout (see :func:`variance_ratio`)."""
    k, n = len(arrays), sum(a.size for a in arrays)
    grand = np.concatenate(arrays).mean()
    ms_between = sum(a.size * (a.mean() - grand) ** 2 for a in arrays) / (k - 1)
    ms_within = sum(((a - a.mean()) ** 2).sum() for a in arrays) / (n - k)
    n0 = (n - sum(a.size**2 for a in arrays) / n) / (k - 1)
    if ms_within > 0:
        F = ms_between / ms_within
    else:  # no spread within tasks: infinitely consistent, or nothing to compare
        F = np.inf if ms_between > 0 else np.nan
    denominator = ms_between + (n0 - 1) * ms_within
    icc = (ms_between - ms_within) / denominator if denominator > 0 else np.nan
    return float(F), float(icc), float(n0)


def variance_ratio(groups: Sequence[ArrayLike]) -> dict[str, float]:
    """One-way ANOVA of one value per network, grouped by task.

    Parameters
    ----------
    groups : sequence of arrays
        The values of each task's networks (two or more groups of two or more values).

    Returns
    -------
    dict
        ``F``, the between-task over the within-task mean square; ``p_greater`` and
        ``p_less``, its upper and lower tail under the F distribution with (k - 1,
        n - k) degrees of freedom; ``icc``, the intraclass correlation ICC(1) =
        (MSB - MSW) / (MSB + (n0 - 1) MSW), the share of the variance that lies between
        tasks (n0 the size of a group, adjusted for unequal sizes); ``df_between``,
        ``df_within``.
    """
    from scipy.stats import f as f_distribution

    arrays = [np.asarray(g, dtype=float) for g in groups]
    k, n = len(arrays), sum(a.size for a in arrays)
    if k < 2 or min(a.size for a in arrays) < 2:
        raise ValueError("an ANOVA needs two groups or more of two values or more")
    F, icc, _ = _mean_squares(arrays)
    return {"F": F, "p_greater": float(f_distribution.sf(F, k - 1, n - k)),
            "p_less": float(f_distribution.cdf(F, k - 1, n - k)), "icc": icc,
            "df_between": k - 1, "df_within": n - k}


def spearman_rho(x: ArrayLike, y: ArrayLike) -> NDArray[np.float64] | float:
    """Spearman's rank correlation of ``x`` (n,) with each row of ``y`` (..., n); ties get
    average ranks. NaN where either has no spread."""
    from scipy.stats import rankdata

    rx = rankdata(np.asarray(x, dtype=float))
    ry = rankdata(np.asarray(y, dtype=float), axis=-1)
    rx, ry = rx - rx.mean(), ry - ry.mean(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = (ry @ rx) / np.sqrt((ry**2).sum(axis=-1) * (rx**2).sum())
    return float(rho) if np.ndim(rho) == 0 else rho


# ----------------------------------------------------------------------------- claims


def _row(**fields: object) -> dict[str, object]:
    """A claims row (:data:`.stats.CLAIMS_COLUMNS`) with its unadjusted verdict."""
    from .stats import UNADJUSTED, decide_verdict

    row = {"effect_size": "", "effect": np.nan, "effect_low": np.nan, "effect_high": np.nan,
           "test": "", "alternative": "greater", "reference": 0.0, "p_value": np.nan,
           "p_opposite": np.nan, "equivalence_margin": 0.0, "p_equivalence": np.nan,
           "p_adjusted": np.nan, "p_equivalence_adjusted": np.nan, "p_family": UNADJUSTED,
           "mean": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n": 0, "reason": "",
           "notes": "", "verdict": "", **fields}
    if row["verdict"] == "not measurable":
        return row
    row["p_adjusted"] = float(np.fmin(row["p_value"], row["p_opposite"]))
    row["verdict"], row["reason"] = decide_verdict(
        p_value=row["p_value"], p_opposite=row["p_opposite"], p_adjusted=row["p_adjusted"],
        p_equivalence=np.nan, p_equivalence_adjusted=np.nan, alternative=row["alternative"],
        ci_low=row["ci_low"], ci_high=row["ci_high"], reference=row["reference"])
    return row


def consistency_claim(values: pd.DataFrame, state: str, *, confidence: float = 0.95,
                      n_boot: int = 10_000, seed: int = 0) -> dict[str, object]:
    """Is the per-network value consistent within a task: does the between-task variance
    exceed the within-task variance? One claims row for one state.

    The tasks with two networks or more with a value enter a one-way ANOVA
    (:func:`variance_ratio`): the estimate is F (null value 1), its interval a percentile
    bootstrap resampling networks within each task; the test is the F test (upper tail;
    the lower tail is the opposite test, "reversed": networks of one task differ more
    than tasks do); the effect is ICC(1), with the same resamples. Not measurable with
    fewer than two such tasks.
    """
    part = values[(values["state"] == state) & np.isfinite(values["information"])]
    groups = {task: g["information"].to_numpy(dtype=float)
              for task, g in part.groupby("task", sort=True)}
    kept = {task: g for task, g in groups.items() if g.size >= 2}
    left_out = sorted(set(values.loc[values["state"] == state, "task"]) - set(kept))
    fields = dict(
        key=INFORMATION_CLAIM_KEYS[0], task="", state=state, section="6 (Q5)",
        claim=f"{state}: the linearised predictive information is consistent across the "
              "networks of a task (its between-task variance exceeds its within-task "
              "variance)",
        statistic="one value per network (predictive information at the stable points, "
                  "mean over inputs); ANOVA F of between- over within-task mean squares",
        reference=1.0, alternative="greater", n=sum(g.size for g in kept.values()),
        notes=(f"tasks {', '.join(kept)}" if kept else "no task")
        + (f"; left out (fewer than two networks with a value): {', '.join(left_out)}"
           if left_out else ""))
    if len(kept) < 2:
        return _row(**fields, verdict="not measurable",
                    reason="fewer than two tasks with two networks or more with a value")
    found = variance_ratio(list(kept.values()))
    rng = np.random.default_rng(seed)
    F_boot, icc_boot = np.empty(n_boot), np.empty(n_boot)
    for b in range(n_boot):
        drawn = [g[rng.integers(0, g.size, g.size)] for g in kept.values()]
        F_boot[b], icc_boot[b], _ = _mean_squares(drawn)
    ci = _percentile_interval(F_boot, confidence)
    icc_ci = _percentile_interval(icc_boot, confidence)
    fields["notes"] += (f"; F({found['df_between']}, {found['df_within']}) = "
                        f"{found['F']:.3g}; percentile bootstrap interval, networks "
                        "resampled within tasks")
    return _row(**fields, mean=found["F"], ci_low=ci[0], ci_high=ci[1], effect_size="ICC(1)",
                effect=found["icc"], effect_low=icc_ci[0], effect_high=icc_ci[1],
                test="one-way ANOVA F test (upper tail)", p_value=found["p_greater"],
                p_opposite=found["p_less"])


def ordering_claim(values: pd.DataFrame, family: str, members: Mapping[str, int],
                   state: str, *, confidence: float = 0.95, n_boot: int = 10_000,
                   n_permutations: int = 10_000, seed: int = 0) -> dict[str, object]:
    """Does the per-network value grow with the input dimension D within one family of the
    complexity sweep? One claims row for one family and state.

    Spearman's rho between D and the per-network value over the family's networks
    (estimate and effect); a permutation test (values permuted across networks,
    one-sided in each direction, p = (1 + count) / (1 + permutations)); a percentile
    bootstrap interval resampling networks within each D. ``supported`` if it orders the
    tasks positively, ``reversed`` if negatively; not measurable with fewer than two D
    values.

    Parameters
    ----------
    members : mapping
        The family's tasks -> D.
    """
    part = values[(values["state"] == state) & values["task"].isin(list(members))
                  & np.isfinite(values["information"])]
    D = part["task"].map(members).to_numpy(dtype=float)
    y = part["information"].to_numpy(dtype=float)
    ordered = sorted(members, key=lambda t: (members[t], t))
    fields = dict(
        key=INFORMATION_CLAIM_KEYS[1], task=f"{family}: {', '.join(ordered)}", state=state,
        section="6 (Q5)",
        claim=f"{family}, {state}: the linearised predictive information grows with the "
              "input dimension D",
        statistic="Spearman's rho between D and the per-network predictive information",
        reference=0.0, alternative="greater", n=int(y.size),
        notes=", ".join(f"D = {members[t]}: {int((part['task'] == t).sum())} networks"
                        for t in ordered))
    if np.unique(D).size < 2:
        return _row(**fields, verdict="not measurable",
                    reason="fewer than two input dimensions with networks")
    rho = spearman_rho(D, y)
    rng = np.random.default_rng(seed)
    permuted = spearman_rho(D, y[np.argsort(rng.random((n_permutations, y.size)), axis=1)])
    where = [np.flatnonzero(D == d) for d in np.unique(D)]
    drawn = np.concatenate([w[rng.integers(0, w.size, (n_boot, w.size))] for w in where],
                           axis=1)
    boot = spearman_rho(D[np.concatenate(where)], y[drawn])
    ci = _percentile_interval(np.asarray(boot), confidence)
    greater = (1 + np.count_nonzero(permuted >= rho - 1e-12)) / (1 + n_permutations)
    less = (1 + np.count_nonzero(permuted <= rho + 1e-12)) / (1 + n_permutations)
    return _row(**fields, mean=rho, ci_low=ci[0], ci_high=ci[1], effect_size="Spearman's rho",
                effect=rho, effect_low=ci[0], effect_high=ci[1],
                test=f"permutation test of Spearman's rho ({n_permutations} permutations, "
                     "one-sided)", p_value=float(greater), p_opposite=float(less))


def information_claims(values: pd.DataFrame, dimensions: Mapping[str, Sequence], *,
                       confidence: float = 0.95, n_boot: int = 10_000,
                       n_permutations: int = 10_000, seed: int = 0) -> pd.DataFrame:
    """Every claim of question 5, verdicts unadjusted: the consistency claim per state,
    then the ordering claim per family of the complexity sweep and state (one row per
    state saying it is not measurable where no family runs at two dimensions or more).

    Parameters
    ----------
    values : DataFrame
        :func:`network_values`' output.
    dimensions : mapping
        Task -> (family, D) of the sweep's tasks (``TASK_DIMENSIONS``).

    Returns
    -------
    A claims table (:data:`.stats.CLAIMS_COLUMNS`).
    """
    from .stats import claims_table

    options = {"confidence": confidence, "n_boot": n_boot, "seed": seed}
    states = [s for s in ("untrained", "trained") if (values["state"] == s).any()]
    rows = [consistency_claim(values, state, **options) for state in states]
    run = set(values["task"])
    families: dict[str, dict[str, int]] = {}
    for task, (family, dimension) in dimensions.items():
        if task in run:
            families.setdefault(str(family), {})[task] = int(dimension)
    for state in states:
        for family in sorted(families):
            rows.append(ordering_claim(values, family, families[family], state,
                                       n_permutations=n_permutations, **options))
        if not families:
            rows.append(_row(
                key=INFORMATION_CLAIM_KEYS[1], task="", state=state, section="6 (Q5)",
                claim=f"{state}: the linearised predictive information grows with the input "
                      "dimension D",
                statistic="Spearman's rho between D and the per-network predictive "
                          "information", verdict="not measurable",
                reason="no task of this run belongs to a complexity-sweep family",
                notes="run config/complexity.yaml for the families"))
    return claims_table(rows)
