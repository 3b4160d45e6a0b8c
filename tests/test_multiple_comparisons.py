"""Benjamini-Hochberg adjustment, equivalence (TOST) verdicts and effect sizes with intervals."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rnn_hypotheses.analysis import stats as S
from rnn_hypotheses.claims import ClaimSpec, evaluate_claims

# --------------------------------------------------------------------------- Benjamini-Hochberg


def test_bh_known_answer():
    # sorted 0.005, 0.01, 0.03, 0.04 (m = 4): m p / rank = 0.02, 0.02, 0.04, 0.04
    adjusted = S.bh_adjust([0.01, 0.04, 0.03, 0.005])
    np.testing.assert_allclose(adjusted, [0.02, 0.04, 0.04, 0.02])


def test_bh_reproduces_the_example_of_benjamini_and_hochberg_1995():
    # the 15 p-values of their section 4: at q = 0.05 the step-up procedure rejects the
    # four smallest, where Bonferroni rejects three
    p = np.array([0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459,
                  0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000])
    adjusted = S.bh_adjust(p)
    assert (adjusted < 0.05).sum() == 4 and (p * p.size < 0.05).sum() == 3
    assert adjusted[3] == pytest.approx(0.0095 * 15 / 4)
    # the running minimum: 0.0201 * 15 / 5 = 0.0603 is lowered to no p-value's share
    assert adjusted[4] == pytest.approx(min(0.0201 * 15 / 5, 0.0278 * 15 / 6,
                                            0.0298 * 15 / 7, 0.0344 * 15 / 8, 0.0459 * 15 / 9))


def test_bh_properties_on_random_p_values():
    rng = np.random.default_rng(3)
    for m in (1, 2, 7, 60):
        p = rng.uniform(0, 1, m) ** 3  # many small ones
        adjusted = S.bh_adjust(p)
        assert np.all(adjusted >= p) and np.all(adjusted <= 1.0)
        order = np.argsort(p, kind="stable")
        assert np.all(np.diff(adjusted[order]) >= 0)  # monotone in the raw p
        # the definition, by brute force: min over j >= i of m p_(j) / j
        ranked = np.sort(p)
        brute = [min(1.0, min(m * ranked[j] / (j + 1) for j in range(i, m))) for i in range(m)]
        np.testing.assert_allclose(adjusted[order], brute)
        # rejecting adjusted < q is the step-up rule: every p up to the largest p_(k)
        # with p_(k) <= k q / m
        q = 0.05
        below = np.flatnonzero(ranked <= np.arange(1, m + 1) * q / m)
        threshold = ranked[below[-1]] if below.size else -1.0
        np.testing.assert_array_equal(adjusted <= q, p <= threshold)
    assert S.bh_adjust([0.3]) == pytest.approx([0.3])  # a family of one is unadjusted
    np.testing.assert_array_equal(S.bh_adjust([1.0, 1.0]), [1.0, 1.0])


def test_bh_leaves_untested_hypotheses_out_of_the_family():
    adjusted = S.bh_adjust([0.01, np.nan, 0.04])
    assert np.isnan(adjusted[1])
    np.testing.assert_allclose(adjusted[[0, 2]], [0.02, 0.04])  # m = 2, not 3
    assert np.isnan(S.bh_adjust([np.nan, np.nan])).all()
    assert S.bh_adjust([]).size == 0
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        S.bh_adjust([0.5, 1.2])


# --------------------------------------------------------------------------- equivalence


def test_tost_known_answers():
    # ten identical differences of 0: each one-sided test has all ranks on one side
    ten = S.equivalence_test(np.zeros(10), margin=0.5)
    assert ten.p_value == pytest.approx(2.0**-10)
    # margin 0 is the limit of a shrinking margin: the same test for identical values
    assert S.equivalence_test(np.zeros(10)).p_value == pytest.approx(2.0**-10)
    assert np.isnan(S.equivalence_test(np.r_[np.zeros(9), 1e-9]).p_value)
    # every difference within the margin: both shifted samples one-signed
    inside = S.equivalence_test(np.linspace(-0.4, 0.4, 8), margin=0.5)
    assert inside.p_value == pytest.approx(2.0**-8)
    # a difference as large as the margin: the upper test cannot reject
    assert S.equivalence_test(np.full(10, 0.5) + np.linspace(0, 0.1, 10),
                              margin=0.5).p_value > 0.5
    # five identical networks reach alpha (2**-5), four cannot
    assert S.equivalence_test(np.zeros(5)).p_value == pytest.approx(1 / 32)
    assert np.isnan(S.equivalence_test(np.zeros(4)).p_value)
    with pytest.raises(ValueError, match="margin"):
        S.equivalence_test(np.zeros(5), margin=-1.0)
    # two groups holding one and the same value
    groups = S.equivalence_test_between(np.ones(10), np.ones(10), margin=0.5)
    assert groups.p_value < 1e-4
    assert S.equivalence_test_between(np.ones(10), np.ones(10)).p_value == groups.p_value
    assert np.isnan(S.equivalence_test_between(np.ones(10), np.full(10, 2.0)).p_value)


def _change(after, before, **kw):
    return S.claim_row("training changes the count", "6", "count", after, kind="paired",
                       other=before, alternative="two-sided", **kw)


def test_ten_networks_with_the_same_count_are_equivalent():
    counts = np.array([1.0, 2, 1, 3, 1, 1, 2, 1, 1, 2])
    row = _change(counts, counts)
    # the test of change cannot run (no non-zero difference); the data still decide
    assert np.isnan(row["p_value"]) and "0 non-zero differences" in row["notes"]
    assert row["verdict"] == "equivalent"
    assert row["p_equivalence"] == pytest.approx(2.0**-10)
    assert "every value equals the null" in row["reason"]
    # with a margin, the same
    assert _change(counts, counts, equivalence_margin=0.5)["verdict"] == "equivalent"
    # three networks alike are too few for any test: inconclusive, as before
    assert _change(counts[:3], counts[:3])["verdict"] == "inconclusive"


def test_equivalence_within_and_outside_the_margin():
    rng = np.random.default_rng(4)
    before = rng.normal(5.0, 1.0, 10)
    small = before + rng.normal(0.0, 0.05, 10)
    row = _change(small, before, equivalence_margin=0.5)
    assert row["verdict"] == "equivalent" and row["p_equivalence"] < 0.05
    assert "within +-0.5 of 0" in row["reason"]
    # without a margin, changes that are small but not zero stay inconclusive
    assert _change(small, before)["verdict"] == "inconclusive"
    # changes spread as wide as the margin, centred on 0: neither test decides
    wide = before + np.array([-1.5, -1.0, -0.7, -0.3, 0.2, 0.4, 0.8, 1.1, 1.4, -0.2])
    row = _change(wide, before, equivalence_margin=0.5)
    assert row["verdict"] == "inconclusive" and row["p_equivalence"] > 0.05
    # a clear change is supported whatever the margin
    assert _change(before + 2.0 + rng.normal(0, 0.1, 10), before,
                   equivalence_margin=0.5)["verdict"] == "supported"


def test_equal_groups_are_equivalent_and_different_ones_are_not():
    same = S.claim_row("a has more", "6", "count", np.ones(10), kind="between",
                       other=np.ones(10), equivalence_margin=0.5)
    assert same["verdict"] == "equivalent" and same["effect"] == 0.0
    more = S.claim_row("a has more", "6", "count", np.full(10, 2.0) + np.arange(10) / 100,
                       kind="between", other=np.ones(10), equivalence_margin=0.5)
    assert more["verdict"] == "supported" and more["effect"] > 0


def test_evaluate_claims_takes_the_margin_from_the_spec():
    table = pd.DataFrame({"task": ["a"] * 10, "after": np.ones(10), "before": np.ones(10),
                          "near": np.ones(10) + np.linspace(-0.1, 0.1, 10)})
    spec = ClaimSpec("same", "training changes it", "6", "x", "near", kind="paired",
                     other="before", alternative="two-sided", equivalence=0.5)
    row = evaluate_claims([spec], table, n_boot=200).iloc[0]
    assert row["verdict"] == "equivalent" and row["equivalence_margin"] == 0.5
    named = ClaimSpec("same", "training changes it", "6", "x", "near", kind="paired",
                      other="before", alternative="two-sided", equivalence="margin")
    # the changes spread over +-0.1: a location within +-0.01 is not shown
    row = evaluate_claims([named], table, thresholds={"margin": 0.01}, n_boot=200).iloc[0]
    assert row["equivalence_margin"] == 0.01 and row["verdict"] == "inconclusive"


# --------------------------------------------------------------------------- effect sizes


def test_effect_sizes_known_answers_and_signs():
    x = np.array([1.0, 2, 3, 4, 5])
    assert S.cohens_d(x, 0.0) == pytest.approx(3.0 / np.sqrt(2.5))
    assert S.cohens_d(x, 3.0) == 0.0
    assert S.cohens_d(x, 4.0) == pytest.approx(-1.0 / np.sqrt(2.5))
    # means 2 and 1, pooled SD 1, small-sample factor 1 - 3 / (4 * 6 - 9) = 0.8
    assert S.hedges_g([1.0, 2, 3], [0.0, 1, 2]) == pytest.approx(0.8)
    assert S.hedges_g([0.0, 1, 2], [1.0, 2, 3]) == pytest.approx(-0.8)
    # no spread: no effect at the null, an unbounded one elsewhere
    assert S.cohens_d(np.full(4, 0.1), 0.1) == 0.0
    assert S.cohens_d(np.full(4, 0.1), 0.0) == np.inf
    assert S.hedges_g(np.full(3, 2.0), np.full(3, 2.0)) == 0.0
    with pytest.raises(ValueError, match="two values"):
        S.cohens_d([1.0])
    # the row's effect has the sign of the estimate minus the reference
    up = S.claim_row("x grows", "5", "x", np.arange(1.0, 11.0))
    down = S.claim_row("x grows", "5", "x", -np.arange(1.0, 11.0))
    assert up["effect"] > 0 > down["effect"] and up["effect_size"] == "Cohen's d"
    assert up["effect_low"] <= up["effect"] <= up["effect_high"]
    paired = S.claim_row("x grows", "5", "x", np.arange(10.0) + 1 + np.arange(10) % 3,
                         kind="paired", other=np.arange(10.0))
    assert paired["effect_size"] == "Cohen's d_z" and paired["effect"] > 0


def test_effect_intervals_are_seeded_and_handle_degenerate_samples():
    x = np.array([0.3, 1.2, -0.4, 2.2, 0.9, 1.5, 0.1, 0.8])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert S.bootstrap_effect_ci(x, seed=2) == S.bootstrap_effect_ci(x, seed=2)
        assert S.bootstrap_effect_ci(np.full(6, 1.0), 1.0) == (0.0, 0.0)
        assert all(np.isnan(S.bootstrap_effect_ci([1.0])))
        # nine networks alike: many resamples have no spread, and the upper end is unbounded
        low, high = S.bootstrap_effect_ci(np.r_[np.ones(9), 2.0], 0.0)
        assert 0 < low and high == np.inf
        low, high = S.bootstrap_effect_ci([0.0, 1.0], 0.0)  # no jackknife: bias-corrected
        assert low <= high
        assert S.bootstrap_effect_ci_difference(np.ones(5), np.zeros(5)) == (np.inf, np.inf)
        assert all(np.isnan(S.bootstrap_effect_ci_difference([1.0], [2.0])))
        low, high = S.bootstrap_effect_ci_difference([2.0], [0.0, 1.0, 2.0])
        assert low <= S.hedges_g([2.0], [0.0, 1.0, 2.0]) <= high


def test_effect_intervals_cover_the_true_effect_on_normal_samples():
    # 1000 samples of 10 networks, 1000 resamples each, true effect 0.8. Measured with these
    # seeds: Cohen's d 0.893 (any bootstrap interval of 10 values undercovers, as
    # tests/test_stats.py shows for the mean), Hedges' g of two groups of 10: 0.946
    rng = np.random.default_rng(11)
    hits_d = hits_g = 0
    samples = 1000
    for k in range(samples):
        low, high = S.bootstrap_effect_ci(rng.normal(0.8, 1.0, 10), 0.0, n_boot=1000, seed=k)
        hits_d += low <= 0.8 <= high
        low, high = S.bootstrap_effect_ci_difference(rng.normal(0.8, 1.0, 10),
                                                     rng.normal(0.0, 1.0, 10),
                                                     n_boot=1000, seed=k)
        hits_g += low <= 0.8 <= high
    assert 0.88 <= hits_d / samples <= 0.95
    assert 0.92 <= hits_g / samples <= 0.97


# --------------------------------------------------------------------------- adjusted verdicts


def _rows(p_pairs):
    """Claims rows whose (p in the claimed direction, opposite p) are given."""
    rows = []
    for k, (p, p_opposite) in enumerate(p_pairs):
        row = S.claim_row(f"claim {k}", "5", "x", np.arange(1.0, 11.0), key=f"k{k}")
        row.update(p_value=p, p_opposite=p_opposite)
        rows.append(row)
    return S.claims_table(rows)


def test_a_raw_rejection_among_null_claims_does_not_survive_the_adjustment():
    # one claim at p = 0.04 among nine whose data lean nowhere (0.97 one way, 0.06 the other)
    table = _rows([(0.04, 0.97)] + [(0.97, 0.06)] * 9)
    alone = S.adjust_claims(table.iloc[:1], "claim 0 alone")
    assert alone["verdict"].item() == "supported" and alone["p_adjusted"].item() == 0.04
    adjusted = S.adjust_claims(table, "test family")
    first = adjusted.iloc[0]
    assert first["verdict"] == "inconclusive"
    assert first["p_adjusted"] == pytest.approx(0.06) and first["p_adjusted"] >= first["p_value"]
    assert "rejects only before the BH adjustment (p = 0.04, BH-adjusted 0.06)" in (
        first["reason"])
    # no value equals the null, so no equivalence test at margin 0: ten tests
    assert (adjusted["p_family"] == "test family (10 tests)").all()
    # the same claim among strong ones is a discovery
    strong = S.adjust_claims(_rows([(0.04, 0.97)] + [(0.001, 1.0)] * 9), "strong")
    assert (strong["verdict"] == "supported").all()


def test_a_clearly_reversed_claim_counts_as_a_discovery_in_its_direction():
    adjusted = S.adjust_claims(_rows([(0.999, 0.001), (0.5, 0.6)]), "two claims")
    assert adjusted["verdict"].tolist() == ["reversed", "inconclusive"]
    # the family holds each claim once, with the p of the way its data lean: 0.001, 0.5
    assert adjusted["p_adjusted"].tolist() == pytest.approx([0.002, 0.5])
    assert adjusted["reason"].iloc[0] == (
        "opposite one-sided test rejects (p = 0.001, BH-adjusted 0.002)")


def test_not_measurable_claims_keep_their_verdict_and_stay_out_of_the_family():
    x = np.arange(1.0, 11.0)
    rows = [S.claim_row("x", "5", "x", x, measurable=np.arange(10) >= 6, key="a"),
            S.claim_row("y", "5", "x", x, key="b")]
    adjusted = S.adjust_claims(S.claims_table(rows), "two")
    assert adjusted["verdict"].tolist() == ["not measurable", "supported"]
    assert np.isnan(adjusted["p_adjusted"].iloc[0])
    assert adjusted["p_family"].iloc[0] == "two (1 tests)"  # x has no TOST at margin 0


def test_adjusting_is_deterministic_and_idempotent():
    rng = np.random.default_rng(5)
    table = pd.DataFrame({"task": np.repeat(["a", "b"], 10), "x": rng.normal(0.3, 1, 20),
                          "y": rng.normal(0, 1, 20)})
    specs = [ClaimSpec("x", "x grows", "5", "x", "x", kind="paired", other="y"),
             ClaimSpec("same", "x changes", "5", "x", "x", kind="paired", other="y",
                       alternative="two-sided", equivalence=1.0)]
    first = S.adjust_claims(evaluate_claims(specs, table, n_boot=300, seed=3), "f")
    second = S.adjust_claims(evaluate_claims(specs, table, n_boot=300, seed=3), "f")
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    pd.testing.assert_frame_equal(S.adjust_claims(first, "f"), first, check_exact=True)
    assert tuple(first.columns) == S.CLAIMS_COLUMNS
