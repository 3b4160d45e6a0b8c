"""Statistics shared by every claims table: bootstrap intervals, rank tests, effect sizes,
equivalence tests, the Benjamini-Hochberg adjustment and verdicts.

A *claim* is a directional statement about a per-network statistic ("the mean
weight decreases", "non-normality increases", ...). Each claim becomes one row of
a claims table with the columns of :data:`CLAIMS_COLUMNS`:

- the estimate is the mean over networks (of the statistic, of the paired
  differences, or the difference of two group means) with a bias-corrected and
  accelerated (BCa) bootstrap 95% interval;
- the effect size is the estimate in standard deviations (:data:`EFFECT_SIZES`:
  Cohen's d, d_z or Hedges' g) with its own BCa bootstrap interval;
- the test is a Wilcoxon signed-rank test (one sample against a reference value,
  or paired), or a Mann-Whitney U test between two groups of networks, in the
  claimed direction, with the opposite one-sided test beside it;
- the equivalence test (TOST, Schuirmann 1987) asks whether the location lies
  within a margin of the reference (margin 0: whether every value equals it);
- networks where the statistic is not measurable (its premise fails) are left out
  and counted;
- the verdict, one of :data:`VERDICTS`, follows :func:`decide_verdict` on p-values
  adjusted for multiple comparisons (:func:`bh_adjust`) across a stated family
  (:func:`adjust_claims`); :func:`claim_row` alone leaves them unadjusted.

Everything is deterministic given the seed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr, ndtri
from scipy.stats import mannwhitneyu, wilcoxon

__all__ = [
    "ALPHA",
    "CLAIMS_COLUMNS",
    "EFFECT_SIZES",
    "TestResult",
    "UNADJUSTED",
    "VERDICTS",
    "adjust_claims",
    "band",
    "bh_adjust",
    "between_groups_test",
    "bootstrap_ci",
    "bootstrap_ci_difference",
    "bootstrap_effect_ci",
    "bootstrap_effect_ci_difference",
    "claim_row",
    "claims_table",
    "cohens_d",
    "decide_verdict",
    "equivalence_test",
    "equivalence_test_between",
    "hedges_g",
    "min_attainable_p",
    "one_sample_test",
    "paired_test",
    "verdict",
]

Alternative = Literal["greater", "less", "two-sided"]
Kind = Literal["one_sample", "paired", "between"]

ALPHA = 0.05
"""Significance level of every verdict (and the false discovery rate of the BH adjustment)."""

CLAIMS_COLUMNS: tuple[str, ...] = (
    "key",
    "task",
    "state",
    "claim",
    "section",
    "statistic",
    "n",
    "mean",
    "ci_low",
    "ci_high",
    "effect_size",
    "effect",
    "effect_low",
    "effect_high",
    "test",
    "alternative",
    "reference",
    "p_value",
    "p_opposite",
    "equivalence_margin",
    "p_equivalence",
    "p_adjusted",
    "p_equivalence_adjusted",
    "p_family",
    "verdict",
    "reason",
    "notes",
)
"""Column order of every claims table.

- ``mean``, ``ci_low``, ``ci_high``: the estimate on the statistic's scale and its 95%
  BCa interval; ``reference``: its null value; ``alternative``: the claimed direction.
- ``effect_size`` names the standardised effect (:data:`EFFECT_SIZES`); ``effect``,
  ``effect_low``, ``effect_high``: its value and 95% BCa interval.
- ``p_value``: the test in the claimed direction; ``p_opposite``: the opposite one-sided
  test (NaN for a two-sided claim); ``p_equivalence``: the TOST of ``|location -
  reference| < equivalence_margin`` (NaN where it was not run).
- ``p_adjusted``: the Benjamini-Hochberg adjusted p of the claim's test of an effect, in
  the direction the data lean (``min(p_value, p_opposite)``); ``p_equivalence_adjusted``:
  the same for its equivalence test; ``p_family``: the family they were adjusted over
  and its size (:data:`UNADJUSTED` for a row on its own).
- ``reason``: the rule and p-values that decided the verdict; ``notes``: what
  was left out and why a test could not run, and context.
"""

VERDICTS: tuple[str, ...] = (
    "supported", "not supported", "reversed", "equivalent", "inconclusive", "not measurable")
"""Every verdict a claim can have (:func:`decide_verdict`)."""

EFFECT_SIZES: dict[str, str] = {
    "one_sample": "Cohen's d",
    "paired": "Cohen's d_z",
    "between": "Hedges' g",
}
"""The standardised effect of each kind of claim (:func:`cohens_d`, :func:`hedges_g`):
one sample, (mean - reference) / SD; paired, the same on the differences (d_z);
between groups, the difference of means over the pooled SD, small-sample corrected."""

UNADJUSTED = "none: this claim alone (unadjusted)"
"""The ``p_family`` of a row not yet adjusted with others (:func:`claim_row`)."""

_OPPOSITE: dict[str, Alternative] = {"greater": "less", "less": "greater"}


def _finite(x: ArrayLike) -> NDArray[np.float64]:
    a = np.asarray(x, dtype=float).ravel()
    return a[np.isfinite(a)]


def _check_alternative(alternative: str) -> None:
    if alternative not in ("greater", "less", "two-sided"):
        raise ValueError(
            f"alternative must be 'greater', 'less' or 'two-sided', not {alternative!r}"
        )


# ----------------------------------------------------------------------------- intervals


Method = Literal["bca", "percentile"]


def _check_method(method: str) -> None:
    if method not in ("bca", "percentile"):
        raise ValueError(f"method must be 'bca' or 'percentile', not {method!r}")


def _resamples(a: NDArray[np.float64], n_boot: int, rng: np.random.Generator
               ) -> NDArray[np.float64]:
    """Shape (n_boot, n): ``n_boot`` bootstrap resamples of ``a``, one per row."""
    return a[rng.integers(0, a.size, size=(n_boot, a.size))]


def _resampled_means(a: NDArray[np.float64], n_boot: int, rng: np.random.Generator
                     ) -> NDArray[np.float64]:
    return _resamples(a, n_boot, rng).mean(axis=1)


def _jackknife_means(a: NDArray[np.float64]) -> NDArray[np.float64]:
    """Leave-one-out means of ``a`` (empty for fewer than two values)."""
    if a.size < 2:
        return np.empty(0)
    return (a.sum() - a) / (a.size - 1)


def _acceleration(jackknives: Sequence[NDArray[np.float64]]) -> float:
    """Efron's acceleration from the jackknife estimates of each independent sample.

    ``a = sum(u**3) / (6 * sum(u**2)**1.5)`` with ``u`` each sample's jackknife
    estimates subtracted from their own mean, summed over the samples (a sample of
    one value has no jackknife and adds nothing). 0 when every ``u`` is 0, and when a
    jackknife estimate is not finite (an effect size whose leave-one-out sample has no
    spread): the interval is then only bias-corrected.
    """
    if any(not np.all(np.isfinite(jack)) for jack in jackknives):
        return 0.0
    num = den = 0.0
    for jack in jackknives:
        if jack.size == 0:
            continue
        u = jack.mean() - jack
        num += float(np.sum(u**3))
        den += float(np.sum(u**2))
    return num / (6.0 * den**1.5) if den > 0 else 0.0


def _interval(boot: NDArray[np.float64], estimate: float,
              jackknives: Sequence[NDArray[np.float64]], confidence: float, method: Method,
              quantile_method: str = "linear") -> tuple[float, float]:
    """The percentile or BCa interval from the bootstrap replicates ``boot``.

    ``quantile_method`` is numpy's: ``"linear"`` interpolates between replicates;
    ``"inverted_cdf"`` takes one replicate, which stays defined when replicates are
    infinite (an effect size of a resample without spread).
    """
    tail = (1 - confidence) / 2
    levels = np.array([tail, 1 - tail])
    if method == "bca":
        # bias correction: the share of replicates below the estimate (ties count half),
        # kept off 0 and 1 so that z0 stays finite
        b = boot.size
        below = (np.count_nonzero(boot < estimate) + 0.5 * np.count_nonzero(boot == estimate)) / b
        z0 = float(ndtri(np.clip(below, 0.5 / b, 1 - 0.5 / b)))
        a = _acceleration(jackknives)
        w = z0 + ndtri(levels)
        denom = 1 - a * w
        # beyond w = 1/a the BCa transform stops being monotone: the level saturates
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(denom > 0, z0 + w / denom, np.copysign(np.inf, w))
        levels = ndtr(z)
    low, high = np.quantile(boot, levels, method=quantile_method)
    return float(low), float(high)


def bootstrap_ci(
    x: ArrayLike, confidence: float = 0.95, n_boot: int = 10_000, seed: int = 0,
    method: Method = "bca",
) -> tuple[float, float]:
    """Bootstrap interval of the mean: bias-corrected and accelerated (BCa) by default.

    The BCa interval (Efron 1987) takes the quantiles of the bootstrap means at the
    levels ``Phi(z0 + (z0 + z) / (1 - a (z0 + z)))`` for ``z = Phi^-1(tail)`` and
    ``Phi^-1(1 - tail)``: ``z0`` corrects for the median bias of the bootstrap
    distribution (``Phi^-1`` of the share of bootstrap means below the mean, ties
    counted half), ``a`` for the skewness, from the jackknife (leave-one-out) means.
    With a skewed statistic and ten networks it covers closer to its nominal level
    than the percentile interval (tests/test_stats.py measures both).

    Parameters
    ----------
    x : array, shape (n,)
        One value per network. Non-finite values are dropped.
    confidence : float in (0, 1)
    n_boot : int
        Number of resamples.
    seed : int
        Seed of the numpy Generator; both methods use the same resamples.
    method : {"bca", "percentile"}
        ``"percentile"``: the plain quantiles of the bootstrap means.

    Returns
    -------
    (low, high) : floats; ``(x0, x0)`` for a single value or all-equal values, NaNs
    for none.
    """
    _check_method(method)
    a = _finite(x)
    if a.size == 0:
        return float("nan"), float("nan")
    if np.all(a == a[0]):
        return float(a[0]), float(a[0])
    boot = _resampled_means(a, n_boot, np.random.default_rng(seed))
    return _interval(boot, float(a.mean()), [_jackknife_means(a)], confidence, method)


def bootstrap_ci_difference(
    x: ArrayLike, y: ArrayLike, confidence: float = 0.95, n_boot: int = 10_000, seed: int = 0,
    method: Method = "bca",
) -> tuple[float, float]:
    """Bootstrap interval of ``mean(x) - mean(y)`` for two independent groups (BCa by default).

    Each group is resampled on its own, as the groups are different networks. The BCa
    acceleration comes from the jackknife over both groups' observations: leaving out
    one value of ``x`` or one of ``y`` at a time, each group's leave-one-out estimates
    centred on their own mean (see :func:`bootstrap_ci`).

    Parameters
    ----------
    x : array, shape (n1,)
    y : array, shape (n2,)
    confidence, n_boot, seed, method : see :func:`bootstrap_ci`

    Returns
    -------
    (low, high) : floats; NaNs if either group is empty, the difference itself if
    each group's values are all equal.
    """
    _check_method(method)
    a, b = _finite(x), _finite(y)
    if a.size == 0 or b.size == 0:
        return float("nan"), float("nan")
    estimate = float(a.mean() - b.mean())
    if np.all(a == a[0]) and np.all(b == b[0]):
        return estimate, estimate
    rng = np.random.default_rng(seed)
    boot = _resampled_means(a, n_boot, rng) - _resampled_means(b, n_boot, rng)
    # leave-one-out differences: a value of x left out, then a value of y
    jackknives = [_jackknife_means(a) - b.mean(), a.mean() - _jackknife_means(b)]
    return _interval(boot, estimate, jackknives, confidence, method)


# ----------------------------------------------------------------------------- effect sizes


def _location_and_squares(values: NDArray[np.float64]
                          ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Mean and sum of squared deviations along the last axis.

    Where every value along the axis is the same, exactly that value and 0: the
    rounding of a mean of equal values must not turn "no spread" into a tiny spread
    that an effect size would divide by.
    """
    constant = values.max(axis=-1) == values.min(axis=-1)
    mean = np.where(constant, values[..., 0], values.mean(axis=-1))
    squares = ((values - mean[..., None]) ** 2).sum(axis=-1)
    return mean, np.where(constant, 0.0, squares)


def _standardised(difference: NDArray[np.float64], scale: NDArray[np.float64]
                  ) -> NDArray[np.float64]:
    """``difference / scale``; without spread (scale 0) 0 for no difference, else +-inf."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = difference / scale
    signed_inf = np.copysign(np.inf, difference)
    return np.where(scale > 0, ratio, np.where(difference == 0, 0.0, signed_inf))


def cohens_d(x: ArrayLike, reference: float = 0.0) -> NDArray[np.float64] | float:
    """Cohen's d of one sample against a reference: ``(mean(x) - reference) / SD(x)``.

    Applied to paired differences this is d_z (Cohen 1988), the effect size of the
    signed-rank test's question. The SD has ``n - 1`` degrees of freedom.

    Parameters
    ----------
    x : array, shape (..., n)
        Values along the last axis (several samples at once for the bootstrap); all
        finite, ``n >= 2``.
    reference : float

    Returns
    -------
    float, or array of shape (...)
        Positive when the values lie above the reference; 0 when every value equals
        it, +-inf when every value is the same other value (no spread).
    """
    a = np.asarray(x, dtype=float)
    if a.shape[-1] < 2:
        raise ValueError("an effect size needs at least two values")
    mean, squares = _location_and_squares(a)
    d = _standardised(mean - reference, np.sqrt(squares / (a.shape[-1] - 1)))
    return float(d) if d.ndim == 0 else d


def hedges_g(x: ArrayLike, y: ArrayLike) -> NDArray[np.float64] | float:
    """Hedges' g of two independent groups: ``J (mean(x) - mean(y)) / s_pooled``.

    ``s_pooled**2 = (SS_x + SS_y) / (n1 + n2 - 2)`` (sums of squared deviations) and
    ``J = 1 - 3 / (4 (n1 + n2) - 9)``, the small-sample correction of Hedges (1981)
    that removes most of Cohen's d's upward bias at ten networks a group.

    Parameters
    ----------
    x : array, shape (..., n1)
    y : array, shape (..., n2)
        All finite, ``n1, n2 >= 1`` and ``n1 + n2 >= 3``; leading axes broadcast.

    Returns
    -------
    float, or array of shape (...)
        Positive when ``x`` lies above ``y``; 0 / +-inf without spread as
        :func:`cohens_d`.
    """
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n1, n2 = a.shape[-1], b.shape[-1]
    if n1 < 1 or n2 < 1 or n1 + n2 < 3:
        raise ValueError(f"Hedges' g needs groups of at least 1 and 3 values in all, not "
                         f"{n1} and {n2}")
    mean_a, squares_a = _location_and_squares(a)
    mean_b, squares_b = _location_and_squares(b)
    pooled = np.sqrt((squares_a + squares_b) / (n1 + n2 - 2))
    g = (1 - 3 / (4 * (n1 + n2) - 9)) * _standardised(mean_a - mean_b, pooled)
    return float(g) if g.ndim == 0 else g


def _leave_one_out(a: NDArray[np.float64]) -> NDArray[np.float64]:
    """Shape (n, n - 1): row i is ``a`` without its value i."""
    keep = ~np.eye(a.size, dtype=bool)
    return np.broadcast_to(a, (a.size, a.size))[keep].reshape(a.size, a.size - 1)


def bootstrap_effect_ci(
    x: ArrayLike, reference: float = 0.0, confidence: float = 0.95, n_boot: int = 10_000,
    seed: int = 0,
) -> tuple[float, float]:
    """BCa bootstrap interval of Cohen's d (:func:`cohens_d`) of one sample.

    The resamples are those of :func:`bootstrap_ci` with the same seed; the
    acceleration comes from the leave-one-out effect sizes. A resample without spread
    has an infinite effect (or 0 at the reference), so the interval's quantiles are
    single replicates (numpy's ``inverted_cdf``) and an end may be +-inf: with ten
    networks nearly alike, the data bound the effect on one side only.

    Parameters
    ----------
    x : array, shape (n,)
        One value (or paired difference) per network; non-finite values dropped.
    reference, confidence, n_boot, seed
        As :func:`bootstrap_ci` (reference: the claim's null value).

    Returns
    -------
    (low, high) : floats; NaNs for fewer than two values, ``(d, d)`` for all-equal values.
    """
    a = _finite(x)
    if a.size < 2:
        return float("nan"), float("nan")
    estimate = cohens_d(a, reference)
    if np.all(a == a[0]):
        return estimate, estimate
    rng = np.random.default_rng(seed)
    boot = cohens_d(_resamples(a, n_boot, rng), reference)
    jackknife = cohens_d(_leave_one_out(a), reference) if a.size > 2 else np.full(1, np.nan)
    return _interval(boot, estimate, [np.atleast_1d(jackknife)], confidence, "bca",
                     quantile_method="inverted_cdf")


def bootstrap_effect_ci_difference(
    x: ArrayLike, y: ArrayLike, confidence: float = 0.95, n_boot: int = 10_000, seed: int = 0,
) -> tuple[float, float]:
    """BCa bootstrap interval of Hedges' g (:func:`hedges_g`) of two independent groups.

    Each group is resampled on its own, with the resamples of
    :func:`bootstrap_ci_difference` for the same seed; the acceleration comes from
    leaving out one value of either group at a time. Infinite replicates as in
    :func:`bootstrap_effect_ci`.

    Parameters
    ----------
    x : array, shape (n1,)
    y : array, shape (n2,)
    confidence, n_boot, seed : see :func:`bootstrap_ci`

    Returns
    -------
    (low, high) : floats; NaNs when g is undefined (an empty group, or fewer than three
    values in all), ``(g, g)`` when each group's values are all equal.
    """
    a, b = _finite(x), _finite(y)
    if a.size == 0 or b.size == 0 or a.size + b.size < 3:
        return float("nan"), float("nan")
    estimate = hedges_g(a, b)
    if np.all(a == a[0]) and np.all(b == b[0]):
        return estimate, estimate
    rng = np.random.default_rng(seed)
    boot = hedges_g(_resamples(a, n_boot, rng), _resamples(b, n_boot, rng))
    jackknives = [np.atleast_1d(hedges_g(_leave_one_out(group), other))
                  if group.size > 1 and group.size + other.size > 3 else np.empty(0)
                  for group, other in ((a, b), (b, a))]
    # leaving out a value of y flips the sign of g(y, x); the acceleration needs g(x, y)
    jackknives[1] = -jackknives[1]
    return _interval(boot, estimate, jackknives, confidence, "bca",
                     quantile_method="inverted_cdf")


def band(
    frame: pd.DataFrame, by: Sequence[str], value: str, *, n_boot: int = 2000, seed: int = 0
) -> pd.DataFrame:
    """Mean over networks and its 95% percentile-bootstrap interval, per group.

    For the figures' bands only: the claims tables use BCa intervals
    (:func:`bootstrap_ci`); a band keeps the plain percentile interval, which needs no
    jackknife per group and is drawn, not tested.

    Parameters
    ----------
    frame : DataFrame
        One row per network and group; columns ``by`` and ``value``.
    by : sequence of str
        Grouping columns (e.g. task, state, theta).
    value : str
        Column to summarise; non-finite values are dropped.
    n_boot, seed
        Bootstrap resamples and seed (:func:`bootstrap_ci` with
        ``method="percentile"``); every group uses the same seed.

    Returns
    -------
    DataFrame with columns ``*by, mean, ci_low, ci_high, n`` in that order, one row
    per group sorted by ``by`` (rows with a missing key are left out). ``n`` counts
    the finite values; a group with none has NaN mean and interval.
    """
    rows = []
    for key, part in frame.groupby(list(by), sort=True):
        x = part[value].to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        low, high = bootstrap_ci(x, n_boot=n_boot, seed=seed, method="percentile")
        key = key if isinstance(key, tuple) else (key,)
        rows.append({**dict(zip(by, key, strict=True)), "mean": float(x.mean()) if x.size
                     else float("nan"), "ci_low": low, "ci_high": high, "n": int(x.size)})
    return pd.DataFrame(rows, columns=[*by, "mean", "ci_low", "ci_high", "n"])


# ----------------------------------------------------------------------------- tests


@dataclass(frozen=True)
class TestResult:
    """Outcome of one rank test.

    Attributes
    ----------
    name : str
        Human-readable description, e.g. ``"Wilcoxon signed-rank, one-sided (greater) vs 0"``.
    alternative : {"greater", "less", "two-sided"}
    n : int
        Observations the test used (non-zero differences for Wilcoxon; ``n1 + n2``
        for Mann-Whitney).
    statistic : float
        The test statistic (NaN if the test was not run).
    p_value : float
        NaN if the test was not run.
    min_p : float
        Smallest p-value the test could reach with this ``n`` (exact distribution).
    note : str
        Why the test was not run, or empty.
    """

    __test__ = False  # keep pytest from collecting this class as a test case

    name: str
    alternative: Alternative
    n: int
    statistic: float
    p_value: float
    min_p: float
    note: str = ""


def min_attainable_p(
    test: Literal["wilcoxon", "mannwhitney"],
    n: int,
    alternative: Alternative,
    n2: int | None = None,
) -> float:
    """Smallest p-value an exact rank test can give.

    Wilcoxon signed-rank with ``n`` non-zero differences: one-sided ``2**-n``
    (all differences of one sign), two-sided twice that. Mann-Whitney U with
    groups of ``n`` and ``n2``: one-sided ``1 / C(n + n2, n)``, two-sided twice that.
    Below the level these give, a test cannot reject however strong the effect.

    Returns
    -------
    float in (0, 1]
    """
    _check_alternative(alternative)
    sides = 2 if alternative == "two-sided" else 1
    if test == "wilcoxon":
        return min(1.0, sides * 2.0**-n)
    if test == "mannwhitney":
        if n2 is None:
            raise ValueError("Mann-Whitney needs both group sizes")
        if n == 0 or n2 == 0:
            return 1.0
        return min(1.0, sides / math.comb(n + n2, n))
    raise ValueError(f"unknown test {test!r}")


def _fmt_ref(reference: float) -> str:
    return f"{reference:.4g}"


def one_sample_test(
    x: ArrayLike, reference: float = 0.0, alternative: Alternative = "greater", alpha: float = ALPHA
) -> TestResult:
    """Wilcoxon signed-rank test of ``x - reference`` (is ``x`` above/below the reference?).

    Parameters
    ----------
    x : array, shape (n,)
        One value per network; non-finite values are dropped.
    reference : float
    alternative : {"greater", "less", "two-sided"}
        ``"greater"`` tests whether ``x`` tends to exceed ``reference``.
    alpha : float
        Only used to decide whether ``n`` is too small for the test to reject.

    Returns
    -------
    TestResult
        Not run (NaN p-value, explanatory note) when the smallest attainable p-value
        exceeds ``alpha``, e.g. fewer than 5 non-zero differences one-sided.
    """
    _check_alternative(alternative)
    d = _finite(x) - reference
    side = "two-sided" if alternative == "two-sided" else f"one-sided ({alternative})"
    name = f"Wilcoxon signed-rank, {side} vs {_fmt_ref(reference)}"
    return _wilcoxon(d, alternative, alpha, name)


def paired_test(
    a: ArrayLike, b: ArrayLike, alternative: Alternative = "greater", alpha: float = ALPHA
) -> TestResult:
    """Wilcoxon signed-rank test of the paired differences ``a - b``.

    Parameters
    ----------
    a, b : array, shape (n,)
        Paired values (e.g. after and before training of the same networks). A pair
        with a non-finite member is dropped.
    alternative : {"greater", "less", "two-sided"}
        ``"greater"`` tests whether ``a`` tends to exceed ``b``.
    alpha : float
        Only used to decide whether ``n`` is too small for the test to reject.

    Returns
    -------
    TestResult
    """
    _check_alternative(alternative)
    x, y = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"paired samples differ in length: {x.size} vs {y.size}")
    d = _finite(x - y)
    side = "two-sided" if alternative == "two-sided" else f"one-sided ({alternative})"
    return _wilcoxon(d, alternative, alpha, f"Wilcoxon signed-rank, paired, {side}")


def _wilcoxon(
    d: NDArray[np.float64], alternative: Alternative, alpha: float, name: str
) -> TestResult:
    # zero differences carry no sign; scipy's default ("wilcox") drops them, so the
    # test's power depends on the non-zero count only
    n_eff = int(np.count_nonzero(d))
    min_p = min_attainable_p("wilcoxon", n_eff, alternative)
    if min_p > alpha:
        note = (
            f"n too small: {n_eff} non-zero differences, "
            f"smallest attainable p = {min_p:.3g} > alpha = {alpha:g}"
        )
        return TestResult(name, alternative, n_eff, float("nan"), float("nan"), min_p, note)
    res = wilcoxon(d[d != 0], alternative=alternative)
    return TestResult(name, alternative, n_eff, float(res.statistic), float(res.pvalue), min_p)


def between_groups_test(
    x: ArrayLike, y: ArrayLike, alternative: Alternative = "greater", alpha: float = ALPHA
) -> TestResult:
    """Mann-Whitney U test between two independent groups of networks.

    Parameters
    ----------
    x : array, shape (n1,)
    y : array, shape (n2,)
        Non-finite values are dropped.
    alternative : {"greater", "less", "two-sided"}
        ``"greater"`` tests whether ``x`` tends to exceed ``y``.
    alpha : float
        Only used to decide whether the groups are too small for the test to reject.

    Returns
    -------
    TestResult
        ``n = n1 + n2``; the statistic is U of ``x``.
    """
    _check_alternative(alternative)
    a, b = _finite(x), _finite(y)
    side = "two-sided" if alternative == "two-sided" else f"one-sided ({alternative})"
    name = f"Mann-Whitney U, {side}"
    n = a.size + b.size
    min_p = min_attainable_p("mannwhitney", a.size, alternative, b.size)
    if min_p > alpha:
        note = (
            f"n too small: groups of {a.size} and {b.size}, "
            f"smallest attainable p = {min_p:.3g} > alpha = {alpha:g}"
        )
        return TestResult(name, alternative, n, float("nan"), float("nan"), min_p, note)
    res = mannwhitneyu(a, b, alternative=alternative)
    return TestResult(name, alternative, n, float(res.statistic), float(res.pvalue), min_p)


def _check_margin(margin: float) -> None:
    if not (math.isfinite(margin) and margin >= 0):
        raise ValueError(f"an equivalence margin must be finite and >= 0, not {margin!r}")


def _two_one_sided(name: str, lower: TestResult, upper: TestResult) -> TestResult:
    """Combine the two one-sided tests of a TOST: it rejects when both do, p the larger."""
    ran = math.isfinite(lower.p_value) and math.isfinite(upper.p_value)
    worse = lower if not ran or lower.p_value >= upper.p_value else upper
    return TestResult(name, "two-sided", max(lower.n, upper.n),
                      worse.statistic if ran else float("nan"),
                      worse.p_value if ran else float("nan"),
                      max(lower.min_p, upper.min_p), lower.note or upper.note)


_NO_SPREAD = "values differ: margin 0 admits only identical values at the null"


def equivalence_test(d: ArrayLike, margin: float = 0.0, alpha: float = ALPHA) -> TestResult:
    """Equivalence of ``d``'s location with 0 within ``margin``: TOST with signed-rank tests.

    The two one-sided tests procedure (Schuirmann 1987) rejects "the location is at
    most ``-margin`` or at least ``+margin``" when a Wilcoxon signed-rank test finds
    ``d + margin`` above 0 and another finds ``d - margin`` below 0, each at
    ``alpha``; its p-value is the larger of the two. It is the equivalence counterpart
    of :func:`one_sample_test` (``d``: values minus the reference, or paired
    differences minus it).

    ``margin = 0`` is the limit of a shrinking margin: only when every difference is
    exactly 0 (ten networks with the same fixed-point count before and after) are both
    tests run, with any positive shift, as their ranks do not depend on it; the p-value
    is then ``2**-n``. Otherwise the test is not run.

    Parameters
    ----------
    d : array, shape (n,)
        Differences from the null; non-finite values are dropped.
    margin : float, >= 0
        Equivalence margin on the scale of ``d``.
    alpha : float
        Only used to decide whether ``n`` lets each one-sided test reach ``alpha``.

    Returns
    -------
    TestResult with alternative ``"two-sided"`` (both sides are tested); NaN p-value and a
    note when either one-sided test is not run.
    """
    _check_margin(margin)
    x = _finite(d)
    name = f"TOST (two one-sided Wilcoxon signed-rank tests), margin +-{_fmt_ref(margin)}"
    shift = margin
    if margin == 0:
        if x.size == 0 or np.any(x != 0):
            return TestResult(name, "two-sided", x.size, float("nan"), float("nan"), 1.0,
                              _NO_SPREAD)
        shift = 1.0  # all differences are 0: any positive shift ranks them alike
    lower = _wilcoxon(x + shift, "greater", alpha, name)
    upper = _wilcoxon(x - shift, "less", alpha, name)
    return _two_one_sided(name, lower, upper)


def equivalence_test_between(x: ArrayLike, y: ArrayLike, margin: float = 0.0,
                             alpha: float = ALPHA) -> TestResult:
    """Equivalence of two groups' locations within ``margin``: TOST with Mann-Whitney tests.

    Rejects "x lies at least ``margin`` below or above y" when Mann-Whitney finds
    ``x + margin`` above ``y`` and ``x - margin`` below ``y`` (Schuirmann 1987, with
    the rank test of :func:`between_groups_test`); the p-value is the larger of the
    two. ``margin = 0``: only when every value of both groups is one and the same
    (then with any positive shift, as in :func:`equivalence_test`).

    Parameters
    ----------
    x : array, shape (n1,)
    y : array, shape (n2,)
        Non-finite values are dropped.
    margin : float, >= 0
    alpha : float

    Returns
    -------
    TestResult, ``n = n1 + n2``.
    """
    _check_margin(margin)
    a, b = _finite(x), _finite(y)
    name = f"TOST (two one-sided Mann-Whitney U tests), margin +-{_fmt_ref(margin)}"
    shift = margin
    if margin == 0:
        if a.size == 0 or b.size == 0 or np.any(a != a[0]) or np.any(b != a[0]):
            return TestResult(name, "two-sided", a.size + b.size, float("nan"), float("nan"),
                              1.0, _NO_SPREAD)
        shift = 1.0
    lower = between_groups_test(a + shift, b, "greater", alpha)
    upper = between_groups_test(a - shift, b, "less", alpha)
    return _two_one_sided(name, lower, upper)


# ----------------------------------------------------------------------------- multiplicity


def bh_adjust(p: ArrayLike) -> NDArray[np.float64]:
    """Benjamini-Hochberg adjusted p-values (Benjamini & Hochberg 1995).

    With the ``m`` finite p-values sorted, ``p_(1) <= ... <= p_(m)``, the adjusted value
    of ``p_(i)`` is ``min(1, min_{j >= i} m p_(j) / j)``. Rejecting every hypothesis whose
    adjusted p is below ``q`` is the BH step-up procedure at false discovery rate ``q``
    (valid for independent or positively dependent tests). Adjusted values are at least
    the raw ones, at most 1, and in the order of the raw ones.

    Parameters
    ----------
    p : array, shape (k,)
        p-values in [0, 1]; NaN marks a test that was not run: it stays NaN and is not
        counted in ``m``.

    Returns
    -------
    array, shape (k,)
    """
    values = np.asarray(p, dtype=float).ravel()
    out = np.full(values.shape, np.nan)
    tested = ~np.isnan(values)
    if np.any((values[tested] < 0) | (values[tested] > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    m = int(tested.sum())
    if m == 0:
        return out
    order = np.argsort(values[tested], kind="stable")
    scaled = values[tested][order] * m / np.arange(1, m + 1)
    # the running minimum from the largest p down makes the adjustment monotone
    adjusted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    ranked = np.empty(m)
    ranked[order] = adjusted
    out[tested] = ranked
    return out


# ----------------------------------------------------------------------------- verdicts


def _p_text(raw: float, adjusted: float) -> str:
    text = f"p = {raw:.3g}"
    return text if adjusted == raw else f"{text}, BH-adjusted {adjusted:.3g}"


def decide_verdict(
    *,
    p_value: float,
    p_opposite: float,
    p_adjusted: float,
    p_equivalence: float,
    p_equivalence_adjusted: float,
    alternative: str,
    ci_low: float,
    ci_high: float,
    reference: float,
    equivalence_margin: float = 0.0,
    alpha: float = ALPHA,
) -> tuple[str, str]:
    """Verdict on a measurable claim from its (adjusted) p-values and interval.

    ``p_adjusted`` adjusts the claim's test of an effect in the direction the data lean,
    ``min(p_value, p_opposite)``; with no adjustment it is that minimum itself. Rules,
    in order:

    1. If the test could not be run (too few observations for its smallest attainable
       p to reach ``alpha``; NaN ``p_value``): ``equivalent`` if the equivalence test
       rejects (``p_equivalence_adjusted < alpha``: every value at the null, the ten
       networks with one fixed-point count), else ``inconclusive``, whatever the
       interval says: a bootstrap interval on a handful of networks is too narrow to be
       trusted on its own, and the rule should need the same evidence for and against.
    2. ``supported`` if ``p_adjusted < alpha`` and the data lean the claimed way (a
       two-sided claim always does).
    3. ``reversed`` if ``p_adjusted < alpha`` and the data lean the other way: the
       opposite one-sided test rejects.
    4. ``not supported`` if the claim is one-sided and the 95% interval lies entirely
       on the other side of ``reference``.
    5. ``equivalent`` if the equivalence test rejects at the adjusted level: the
       location lies within ``equivalence_margin`` of the reference (TOST, Schuirmann
       1987), so the claimed change is absent rather than unseen.
    6. ``inconclusive`` otherwise; the reason says when a test rejected only before the
       adjustment.

    Parameters
    ----------
    p_value, p_opposite : float
        The test in the claimed direction and the opposite one-sided test (NaN for a
        two-sided claim).
    p_adjusted : float
        Adjusted ``min(p_value, p_opposite)`` (:func:`bh_adjust`).
    p_equivalence, p_equivalence_adjusted : float
        The equivalence test (:func:`equivalence_test`), raw and adjusted; NaN if not run.
    alternative : {"greater", "less", "two-sided"}
    ci_low, ci_high, reference : float
        Interval of the estimate and its null value.
    equivalence_margin : float
        For the reason's text.
    alpha : float

    Returns
    -------
    (verdict, reason) : verdict in :data:`VERDICTS` (never ``"not measurable"``: that
    rule precedes the tests, :func:`verdict`).
    """
    _check_alternative(alternative)
    equivalent = math.isfinite(p_equivalence_adjusted) and p_equivalence_adjusted < alpha
    equivalence_reason = ""
    if equivalent:
        where = (f"the location lies within +-{equivalence_margin:.3g} of {reference:.4g}"
                 if equivalence_margin > 0 else
                 f"every value equals the null {reference:.4g}, equivalent at any margin")
        equivalence_reason = (f"equivalence test (TOST) rejects: {where} "
                              f"({_p_text(p_equivalence, p_equivalence_adjusted)})")
    if not math.isfinite(p_value):
        return ("equivalent", equivalence_reason) if equivalent else ("inconclusive", "")
    one_sided = alternative in _OPPOSITE
    opposite = p_opposite if one_sided and math.isfinite(p_opposite) else math.inf
    claimed_way = p_value <= opposite
    lean = p_value if claimed_way else opposite
    if p_adjusted < alpha:
        p_text = _p_text(lean, p_adjusted)
        if claimed_way:
            return "supported", f"test in the claimed direction rejects ({p_text})"
        return "reversed", f"opposite one-sided test rejects ({p_text})"
    if one_sided and (ci_high < reference if alternative == "greater" else ci_low > reference):
        return "not supported", "95% interval lies on the opposite side of the reference"
    if equivalent:
        return "equivalent", equivalence_reason
    undone = []
    if lean < alpha:
        which = "test in the claimed direction" if claimed_way else "opposite one-sided test"
        undone.append(f"the {which} rejects only before the BH adjustment "
                      f"({_p_text(lean, p_adjusted)})")
    if math.isfinite(p_equivalence) and p_equivalence < alpha:
        undone.append("the equivalence test rejects only before the BH adjustment "
                      f"({_p_text(p_equivalence, p_equivalence_adjusted)})")
    return "inconclusive", "; ".join(undone)


def _measurability(not_measurable: int, networks: int, measurable_min_p: float,
                   alpha: float) -> str:
    """Why a claim is not measurable, or "" when it is (:func:`verdict`'s first rule)."""
    if not_measurable > 0:
        if 2 * not_measurable > networks:
            return "more than half of the networks are not measurable"
        if measurable_min_p > alpha:
            return (f"too few measurable networks for the test to reach alpha = {alpha:g} "
                    f"(smallest attainable p = {measurable_min_p:.3g})")
    return ""


def verdict(
    test: TestResult,
    ci_low: float,
    ci_high: float,
    reference: float = 0.0,
    opposite: TestResult | None = None,
    alpha: float = ALPHA,
    *,
    not_measurable: int = 0,
    networks: int = 0,
    measurable_min_p: float = 0.0,
    equivalence: TestResult | None = None,
    equivalence_margin: float = 0.0,
) -> tuple[str, str]:
    """Verdict on one claim on its own (no adjustment for other claims).

    1. ``not measurable`` if the statistic's premise fails in some networks
       (``not_measurable > 0``) and either in more than half of them
       (``2 * not_measurable > networks``) or so many that the measurable ones are
       too few for the test to reach ``alpha`` (``measurable_min_p > alpha``).
    2. Otherwise :func:`decide_verdict` with unadjusted p-values: ``supported``,
       ``reversed``, ``not supported``, ``equivalent`` or ``inconclusive``.

    Parameters
    ----------
    test : TestResult
        The test in the claimed direction (its ``alternative`` is the claim's), on the
        measurable networks.
    ci_low, ci_high : float
        Interval of the estimate, on the scale where ``reference`` is the null.
    reference : float
        Null value of the estimate (0 for differences).
    opposite : TestResult, optional
        The same test with the opposite one-sided alternative.
    alpha : float
    not_measurable : int
        Networks left out because the statistic is not measurable there.
    networks : int
        Every network of the claim, measurable or not (used when ``not_measurable``
        is positive).
    measurable_min_p : float
        Smallest p-value the test can reach with the measurable networks
        (:func:`min_attainable_p`).
    equivalence : TestResult, optional
        The equivalence test (:func:`equivalence_test`).
    equivalence_margin : float
        Its margin, for the reason's text.

    Returns
    -------
    (verdict, reason) : verdict in :data:`VERDICTS`; for a test that could not be run
    and no equivalence, the test's note.
    """
    why = _measurability(not_measurable, networks, measurable_min_p, alpha)
    if why:
        return "not measurable", why
    one_sided = test.alternative in _OPPOSITE
    p_opposite = opposite.p_value if one_sided and opposite is not None else math.nan
    p_equivalence = equivalence.p_value if equivalence is not None else math.nan
    decided = decide_verdict(
        p_value=test.p_value, p_opposite=p_opposite,
        p_adjusted=float(np.fmin(test.p_value, p_opposite)), p_equivalence=p_equivalence,
        p_equivalence_adjusted=p_equivalence, alternative=test.alternative, ci_low=ci_low,
        ci_high=ci_high, reference=reference, equivalence_margin=equivalence_margin,
        alpha=alpha)
    if decided[0] == "inconclusive" and not math.isfinite(test.p_value):
        return "inconclusive", test.note or "test not run"
    return decided


def _mask(measurable: ArrayLike | None, size: int, what: str) -> NDArray[np.bool_]:
    if measurable is None:
        return np.ones(size, dtype=bool)
    mask = np.asarray(measurable).ravel()
    if mask.dtype != bool:
        raise ValueError(f"{what} must be booleans, not {mask.dtype}")
    if mask.size != size:
        raise ValueError(f"{what} has {mask.size} entries for {size} networks")
    return mask


def claim_row(
    claim: str,
    section: str,
    statistic: str,
    values: ArrayLike,
    *,
    kind: Kind = "one_sample",
    other: ArrayLike | None = None,
    reference: float = 0.0,
    alternative: Alternative = "greater",
    alpha: float = ALPHA,
    confidence: float = 0.95,
    n_boot: int = 10_000,
    seed: int = 0,
    notes: str = "",
    key: str = "",
    task: str = "",
    state: str = "",
    measurable: ArrayLike | None = None,
    other_measurable: ArrayLike | None = None,
    unmeasurable_reason: str = "",
    equivalence_margin: float = 0.0,
) -> dict[str, object]:
    """One row of a claims table, its verdict not adjusted for other claims.

    Parameters
    ----------
    claim : str
        The claim in words, as the table shows it, e.g. ``"decision: mean weight ends
        negative"``; for display only (the row's identity is ``key``, ``task``, ``state``).
    section : str
        Where the report makes it, e.g. ``"5.1"``.
    statistic : str
        The per-network statistic, e.g. ``"mean off-diagonal W_rec, trained"``.
    values : array, shape (n,)
        One value per network (first group for ``kind="between"``, the "after"
        member of each pair for ``kind="paired"``).
    kind : {"one_sample", "paired", "between"}
        - ``one_sample``: is ``values`` above/below ``reference``? Estimate: mean of
          ``values``; Wilcoxon signed-rank on ``values - reference``; Cohen's d.
        - ``paired``: is ``values - other`` above/below ``reference``? Estimate: mean
          of the differences; Wilcoxon signed-rank on them; Cohen's d_z. ``other`` has
          shape (n,).
        - ``between``: does group ``values`` exceed group ``other``? Estimate:
          ``mean(values) - mean(other)``; Mann-Whitney U; Hedges' g. ``other`` has
          shape (n2,); ``reference`` must be 0.
    other : array, optional
        Second sample (required for ``paired`` and ``between``).
    reference : float
        Null value of the estimate.
    alternative : {"greater", "less", "two-sided"}
        Direction of the claim: ``"greater"`` claims the estimate exceeds ``reference``.
    alpha, confidence, n_boot, seed
        Test level, interval level (BCa, :func:`bootstrap_ci`; the effect size's
        interval uses the same resamples), bootstrap resamples and bootstrap seed.
    notes : str
        Free text appended to the notes column.
    key : str
        The claim's identifier, which the hypotheses table joins on.
    task, state : str
        The task and state the row is about; ``""`` for a claim that compares tasks, or
        that is not about one state.
    measurable : array of bool, shape (n,), optional
        Whether the statistic is measurable in each network of ``values`` (for
        ``paired``: in each pair); default all. Networks where it is not are left
        out of the estimate, interval and test, and counted in the notes; the
        verdict is ``"not measurable"`` when :func:`verdict`'s first rule says so.
    other_measurable : array of bool, shape (n2,), optional
        The same for the group ``other`` (``between`` only).
    unmeasurable_reason : str
        Why a network's statistic is not measurable, for the notes.
    equivalence_margin : float, >= 0
        Margin of the equivalence test (:func:`equivalence_test`, on the estimate's
        scale): a claim of change whose data show none is ``"equivalent"``. 0 (the
        default): equivalence only when every value equals the null.

    Returns
    -------
    dict keyed by :data:`CLAIMS_COLUMNS`. ``n`` is the number of networks the
    test used (``n1 + n2`` for ``between``, with the split in the notes): the
    measurable ones with a finite value. Non-finite values are dropped and counted
    in the notes; so are networks where the statistic is not measurable
    (``"not measurable in k of n networks: <reason>"``). ``p_adjusted`` is the
    unadjusted ``min(p_value, p_opposite)`` and ``p_family`` :data:`UNADJUSTED`
    until :func:`adjust_claims` adjusts the row with others.
    """
    _check_alternative(alternative)
    _check_margin(equivalence_margin)
    x = np.asarray(values, dtype=float).ravel()
    y = None if other is None else np.asarray(other, dtype=float).ravel()
    if kind != "one_sample" and y is None:
        raise ValueError(f"kind={kind!r} needs `other`")
    if kind != "between" and other_measurable is not None:
        raise ValueError("other_measurable is for kind='between'; a pair has one mask")
    flip = _OPPOSITE.get(alternative)
    note_parts: list[str] = []
    keep = _mask(measurable, x.size, "measurable")
    networks = x.size
    not_measurable = int(np.count_nonzero(~keep))

    if kind in ("one_sample", "paired"):
        if kind == "paired" and x.shape != y.shape:
            raise ValueError(f"paired samples differ in length: {x.size} vs {y.size}")
        raw = (x if kind == "one_sample" else x - y)[keep]
        est = _finite(raw)
        dropped = raw.size - est.size
        n = est.size
        mean = float(est.mean()) if n else float("nan")
        ci = bootstrap_ci(est, confidence, n_boot, seed)
        effect = cohens_d(est, reference) if n >= 2 else float("nan")
        effect_ci = bootstrap_effect_ci(est, reference, confidence, n_boot, seed)
        test = one_sample_test(est, reference, alternative, alpha)
        opposite = one_sample_test(est, reference, flip, alpha) if flip else None
        equivalence = equivalence_test(est - reference, equivalence_margin, alpha)
        measurable_min_p = min_attainable_p("wilcoxon", n, alternative)
        if kind == "paired":
            # the same signed-rank test on the differences, named as a paired test
            side = "two-sided" if alternative == "two-sided" else f"one-sided ({alternative})"
            name = f"Wilcoxon signed-rank, paired, {side}"
            if reference != 0:
                name += f", difference vs {_fmt_ref(reference)}"
            test = replace(test, name=name)
    elif kind == "between":
        if reference != 0:
            raise ValueError("a between-groups claim compares locations; reference must be 0")
        keep_y = _mask(other_measurable, y.size, "other_measurable")
        networks += y.size
        not_measurable += int(np.count_nonzero(~keep_y))
        a, b = _finite(x[keep]), _finite(y[keep_y])
        dropped = (int(keep.sum()) - a.size) + (int(keep_y.sum()) - b.size)
        n = a.size + b.size
        mean = float(a.mean() - b.mean()) if a.size and b.size else float("nan")
        ci = bootstrap_ci_difference(a, b, confidence, n_boot, seed)
        effect = hedges_g(a, b) if a.size and b.size and n >= 3 else float("nan")
        effect_ci = bootstrap_effect_ci_difference(a, b, confidence, n_boot, seed)
        test = between_groups_test(a, b, alternative, alpha)
        opposite = between_groups_test(a, b, flip, alpha) if flip else None
        equivalence = equivalence_test_between(a, b, equivalence_margin, alpha)
        measurable_min_p = min_attainable_p("mannwhitney", a.size, alternative, b.size)
        note_parts.append(f"groups of {a.size} and {b.size}")
    else:
        raise ValueError(f"unknown kind {kind!r}")

    if not_measurable:
        note_parts.append(f"not measurable in {not_measurable} of {networks} networks"
                          + (f": {unmeasurable_reason}" if unmeasurable_reason else ""))
    if dropped:
        note_parts.append(f"{dropped} non-finite value(s) dropped")
    unmeasurable = _measurability(not_measurable, networks, measurable_min_p, alpha)
    p_opposite = opposite.p_value if opposite is not None else float("nan")
    if unmeasurable:
        v, reason = "not measurable", ""
        note_parts.append(unmeasurable)
    else:
        v, reason = decide_verdict(
            p_value=test.p_value, p_opposite=p_opposite,
            p_adjusted=float(np.fmin(test.p_value, p_opposite)),
            p_equivalence=equivalence.p_value, p_equivalence_adjusted=equivalence.p_value,
            alternative=alternative, ci_low=ci[0], ci_high=ci[1], reference=reference,
            equivalence_margin=equivalence_margin, alpha=alpha)
        if not math.isfinite(test.p_value):
            # why the test of an effect could not run belongs to the data, not the verdict
            note_parts.append(test.note or "test not run")
    if notes:
        note_parts.append(notes)
    return {
        "key": key,
        "task": task,
        "state": state,
        "claim": claim,
        "section": section,
        "statistic": statistic,
        "n": int(n),
        "mean": mean,
        "ci_low": ci[0],
        "ci_high": ci[1],
        "effect_size": EFFECT_SIZES[kind],
        "effect": float(effect),
        "effect_low": effect_ci[0],
        "effect_high": effect_ci[1],
        "test": test.name,
        "alternative": alternative,
        "reference": float(reference),
        "p_value": test.p_value,
        "p_opposite": p_opposite,
        "equivalence_margin": float(equivalence_margin),
        "p_equivalence": equivalence.p_value,
        "p_adjusted": float(np.fmin(test.p_value, p_opposite)) if not unmeasurable
        else float("nan"),
        "p_equivalence_adjusted": equivalence.p_value if not unmeasurable else float("nan"),
        "p_family": UNADJUSTED,
        "verdict": v,
        "reason": reason,
        "notes": "; ".join(note_parts),
    }


# ----------------------------------------------------------------------------- tables

_FLOAT_COLUMNS = ("mean", "ci_low", "ci_high", "effect", "effect_low", "effect_high",
                  "reference", "p_value", "p_opposite", "equivalence_margin", "p_equivalence",
                  "p_adjusted", "p_equivalence_adjusted")
_TEXT_COLUMNS = ("claim", "section", "statistic", "effect_size", "test", "alternative",
                 "p_family", "verdict", "reason", "notes")


def claims_table(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Assemble claim rows into a DataFrame with exactly :data:`CLAIMS_COLUMNS`.

    Parameters
    ----------
    rows : list of dict
        Typically from :func:`claim_row`; each must have every column.

    Returns
    -------
    pandas.DataFrame with columns CLAIMS_COLUMNS in that order (``n`` int64, the
    estimates, intervals, references, margins and p-values float64, the rest str),
    verdicts as the rows have them (adjust them together with :func:`adjust_claims`).
    Write it with :func:`rnn_hypotheses.artifacts.write_table`, the project's one
    table writer.
    """
    for i, row in enumerate(rows):
        missing = [c for c in CLAIMS_COLUMNS if c not in row]
        if missing:
            raise ValueError(f"claims row {i} lacks column(s) {missing}")
    df = pd.DataFrame(
        [{c: row[c] for c in CLAIMS_COLUMNS} for row in rows], columns=list(CLAIMS_COLUMNS)
    )
    df = df.astype({"n": "int64", **dict.fromkeys(_FLOAT_COLUMNS, "float64")})
    for c in _TEXT_COLUMNS:
        df[c] = df[c].astype(str)
    return df


def adjust_claims(table: pd.DataFrame, family: str, alpha: float = ALPHA) -> pd.DataFrame:
    """Adjust a family of claims for multiple comparisons and decide their verdicts.

    The family's tests are every measurable claim's test of an effect (one p-value per
    claim: ``min(p_value, p_opposite)``, the one-sided p in the direction its data
    lean, so that a claim is one hypothesis whichever way it turns out) and every
    equivalence test that was run. :func:`bh_adjust` adjusts them together; each claim
    then gets :func:`decide_verdict` on the adjusted values. Claims that are ``not
    measurable`` keep that verdict and are not in the family (their test decides
    nothing); tests that could not be run are not counted.

    Parameters
    ----------
    table : DataFrame
        Claims rows (:data:`CLAIMS_COLUMNS`; extra columns are kept), e.g. one claims
        table, or every claims table of a run.
    family : str
        What the family is, in words (``"connectivity_claims"``, ``"run: ..."``); the
        ``p_family`` column states it with the number of tests.
    alpha : float
        Test level, and the false discovery rate of the adjustment.

    Returns
    -------
    A copy of ``table`` with ``p_adjusted``, ``p_equivalence_adjusted``, ``p_family``,
    ``verdict`` and ``reason`` replaced; the same for the same input.
    """
    out = table.copy()
    size = len(out)
    fixed = out["verdict"].to_numpy() == "not measurable"
    p_value = out["p_value"].to_numpy(dtype=float)
    one_sided = out["alternative"].isin(list(_OPPOSITE)).to_numpy()
    p_opposite = np.where(one_sided, out["p_opposite"].to_numpy(dtype=float), np.nan)
    effect_p = np.where(fixed | np.isnan(p_value), np.nan, np.fmin(p_value, p_opposite))
    equivalence_p = np.where(fixed, np.nan, out["p_equivalence"].to_numpy(dtype=float))
    adjusted = bh_adjust(np.concatenate([effect_p, equivalence_p]))
    out["p_adjusted"] = adjusted[:size]
    out["p_equivalence_adjusted"] = adjusted[size:]
    out["p_family"] = f"{family} ({int(np.isfinite(adjusted).sum())} tests)"
    verdicts, reasons = [], []
    for k, row in enumerate(out.itertuples(index=False)):
        if fixed[k]:
            verdicts.append(row.verdict)
            reasons.append(row.reason)
            continue
        v, reason = decide_verdict(
            p_value=row.p_value, p_opposite=p_opposite[k], p_adjusted=row.p_adjusted,
            p_equivalence=row.p_equivalence,
            p_equivalence_adjusted=row.p_equivalence_adjusted, alternative=row.alternative,
            ci_low=row.ci_low, ci_high=row.ci_high, reference=row.reference,
            equivalence_margin=row.equivalence_margin, alpha=alpha)
        verdicts.append(v)
        reasons.append(reason)
    out["verdict"] = verdicts
    out["reason"] = reasons
    return out
