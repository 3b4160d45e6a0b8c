"""Question 1's comparisons (rnn_hypotheses.analysis.reuse), on point sets and weight changes
whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_hypotheses.analysis.reuse import (
    REUSE_CLAIMS,
    ReuseCriteria,
    chance_angle,
    chance_overlap,
    context_comparison,
    multitask_counts,
    overlap,
    pair_table,
    point_subspace,
    reuse_claims,
    slow_point_set,
    weight_change_subspace,
)
from rnn_hypotheses.hypotheses import CLAIM_HYPOTHESIS

N = 40
CRITERIA = ReuseCriteria(k=3, same_subspace=0.5, shared_distance=0.5, chance_draws=200)


def plane_points(rng, basis, n=12, centre=None, scale=1.0):
    """``n`` points spread over the span of ``basis`` (N, d) about ``centre``."""
    centre = np.zeros(basis.shape[0]) if centre is None else centre
    return centre + scale * rng.standard_normal((n, basis.shape[1])) @ basis.T


def test_identical_subspaces_have_angle_zero_and_orthogonal_ones_ninety():
    rng = np.random.default_rng(0)
    Q = np.linalg.qr(rng.standard_normal((N, 6)))[0]
    same = overlap(Q[:, :3], Q[:, :3] @ rng.standard_normal((3, 3)))  # another basis of it
    assert same[0] == pytest.approx(1.0, abs=1e-12) and same[1] == pytest.approx(0.0, abs=1e-5)
    apart = overlap(Q[:, :3], Q[:, 3:])
    assert apart[0] == pytest.approx(0.0, abs=1e-12) and apart[1] == pytest.approx(90.0)
    # half-way: one shared direction of three gives overlap 1/3
    assert overlap(Q[:, :3], Q[:, [0, 3, 4]])[0] == pytest.approx(1 / 3)


def test_point_subspaces_are_the_span_of_the_points_about_their_mean():
    rng = np.random.default_rng(1)
    Q = np.linalg.qr(rng.standard_normal((N, 3)))[0]
    points = plane_points(rng, Q, centre=5 * rng.standard_normal(N))
    basis = point_subspace(points, 3)
    assert basis.shape == (N, 3)
    assert overlap(basis, Q)[0] == pytest.approx(1.0)
    # three points span two dimensions about their mean: no third direction is invented
    assert point_subspace(points[:3], 3).shape == (N, 2)
    assert point_subspace(np.repeat(points[:1], 4, axis=0), 3).shape == (N, 0)


def test_random_subspaces_match_the_chance_value():
    rng = np.random.default_rng(2)
    k, n = 3, 64
    draws = [overlap(rng.standard_normal((n, k)), rng.standard_normal((n, k)))[0]
             for _ in range(2000)]
    # E = k / N; the mean of 2000 draws is within 4 standard errors
    assert np.mean(draws) == pytest.approx(chance_overlap(k, n),
                                           abs=4 * np.std(draws) / np.sqrt(2000))
    # random 3-dimensional subspaces of R^64 are nearly orthogonal
    assert 75 < chance_angle(k, n, draws=300) < 90


def test_weight_change_subspace_is_the_column_space_of_a_low_rank_change():
    rng = np.random.default_rng(3)
    U = np.linalg.qr(rng.standard_normal((N, 3)))[0]
    W0 = rng.standard_normal((N, N))
    W = W0 + U @ np.diag([3.0, 2.0, 1.0]) @ rng.standard_normal((3, N))
    assert overlap(weight_change_subspace(W, W0, 3), U)[0] == pytest.approx(1.0)


def test_slow_point_set_keeps_exact_and_slow_points_at_task_inputs():
    arrays = {"locations": np.arange(12.0).reshape(4, 3),
              "point_condition": np.array([0, 0, 1, 1]),
              "point_method": np.array(["exact", "trajectory", "slow", "exact"]),
              "condition_inputs": np.array([[0.5, 1.0], [0.0, 0.0]]),
              "condition_autonomous": np.array([False, True])}
    points, inputs = slow_point_set(arrays)
    np.testing.assert_array_equal(points, [[0.0, 1.0, 2.0]])
    np.testing.assert_array_equal(inputs, [[0.5, 1.0]])


def _networks(rng, bases, shared_change):
    """Two tasks' networks: net i of both tasks has points in the subspace bases[i] and a
    weight change along shared_change[i]; networks of different seeds share neither."""
    first, second = [], []
    for basis, change in zip(bases, shared_change, strict=True):
        W0 = rng.standard_normal((N, N))
        for side in (first, second):
            side.append({"points": plane_points(rng, basis),
                         "initial_points": plane_points(rng, basis),
                         "W_rec": W0 + change @ rng.standard_normal((3, N)),
                         "W_rec_init": W0})
    return first, second


def test_same_initialisation_pairs_that_share_subspaces_beat_the_control_and_chance():
    rng = np.random.default_rng(4)
    nets = [f"net{i:02d}" for i in range(10)]
    bases = [np.linalg.qr(rng.standard_normal((N, 3)))[0] for _ in nets]
    changes = [np.linalg.qr(rng.standard_normal((N, 3)))[0] for _ in nets]
    first, second = _networks(rng, bases, changes)
    table = pair_table(first, second, pair="a vs b", nets=nets, k=3, chance_draws=100)
    np.testing.assert_allclose(table["points_overlap"], 1.0)
    np.testing.assert_allclose(table["weights_overlap"], 1.0)
    np.testing.assert_allclose(table["points_angle"], 0.0, atol=1e-5)
    np.testing.assert_allclose(table["points_overlap_initial"], 1.0)
    assert table["points_control"].max() < 0.5 and table["weights_control"].max() < 0.5
    assert (table["chance"] == 3 / N).all() and table["points_measurable"].all()
    claims = reuse_claims(table, None, n_boot=500)
    assert list(claims["key"]) == ["reuse_points_same_init", "reuse_points_chance",
                                   "reuse_weights_same_init", "reuse_weights_chance"]
    assert (claims["verdict"] == "supported").all()
    assert (claims["task"] == "a vs b").all()


def test_pairs_in_orthogonal_subspaces_reverse_the_claim():
    """Net i's two tasks in orthogonal subspaces: overlap 0. Against networks of different
    seeds that shared a subspace (control 1), the claim is reversed."""
    rng = np.random.default_rng(5)
    nets = [f"net{i:02d}" for i in range(10)]
    Q = np.linalg.qr(rng.standard_normal((N, 6)))[0]
    first = [{"points": plane_points(rng, Q[:, :3]), "W_rec": np.eye(N) + Q[:, :3] @ Q[:, :3].T,
              "W_rec_init": np.eye(N)} for _ in nets]
    second = [{"points": plane_points(rng, Q[:, 3:]), "W_rec": np.eye(N) + Q[:, 3:] @ Q[:, 3:].T,
               "W_rec_init": np.eye(N)} for _ in nets]
    table = pair_table(first, second, pair="p", nets=nets, k=3, chance_draws=50)
    np.testing.assert_allclose(table["points_overlap"], 0.0, atol=1e-12)
    np.testing.assert_allclose(table["weights_overlap"], 0.0, atol=1e-12)
    assert table["points_overlap_initial"].isna().all()
    claims = reuse_claims(table.assign(points_control=1.0), None, n_boot=500).set_index("key")
    assert claims.loc["reuse_points_same_init", "verdict"] == "reversed"
    assert claims.loc["reuse_points_chance", "verdict"] == "reversed"


def test_multitask_labels_shared_moved_and_disjoint():
    rng = np.random.default_rng(6)
    Q = np.linalg.qr(rng.standard_normal((N, 6)))[0]
    base = plane_points(rng, Q[:, :3], n=10, centre=3 * np.ones(N))

    def label(second):
        context = np.repeat([0, 1], [len(base), len(second)])
        rows = context_comparison(np.concatenate([base, second]), context, CRITERIA)
        assert len(rows) == 1 and rows[0]["context_first"] == 0
        return rows[0]

    # the same points, slightly jittered
    shared = label(base + 1e-3 * rng.standard_normal(base.shape))
    assert shared["label"] == "shared" and shared["distance_ratio"] < 0.01
    # the same set shifted along its own subspace by four times its spread
    shift = Q[:, 0] * 4 * np.sqrt(np.mean(np.sum((base - base.mean(0)) ** 2, axis=1)))
    moved = label(base + shift)
    assert moved["label"] == "moved" and moved["overlap"] == pytest.approx(1.0)
    assert moved["centre_shift"] == pytest.approx(4.0)
    # points spread over an orthogonal subspace about the same centre
    disjoint = label(plane_points(rng, Q[:, 3:], n=10, centre=3 * np.ones(N)))
    assert disjoint["label"] == "disjoint" and disjoint["overlap"] == pytest.approx(0.0, abs=1e-9)
    # two points span one dimension only
    assert label(base[:2])["label"] == "not measurable"


def test_multitask_claim_and_counts():
    import pandas as pd

    labels = ["moved"] * 8 + ["shared", "disjoint"]
    table = pd.DataFrame({"task": "mt", "net": [f"net{i:02d}" for i in range(10)],
                          "contexts": "0-1", "label": labels})
    counts = multitask_counts(table)
    assert counts.iloc[0][["networks", "shared", "moved", "disjoint", "not measurable"]].tolist() \
        == [10, 1, 8, 1, 0]
    claims = reuse_claims(None, table, n_boot=500)
    assert list(claims["key"]) == ["reuse_multitask"]
    assert claims["verdict"].iloc[0] == "supported"
    apart = table.assign(label=["disjoint"] * 9 + ["moved"])
    assert reuse_claims(None, apart, n_boot=500)["verdict"].iloc[0] == "reversed"
    with pytest.raises(ValueError, match="questions.reuse"):
        reuse_claims(None, None)


def test_every_claim_key_is_in_the_hypotheses_table():
    for spec in REUSE_CLAIMS:
        assert spec.key in CLAIM_HYPOTHESIS and CLAIM_HYPOTHESIS[spec.key] is None
