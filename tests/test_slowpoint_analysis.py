"""Tests of rnn_hypotheses.analysis.slowpoint_analysis: the slow-point stage's tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnn_hypotheses.analysis.slowpoint_analysis import (
    COUNT_QUANTITIES,
    Condition,
    SlowPointSettings,
    analyse_network,
    dominant_stable,
    expansion_rate,
    input_conditions,
    network_statistics,
    noise_speed,
    slow_point_claims,
    slow_point_counts,
)
from rnn_hypotheses.analysis.slowpoints import Dynamics, enumerate_fixed_points
from rnn_hypotheses.analysis.stats import CLAIMS_COLUMNS
from rnn_hypotheses.figures.frames import latent_view, spectrum_frame
from rnn_hypotheses.tasks import make_task

TAU, DT, SIGMA = 100.0, 10.0, 0.01
CFG = {"n_initial_states": 256, "initial_noise": 0.05, "autonomous": True,
       "methods": ["exact", "slow"], "slow_region_tol": 0.3, "slow_max_iter": 30,
       "slow_speed_factor": 1.0, "example_net": 0}


def competing_groups(n: int = 8, seed: int = 0):
    """Four excitatory groups with mutual inhibition: four stable states, saddles between.

    With seed 0 the input changes the number of saddles (9 at u = 0.5, 7 at 0.8, 11 at 0).
    """
    rng = np.random.default_rng(seed)
    g = np.arange(n) % 4
    W = np.where(g[:, None] == g[None, :], 0.3, -1.5) + rng.normal(0.0, 0.05, (n, n))
    np.fill_diagonal(W, 0.0)
    return W, rng.normal(0.0, 0.3, (n, 1)), 1.0 + rng.normal(0.0, 0.1, n)


def test_input_conditions():
    perception = input_conditions(
        make_task("perception", {"kind": "perception", "n_inputs": 1,
                                 "input_levels": [0.5, 0.8]}), autonomous=True)
    assert [c.label for c in perception] == ["u=0.5", "u=0.8", "u=0"]
    assert [c.autonomous for c in perception] == [False, False, True]
    decision = input_conditions(
        make_task("decision", {"kind": "decision", "n_inputs": 2,
                               "fixed_point_inputs": [[0.4, 0.8]]}), autonomous=False)
    assert len(decision) == 1 and decision[0].label == "u=(0.4, 0.8)"
    np.testing.assert_array_equal(decision[0].u, [0.4, 0.8])


def test_noise_speed_and_expansion_rate():
    # sqrt(2 sigma^2 / a) / tau with a = 0.1
    assert noise_speed(SIGMA, DT, TAU) == pytest.approx(np.sqrt(2e-4 / 0.1) / TAU)
    lam = np.array([[0.3 + 1j, 0.3 - 1j, -0.5, 0.0], [-1.0, -2.0, -0.1, -3.0]])
    np.testing.assert_allclose(expansion_rate(lam), [0.6, 0.0])


@pytest.fixture(scope="module")
def network_result():
    W, W_in, b = competing_groups()
    rng = np.random.default_rng(1)
    n_time, n = 30, W.shape[0]
    trajectories = np.abs(rng.normal(0.0, 1.0, (n_time, 4, n)))
    sim_conditions = np.array([[0.5], [0.5], [np.nan], [0.8]])
    sim_kind = np.array(["held", "held", "switching", "held"])
    sim_inputs = np.broadcast_to(np.nan_to_num(sim_conditions, nan=0.5), (n_time, 4, 1))
    conditions = [Condition("u=0.5", np.array([0.5])), Condition("u=0.8", np.array([0.8])),
                  Condition("u=0", np.zeros(1), autonomous=True)]
    result = analyse_network(Dynamics(W, W_in, b, TAU), dt=DT, sigma=SIGMA,
                             trajectories=trajectories, sim_inputs=sim_inputs,
                             sim_conditions=sim_conditions, sim_kind=sim_kind,
                             conditions=conditions,
                             settings=SlowPointSettings.from_config(CFG),
                             rng=np.random.default_rng(2))
    return W, W_in, b, conditions, result


def test_analyse_network_finds_every_fixed_point(network_result):
    W, W_in, b, conditions, result = network_result
    exact = result.points[result.points["method"] == "exact"]
    for c, cond in enumerate(conditions):
        truth = enumerate_fixed_points(Dynamics(W, W_in, b, TAU), cond.u)
        row = result.conditions.loc[result.conditions["condition"] == c].iloc[0]
        assert row["n_fixed"] == len(truth)
        assert sorted(exact.loc[exact["condition"] == c, "kind"]) == sorted(truth.table["kind"])
        assert row["n_stable"] == (truth.table["kind"] == "stable").sum()
    # a generic network: no fixed point on a kink, every fixed point's kind determined,
    # and the counts per kind add up to the fixed points; every slow point is on a kink
    table = result.conditions
    assert (exact["n_kink_units"] == 0).all() and (table["n_undetermined"] == 0).all()
    slow = result.points[result.points["method"] == "slow"]
    assert len(slow) and (slow["n_kink_units"] >= 1).all()
    assert (table[["n_stable", "n_saddle", "n_unstable_points", "n_undetermined"]].sum(axis=1)
            == table["n_fixed"]).all()
    assert list(table["n_slow_undetermined"]) == [
        ((slow["condition"] == c) & (slow["kind"] == "undetermined")).sum()
        for c in table["condition"]]
    # one stable state per group, and saddles whose number the input changes
    assert list(result.conditions["n_stable"]) == [4, 4, 4]
    assert list(result.conditions["n_saddle"]) == [9, 7, 11]


def test_analyse_network_tables_and_arrays_agree(network_result):
    W, W_in, b, conditions, result = network_result
    n = W.shape[0]
    points, arrays = result.points, result.arrays
    assert arrays["locations"].shape == (len(points), n)
    assert arrays["eigenvalues"].shape == (len(points), n)
    assert arrays["unstable_vectors"].shape[:2] == (len(points), n)
    assert arrays["unstable_vectors"].shape[2] == points["n_unstable"].max()
    np.testing.assert_array_equal(arrays["point_condition"], points["condition"])
    np.testing.assert_array_equal(arrays["point_method"], points["method"])
    assert arrays["condition_inputs"].shape == (len(conditions), 1)
    # Question 6: the trace of J is -N/tau whatever the point (zero diagonal of W_rec)
    np.testing.assert_allclose(points["contraction_rate"], -n / TAU)
    # Each row's location indexes the arrays at that row's own point: recompute the
    # pre-activation, speed and spectrum there from W, W_in, b and the row's input
    # (full Jacobian, np.linalg.eigvals; the module decomposes only the active block).
    for p in points.itertuples():
        r, u = arrays["locations"][p.location], conditions[p.condition].u
        m = W @ r + W_in @ u + b
        np.testing.assert_array_equal(arrays["patterns"][p.location], m > 0)
        assert p.n_active == (m > 0).sum()
        assert p.speed == pytest.approx(np.linalg.norm(np.maximum(m, 0.0) - r) / TAU,
                                        rel=1e-9, abs=1e-15)
        lam = np.linalg.eigvals(Dynamics(W, W_in, b, TAU).jacobian(r, u))
        stored = arrays["eigenvalues"][p.location]
        gap = np.abs(lam[:, None] - stored[None, :])
        assert gap.min(axis=1).max() < 1e-12 and gap.min(axis=0).max() < 1e-12
        np.testing.assert_allclose(np.sort(lam.real), np.sort(stored.real), atol=1e-12)
        assert p.expansion_rate == pytest.approx(lam.real[lam.real > 0].sum(), abs=1e-12)
        assert p.n_unstable == (lam.real > 1e-12).sum()
    assert (points.loc[points["kind"] == "stable", "expansion_rate"] == 0).all()
    assert (points.loc[points["kind"] == "saddle", "expansion_rate"] > 0).all()
    table = result.conditions
    # the scan runs on the held trials of each condition: two at 0.5, one at 0.8, none at 0
    assert list(table["scan_trials"]) == [2, 1, 0]
    assert list(table["scan_steps"]) == [60, 30, 0]
    assert np.isnan(table["scan_share_fixed"].iloc[2])
    # Pattern change, recomputed: pick each condition's dominant stable point (most
    # hits among exact stable points, ties to the first found), take its activation
    # pattern from the pre-activation there and check it against the enumerated
    # ground truth. Every stable state of competing_groups has one group of two units
    # active; at u = 0.5 and 0.8 it is another group than at u = 0, so 4 of 8 units
    # differ.
    group = np.arange(n) % 4
    patterns = {}
    for c, cond in enumerate(conditions):
        cands = points[(points["condition"] == c) & (points["method"] == "exact")
                       & (points["kind"] == "stable")]
        best = cands.sort_values(["n_hits", "point"], ascending=[False, True]).iloc[0]
        r = arrays["locations"][int(best["location"])]
        pattern = W @ r + W_in @ cond.u + b > 0
        truth = enumerate_fixed_points(Dynamics(W, W_in, b, TAU), cond.u)
        match = np.flatnonzero(np.abs(truth.locations - r).max(axis=1) < 1e-8)
        assert match.size == 1
        np.testing.assert_array_equal(truth.patterns[match[0]], pattern)
        assert pattern.sum() == 2 and np.unique(group[pattern]).size == 1
        patterns[c] = pattern
    auto = next(c for c, cond in enumerate(conditions) if cond.autonomous)
    expected = [np.mean(patterns[c] != patterns[auto]) for c in range(len(conditions))]
    np.testing.assert_allclose(table["dominant_pattern_change"], expected)
    np.testing.assert_allclose(table["dominant_pattern_change"], [0.5, 0.5, 0.0])
    assert table["n_initial_states"].eq(CFG["n_initial_states"]).all()


def test_dominant_stable_takes_the_most_hits():
    points = pd.DataFrame({
        "condition": [0, 0, 0, 1, 1], "method": ["exact", "exact", "slow", "exact", "exact"],
        "kind": ["stable", "stable", "stable", "saddle", "stable"],
        "n_hits": [3, 7, 100, 50, 1], "point": [0, 1, 0, 0, 1], "location": [0, 1, 2, 3, 4]})
    dom = dominant_stable(points)
    assert list(dom["location"]) == [1, 4]  # slow points and saddles never count


def counts_fixture(n_nets: int = 6) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Condition and point tables with known counts.

    Perception networks: 1 stable point per input condition in both states.
    Decision networks: untrained 1 stable; trained net k has 2 stable points,
    1 saddle and 1 point of undetermined stability (on a kink) at every input
    condition, and 2 slow regions of which 1 is undetermined. Every network has 2
    input conditions and u = 0 (with 5 stable points, which must not enter the
    per-condition means).
    """
    cond_rows, point_rows = [], []
    for task, n_units in (("perception", 128), ("decision", 256)):
        for k in range(n_nets):
            for state in ("untrained", "trained"):
                multi = task == "decision" and state == "trained"
                for c in range(3):
                    auto = c == 2
                    n_stable = 5 if auto else (2 if multi else 1)
                    n_saddle = 1 if multi and not auto else 0
                    n_undetermined = 1 if multi and not auto else 0
                    rate = -0.005 + (0.001 * c if multi else 0.0) + 0.0001 * k
                    cond_rows.append({
                        "task": task, "net": f"net{k:02d}", "state": state, "condition": c,
                        "autonomous": auto, "n_units": n_units,
                        "n_fixed": n_stable + n_saddle + n_undetermined,
                        "n_stable": n_stable, "n_saddle": n_saddle,
                        "n_undetermined": n_undetermined, "n_slow": 2 if multi else 0,
                        "n_slow_undetermined": 1 if multi else 0,
                        "dominant_slowest_rate": rate, "dominant_pattern_change": 0.1,
                        # trained decision networks keep their noise off the readout
                        "readout_noise_share": (0.6 + 0.01 * k if multi else 1.0 + 0.01 * k),
                        "scan_share_fixed": 0.5, "scan_share_slow": 0.4,
                        "scan_fixed_distance": 0.05})
                    kinds = (["stable"] * n_stable + ["saddle"] * n_saddle
                             + ["undetermined"] * n_undetermined)
                    for p, kind in enumerate(kinds):
                        point_rows.append({
                            "task": task, "net": f"net{k:02d}", "state": state, "condition": c,
                            "method": "exact", "kind": kind, "point": p, "n_hits": 1,
                            "contraction_rate": -n_units / TAU,
                            # an undetermined point's spectrum (one side's) has an
                            # unstable mode too: it must not enter the saddles' rate
                            "expansion_rate": {"saddle": 0.002, "undetermined": 0.05}.get(
                                kind, 0.0)})
    return pd.DataFrame(cond_rows), pd.DataFrame(point_rows)


def test_counts_table_from_known_counts():
    conditions, points = counts_fixture()
    stats = network_statistics(conditions, points)
    assert len(stats) == 2 * 6 * 2
    counts = slow_point_counts(stats, n_boot=500)
    assert len(counts) == 4 * len(COUNT_QUANTITIES)
    assert list(counts.columns) == ["task", "state", "quantity", "unit", "networks", "mean",
                                    "ci_low", "ci_high", "min", "max"]

    def value(task, state, key, column="mean"):
        label = next(q.label for q in COUNT_QUANTITIES if q.key == key)
        row = counts[(counts["task"] == task) & (counts["state"] == state)
                     & (counts["quantity"] == label)]
        assert len(row) == 1
        return row[column].iloc[0]

    assert value("decision", "trained", "stable") == 2  # u = 0's five stable points left out
    assert value("decision", "trained", "saddle") == 1  # the undetermined point left out
    assert value("decision", "trained", "undetermined") == 1
    assert value("decision", "trained", "fixed") == 4  # every kind, undetermined included
    assert value("decision", "trained", "slow") == 2
    assert value("decision", "trained", "slow_undetermined") == 1
    assert value("perception", "trained", "undetermined") == 0
    assert value("decision", "untrained", "stable") == 1
    assert value("perception", "trained", "fixed") == 1
    assert value("decision", "trained", "autonomous_stable") == 5
    assert value("decision", "trained", "multistable") == 1.0
    assert value("perception", "trained", "multistable") == 0.0
    assert value("decision", "untrained", "contraction_rate") == pytest.approx(-2560.0)
    assert value("perception", "trained", "contraction_rate") == pytest.approx(-1280.0)
    assert value("decision", "trained", "saddle_expansion") == pytest.approx(2.0)  # 1/s
    assert value("decision", "untrained", "saddle_expansion", "networks") == 0
    # slowest rate -5 + 0.1 k 1/s over nets 0..5 (mean -4.75); range over inputs 1/s
    assert value("perception", "untrained", "slowest_rate") == pytest.approx(-4.75)
    assert value("decision", "trained", "slowest_rate_range") == pytest.approx(1.0)
    low, high = value("perception", "untrained", "slowest_rate", "ci_low"), value(
        "perception", "untrained", "slowest_rate", "ci_high")
    assert -5.0 <= low <= -4.75 <= high <= -4.5
    # without the slow finder the slow columns are missing: NaN, not an error
    no_slow = network_statistics(conditions.drop(columns=["n_slow", "n_slow_undetermined"]),
                                 points)
    assert no_slow["slow"].isna().all() and no_slow["slow_undetermined"].isna().all()


def test_claims_from_known_counts():
    conditions, points = counts_fixture()
    claims = slow_point_claims(network_statistics(conditions, points),
                               {"decision": "decision", "perception": "perception"}, n_boot=500)
    assert tuple(claims.columns) == CLAIMS_COLUMNS
    assert claims["claim"].is_unique
    assert len(claims) == 3 + 6 * 2
    verdict = dict(zip(claims["claim"], claims["verdict"], strict=True))
    # trained decision networks have 4 fixed points per condition, perception 1
    assert verdict["decision networks have more fixed points than perception networks "
                   "(trained)"] == "supported"
    assert verdict["decision networks have more saddles than perception networks "
                   "(trained)"] == "supported"
    # untrained: equal counts, so no test can be run on all-tied groups
    assert verdict["decision networks have more fixed points than perception networks "
                   "(untrained)"] != "supported"
    assert verdict["training changes the number of fixed points (decision)"] == "supported"
    assert verdict["training makes inputs move the slowest mode more (decision)"] == (
        "supported")
    assert verdict["the noise at the trained stable points avoids the readout (decision)"] == (
        "supported")
    assert verdict["training makes the noise at the stable points more output-null "
                   "(decision)"] == "supported"
    # perception's share is above 1, the opposite of output-null
    assert verdict["the noise at the trained stable points avoids the readout "
                   "(perception)"] == "reversed"
    notes = claims.set_index("claim")["notes"]
    assert notes["decision networks have more fixed points than perception networks "
                 "(untrained)"].endswith("decision N=256 vs perception N=128; control for "
                                         "network size")
    # between kinds, then each task's four claims, tasks in name order
    assert claims["key"].tolist() == [
        "slow_more_fixed_points_decision", "slow_more_fixed_points_decision",
        "slow_more_saddles_decision", *["slow_fixed_points_change", "slow_regions_change",
                                        "slow_inputs_move_slowest_mode",
                                        "slow_slowest_mode_slows", "noise_output_null",
                                        "noise_output_null_grows"] * 2]
    assert claims["task"].tolist() == [""] * 3 + ["decision"] * 6 + ["perception"] * 6
    assert claims["state"].tolist()[:3] == ["trained", "untrained", "trained"]


def test_claims_compare_every_pair_of_tasks_of_the_two_kinds():
    conditions, points = counts_fixture()
    # a second decision task: the decision networks again under another name
    stats = network_statistics(conditions, points)
    twin = stats[stats["task"] == "decision"].assign(task="decision_b")
    kinds = {"decision": "decision", "decision_b": "decision", "perception": "perception"}
    claims = slow_point_claims(pd.concat([stats, twin], ignore_index=True), kinds, n_boot=200)
    fixed = claims[claims["key"] == "slow_more_fixed_points_decision"]
    assert fixed["task"].tolist() == ["decision vs perception"] * 2 + [
        "decision_b vs perception"] * 2
    assert fixed["claim"].iloc[2] == ("decision_b vs perception: decision networks have more "
                                      "fixed points than perception networks (trained)")
    # the same networks under two names give the same test
    assert fixed["p_value"].iloc[0] == fixed["p_value"].iloc[2]
    assert (claims["task"] == "decision_b").sum() == 6


def level_value():
    """The condition value of a perception task's figures: its input level."""
    from rnn_hypotheses.figures.style import condition_value_of, task_views

    return condition_value_of(task_views({"perception": "perception"})["perception"])


def test_latent_view_segments_scale_with_the_mode_in_the_subspace():
    n = 5
    basis = np.eye(n)[:, :3]
    r = np.zeros((4, 1, n))
    r[:, 0, 0] = [0.0, 1.0, 2.0, 2.0]  # extent 2 along the first axis
    sim = {"r": r, "conditions": np.array([[0.5]]), "kind": np.array(["held"]),
           "time_ms": np.arange(1, 5) * 10.0}
    vectors = np.full((2, n, 1), np.nan + 0j)
    vectors[0, :, 0] = [0, 1, 0, 0, 0]  # in the subspace
    vectors[1, :, 0] = [0, 0, 0, 0, 1]  # orthogonal to it
    arrays = {"locations": np.ones((2, n)), "unstable_vectors": vectors,
              "condition_autonomous": np.array([False])}
    points = pd.DataFrame({"condition": [0, 0], "label": ["u=0.5"] * 2, "input1": [0.5] * 2,
                           "location": [0, 1], "method": ["exact"] * 2,
                           "kind": ["saddle"] * 2, "n_unstable": [1, 1]})
    trajectories, located, modes = latent_view("perception", "trained", sim, basis,
                                               np.zeros(n), arrays, points,
                                               segment_share=0.25,
                                               condition_value=level_value())
    assert len(trajectories) == 4 and trajectories["value"].eq(0.5).all()
    np.testing.assert_allclose(located[["c1", "c2", "c3"]].to_numpy(), np.ones((2, 3)))
    half = modes[["b1", "b2", "b3"]].to_numpy() - modes[["a1", "a2", "a3"]].to_numpy()
    np.testing.assert_allclose(half[0], [0.0, 1.0, 0.0])  # 2 x 0.25 x extent 2
    np.testing.assert_allclose(half[1], 0.0)


def test_spectrum_frame_in_per_second(network_result):
    *_, result = network_result
    frame = spectrum_frame(result.arrays, result.points, "perception", "trained",
                           condition_value=level_value())
    dom = dominant_stable(result.points)
    assert len(frame) == len(dom) * result.arrays["locations"].shape[1]
    first = result.arrays["eigenvalues"][dom["location"].iloc[0]] * 1000
    np.testing.assert_allclose(frame["re"].to_numpy()[: first.size], first.real)
    assert frame.loc[frame["autonomous"], "value"].isna().all()
