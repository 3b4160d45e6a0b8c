"""Statistics shared by every claims table: bootstrap intervals, rank tests, verdicts.

A *claim* is a directional statement about a per-network statistic ("the mean
weight decreases", "non-normality increases", ...). Each claim becomes one row of
a claims table with the columns of :data:`CLAIMS_COLUMNS`:

- the estimate is the mean over networks (of the statistic, of the paired
  differences, or the difference of two group means) with a percentile-bootstrap
  95% interval;
- the test is a Wilcoxon signed-rank test (one sample against a reference value,
  or paired), or a Mann-Whitney U test between two groups of networks;
- the verdict follows :func:`verdict`.

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
from scipy.stats import mannwhitneyu, wilcoxon

__all__ = [
    "ALPHA",
    "CLAIMS_COLUMNS",
    "TestResult",
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


def bootstrap_ci(
    x: ArrayLike, confidence: float = 0.95, n_boot: int = 10_000, seed: int = 0
) -> tuple[float, float]:
    """Percentile-bootstrap interval of the mean.

    Parameters
    ----------
    x : array, shape (n,)
        One value per network. Non-finite values are dropped.
    confidence : float in (0, 1)
    n_boot : int
        Number of resamples.
    seed : int
        Seed of the numpy Generator.

    Returns
    -------
    (low, high) : floats; ``(x0, x0)`` for a single value, NaNs for none.
    """
    a = _finite(x)
    if a.size == 0:
        return float("nan"), float("nan")
    if a.size == 1:
        return float(a[0]), float(a[0])
    rng = np.random.default_rng(seed)
    means = a[rng.integers(0, a.size, size=(n_boot, a.size))].mean(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(low), float(high)


def bootstrap_ci_difference(
    x: ArrayLike, y: ArrayLike, confidence: float = 0.95, n_boot: int = 10_000, seed: int = 0
) -> tuple[float, float]:
    """Percentile-bootstrap interval of ``mean(x) - mean(y)`` for two independent groups.

    Each group is resampled on its own, as the groups are different networks.

    Parameters
    ----------
    x : array, shape (n1,)
    y : array, shape (n2,)
    confidence, n_boot, seed : see :func:`bootstrap_ci`

    Returns
    -------
    (low, high) : floats; NaNs if either group is empty.
    """
    a, b = _finite(x), _finite(y)
    if a.size == 0 or b.size == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    ma = a[rng.integers(0, a.size, size=(n_boot, a.size))].mean(axis=1)
    mb = b[rng.integers(0, b.size, size=(n_boot, b.size))].mean(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(ma - mb, [tail, 1 - tail])
    return float(low), float(high)


def band(
    frame: pd.DataFrame, by: Sequence[str], value: str, *, n_boot: int = 2000, seed: int = 0
) -> pd.DataFrame:
    """Mean over networks and its 95% percentile-bootstrap interval, per group.

    Parameters
    ----------
    frame : DataFrame
        One row per network and group; columns ``by`` and ``value``.
    by : sequence of str
        Grouping columns (e.g. task, state, theta).
    value : str
        Column to summarise; non-finite values are dropped.
    n_boot, seed
        Bootstrap resamples and seed (:func:`bootstrap_ci`); every group uses the
        same seed.

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
        low, high = bootstrap_ci(x, n_boot=n_boot, seed=seed)
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
) -> tuple[str, str]:
    """Verdict on a directional claim.

    Rules, in order:

    1. ``inconclusive`` if the test could not be run (too few observations for its
       smallest attainable p-value to reach ``alpha``), whatever the interval says:
       a percentile bootstrap on a handful of networks is too narrow to be trusted
       on its own, and the rule should need the same evidence for and against.
    2. ``supported`` if the test rejects at ``alpha`` in the claimed direction.
    3. ``not supported`` if the claim is one-sided and either the 95% interval lies
       entirely on the other side of ``reference`` or the opposite one-sided test
       rejects at ``alpha``.
    4. ``inconclusive`` otherwise. A two-sided claim that is not supported is
       always inconclusive: no difference was shown, but no equivalence either.

    Parameters
    ----------
    test : TestResult
        The test in the claimed direction (its ``alternative`` is the claim's).
    ci_low, ci_high : float
        Interval of the estimate, on the scale where ``reference`` is the null.
    reference : float
        Null value of the estimate (0 for differences).
    opposite : TestResult, optional
        The same test with the opposite one-sided alternative.
    alpha : float

    Returns
    -------
    (verdict, note) : verdict in {"supported", "not supported", "inconclusive"}.
    """
    if not np.isfinite(test.p_value):
        return "inconclusive", test.note or "test not run"
    if test.p_value < alpha:
        return "supported", ""
    if test.alternative in _OPPOSITE:
        wrong_side = ci_high < reference if test.alternative == "greater" else ci_low > reference
        if wrong_side:
            return "not supported", "95% interval lies on the opposite side of the reference"
        if opposite is not None and np.isfinite(opposite.p_value) and opposite.p_value < alpha:
            return "not supported", f"opposite one-sided test rejects (p = {opposite.p_value:.3g})"
    return "inconclusive", ""


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
        Test level, interval level, bootstrap resamples and bootstrap seed.
    notes : str
        Free text appended to the notes column.
    key : str
        The claim's identifier, which the hypotheses table joins on.
    task, state : str
        The task and state the row is about; ``""`` for a claim that compares tasks, or
        that is not about one state.

    Returns
    -------
    dict keyed by :data:`CLAIMS_COLUMNS`. ``n`` is the number of networks
    (``n1 + n2`` for ``between``, with the split in the notes). Non-finite values
    are dropped and counted in the notes.
    """
    _check_alternative(alternative)
    x = np.asarray(values, dtype=float).ravel()
    y = None if other is None else np.asarray(other, dtype=float).ravel()
    if kind != "one_sample" and y is None:
        raise ValueError(f"kind={kind!r} needs `other`")
    flip = _OPPOSITE.get(alternative)
    note_parts: list[str] = []

    if kind in ("one_sample", "paired"):
        if kind == "paired" and x.shape != y.shape:
            raise ValueError(f"paired samples differ in length: {x.size} vs {y.size}")
        raw = x if kind == "one_sample" else x - y
        est = _finite(raw)
        dropped = raw.size - est.size
        n = est.size
        mean = float(est.mean()) if n else float("nan")
        ci = bootstrap_ci(est, confidence, n_boot, seed)
        test = one_sample_test(est, reference, alternative, alpha)
        opposite = one_sample_test(est, reference, flip, alpha) if flip else None
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
        a, b = _finite(x), _finite(y)
        dropped = (x.size - a.size) + (y.size - b.size)
        n = a.size + b.size
        mean = float(a.mean() - b.mean()) if a.size and b.size else float("nan")
        ci = bootstrap_ci_difference(a, b, confidence, n_boot, seed)
        test = between_groups_test(a, b, alternative, alpha)
        opposite = between_groups_test(a, b, flip, alpha) if flip else None
        note_parts.append(f"groups of {a.size} and {b.size}")
    else:
        raise ValueError(f"unknown kind {kind!r}")

    v, why = verdict(test, ci[0], ci[1], reference, opposite, alpha)
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
