"""How the number of fixed points, saddles and slow regions grows with task complexity.

The report's section 6, question 2, asks whether the number of fixed points and saddles
grows with the complexity of the task, and at what rate. A complexity sweep trains one
family of tasks at several input dimensions D (``distance`` and ``farther`` at D = 1,
2, 3, ...; one unit count for all, so that N does not confound D) and counts, in every
network, the points per analysed constant input (the slow-point analysis's per-network
means, ``slow_point_networks``).

Per family, state and quantity this module

- summarises the counts at each D (mean and BCa interval over networks);
- fits two growth models to the per-network counts by least squares, linear
  ``count = a + b D`` and exponential ``count = a exp(b D)``, and keeps the one with the
  smaller residual sum of squares (both have two parameters, so this is also the
  smaller AIC); the growth rate is ``b`` (points per dimension, or the log growth
  factor per dimension), with a percentile interval from a bootstrap that resamples
  networks within each D;
- states the claim "the count grows with complexity" as a between-task claim of the
  claims engine: the networks at the largest D have more points per input than those
  at the smallest (Mann-Whitney, one-sided; equivalence margin 0.5 points per input,
  as for the slow-point count claims).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

QUANTITIES: dict[str, str] = {
    "fixed": "fixed points",
    "stable": "stable fixed points",
    "saddle": "saddles",
    "slow": "slow regions",
}
"""Columns of the per-network slow-point table that the sweep counts, and their names."""

GROWTH_CLAIM_KEYS: tuple[str, ...] = tuple(f"complexity_{q}_grows" for q in QUANTITIES)
"""The keys of :func:`growth_claims`' rows, one per quantity."""

MODELS = ("linear", "exponential")

COUNT_MARGIN = 0.5
"""Equivalence margin of the growth claims, in points per analysed input (the slow-point
count claims' margin: within it, fewer than one input in two gains a point)."""


@dataclass(frozen=True)
class GrowthFit:
    """Least-squares fits of a count against the input dimension D.

    Attributes
    ----------
    model : {"linear", "exponential"}
        The model with the smaller residual sum of squares.
    rate : float
        The chosen model's ``b``: points per dimension (linear) or the log growth factor
        per dimension (exponential: the count is multiplied by ``exp(b)`` per dimension).
    intercept : float
        The chosen model's ``a``.
    rss : dict
        Residual sum of squares of each model (inf where a model could not be fitted).
    linear_slope, exponential_rate : float
        ``b`` of each model.
    """

    model: str
    rate: float
    intercept: float
    rss: dict[str, float]
    linear_slope: float
    exponential_rate: float


def _linear(dimension: np.ndarray, count: np.ndarray) -> tuple[float, float, float]:
    """(a, b, rss) of count = a + b D."""
    slope, intercept = np.polyfit(dimension, count, 1)
    residual = count - (intercept + slope * dimension)
    return float(intercept), float(slope), float(residual @ residual)


def _exponential(dimension: np.ndarray, count: np.ndarray) -> tuple[float, float, float]:
    """(a, b, rss) of count = a exp(b D); NaNs and inf rss where it cannot be fitted.

    For a fixed b the best a is linear least squares, so the fit is a one-dimensional
    search over b (bounded: a count that grows faster than e^5 per dimension is not a
    sweep's outcome), which cannot fail to converge the way a joint search can.
    """
    from scipy.optimize import minimize_scalar

    if not np.any(count > 0):
        return float("nan"), float("nan"), float("inf")

    def rss_at(rate: float) -> tuple[float, float]:
        basis = np.exp(rate * dimension)
        scale = float(basis @ count / (basis @ basis))
        residual = count - scale * basis
        return scale, float(residual @ residual)

    best = minimize_scalar(lambda rate: rss_at(rate)[1], bounds=(-5.0, 5.0), method="bounded",
                           options={"xatol": 1e-10})
    scale, rss = rss_at(float(best.x))
    return scale, float(best.x), rss


def fit_growth(dimension: ArrayLike, count: ArrayLike) -> GrowthFit:
    """Fit both growth models to per-network counts.

    Parameters
    ----------
    dimension : array, shape (n,)
        Each network's input dimension D (at least two distinct values).
    count : array, shape (n,)
        Its points per analysed input.
    """
    dimension = np.asarray(dimension, dtype=float)
    count = np.asarray(count, dtype=float)
    if np.unique(dimension).size < 2:
        raise ValueError("a growth rate needs networks at two input dimensions at least")
    linear = _linear(dimension, count)
    exponential = _exponential(dimension, count)
    rss = {"linear": linear[2], "exponential": exponential[2]}
    # ties (a constant count: both fit it exactly, up to rounding) go to the simpler,
    # linear model
    tie = 1e-9 * max(1.0, float(count @ count))
    model = "exponential" if exponential[2] < linear[2] - tie else "linear"
    intercept, rate, _ = exponential if model == "exponential" else linear
    return GrowthFit(model, rate, intercept, rss, linear[1], exponential[1])


def growth_interval(dimension: ArrayLike, count: ArrayLike, model: str, *,
                    confidence: float = 0.95, n_boot: int = 2000, seed: int = 0
                    ) -> tuple[float, float]:
    """Percentile bootstrap interval of ``model``'s rate, resampling networks within each D.

    Resampling within each dimension keeps every D's share of the networks, as the
    sweep's design fixes it.
    """
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {model!r}")
    dimension = np.asarray(dimension, dtype=float)
    count = np.asarray(count, dtype=float)
    groups = [np.flatnonzero(dimension == d) for d in np.unique(dimension)]
    rng = np.random.default_rng(seed)
    fit = _linear if model == "linear" else _exponential
    rates = np.empty(n_boot)
    for k in range(n_boot):
        drawn = np.concatenate([rng.choice(group, group.size) for group in groups])
        rates[k] = fit(dimension[drawn], count[drawn])[1]
    tail = 100 * (1 - confidence) / 2
    low, high = np.nanpercentile(rates, [tail, 100 - tail])
    return float(low), float(high)


def counts_by_dimension(networks: pd.DataFrame, dimensions: Mapping[str, tuple[str, int]]
                        ) -> pd.DataFrame:
    """The counts of the sweep's networks, one row per network, state and quantity.

    Parameters
    ----------
    networks : DataFrame
        One row per task, net and state with the :data:`QUANTITIES` columns (points per
        analysed input; the slow-point analysis's ``slow_point_networks`` table).
    dimensions : mapping
        Task -> (family, D) for the tasks of the sweep; other tasks are left out.

    Returns
    -------
    DataFrame with columns family, dimension, task, net, state, quantity, count, sorted
    by family, quantity, state, dimension and net.
    """
    swept = networks[networks["task"].isin(list(dimensions))]
    long = swept.melt(id_vars=["task", "net", "state"], value_vars=list(QUANTITIES),
                      var_name="quantity", value_name="count")
    long.insert(0, "family", long["task"].map(lambda t: dimensions[t][0]))
    long.insert(1, "dimension", long["task"].map(lambda t: int(dimensions[t][1])))
    return long.sort_values(["family", "quantity", "state", "dimension", "net"],
                            ignore_index=True)


def dimension_summary(counts: pd.DataFrame, *, n_boot: int = 10_000, seed: int = 0
                      ) -> pd.DataFrame:
    """Mean count and its BCa interval at each D (Figure S6's points).

    Parameters
    ----------
    counts : DataFrame
        :func:`counts_by_dimension`'s output.

    Returns
    -------
    DataFrame with family, quantity, state, dimension, task, networks, mean, ci_low,
    ci_high.
    """
    from .stats import bootstrap_ci

    rows = []
    keys = ["family", "quantity", "state", "dimension", "task"]
    for (family, quantity, state, dimension, task), part in counts.groupby(keys, sort=True):
        values = part["count"].to_numpy(dtype=float)
        low, high = bootstrap_ci(values, n_boot=n_boot, seed=seed)
        rows.append({"family": family, "quantity": quantity, "state": state,
                     "dimension": int(dimension), "task": task,
                     "networks": int(np.isfinite(values).sum()),
                     "mean": float(np.nanmean(values)), "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def growth_table(counts: pd.DataFrame, *, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """One fitted growth rate per family, quantity and state (``tables/complexity``).

    Returns
    -------
    DataFrame with family, quantity, state, dimensions (e.g. "1, 2, 3, 4"), networks,
    model (the chosen one), rate, rate_low, rate_high (its interval), intercept,
    linear_slope, exponential_rate, rss_linear, rss_exponential.
    """
    rows = []
    for (family, quantity, state), part in counts.groupby(["family", "quantity", "state"],
                                                          sort=True):
        part = part[np.isfinite(part["count"].to_numpy(dtype=float))]
        dimension = part["dimension"].to_numpy(dtype=float)
        count = part["count"].to_numpy(dtype=float)
        fit = fit_growth(dimension, count)
        low, high = growth_interval(dimension, count, fit.model, n_boot=n_boot, seed=seed)
        rows.append({
            "family": family, "quantity": quantity, "state": state,
            "dimensions": ", ".join(str(int(d)) for d in np.unique(dimension)),
            "networks": len(part), "model": fit.model, "rate": fit.rate, "rate_low": low,
            "rate_high": high, "intercept": fit.intercept, "linear_slope": fit.linear_slope,
            "exponential_rate": fit.exponential_rate, "rss_linear": fit.rss["linear"],
            "rss_exponential": fit.rss["exponential"]})
    return pd.DataFrame(rows)


def growth_claims(counts: pd.DataFrame, *, n_boot: int = 10_000, seed: int = 0
                  ) -> pd.DataFrame:
    """The claim "the count grows with complexity", per family, quantity and state.

    The networks of the family's task at the largest D against those at the smallest:
    do they have more points per analysed input (Mann-Whitney, one-sided, via
    :func:`.stats.claim_row`, equivalence margin :data:`COUNT_MARGIN`)?

    Returns
    -------
    A claims table (:data:`.stats.CLAIMS_COLUMNS`), verdicts unadjusted; keys
    ``complexity_<quantity>_grows`` (one per quantity, whatever the family), task
    ``"<largest> vs <smallest>"``.
    """
    from .stats import claim_row, claims_table

    rows = []
    for (family, quantity, state), part in counts.groupby(["family", "quantity", "state"],
                                                          sort=True):
        low_d, high_d = part["dimension"].min(), part["dimension"].max()
        low, high = part[part["dimension"] == low_d], part[part["dimension"] == high_d]
        high_task, low_task = high["task"].iloc[0], low["task"].iloc[0]
        name = QUANTITIES[quantity]
        rows.append(claim_row(
            f"{family}: more {name} per input at D = {high_d} than at D = {low_d} ({state})",
            "6 (Q2)", f"{name} per analysed input, D = {high_d} minus D = {low_d}, {state}",
            high["count"].to_numpy(dtype=float), other=low["count"].to_numpy(dtype=float),
            kind="between", alternative="greater", n_boot=n_boot, seed=seed,
            key=f"complexity_{quantity}_grows", task=f"{high_task} vs {low_task}",
            state=state, equivalence_margin=COUNT_MARGIN,
            notes=f"{len(high)} networks at D = {high_d}, {len(low)} at D = {low_d}"))
    return claims_table(rows)


def _mean_and_interval(values: np.ndarray, n_boot: int, seed: int) -> dict[str, float]:
    """networks, mean and 95% BCa interval of one value per network (NaNs left out)."""
    from .stats import bootstrap_ci

    low, high = bootstrap_ci(values, n_boot=n_boot, seed=seed)
    finite = np.isfinite(values)
    return {"networks": int(finite.sum()),
            "mean": float(values[finite].mean()) if finite.any() else np.nan,
            "ci_low": low, "ci_high": high}


def task_summary(networks: pd.DataFrame, kinds: Mapping[str, str],
                 dimensions: Mapping[str, tuple[str, int]],
                 rotation: pd.DataFrame | None = None, *, n_boot: int = 10_000,
                 seed: int = 0) -> pd.DataFrame:
    """Points per analysed input of every task, swept or not, and the sine generators'
    rotation ratio (``tables/complexity_tasks``).

    Parameters
    ----------
    networks : DataFrame
        As for :func:`counts_by_dimension`.
    kinds : mapping
        Each task's kind, in the order of the rows.
    dimensions : mapping
        Task -> (family, D) of the swept tasks; the others get no family and a NaN D.
    rotation : DataFrame, optional
        :func:`oscillation_ratios`' output: each network's mean ratio over its inputs
        gives one more row per task and state, quantity ``rotation_ratio``.

    Returns
    -------
    DataFrame with task, family, dimension, kind, state, quantity, networks, mean, ci_low,
    ci_high.
    """
    rows = []
    for task, kind in kinds.items():
        family, dimension = dimensions.get(task, (None, np.nan))
        where = {"task": task, "family": family, "dimension": float(dimension), "kind": kind}
        for state in ("untrained", "trained"):
            part = networks[(networks["task"] == task) & (networks["state"] == state)]
            for quantity in QUANTITIES:
                rows.append({**where, "state": state, "quantity": quantity,
                             **_mean_and_interval(part[quantity].to_numpy(dtype=float),
                                                  n_boot, seed)})
        if rotation is None:
            continue
        for state in ("untrained", "trained"):
            part = rotation[(rotation["task"] == task) & (rotation["state"] == state)]
            if part.empty:
                continue
            per_network = part.groupby("net")["ratio"].mean().to_numpy(dtype=float)
            rows.append({**where, "state": state, "quantity": "rotation_ratio",
                         **_mean_and_interval(per_network, n_boot, seed)})
    return pd.DataFrame(rows)


PER_SECOND = 1000.0  # eigenvalues of the slow-point tables are per ms
OSCILLATION_COLUMNS = ("task", "net", "state", "condition", "frequency_hz", "rotation_hz",
                       "ratio", "point_kind")


def oscillation_ratios(points: pd.DataFrame, frequency_hz: Mapping[str, np.ndarray]
                       ) -> pd.DataFrame:
    """How fast each input's fixed point rotates, against the frequency the output should have.

    Linearised around a fixed point with a complex leading eigenvalue
    ``lambda = a + i omega``, the dynamics rotate at ``omega / (2 pi)`` cycles per unit
    time; for a sine generator trained to produce ``f`` at that input this should be
    close to ``f`` (Sussillo & Barak 2013, whose generator oscillates around an unstable
    fixed point at each input).

    Parameters
    ----------
    points : DataFrame
        The slow-point tables of the generator's networks: task, net, state, condition,
        input1, method, kind, max_real_eig and leading_imag (1/ms).
    frequency_hz : mapping
        Task -> function of the condition inputs (n, n_inputs) giving the output
        frequency each input asks for, Hz.

    Returns
    -------
    DataFrame, one row per task, network, state and input condition (u = 0 left out):
    frequency_hz (asked for), rotation_hz (|omega| / 2 pi of the exact fixed point with
    the largest real leading eigenvalue, the one the oscillation winds around), ratio
    (rotation / asked; NaN where no exact fixed point was found), point_kind.
    """
    exact = points[(points["method"] == "exact") & points["task"].isin(list(frequency_hz))]
    inputs = [c for c in exact.columns if re.fullmatch(r"input\d+", c)]
    rows = []
    for (task, net, state, condition), part in exact.groupby(
            ["task", "net", "state", "condition"], sort=True):
        u = part[inputs].iloc[:1].to_numpy(dtype=float)
        if not np.any(u):
            continue
        asked = float(frequency_hz[task](u)[0])
        leading = part.loc[part["max_real_eig"].idxmax()]
        rotation = abs(float(leading["leading_imag"])) * PER_SECOND / (2 * np.pi)
        rows.append({"task": task, "net": net, "state": state, "condition": int(condition),
                     "frequency_hz": asked, "rotation_hz": rotation,
                     "ratio": rotation / asked if asked else np.nan,
                     "point_kind": leading["kind"]})
    return pd.DataFrame(rows, columns=list(OSCILLATION_COLUMNS))
