"""Tests of rnn_hypotheses.analysis.slowpoints: derivatives, finders, ground truth."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from rnn_hypotheses.analysis.slowpoints import (
    KINK_REL,
    Dynamics,
    PointSet,
    enumerate_fixed_points,
    find_fixed_points,
    find_slow_points,
    kink_units,
    match_points,
    sample_initial_states,
    side_kinds,
    side_patterns,
    trajectory_slow_steps,
)
from rnn_hypotheses.analysis.slowpoints.points import kind_of
from rnn_hypotheses.network import Network
from rnn_hypotheses.simulate import simulate

TAU = 100.0


def random_network(n: int, gain: float, n_inputs: int, seed: int):
    """Report-style random network: W_rec ~ N(0, g^2/N), zero diagonal."""
    rng = np.random.default_rng(seed)
    W = rng.normal(0.0, gain / np.sqrt(n), (n, n))
    np.fill_diagonal(W, 0.0)
    return W, rng.normal(0.0, 0.5, (n, n_inputs)), rng.normal(0.0, 0.5, n)


def winner_take_all(n: int, groups: int, seed: int):
    """Excitatory groups with mutual inhibition: many stable points and saddles."""
    rng = np.random.default_rng(seed)
    g = np.arange(n) % groups
    W = np.where(g[:, None] == g[None, :], 0.5, -1.5) + rng.normal(0.0, 0.05, (n, n))
    np.fill_diagonal(W, 0.0)
    return W, np.zeros((n, 1)), 1.0 + rng.normal(0.0, 0.1, n)


def broad_states(n_states: int, n: int, seed: int) -> np.ndarray:
    """Initial states of mixed sign and a wide range of scales."""
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 1.0, (n_states, n)) * np.abs(rng.normal(0.0, 2.0, (n_states, 1)))


# --------------------------------------------------------------------------
# Derivatives against finite differences
# --------------------------------------------------------------------------


def _states_off_kinks(W, W_in, b, u, n_states, seed, margin=1e-3):
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < n_states:
        r = rng.normal(0.5, 1.0, W.shape[0])
        if np.min(np.abs(W @ r + W_in @ u + b)) > margin:
            out.append(r)
    return np.asarray(out)


def test_derivatives_match_finite_differences():
    W, W_in, b = random_network(8, 1.5, 2, seed=3)
    u = np.array([0.3, -0.7])
    R = _states_off_kinks(W, W_in, b, u, n_states=5, seed=4)
    h = 1e-6  # much smaller than the 1e-3 margin to the nearest kink
    dynamics = Dynamics(W, W_in, b, TAU)
    grad = dynamics.kinetic_energy_grad(R, u)
    J = dynamics.jacobian(R, u)
    H = dynamics.kinetic_energy_hessian(R, u)
    assert grad.shape == (5, 8) and J.shape == (5, 8, 8) and H.shape == (5, 8, 8)
    for s, r in enumerate(R):
        E = np.eye(8) * h
        fd_grad = np.array(
            [
                (
                    dynamics.kinetic_energy(r + e, u)
                    - dynamics.kinetic_energy(r - e, u)
                )
                / (2 * h)
                for e in E
            ]
        )
        np.testing.assert_allclose(grad[s], fd_grad, rtol=1e-6, atol=1e-14)
        # Column i of J is dF/dr_i.
        fd_J = np.stack(
            [
                (dynamics.velocity(r + e, u) - dynamics.velocity(r - e, u))
                / (2 * h)
                for e in E
            ],
            axis=1,
        )
        np.testing.assert_allclose(J[s], fd_J, rtol=1e-6, atol=1e-12)
        fd_H = np.stack(
            [
                (
                    dynamics.kinetic_energy_grad(r + e, u)
                    - dynamics.kinetic_energy_grad(r - e, u)
                )
                / (2 * h)
                for e in E
            ],
            axis=1,
        )
        np.testing.assert_allclose(H[s], fd_H, rtol=1e-6, atol=1e-14)
        # The report's formula: grad q = J^T F.
        np.testing.assert_allclose(grad[s], J[s].T @ dynamics.velocity(r, u))


def test_velocity_is_the_noise_free_euler_increment():
    W, W_in, b = random_network(6, 1.0, 1, seed=0)
    r = np.abs(np.random.default_rng(1).normal(size=(3, 4, 6)))  # (time, trial, unit)
    u = np.array([0.8])
    dt = 10.0
    a = dt / TAU
    nxt = (1 - a) * r + a * np.maximum(r @ W.T + W_in @ u + b, 0.0)
    np.testing.assert_allclose((nxt - r) / dt, Dynamics(W, W_in, b, TAU).velocity(r, u))
    assert Dynamics(W, W_in, b, TAU).kinetic_energy(r, u).shape == (3, 4)


# --------------------------------------------------------------------------
# Exact finder against enumeration of all activation patterns
# --------------------------------------------------------------------------

# 24 random networks: sizes 6-10, gains below and well above 1, with and
# without input; plus structured networks with many fixed points.
RANDOM_CASES = [
    (n, gain, with_input, seed)
    for seed, (n, gain, with_input) in enumerate(
        (n, g, w) for n in (6, 8, 10) for g in (0.5, 1.0, 2.5, 5.0) for w in (False, True)
    )
]
STRUCTURED_CASES = [(10, 3, 0), (10, 4, 1), (10, 5, 2), (9, 3, 3)]


def _case(kind, params):
    if kind == "random":
        n, gain, with_input, seed = params
        W, W_in, b = random_network(n, gain, 2, seed=100 + seed)
        u = np.random.default_rng(seed).normal(0.0, 1.0, 2) if with_input else None
    else:
        n, groups, seed = params
        W, W_in, b = winner_take_all(n, groups, seed)
        u = None
    return W, W_in, b, u


ALL_CASES = [("random", c) for c in RANDOM_CASES] + [("wta", c) for c in STRUCTURED_CASES]


@pytest.fixture(scope="module")
def ground_truth_results():
    """Run enumeration, the exact finder and Adam once per network."""
    rows = []
    for kind, params in ALL_CASES:
        W, W_in, b, u = _case(kind, params)
        n = W.shape[0]
        truth = enumerate_fixed_points(Dynamics(W, W_in, b, TAU), u)
        X0 = broad_states(512, n, seed=7)
        exact = find_fixed_points(Dynamics(W, W_in, b, TAU), u, initial_states=X0)
        adam = find_fixed_points(Dynamics(W, W_in, b, TAU), u, initial_states=X0[:128],
                                 method="adam")
        rec, prec, _ = match_points(exact.locations, truth.locations, 1e-6)
        adam_pts = adam.locations[adam.table["converged"].to_numpy()]
        a_rec, a_prec, _ = match_points(adam_pts, truth.locations, 1e-3)
        rows.append(
            {
                "case": f"{kind}{params}",
                "n_true": len(truth),
                "n_stable": int((truth.table["kind"] == "stable").sum()),
                "recall": rec,
                "precision": prec,
                "adam_recall": a_rec,
                "adam_precision": a_prec,
                "exact": exact,
                "truth": truth,
            }
        )
    return rows


def test_ground_truth_covers_interesting_networks(ground_truth_results):
    counts = [r["n_true"] for r in ground_truth_results]
    assert len(ground_truth_results) >= 20
    random_counts = counts[: len(RANDOM_CASES)]
    assert sum(c > 1 for c in random_counts) >= 3  # random networks with several points
    assert max(counts) >= 10  # structured networks with many
    assert 0 in counts  # and some with none


@pytest.mark.parametrize("i", range(len(ALL_CASES)), ids=[f"{k}{p}" for k, p in ALL_CASES])
def test_exact_finder_recall_and_precision_are_one(ground_truth_results, i):
    row = ground_truth_results[i]
    assert row["recall"] == 1.0, row["case"]
    assert row["precision"] == 1.0, row["case"]
    exact, truth = row["exact"], row["truth"]
    assert np.all(exact.table["speed"] <= 1e-10)
    # Same classification as the ground truth for each matched point.
    if len(truth):
        order = [int(np.argmin(np.abs(exact.locations - p).max(axis=1))) for p in truth.locations]
        assert list(exact.table["kind"].iloc[order]) == list(truth.table["kind"])


def test_generic_networks_have_no_kinks_and_keep_their_kinds(ground_truth_results):
    # Generic weights put no fixed point on a ReLU kink, so every point has one side
    # and the kind is the one of the eigenvalue count, as before kinks were considered.
    for row in ground_truth_results:
        for ps in (row["exact"], row["truth"]):
            t = ps.table
            assert (t["n_kink_units"] == 0).all(), row["case"]
            assert (t["n_sides"] == 1).all()
            n = ps.locations.shape[1] if len(ps) else 0
            assert list(t["kind"]) == list(kind_of(t["n_unstable"].to_numpy(), n))
            assert list(t["side_kinds"]) == list(t["kind"])


def test_adam_baseline_recall_is_recorded(ground_truth_results, record_property):
    table = pd.DataFrame(
        [{k: v for k, v in r.items() if k not in ("exact", "truth")} for r in ground_truth_results]
    )
    with_points = table[table["n_true"] > 0]
    mean_recall = float(with_points["adam_recall"].mean())
    stable_found = float(
        (with_points["adam_recall"] * with_points["n_true"]).sum() / with_points["n_true"].sum()
    )
    record_property("adam_mean_recall", mean_recall)
    record_property("adam_pooled_recall", stable_found)
    print(
        f"\nAdam baseline over {len(with_points)} networks with fixed points: "
        f"mean recall {mean_recall:.3f}, pooled recall {stable_found:.3f}; "
        f"exact finder: mean recall {with_points['recall'].mean():.3f}"
    )
    print(table.drop(columns=["adam_precision"]).to_string(index=False))
    # Whatever Adam converged to is a true fixed point (it only misses some).
    assert (table["adam_precision"] == 1.0).all()


def test_linear_stable_network_has_exactly_one_fixed_point():
    rng = np.random.default_rng(11)
    n = 10
    W = rng.normal(0.0, 1.0, (n, n))
    np.fill_diagonal(W, 0.0)
    W *= 0.8 / np.linalg.norm(W, 2)  # ||W|| < 1: relu(W r + c) is a contraction
    W_in, b = rng.normal(0.0, 0.5, (n, 2)), rng.normal(0.0, 0.5, n)
    u = np.array([0.5, -0.2])
    truth = enumerate_fixed_points(Dynamics(W, W_in, b, TAU), u)
    found = find_fixed_points(Dynamics(W, W_in, b, TAU), u, initial_states=broad_states(256, n, 0))
    assert len(truth) == 1 and len(found) == 1
    assert found.table.loc[0, "kind"] == "stable"
    assert found.table.loc[0, "n_hits"] == 256
    np.testing.assert_allclose(found.locations, truth.locations, atol=1e-12)
    # Excitatory weights and positive drive: every unit active at the fixed
    # point, where the network is linear and r* = (I - W)^-1 c.
    W_pos = np.abs(W)
    W_pos *= 0.8 / np.linalg.norm(W_pos, 2)
    c = np.abs(b) + 0.1
    lin = find_fixed_points(Dynamics(W_pos, W_in, c, TAU), initial_states=broad_states(64, n, 1))
    assert len(lin) == 1 and lin.table.loc[0, "n_active"] == n
    np.testing.assert_allclose(lin.locations[0], np.linalg.solve(np.eye(n) - W_pos, c), atol=1e-12)


# --------------------------------------------------------------------------
# Hand-made examples
# --------------------------------------------------------------------------


def test_classification_on_hand_made_2d_examples():
    X0 = np.random.default_rng(0).uniform(-1.0, 2.0, (200, 2))
    W_in = np.zeros((2, 1))
    # Two independent self-exciting units, r = relu(2 r - 1/2): each has a
    # stable state at 0 and an unstable one at 1/2.
    res = find_fixed_points(Dynamics(np.diag([2.0, 2.0]), W_in, [-0.5, -0.5], TAU),
                            initial_states=X0)
    got = {tuple(np.round(p, 12)): k for p, k in zip(res.locations, res.table["kind"], strict=True)}
    assert got == {
        (0.0, 0.0): "stable",
        (0.5, 0.0): "saddle",
        (0.0, 0.5): "saddle",
        (0.5, 0.5): "unstable",
    }
    for p, lam, vec in zip(res.locations, res.eigenvalues, res.unstable_vectors, strict=True):
        expected = np.sort(np.where(p > 0, 1.0, -1.0) / TAU)[::-1]
        np.testing.assert_allclose(lam.real, expected, atol=1e-15)
        if tuple(np.round(p, 12)) == (0.5, 0.0):
            np.testing.assert_allclose(np.abs(vec[:, 0]), [1.0, 0.0], atol=1e-12)
    assert res.unstable_vectors.shape == (4, 2, 2)
    # Mutual inhibition: two stable winners and the saddle between them.
    W = np.array([[0.0, -2.0], [-2.0, 0.0]])
    res = find_fixed_points(Dynamics(W, W_in, [1.0, 1.0], TAU), initial_states=X0)
    got = {tuple(np.round(p, 12)): k for p, k in zip(res.locations, res.table["kind"], strict=True)}
    third = round(1 / 3, 12)
    assert got == {(1.0, 0.0): "stable", (0.0, 1.0): "stable", (third, third): "saddle"}
    saddle = res.table.index[res.table["kind"] == "saddle"][0]
    np.testing.assert_allclose(sorted(res.eigenvalues[saddle].real), [-3 / TAU, 1 / TAU])
    np.testing.assert_allclose(res.table["contraction_rate"], -2 / TAU)


# --------------------------------------------------------------------------
# Points on ReLU kinks
# --------------------------------------------------------------------------


def _one_point(W, b, X0=None):
    """The fixed points of a noise-free network without input, found and enumerated."""
    W, b = np.asarray(W, float), np.asarray(b, float)
    dynamics = Dynamics(W, np.zeros((W.shape[0], 1)), b, TAU)
    if X0 is None:
        X0 = np.random.default_rng(0).uniform(-1.0, 2.0, (200, W.shape[0]))
    return find_fixed_points(dynamics, initial_states=X0), enumerate_fixed_points(dynamics)


def test_fixed_point_on_a_kink_whose_sides_disagree_is_undetermined():
    # r0' = -r0 + relu(r1 - 1), r1' = -r1 + relu(4 r0 + 1) (times 1/tau). The only fixed
    # point is (0, 1): if r0 > 0 then r0 = r1 - 1 = 4 r0, impossible. There m0 = 0
    # exactly: unit 0 is on its kink. Off (D = diag(0, 1)) J = -I / tau: stable. On,
    # J = [[-1, 1], [4, -1]] / tau with eigenvalues (-1 +- 2) / tau: a saddle.
    W, b = [[0.0, 1.0], [4.0, 0.0]], [-1.0, 1.0]
    found, truth = _one_point(W, b)
    for ps in (found, truth):
        assert len(ps) == 1
        np.testing.assert_allclose(ps.locations[0], [0.0, 1.0], atol=1e-15)
        row = ps.table.iloc[0]
        assert row["kind"] == "undetermined"
        assert row["n_kink_units"] == 1 and row["n_sides"] == 2
        assert row["side_kinds"] == "stable/saddle"
        # the reported linearisation stays that of the m > 0 convention (unit 0 off)
        assert row["n_unstable"] == 0
        np.testing.assert_allclose(ps.eigenvalues[0].real, [-1 / TAU, -1 / TAU])
    assert truth.table.loc[0, "n_hits"] == 2  # both patterns of unit 0 solve to it
    # Both sides, by hand: the eigenvalues of each side's Jacobian.
    for d, expected in (([False, True], [-1.0, -1.0]), ([True, True], [1.0, -3.0])):
        J = (np.asarray(d)[:, None] * np.asarray(W) - np.eye(2)) / TAU
        np.testing.assert_allclose(np.sort(np.linalg.eigvals(J).real)[::-1],
                                   np.asarray(expected) / TAU, atol=1e-15)
    # Within the tolerance of the kink it is the same point; clearly off the kink the
    # point is the ordinary stable one (a larger b0 loses it in a saddle-node).
    near, _ = _one_point(W, [-1.0 - 1e-12, 1.0])
    assert near.table.loc[0, "kind"] == "undetermined"
    assert near.table.loc[0, "n_kink_units"] == 1
    off, _ = _one_point(W, [-1.0 - 1e-6, 1.0])
    row = off.table.iloc[0]
    assert row["kind"] == "stable" and row["n_kink_units"] == 0
    assert row["side_kinds"] == "stable" and row["n_sides"] == 1


def _only_rows(W, b=(0.0, 0.0)):
    """The one point of the found and the enumerated sets, each as a table row."""
    rows = []
    for ps in _one_point(W, list(b)):
        assert len(ps) == 1
        rows.append(ps.table.iloc[0])
    return rows


def test_fixed_point_on_kinks_whose_sides_agree_keeps_its_kind():
    # r = 0 with b = 0: both units on their kinks, four sides. Weak mutual excitation:
    # every side is stable (both on: eigenvalues (-1 +- 0.5) / tau).
    for row in _only_rows([[0.0, 0.5], [0.5, 0.0]]):
        assert row["kind"] == "stable" and row["side_kinds"] == "stable"
        assert row["n_kink_units"] == 2 and row["n_sides"] == 4
    # Strong mutual excitation: stable with at most one unit on, a saddle with both on
    # (eigenvalues (-1 +- 2) / tau).
    for row in _only_rows([[0.0, 2.0], [2.0, 0.0]]):
        assert row["kind"] == "undetermined" and row["side_kinds"] == "stable/saddle"
        assert row["n_kink_units"] == 2 and row["n_sides"] == 4


def test_many_kink_units_use_a_seeded_subset_of_sides():
    n = 12
    # Uncoupled units (but for a pair) at r = 0 with b = 0: all 12 units on their kinks.
    for gain, kind in ((0.5, "stable"), (2.0, "undetermined")):
        W = np.zeros((n, n))
        W[0, 1] = W[1, 0] = gain
        X0 = broad_states(64, n, seed=1)
        found = find_fixed_points(Dynamics(W, np.zeros((n, 1)), np.zeros(n), TAU),
                                  initial_states=X0)
        assert len(found) == 1
        row = found.table.iloc[0]
        assert row["n_kink_units"] == n
        # the pattern itself (all off), all off, all on, and up to 64 random sides
        assert 3 <= row["n_sides"] <= 2 + 64
        assert row["kind"] == kind  # all-on is a saddle for the strong pair
    active = np.zeros(n, bool)
    kinks = np.ones(n, bool)
    sides = side_patterns(active, kinks)
    assert not sides[0].any() and sides.all(axis=1).any()
    assert np.unique(sides, axis=0).shape[0] == sides.shape[0]
    np.testing.assert_array_equal(sides, side_patterns(active, kinks))  # seeded
    # up to MAX_EXHAUSTIVE_KINKS: every assignment, the pattern itself first
    some = np.zeros(n, bool)
    some[:3] = True
    sides = side_patterns(np.array([True] + [False] * (n - 1)), some)
    assert sides.shape == (8, n) and sides[0, 0] and not sides[0, 1:].any()
    assert np.unique(sides[:, :3], axis=0).shape[0] == 8 and not sides[:, 3:].any()
    # side_kinds on the strong pair alone: one unit on is stable, both on a saddle
    W = np.array([[0.0, 2.0], [2.0, 0.0]])
    assert side_kinds(W, TAU, np.zeros(2, bool), np.ones(2, bool)) == (["stable", "saddle"], 4)


def test_kink_units_tolerance_is_relative_to_the_scale_of_m():
    m = np.array([[0.0, 1e-10, 3e-9, 1.0], [0.0, 1e-10, 3e-9, 1000.0]])  # band 2e-9, ~1e-6
    assert KINK_REL == 1e-9
    np.testing.assert_array_equal(kink_units(m), [[True, True, False, False],
                                                  [True, True, True, False]])
    assert kink_units(np.zeros((0, 3))).shape == (0, 3)


def test_slow_point_at_a_ghost_of_a_saddle_node():
    # Unit 0: r = relu(2 r + 0.4) has no fixed point, but |F| has a strict
    # minimum 0.2/tau at the kink r = -0.2; unit 1 relaxes to 1.
    W = np.diag([2.0, 0.0])
    W_in, b = np.zeros((2, 1)), np.array([0.4, 1.0])
    X0 = np.random.default_rng(0).uniform(-1.0, 2.0, (100, 2))
    assert len(find_fixed_points(Dynamics(W, W_in, b, TAU), initial_states=X0)) == 0
    slow = find_slow_points(Dynamics(W, W_in, b, TAU), initial_states=X0)
    assert len(slow) == 1
    np.testing.assert_allclose(slow.locations[0], [-0.2, 1.0], atol=1e-9)
    row = slow.table.iloc[0]
    assert row["q"] == pytest.approx(0.5 * (0.2 / TAU) ** 2, rel=1e-9)
    assert row["grad_norm"] <= 1e-12 and row["hessian_min_eig"] > 0
    assert row["n_hits"] == 100
    # On unit 0's kink: off, J = -I / tau (stable); on, unit 0's eigenvalue is
    # (2 - 1) / tau > 0 (a saddle). The sides disagree.
    assert row["n_kink_units"] == 1 and row["kind"] == "undetermined"
    assert row["side_kinds"] == "stable/saddle"


def test_slow_points_skip_fixed_points():
    W, W_in, b = random_network(8, 0.5, 1, seed=2)
    slow = find_slow_points(Dynamics(W, W_in, b, TAU), initial_states=broad_states(64, 8, 3))
    assert len(slow) == 0 and slow.info["n_to_fixed_point"] == 64


# --------------------------------------------------------------------------
# Trajectory scan, sampling, containers
# --------------------------------------------------------------------------


def test_trajectory_scan_flags_settled_steps():
    W, W_in, b = random_network(10, 0.5, 1, seed=5)
    u = np.array([1.0])
    # Noise-free Euler run (dt / tau = 0.1) from |N(0, 1)| starts.
    net = Network(W_in, np.zeros((1, 10)), b, W, W, 1.0 - np.eye(10), 10.0, TAU, 0.0)
    r0 = np.abs(np.random.default_rng(0).normal(0.0, 1.0, (4, 10)))
    traj, _ = simulate(net, np.broadcast_to(u, (200, 4, 1)), r0=r0)
    table = trajectory_slow_steps(traj, Dynamics(W, W_in, b, TAU), u, dt=10.0, sigma=0.01)
    assert len(table) == 200 * 4
    late = table[table["time_index"] >= 190]
    early = table[table["time_index"] == 0]
    assert late["is_fixed"].all() and late["is_slow"].all()
    assert not early["is_fixed"].any()
    assert (late["hessian_min_eig"] > 0).all()
    # The finite-difference speed (the report's estimate) is exact without noise.
    np.testing.assert_allclose(
        table["speed_fd"].to_numpy().reshape(200, 4)[:-1],
        table["speed"].to_numpy().reshape(200, 4)[:-1],
        rtol=1e-9,
        atol=1e-15,
    )
    assert table.attrs["speed_tol"] == pytest.approx(np.sqrt(2 * 0.01**2 / 0.1) / TAU)
    # Inputs given per (time, trial) give the same answer as a constant input.
    per_step = np.broadcast_to(u, (200, 4, 1))
    same = trajectory_slow_steps(traj, Dynamics(W, W_in, b, TAU), per_step, dt=10.0, sigma=0.01)
    pd.testing.assert_frame_equal(same, table)


def test_sample_initial_states_is_seeded_and_respects_mask():
    traj = np.arange(5 * 3 * 2, dtype=float).reshape(5, 3, 2)
    a = sample_initial_states(traj, 50, 0.1, random_state=1)
    b = sample_initial_states(traj, 50, 0.1, random_state=1)
    assert a.shape == (50, 2)
    np.testing.assert_array_equal(a, b)
    valid = np.zeros((5, 3), bool)
    valid[4, 2] = True
    c = sample_initial_states(traj, 10, 0.0, random_state=2, valid=valid)
    np.testing.assert_array_equal(c, np.tile(traj[4, 2], (10, 1)))
    with pytest.raises(ValueError):
        sample_initial_states(traj, 5, -1.0)


def test_point_set_arrays_save_without_pickle():
    W, W_in, b = winner_take_all(9, 3, seed=3)
    res = find_fixed_points(Dynamics(W, W_in, b, TAU), initial_states=broad_states(64, 9, 0))
    assert isinstance(res, PointSet) and len(res) == len(res.table) > 1
    buf = io.BytesIO()
    np.savez(buf, **res.to_arrays())
    buf.seek(0)
    with np.load(buf, allow_pickle=False) as z:
        np.testing.assert_array_equal(z["locations"], res.locations)
        assert z["eigenvalues"].dtype.kind == "c"
    assert list(res.table.columns[:4]) == ["point", "method", "q", "speed"]


def test_enumeration_refuses_large_networks():
    W, W_in, b = random_network(13, 1.0, 1, seed=0)
    with pytest.raises(ValueError):
        enumerate_fixed_points(Dynamics(W, W_in, b, TAU))
