"""Bootstrap intervals, rank tests, verdicts and the claims table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnn_hypotheses.analysis import stats as S
from rnn_hypotheses.artifacts import markdown_table


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
    assert S.bootstrap_ci(x, seed=5) == S.bootstrap_ci(x, seed=5)
    assert S.bootstrap_ci([3.0]) == (3.0, 3.0)
    assert all(np.isnan(S.bootstrap_ci([])))
    assert S.bootstrap_ci([1.0, np.nan, 1.0]) == (1.0, 1.0)


def test_bootstrap_of_a_difference_contains_it():
    x, y = np.arange(10.0) + 5, np.arange(12.0)
    lo, hi = S.bootstrap_ci_difference(x, y, seed=0)
    assert lo < x.mean() - y.mean() < hi


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
    # the interval is bootstrap_ci's with the same seed
    spread = pd.DataFrame({"g": [0, 0, 0, 0], "v": [1.0, 2.0, 4.0, 8.0]})
    row = S.band(spread, ["g"], "v", n_boot=200, seed=9).iloc[0]
    expected = S.bootstrap_ci(spread["v"], n_boot=200, seed=9)
    assert (row["ci_low"], row["ci_high"]) == expected
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


def test_row_for_clearly_negative_differences_is_not_supported():
    x = np.random.default_rng(2).normal(-2.0, 0.5, 10)
    row = S.claim_row("x is positive", "5.1", "x", x, alternative="greater")
    assert row["verdict"] == "not supported"
    assert row["p_value"] > 0.5


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


def test_opposite_test_alone_can_refute_a_claim():
    test = S.TestResult("t", "greater", 10, 0.0, 0.99, 1e-3)
    opposite = S.TestResult("t", "less", 10, 0.0, 0.01, 1e-3)
    verdict, note = S.verdict(test, -1.0, 0.2, 0.0, opposite)  # interval straddles 0
    assert verdict == "not supported"
    assert "opposite" in note


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
    assert shrink["verdict"] == "not supported"


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
