"""Growth of the slow-point counts with task complexity (report, section 6, question 2)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from rnn_hypotheses.analysis.complexity import (
    counts_by_dimension,
    dimension_summary,
    fit_growth,
    growth_claims,
    growth_interval,
    growth_table,
    oscillation_ratios,
)

DIMENSIONS = np.repeat([1, 2, 3, 4], 10)


def test_a_linear_count_is_fitted_linear_with_its_slope():
    count = 1.0 + 0.75 * DIMENSIONS
    fit = fit_growth(DIMENSIONS, count)
    assert fit.model == "linear"
    assert fit.rate == pytest.approx(0.75)
    assert fit.intercept == pytest.approx(1.0)
    assert fit.rss["linear"] == pytest.approx(0.0, abs=1e-20)


def test_an_exponential_count_is_fitted_exponential_with_its_rate():
    count = 0.5 * 2.0 ** DIMENSIONS
    fit = fit_growth(DIMENSIONS, count)
    assert fit.model == "exponential"
    assert fit.rate == pytest.approx(np.log(2.0), rel=1e-6)
    assert fit.intercept == pytest.approx(0.5, rel=1e-5)
    assert fit.rss["linear"] > 1.0


def test_a_constant_count_has_rate_zero_and_the_simpler_model():
    fit = fit_growth(DIMENSIONS, np.ones(DIMENSIONS.size))
    assert fit.model == "linear"
    assert fit.rate == pytest.approx(0.0, abs=1e-12)


def test_no_points_anywhere_cannot_be_exponential():
    fit = fit_growth(DIMENSIONS, np.zeros(DIMENSIONS.size))
    assert fit.model == "linear" and fit.rss["exponential"] == np.inf


def test_one_dimension_has_no_growth_rate():
    with pytest.raises(ValueError, match="two input dimensions"):
        fit_growth(np.ones(5), np.arange(5.0))


def test_the_bootstrap_interval_covers_the_true_slope():
    rng = np.random.default_rng(1)
    count = 1.0 + 0.5 * DIMENSIONS + rng.normal(0, 0.3, DIMENSIONS.size)
    low, high = growth_interval(DIMENSIONS, count, "linear", n_boot=500, seed=2)
    assert low < 0.5 < high
    assert high - low < 0.5  # 40 networks pin a slope of 0.5 down to better than +-0.25
    assert growth_interval(DIMENSIONS, count, "linear", n_boot=500, seed=2) == (low, high)


def sweep_networks(trained_count, untrained_count):
    """Per-network rows of two families at D = 1..4: the trained counts follow
    ``trained_count(D, k)``, the untrained ones ``untrained_count(D, k)``."""
    rows = []
    for family in ("distance", "farther"):
        for d in (1, 2, 3, 4):
            for k in range(10):
                for state, count in (("trained", trained_count), ("untrained", untrained_count)):
                    value = float(count(d, k))
                    rows.append({"task": f"{family}{d}", "net": f"net{k:02d}", "state": state,
                                 "fixed": value, "stable": value, "saddle": 0.0,
                                 "slow": value})
    rows.append({"task": "perception", "net": "net00", "state": "trained", "fixed": 9.0,
                 "stable": 9.0, "saddle": 0.0, "slow": 0.0})
    return pd.DataFrame(rows)


DIMS = {f"{family}{d}": (family, d) for family in ("distance", "farther") for d in (1, 2, 3, 4)}


def test_counts_by_dimension_keeps_only_the_sweeps_tasks():
    counts = counts_by_dimension(sweep_networks(lambda d, k: d, lambda d, k: 1), DIMS)
    assert set(counts["task"]) == set(DIMS)
    assert len(counts) == 2 * 4 * 10 * 2 * 4  # families, D, nets, states, quantities
    row = counts[(counts["task"] == "farther3") & (counts["state"] == "trained")
                 & (counts["quantity"] == "fixed")]
    assert set(row["count"]) == {3.0} and set(row["dimension"]) == {3}


def test_growth_table_and_claims_on_a_known_sweep():
    # trained: one more point per input per dimension (plus a little spread); untrained:
    # one point everywhere
    counts = counts_by_dimension(
        sweep_networks(lambda d, k: d + 0.1 * (k % 3), lambda d, k: 1.0), DIMS)
    table = growth_table(counts, n_boot=200)
    trained = table[(table["state"] == "trained") & (table["quantity"] == "fixed")]
    assert list(trained["model"]) == ["linear", "linear"]
    assert np.allclose(trained["rate"], 1.0)
    assert (trained["rate_low"] <= 1.0).all() and (trained["rate_high"] >= 1.0).all()
    assert set(table["dimensions"]) == {"1, 2, 3, 4"}

    claims = growth_claims(counts, n_boot=500).set_index(["key", "task", "state"])
    assert claims.loc[("complexity_fixed_grows", "farther4 vs farther1", "trained"),
                      "verdict"] == "supported"
    # the same count at every D: equivalent, not merely inconclusive
    assert claims.loc[("complexity_fixed_grows", "distance4 vs distance1", "untrained"),
                      "verdict"] == "equivalent"
    assert claims.loc[("complexity_saddle_grows", "distance4 vs distance1", "trained"),
                      "verdict"] == "equivalent"

    summary = dimension_summary(counts, n_boot=200)
    point = summary[(summary["task"] == "distance2") & (summary["state"] == "trained")
                    & (summary["quantity"] == "fixed")].iloc[0]
    assert point["networks"] == 10
    assert point["mean"] == pytest.approx(2.09)
    assert point["ci_low"] <= point["mean"] <= point["ci_high"]


def test_fewer_points_at_higher_dimension_is_reversed():
    counts = counts_by_dimension(
        sweep_networks(lambda d, k: 5.0 - d + 0.1 * (k % 3), lambda d, k: 1.0), DIMS)
    claims = growth_claims(counts, n_boot=500).set_index(["key", "task", "state"])
    assert claims.loc[("complexity_fixed_grows", "distance4 vs distance1", "trained"),
                      "verdict"] == "reversed"


def test_figure_s6_draws_every_family_and_quantity(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from rnn_hypotheses.figures.figS6_complexity import ROWS, complexity_figure
    from rnn_hypotheses.figures.style import save_figure

    counts = counts_by_dimension(
        sweep_networks(lambda d, k: 2.0 ** d / 2 + 0.1 * (k % 3), lambda d, k: 1.0), DIMS)
    fig = complexity_figure(counts, dimension_summary(counts, n_boot=100),
                            growth_table(counts, n_boot=100))
    axes = fig.axes
    assert len(axes) == len(ROWS) * 2
    # each panel: both states' fitted curves, with the chosen model named in the legend
    labels = [text.get_text() for text in axes[0].get_legend().get_texts()]
    assert labels[0].startswith("untrained: linear, +0.00 per D")
    factor = re.match(r"trained: exponential, x(\d+\.\d+) per D", labels[1])
    assert factor and float(factor.group(1)) == pytest.approx(2.0, abs=0.05)
    save_figure(fig, tmp_path / "figS6.png")
    assert (tmp_path / "figS6.png").stat().st_size > 10_000


def test_between_claims_compare_consecutive_dimensions_of_a_family():
    from rnn_hypotheses.claims import ClaimSpec, evaluate_claims

    spec = ClaimSpec("more_points", "decision has more points", "6 (Q2)",
                     "points, {high} minus {low}", "points", kind="between",
                     groups=("decision", "perception"),
                     dimension_text="one more input dimension, more points")
    tasks = {"perception": ("perception", None), "decision": ("decision", None),
             "farther1": ("farther", 1), "farther2": ("farther", 2), "farther3": ("farther", 3),
             "distance1": ("distance", 1)}
    # points grow by one per dimension; decision above perception
    level = {"perception": 1, "decision": 2, "farther1": 1, "farther2": 2, "farther3": 3,
             "distance1": 1}
    table = pd.DataFrame([{"task": t, "net": k, "points": level[t] + 0.01 * k}
                          for t in tasks for k in range(8)])
    kinds = {t: kind for t, (kind, _) in tasks.items()}
    dims = {t: (kind, d) for t, (kind, d) in tasks.items() if d is not None}
    rows = evaluate_claims([spec], table, kinds=kinds, dimensions=dims, n_boot=200)
    assert list(rows["task"]) == ["decision vs perception", "farther2 vs farther1",
                                  "farther3 vs farther2"]
    assert list(rows["claim"]) == [
        "decision vs perception: decision has more points",
        "farther2 vs farther1: one more input dimension, more points",
        "farther3 vs farther2: one more input dimension, more points"]
    assert rows["statistic"].iloc[1] == "points, farther2 minus farther1"
    assert (rows["verdict"] == "supported").all()
    # without the sweep's dimensions: the report's pair alone, unlabelled
    alone = evaluate_claims([spec], table, kinds=kinds, n_boot=200)
    assert list(alone["task"]) == [""]
    assert alone["statistic"].iloc[0] == "points, decision minus perception"


def test_oscillation_ratio_is_the_rotation_of_the_least_stable_point_over_f():
    # two exact points at input 1.5 Hz: the unstable focus rotates at 1.5 Hz; a stable
    # node beside it does not rotate; slow regions are ignored
    omega = 2 * np.pi * 1.5 / 1000.0  # rad per ms
    points = pd.DataFrame([
        {"task": "gen", "net": "net00", "state": "trained", "condition": 0, "input1": 1.5,
         "method": "exact", "kind": "unstable", "max_real_eig": 0.002, "leading_imag": omega},
        {"task": "gen", "net": "net00", "state": "trained", "condition": 0, "input1": 1.5,
         "method": "exact", "kind": "stable", "max_real_eig": -0.01, "leading_imag": 0.0},
        {"task": "gen", "net": "net00", "state": "trained", "condition": 0, "input1": 1.5,
         "method": "slow", "kind": "stable", "max_real_eig": 0.5, "leading_imag": 0.0},
        {"task": "gen", "net": "net00", "state": "trained", "condition": 1, "input1": 0.0,
         "method": "exact", "kind": "stable", "max_real_eig": -0.01, "leading_imag": 0.0},
    ])
    ratios = oscillation_ratios(points, {"gen": lambda u: u[:, 0]})
    assert len(ratios) == 1  # u = 0 asks for no frequency
    row = ratios.iloc[0]
    assert row["frequency_hz"] == 1.5 and row["point_kind"] == "unstable"
    assert row["rotation_hz"] == pytest.approx(1.5)
    assert row["ratio"] == pytest.approx(1.0)


def test_growth_claims_use_the_declared_keys():
    from rnn_hypotheses.analysis.complexity import GROWTH_CLAIM_KEYS

    counts = counts_by_dimension(sweep_networks(lambda d, k: d, lambda d, k: 1.0), DIMS)
    assert set(growth_claims(counts, n_boot=100)["key"]) == set(GROWTH_CLAIM_KEYS)


def test_task_summary_holds_every_task_and_the_rotation_ratio():
    from rnn_hypotheses.analysis.complexity import task_summary

    networks = sweep_networks(lambda d, k: d, lambda d, k: 1.0)
    kinds = {**{t: family for t, (family, _) in DIMS.items()}, "perception": "perception"}
    # two networks at one input each: ratios 1.0 and 0.5, and 0.8 at a second input of
    # the first network, so the per-network means are 0.9 and 0.5
    rotation = pd.DataFrame({"task": "perception", "net": ["net00", "net00", "net01"],
                             "state": "trained", "ratio": [1.0, 0.8, 0.5]})
    summary = task_summary(networks, kinds, DIMS, rotation, n_boot=200)
    row = summary[(summary["task"] == "farther3") & (summary["state"] == "trained")
                  & (summary["quantity"] == "fixed")].iloc[0]
    assert (row["family"], row["dimension"], row["networks"]) == ("farther", 3.0, 10)
    assert row["mean"] == pytest.approx(3.0)
    ratio = summary[summary["quantity"] == "rotation_ratio"]
    assert len(ratio) == 1 and ratio.iloc[0]["networks"] == 2
    assert ratio.iloc[0]["mean"] == pytest.approx(0.7)
    assert ratio.iloc[0]["family"] is None and np.isnan(ratio.iloc[0]["dimension"])
