"""Bootstrap intervals, rank tests, verdicts and the claims table."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import bootstrap

from rnn_hypotheses.analysis import stats as S
from rnn_hypotheses.artifacts import markdown_table
from rnn_hypotheses.claims import ClaimSpec, evaluate_claims


def test_bootstrap_interval_contains_the_mean_and_shrinks_with_n():
    rng = np.random.default_rng(0)
    small, large = rng.normal(1.0, 1.0, 10), rng.normal(1.0, 1.0, 1000)
    lo_s, hi_s = S.bootstrap_ci(small, seed=1)
    lo_l, hi_l = S.bootstrap_ci(large, seed=1)
    assert lo_s < small.mean() < hi_s
    assert lo_l < large.mean() < hi_l
    assert hi_l - lo_l < 0.5 * (hi_s - lo_s)


def test_bootstrap_is_seeded_and_handles_degenerate_samples():
    x = np.arange(8.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NaN or division warnings on any edge case
        for method in ("bca", "percentile"):
            assert S.bootstrap_ci(x, seed=5, method=method) == S.bootstrap_ci(
                x, seed=5, method=method)
            assert S.bootstrap_ci([3.0], method=method) == (3.0, 3.0)
            assert all(np.isnan(S.bootstrap_ci([], method=method)))
            assert S.bootstrap_ci([1.0, np.nan, 1.0], method=method) == (1.0, 1.0)
            assert S.bootstrap_ci([2.5] * 10, method=method) == (2.5, 2.5)
            assert S.bootstrap_ci_difference([2.0] * 5, [0.5] * 7, method=method) == (1.5, 1.5)
            assert S.bootstrap_ci_difference([2.0], [0.5], method=method) == (1.5, 1.5)
            assert all(np.isnan(S.bootstrap_ci_difference([], [1.0, 2.0], method=method)))
            # a single value against a group: only the group varies
            lo, hi = S.bootstrap_ci_difference([2.0], [0.0, 1.0, 2.0], method=method)
            assert 0.0 <= lo < 1.0 < hi <= 2.0
            # two values, and a heavy outlier that pushes the BCa level to its limit
            lo, hi = S.bootstrap_ci([0.0, 1.0], method=method)
            assert 0.0 <= lo <= hi <= 1.0
            lo, hi = S.bootstrap_ci([0.0] * 29 + [1e6], method=method)
            assert 0.0 <= lo <= hi <= 1e6
    with pytest.raises(ValueError, match="method"):
        S.bootstrap_ci(x, method="basic")


def test_bootstrap_of_a_difference_contains_it():
    x, y = np.arange(10.0) + 5, np.arange(12.0)
    lo, hi = S.bootstrap_ci_difference(x, y, seed=0)
    assert lo < x.mean() - y.mean() < hi
    assert S.bootstrap_ci_difference(x, y, seed=3) == S.bootstrap_ci_difference(x, y, seed=3)


@pytest.mark.parametrize("seed", [0, 1])
def test_bca_intervals_agree_with_scipy(seed):
    # the same BCa interval as scipy.stats.bootstrap, up to the resampling noise
    rng = np.random.default_rng(seed)
    x, y = rng.exponential(1.0, 10), rng.exponential(2.0, 12)
    ours = S.bootstrap_ci(x, n_boot=50_000, seed=seed)
    ref = bootstrap((x,), np.mean, n_resamples=50_000, method="BCa", random_state=seed)
    np.testing.assert_allclose(ours, ref.confidence_interval, rtol=0.02)

    def difference(a, b, axis=-1):
        return a.mean(axis) - b.mean(axis)

    ours = S.bootstrap_ci_difference(x, y, n_boot=50_000, seed=seed)
    ref = bootstrap((x, y), difference, n_resamples=50_000, method="BCa", random_state=seed)
    np.testing.assert_allclose(ours, ref.confidence_interval, rtol=0.02)
    # a right-skewed sample: BCa shifts the interval to the right of the percentile one
    pct = S.bootstrap_ci(x, n_boot=50_000, seed=seed, method="percentile")
    bca = S.bootstrap_ci(x, n_boot=50_000, seed=seed)
    assert bca[0] > pct[0] and bca[1] > pct[1]


def _coverage(draw, mean: float, *, samples: int = 2000, n: int = 10, n_boot: int = 2000
              ) -> dict[str, float]:
    """Share of ``samples`` samples of size ``n`` whose 95% interval holds ``mean``."""
    rng = np.random.default_rng(0)
    hits = {"bca": 0, "percentile": 0}
    for k in range(samples):
        x = draw(rng, n)
        for method in hits:
            low, high = S.bootstrap_ci(x, n_boot=n_boot, seed=k, method=method)
            hits[method] += low <= mean <= high
    return {method: hit / samples for method, hit in hits.items()}


def test_bca_covers_better_than_the_percentile_interval_at_ten_networks():
    # 2000 samples of 10 values, 2000 resamples each. Measured with these seeds:
    # exponential (skewed) BCa 0.8825, percentile 0.862; normal BCa 0.900, percentile
    # 0.902 (20000 samples: 0.876 / 0.859 and 0.901 / 0.903). Any bootstrap interval
    # of 10 values undercovers (it ignores the t correction); BCa removes part of the
    # shortfall that skewness causes and costs nothing on a symmetric distribution.
    skewed = _coverage(lambda rng, n: rng.exponential(1.0, n), 1.0)
    assert abs(skewed["bca"] - 0.95) < abs(skewed["percentile"] - 0.95)
    assert skewed["bca"] - skewed["percentile"] > 0.01
    assert 0.86 <= skewed["bca"] <= 0.91 and 0.84 <= skewed["percentile"] <= 0.88
    normal = _coverage(lambda rng, n: rng.normal(0.0, 1.0, n), 0.0)
    assert abs(normal["bca"] - normal["percentile"]) <= 0.01
    assert 0.88 <= normal["bca"] <= 0.92 and 0.88 <= normal["percentile"] <= 0.92


def test_band_is_the_mean_with_an_interval():
    frame = pd.DataFrame({"g": ["a"] * 5 + ["b"] * 2, "v": [1.0, 2, 3, 4, 5, 7, 7]})
    out = S.band(frame, ["g"], "v")
    assert out["mean"].tolist() == [3.0, 7.0] and out["n"].tolist() == [5, 2]
    assert out.loc[0, "ci_low"] < 3 < out.loc[0, "ci_high"]
    assert out.loc[1, "ci_low"] == out.loc[1, "ci_high"] == 7.0


def test_band_of_constant_groups_collapses_to_the_value():
    # groups listed out of order, with a non-finite value and an all-NaN group
    frame = pd.DataFrame({
        "task": ["b", "a", "b", "a", "a", "c"],
        "state": ["x", "y", "x", "y", "y", "x"],
        "v": [2.0, -1.5, 2.0, np.nan, -1.5, np.nan],
    })
    out = S.band(frame, ["task", "state"], "v", n_boot=50, seed=3)
    assert list(out.columns) == ["task", "state", "mean", "ci_low", "ci_high", "n"]
    assert list(zip(out["task"], out["state"], strict=True)) == [("a", "y"), ("b", "x"), ("c", "x")]
    np.testing.assert_array_equal(out["mean"], [-1.5, 2.0, np.nan])
    np.testing.assert_array_equal(out["ci_low"], [-1.5, 2.0, np.nan])
    np.testing.assert_array_equal(out["ci_high"], [-1.5, 2.0, np.nan])
    assert out["n"].tolist() == [2, 2, 0]
    # the interval is bootstrap_ci's percentile interval with the same seed
    spread = pd.DataFrame({"g": [0, 0, 0, 0], "v": [1.0, 2.0, 4.0, 8.0]})
    row = S.band(spread, ["g"], "v", n_boot=200, seed=9).iloc[0]
    expected = S.bootstrap_ci(spread["v"], n_boot=200, seed=9, method="percentile")
    assert (row["ci_low"], row["ci_high"]) == expected
    assert expected != S.bootstrap_ci(spread["v"], n_boot=200, seed=9)
    assert row["mean"] == 3.75

def test_smallest_attainable_p_values():
    assert S.min_attainable_p("wilcoxon", 4, "greater") == 1 / 16
    assert S.min_attainable_p("wilcoxon", 5, "greater") == 1 / 32
    assert S.min_attainable_p("wilcoxon", 5, "two-sided") == 1 / 16
    assert S.min_attainable_p("mannwhitney", 3, "less", n2=3) == 1 / 20


def test_one_sample_test_known_answer():
    # all ten differences positive: exact one-sided p = 2**-10
    res = S.one_sample_test(np.arange(1.0, 11.0), reference=0.0, alternative="greater")
    assert res.p_value == pytest.approx(2.0**-10)
    assert res.n == 10


def test_paired_and_between_group_tests_known_answers():
    before = np.arange(6.0)
    paired = S.paired_test(before + np.arange(1.0, 7.0), before, alternative="greater")
    assert paired.p_value == pytest.approx(2.0**-6)
    assert S.paired_test(before + 1, before, alternative="less").p_value == pytest.approx(1.0)
    # every x above every y: exact one-sided p = 1 / C(10, 5)
    mw = S.between_groups_test(np.arange(5.0) + 10, np.arange(5.0), alternative="greater")
    assert mw.p_value == pytest.approx(1 / 252)
    assert mw.n == 10


def test_row_for_clearly_positive_differences_is_supported():
    x = np.random.default_rng(1).normal(2.0, 0.5, 10)
    row = S.claim_row("x is positive", "5.1", "x", x)
    assert row["verdict"] == "supported"
    assert row["p_value"] < 0.05
    assert row["ci_low"] < row["mean"] < row["ci_high"]
    assert row["mean"] == pytest.approx(x.mean())


def test_row_for_clearly_negative_differences_is_reversed():
    x = np.random.default_rng(2).normal(-2.0, 0.5, 10)
    row = S.claim_row("x is positive", "5.1", "x", x, alternative="greater")
    assert row["verdict"] == "reversed"
    assert row["p_value"] > 0.5
    # all ten below the reference: the opposite test's exact p is 2**-10; one claim
    # alone is not adjusted, so the reason gives the raw p only
    assert row["reason"] == f"opposite one-sided test rejects (p = {2.0**-10:.3g})"
    assert row["p_opposite"] == pytest.approx(2.0**-10)
    assert row["p_adjusted"] == row["p_opposite"] and row["p_family"] == S.UNADJUSTED
    assert row["notes"] == ""


def test_row_with_the_interval_on_the_other_side_is_not_supported():
    # the mean is clearly negative, but five small positive values keep the opposite
    # signed-rank test (W+ = 15 of 55) at p = 0.116: not supported, not reversed
    x = np.array([-10.0, -9, -8, -7, 0.1, 0.2, 0.3, 0.4, 0.5, -6])
    row = S.claim_row("x is positive", "5.1", "x", x, alternative="greater")
    assert S.one_sample_test(x, 0.0, "less").p_value == pytest.approx(0.1162109375)
    assert row["ci_high"] < 0
    assert row["verdict"] == "not supported"
    assert row["reason"] == "95% interval lies on the opposite side of the reference"


def test_row_with_three_networks_is_inconclusive_and_says_why():
    row = S.claim_row("x is positive", "5.1", "x", [5.0, 6.0, 7.0])
    assert row["verdict"] == "inconclusive"
    assert np.isnan(row["p_value"])
    assert "n too small" in row["notes"]
    assert row["n"] == 3


def test_row_without_an_effect_is_inconclusive():
    x = np.array([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0, -1.5, 1.5])
    assert S.claim_row("x is positive", "5.1", "x", x)["verdict"] == "inconclusive"
    assert S.claim_row("x differs", "5.1", "x", x, alternative="two-sided")["verdict"] == (
        "inconclusive"
    )


def test_verdict_rules_known_answers():
    test = S.TestResult("t", "greater", 10, 0.0, 0.99, 1e-3)
    opposite = S.TestResult("t", "less", 10, 0.0, 0.01, 1e-3)
    # the opposite test rejects: reversed, whether or not the interval straddles 0
    assert S.verdict(test, -1.0, 0.2, 0.0, opposite) == (
        "reversed", "opposite one-sided test rejects (p = 0.01)")
    assert S.verdict(test, -1.0, -0.2, 0.0, opposite)[0] == "reversed"
    # only the interval on the other side: not supported
    weak = S.TestResult("t", "less", 10, 0.0, 0.2, 1e-3)
    assert S.verdict(test, -1.0, -0.2, 0.0, weak)[0] == "not supported"
    assert S.verdict(test, -1.0, -0.2, 0.0)[0] == "not supported"
    assert S.verdict(test, -1.0, 0.2, 0.0, weak) == ("inconclusive", "")
    # a two-sided claim is never reversed
    two = S.TestResult("t", "two-sided", 10, 0.0, 0.5, 2e-3)
    assert S.verdict(two, -1.0, -0.2, 0.0, opposite)[0] == "inconclusive"
    # not measurable: in more than half of the networks, or too few measurable ones
    ok = S.TestResult("t", "greater", 5, 0.0, 0.01, 1 / 32)
    assert S.verdict(ok, 1.0, 2.0, not_measurable=6, networks=10,
                     measurable_min_p=1 / 16)[0] == "not measurable"
    assert S.verdict(ok, 1.0, 2.0, not_measurable=5, networks=10,
                     measurable_min_p=1 / 32)[0] == "supported"
    verdict, note = S.verdict(ok, 1.0, 2.0, not_measurable=4, networks=8,
                              measurable_min_p=1 / 16)
    assert verdict == "not measurable" and "too few measurable networks" in note
    assert set(S.VERDICTS) == {"supported", "not supported", "reversed", "equivalent",
                               "inconclusive", "not measurable"}


def test_rows_leave_out_networks_where_the_statistic_is_not_measurable():
    x = np.arange(1.0, 11.0)
    why = "the premise fails"
    # 6 of 10 left out: more than half
    mask = np.arange(10) >= 6
    row = S.claim_row("x is positive", "5.1", "x", x, measurable=mask, unmeasurable_reason=why)
    assert row["verdict"] == "not measurable"
    assert row["n"] == 4 and row["mean"] == pytest.approx(8.5)
    assert row["notes"] == ("not measurable in 6 of 10 networks: the premise fails; "
                            "more than half of the networks are not measurable")
    # 3 of 10 left out: the other 7 decide (all positive, exact p = 2**-7)
    mask = np.arange(10) >= 3
    row = S.claim_row("x is positive", "5.1", "x", x, measurable=mask, unmeasurable_reason=why)
    assert row["verdict"] == "supported" and row["n"] == 7
    assert row["p_value"] == pytest.approx(2.0**-7)
    assert row["notes"] == "not measurable in 3 of 10 networks: the premise fails"
    # 5 of 10 left out: one-sided, 5 reach alpha (1/32); two-sided they cannot (1/16)
    mask = np.arange(10) >= 5
    assert S.claim_row("x", "5.1", "x", x, measurable=mask)["verdict"] == "supported"
    row = S.claim_row("x", "5.1", "x", x, measurable=mask, alternative="two-sided")
    assert row["verdict"] == "not measurable"
    assert "smallest attainable p = 0.0625" in row["notes"]
    # 3 networks in all and every one measurable: the usual inconclusive, not this
    assert S.claim_row("x", "5.1", "x", [1.0, 2.0, 3.0],
                       measurable=[True] * 3)["verdict"] == "inconclusive"
    # a pair is measurable or not as a whole
    before = np.zeros(10)
    row = S.claim_row("x", "5.1", "x", x, kind="paired", other=before, measurable=mask)
    assert row["verdict"] == "supported" and row["n"] == 5
    # between groups: each group has its mask, the rule counts both
    row = S.claim_row("x", "5.1", "x", x + 20, kind="between", other=x,
                      measurable=np.arange(10) < 2, other_measurable=np.arange(10) < 3)
    assert row["verdict"] == "not measurable" and row["n"] == 5
    assert row["notes"].startswith("groups of 2 and 3; not measurable in 15 of 20 networks")
    with pytest.raises(ValueError, match="booleans"):
        S.claim_row("x", "5.1", "x", x, measurable=np.ones(10))
    with pytest.raises(ValueError, match="9 entries"):
        S.claim_row("x", "5.1", "x", x, measurable=np.ones(9, bool))
    with pytest.raises(ValueError, match="other_measurable"):
        S.claim_row("x", "5.1", "x", x, other_measurable=np.ones(10, bool))


def test_evaluate_claims_with_a_measurable_column():
    table = pd.DataFrame({
        "task": ["a"] * 10 + ["b"] * 10,
        "x": np.r_[np.arange(1.0, 11.0), np.arange(1.0, 11.0)],
        "ok": np.r_[np.arange(10) == 0, np.ones(10, bool)],
    })
    spec = ClaimSpec("grows", "x is positive", "5.1", "x", "x", measurable="ok",
                     unmeasurable_reason="x was not defined")
    rows = evaluate_claims([spec], table, n_boot=500).set_index("task")
    assert rows.loc["a", "verdict"] == "not measurable" and rows.loc["a", "n"] == 1
    assert rows.loc["a", "notes"].startswith("not measurable in 9 of 10 networks: x was not "
                                             "defined")
    assert rows.loc["b", "verdict"] == "supported" and rows.loc["b", "notes"] == ""
    # per state: the column names its state; between kinds: each task's networks
    per_state = ClaimSpec("grows", "x is positive", "5.1", "x", "x", measurable="{state}_ok",
                          states=("s",))
    rows = evaluate_claims([per_state], table.rename(columns={"ok": "s_ok"}), n_boot=200)
    assert list(rows["verdict"]) == ["not measurable", "supported"]
    between = ClaimSpec("bigger", "a is bigger", "5.1", "x", "x", kind="between",
                        groups=("ka", "kb"), measurable="ok")
    rows = evaluate_claims([between], table, kinds={"a": "ka", "b": "kb"}, n_boot=200)
    assert rows["n"].item() == 11 and "not measurable in 9 of 20 networks" in rows["notes"].item()
    with pytest.raises(ValueError, match="needs the measurable column 'missing'"):
        evaluate_claims([ClaimSpec("k", "t", "1", "x", "x", measurable="missing")], table)
    with pytest.raises(ValueError, match="not boolean"):
        evaluate_claims([spec], table.assign(ok=table["ok"].astype(float)))


def test_paired_row_uses_the_differences():
    before = np.linspace(1.0, 2.0, 8)
    after = before + np.linspace(0.5, 1.0, 8)
    row = S.claim_row("grows", "5.2", "x", after, kind="paired", other=before)
    assert row["verdict"] == "supported"
    assert row["mean"] == pytest.approx(0.75)
    assert "paired" in row["test"]
    shrink = S.claim_row(
        "shrinks", "5.2", "x", after, kind="paired", other=before, alternative="less"
    )
    assert shrink["verdict"] == "reversed"


def test_between_groups_row():
    decision, perception = np.arange(10.0) + 20, np.arange(10.0)
    row = S.claim_row("bigger", "5.1", "x", decision, kind="between", other=perception)
    assert row["verdict"] == "supported"
    assert row["n"] == 20
    assert row["mean"] == pytest.approx(20.0)
    assert "Mann-Whitney" in row["test"]
    tiny = S.claim_row("bigger", "5.1", "x", [5.0, 6.0], kind="between", other=[1.0, 2.0])
    assert tiny["verdict"] == "inconclusive"


def test_non_finite_values_are_dropped_and_counted():
    row = S.claim_row("x", "5.1", "x", [1.0, 2.0, np.nan, 3.0, 4.0, 5.0, 6.0])
    assert row["n"] == 6
    assert "1 non-finite" in row["notes"]


def test_claims_table_and_markdown():
    rows = [
        S.claim_row(
            "mean weight | decreases", "5.1", "dW", -np.arange(1.0, 11.0), alternative="less"
        ),
        S.claim_row("few networks", "5.2", "x", [1.0, 2.0]),
    ]
    df = S.claims_table(rows)
    assert tuple(df.columns) == S.CLAIMS_COLUMNS
    assert df["n"].dtype == np.int64
    md = markdown_table(df)
    lines = md.strip("\n").split("\n")
    assert len(lines) == 2 + len(rows)
    assert lines[0] == "| " + " | ".join(S.CLAIMS_COLUMNS) + " |"
    assert set(lines[1]) <= {"|", "-"}
    assert "mean weight \\| decreases" in lines[2]
    assert "| inconclusive |" in lines[3]
    assert "|  |" in lines[3]  # the untested row has no p-value: an empty cell
    assert all(line.count("|") - line.count("\\|") == len(S.CLAIMS_COLUMNS) + 1 for line in lines)


def test_claims_table_rejects_incomplete_rows():
    with pytest.raises(ValueError, match="lacks column"):
        S.claims_table([{"claim": "x"}])
