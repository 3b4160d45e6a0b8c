"""Statistics shared by every claims table: bootstrap intervals, rank tests, verdicts.

A *claim* is a directional statement about a per-network statistic ("the mean
weight decreases", "non-normality increases", ...). Each claim becomes one row of
a claims table with the columns of :data:`CLAIMS_COLUMNS`:

- the estimate is the mean over networks (of the statistic, of the paired
  differences, or the difference of two group means) with a bias-corrected and
  accelerated (BCa) bootstrap 95% interval;
- the test is a Wilcoxon signed-rank test (one sample against a reference value,
  or paired), or a Mann-Whitney U test between two groups of networks;
- networks where the statistic is not measurable (its premise fails) are left out
  and counted;
- the verdict, one of :data:`VERDICTS`, follows :func:`verdict`.

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
    "TestResult",
    "VERDICTS",
    "band",
    "between_groups_test",
    "bootstrap_ci",
    "bootstrap_ci_difference",
    "claim_row",
    "claims_table",
    "min_attainable_p",
    "one_sample_test",
    "paired_test",
    "verdict",
]

Alternative = Literal["greater", "less", "two-sided"]
Kind = Literal["one_sample", "paired", "between"]

ALPHA = 0.05
"""Significance level of every verdict."""

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
    "test",
    "p_value",
    "verdict",
    "notes",
)
"""Column order of every claims table."""

VERDICTS: tuple[str, ...] = (
    "supported", "not supported", "reversed", "inconclusive", "not measurable")
"""Every verdict a claim can have (:func:`verdict`)."""

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


def _resampled_means(a: NDArray[np.float64], n_boot: int, rng: np.random.Generator
                     ) -> NDArray[np.float64]:
    return a[rng.integers(0, a.size, size=(n_boot, a.size))].mean(axis=1)


def _jackknife_means(a: NDArray[np.float64]) -> NDArray[np.float64]:
    """Leave-one-out means of ``a`` (empty for fewer than two values)."""
    if a.size < 2:
        return np.empty(0)
    return (a.sum() - a) / (a.size - 1)


def _acceleration(jackknives: Sequence[NDArray[np.float64]]) -> float:
    """Efron's acceleration from the jackknife estimates of each independent sample.

    ``a = sum(u**3) / (6 * sum(u**2)**1.5)`` with ``u`` each sample's jackknife
    estimates subtracted from their own mean, summed over the samples (a sample of
    one value has no jackknife and adds nothing). 0 when every ``u`` is 0.
    """
    num = den = 0.0
    for jack in jackknives:
        if jack.size == 0:
            continue
        u = jack.mean() - jack
        num += float(np.sum(u**3))
        den += float(np.sum(u**2))
    return num / (6.0 * den**1.5) if den > 0 else 0.0


def _interval(boot: NDArray[np.float64], estimate: float,
              jackknives: Sequence[NDArray[np.float64]], confidence: float, method: Method
              ) -> tuple[float, float]:
    """The percentile or BCa interval from the bootstrap replicates ``boot``."""
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
    low, high = np.quantile(boot, levels)
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


# ----------------------------------------------------------------------------- verdicts


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
) -> tuple[str, str]:
    """Verdict on a directional claim.

    Rules, in order:

    1. ``not measurable`` if the statistic's premise fails in some networks
       (``not_measurable > 0``) and either in more than half of them
       (``2 * not_measurable > networks``) or so many that the measurable ones are
       too few for the test to reach ``alpha`` (``measurable_min_p > alpha``).
    2. ``inconclusive`` if the test could not be run (too few observations for its
       smallest attainable p-value to reach ``alpha``), whatever the interval says:
       a bootstrap interval on a handful of networks is too narrow to be trusted on
       its own, and the rule should need the same evidence for and against.
    3. ``supported`` if the test rejects at ``alpha`` in the claimed direction.
    4. ``reversed`` if the claim is one-sided and the opposite one-sided test
       rejects at ``alpha``: the data show the opposite of the claim.
    5. ``not supported`` if the claim is one-sided and the 95% interval lies
       entirely on the other side of ``reference`` (the opposite test short of
       ``alpha``, or not given).
    6. ``inconclusive`` otherwise. A two-sided claim that is not supported is
       always inconclusive: no difference was shown, but no equivalence either.

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

    Returns
    -------
    (verdict, note) : verdict in :data:`VERDICTS`.
    """
    if not_measurable > 0:
        if 2 * not_measurable > networks:
            return "not measurable", "more than half of the networks are not measurable"
        if measurable_min_p > alpha:
            return "not measurable", (
                f"too few measurable networks for the test to reach alpha = {alpha:g} "
                f"(smallest attainable p = {measurable_min_p:.3g})")
    if not np.isfinite(test.p_value):
        return "inconclusive", test.note or "test not run"
    if test.p_value < alpha:
        return "supported", ""
    if test.alternative in _OPPOSITE:
        if opposite is not None and np.isfinite(opposite.p_value) and opposite.p_value < alpha:
            return "reversed", f"opposite one-sided test rejects (p = {opposite.p_value:.3g})"
        wrong_side = ci_high < reference if test.alternative == "greater" else ci_low > reference
        if wrong_side:
            return "not supported", "95% interval lies on the opposite side of the reference"
    return "inconclusive", ""


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
) -> dict[str, object]:
    """One row of a claims table.

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
          ``values``; Wilcoxon signed-rank on ``values - reference``.
        - ``paired``: is ``values - other`` above/below ``reference``? Estimate: mean
          of the differences; Wilcoxon signed-rank on them. ``other`` has shape (n,).
        - ``between``: does group ``values`` exceed group ``other``? Estimate:
          ``mean(values) - mean(other)``; Mann-Whitney U. ``other`` has shape (n2,);
          ``reference`` must be 0.
    other : array, optional
        Second sample (required for ``paired`` and ``between``).
    reference : float
        Null value of the estimate.
    alternative : {"greater", "less", "two-sided"}
        Direction of the claim: ``"greater"`` claims the estimate exceeds ``reference``.
    alpha, confidence, n_boot, seed
        Test level, interval level (BCa, :func:`bootstrap_ci`), bootstrap resamples
        and bootstrap seed.
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

    Returns
    -------
    dict keyed by :data:`CLAIMS_COLUMNS`. ``n`` is the number of networks the
    test used (``n1 + n2`` for ``between``, with the split in the notes): the
    measurable ones with a finite value. Non-finite values are dropped and counted
    in the notes; so are networks where the statistic is not measurable
    (``"not measurable in k of n networks: <reason>"``).
    """
    _check_alternative(alternative)
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
        test = one_sample_test(est, reference, alternative, alpha)
        opposite = one_sample_test(est, reference, flip, alpha) if flip else None
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
        test = between_groups_test(a, b, alternative, alpha)
        opposite = between_groups_test(a, b, flip, alpha) if flip else None
        measurable_min_p = min_attainable_p("mannwhitney", a.size, alternative, b.size)
        note_parts.append(f"groups of {a.size} and {b.size}")
    else:
        raise ValueError(f"unknown kind {kind!r}")

    v, why = verdict(test, ci[0], ci[1], reference, opposite, alpha,
                     not_measurable=not_measurable, networks=networks,
                     measurable_min_p=measurable_min_p)
    if not_measurable:
        note_parts.append(f"not measurable in {not_measurable} of {networks} networks"
                          + (f": {unmeasurable_reason}" if unmeasurable_reason else ""))
    if dropped:
        note_parts.append(f"{dropped} non-finite value(s) dropped")
    if why:
        note_parts.append(why)
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
        "test": test.name,
        "p_value": test.p_value,
        "verdict": v,
        "notes": "; ".join(note_parts),
    }


# ----------------------------------------------------------------------------- tables


def claims_table(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Assemble claim rows into a DataFrame with exactly :data:`CLAIMS_COLUMNS`.

    Parameters
    ----------
    rows : list of dict
        Typically from :func:`claim_row`; each must have every column.

    Returns
    -------
    pandas.DataFrame with columns CLAIMS_COLUMNS in that order (``n`` int64,
    ``mean``/``ci_low``/``ci_high``/``p_value`` float64, the rest str). Write it with
    :func:`rnn_hypotheses.artifacts.write_table`, the project's one table writer.
    """
    for i, row in enumerate(rows):
        missing = [c for c in CLAIMS_COLUMNS if c not in row]
        if missing:
            raise ValueError(f"claims row {i} lacks column(s) {missing}")
    df = pd.DataFrame(
        [{c: row[c] for c in CLAIMS_COLUMNS} for row in rows], columns=list(CLAIMS_COLUMNS)
    )
    df = df.astype(
        {
            "n": "int64",
            "mean": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "p_value": "float64",
        }
    )
    for c in ("claim", "section", "statistic", "test", "verdict", "notes"):
        df[c] = df[c].astype(str)
    return df
