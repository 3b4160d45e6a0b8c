"""Tests of rnn_hypotheses.analysis.linear_models: fits with known answers (question 7)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from rnn_hypotheses.analysis.linear_models import (
    LINEAR_MODEL_COLUMNS,
    LinearDynamicsFit,
    LinearModelSettings,
    analyse_network,
    compare_with_jacobian,
    euler_map,
    linear_model_claims,
    linear_model_summary,
    linearised_response,
    matched_eigenvalues,
    network_statistics,
    path_errors,
    relative_frobenius_error,
    valid_radius,
)
from rnn_hypotheses.analysis.slowpoints import Dynamics, find_fixed_points
from rnn_hypotheses.network import Network, initialise_network
from rnn_hypotheses.simulate import simulate

U = np.array([0.5, 0.7])


def small_network(gain: float = 0.4, seed: int = 1, n_units: int = 20) -> Network:
    """A contracting random network (|W_rec| below 1): one stable fixed point per input."""
    return initialise_network(task="linear_models_test", seed=seed, n_units=n_units,
                              n_inputs=2, n_outputs=1, g=gain, input_std=0.5, dt=10.0,
                              tau=100.0, sigma=0.01)


def stable_point(network: Network, u: np.ndarray) -> np.ndarray:
    """The network's fixed point at u, exact to rounding (settled, then solved)."""
    held = np.broadcast_to(u, (400, 1, u.size))
    settled, _ = simulate(network, held)
    dynamics = Dynamics.of_network(network, "trained")
    points = find_fixed_points(dynamics, u, initial_states=settled[-1])
    assert len(points) == 1 and points.table["kind"].iloc[0] == "stable"
    return points.locations[0]


def perturbed_starts(network: Network, x_star: np.ndarray, u: np.ndarray, n: int,
                     fraction: float, seed: int) -> np.ndarray:
    """Starts around x* so close that no pre-activation changes sign: fraction of the margin
    to the nearest kink, divided by the largest gain of W_rec."""
    m_star = Dynamics.of_network(network, "trained").preactivation(x_star, u)
    scale = fraction * np.min(np.abs(m_star)) / np.linalg.norm(network.W_rec, 2)
    rng = np.random.default_rng(seed)
    directions = rng.standard_normal((n, x_star.size))
    return x_star + scale * directions / np.linalg.norm(directions, axis=1, keepdims=True)


def pairs(rates: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x_t, x_{t+1}) of every step of trajectories (time, trial, N) that began at starts."""
    full = np.concatenate([starts[None], rates])
    return full[:-1].reshape(-1, full.shape[-1]), full[1:].reshape(-1, full.shape[-1])


@pytest.fixture(scope="module")
def network_and_point():
    network = small_network()
    return network, stable_point(network, U)


@pytest.mark.parametrize("fit_offset", [True, False])
@pytest.mark.parametrize("k", [1, 3, 8, 20])
def test_noise_free_trajectories_inside_one_region_give_the_jacobians_map(
        network_and_point, fit_offset, k):
    network, x_star = network_and_point
    starts = perturbed_starts(network, x_star, U, n=12, fraction=0.5, seed=2)
    rates, pre = simulate(network, np.broadcast_to(U, (25, 12, 2)), r0=starts)
    m_star = Dynamics.of_network(network, "trained").preactivation(x_star, U)
    # the premise of the known answer: every step stays in x*'s activation region
    assert np.all((pre > 0) == (m_star > 0))
    X, Y = pairs(rates, starts)
    model = LinearDynamicsFit(x_star, n_components=k, fit_offset=fit_offset).fit(X, Y)
    jacobian = Dynamics.of_network(network, "trained").jacobian(x_star, U)
    M = model.projected(euler_map(jacobian, network.dt))
    assert model.transition_.shape == (k, k)
    np.testing.assert_allclose(model.transition_, M, atol=1e-9)
    comparison = compare_with_jacobian(model, jacobian, network.dt)
    assert comparison["jacobian_error"] < 1e-8
    assert comparison["eigenvalue_error"] < 1e-7
    assert abs(comparison["slowest_rate_error"]) < 1e-6


def test_the_full_subspace_recovers_the_whole_map(network_and_point):
    network, x_star = network_and_point
    starts = perturbed_starts(network, x_star, U, n=30, fraction=0.5, seed=5)
    rates, _ = simulate(network, np.broadcast_to(U, (10, 30, 2)), r0=starts)
    X, Y = pairs(rates, starts)
    model = LinearDynamicsFit(x_star, n_components=x_star.size).fit(X, Y)
    jacobian = Dynamics.of_network(network, "trained").jacobian(x_star, U)
    # P is orthogonal when k = N: P^T A P is the map itself
    full = model.components_.T @ model.transition_ @ model.components_
    np.testing.assert_allclose(full, euler_map(jacobian, network.dt), atol=1e-9)
    # and the offset of an exact fixed point is zero: the model's fixed point is x* (in a
    # smaller subspace the offset also carries what the mean's other directions drive)
    np.testing.assert_allclose(model.offset_, 0.0, atol=1e-12)
    np.testing.assert_allclose(model.fixed_point(), 0.0, atol=1e-9)


def test_the_error_shrinks_with_the_noise(network_and_point):
    network, x_star = network_and_point
    starts = perturbed_starts(network, x_star, U, n=16, fraction=0.5, seed=3)
    xi = np.random.default_rng(4).standard_normal((40, 16, x_star.size))
    jacobian = Dynamics.of_network(network, "trained").jacobian(x_star, U)
    errors = []
    for sigma in (1e-3, 1e-4, 1e-5, 1e-6):
        noisy = dataclasses.replace(network, sigma=sigma)
        rates, _ = simulate(noisy, np.broadcast_to(U, (40, 16, 2)), r0=starts, noise=xi)
        X, Y = pairs(rates, starts)
        model = LinearDynamicsFit(x_star, n_components=3).fit(X, Y)
        errors.append(compare_with_jacobian(model, jacobian, network.dt)["jacobian_error"])
    assert errors == sorted(errors, reverse=True)
    # once the noise is small against the starts' distance (here about 0.007, and each
    # step adds 0.1 sqrt(2 / 0.1) sigma), the error is proportional to sigma
    np.testing.assert_allclose(errors[1:], [errors[1], errors[1] / 10, errors[1] / 100],
                               rtol=0.1)
    assert errors[-1] < 1e-3


def test_an_offset_recovers_a_shifted_affine_map_that_a_linear_fit_cannot():
    rng = np.random.default_rng(6)
    n = 5
    Q = np.linalg.qr(rng.standard_normal((n, n)))[0]
    M = Q @ np.diag([0.95, 0.9, 0.85, 0.8, 0.7]) @ Q.T
    c = 0.05 * rng.standard_normal(n)
    x = rng.standard_normal((8, n))
    X, Y = [], []
    for _ in range(30):
        y = x @ M.T + c
        X.append(x)
        Y.append(y)
        x = y
    X, Y = np.concatenate(X), np.concatenate(Y)
    model = LinearDynamicsFit(np.zeros(n), n_components=n).fit(X, Y)
    P = model.components_
    np.testing.assert_allclose(model.transition_, P @ M @ P.T, atol=1e-10)
    np.testing.assert_allclose(model.offset_, P @ c, atol=1e-10)
    np.testing.assert_allclose(P.T @ model.fixed_point(), np.linalg.solve(np.eye(n) - M, c),
                               atol=1e-9)
    without = LinearDynamicsFit(np.zeros(n), n_components=n, fit_offset=False).fit(X, Y)
    Pw = without.components_
    assert relative_frobenius_error(without.transition_, Pw @ M @ Pw.T, np.eye(n)) > 0.05


def test_the_linearised_response_is_the_network_step_until_a_unit_crosses_its_kink(
        network_and_point):
    network, x_star = network_and_point
    noisy = dataclasses.replace(network, sigma=0.2)  # loud enough that units cross kinks
    rates, pre = simulate(noisy, np.broadcast_to(U, (60, 4, 2)), r0=x_star, noise_seed=7)
    m_star = Dynamics.of_network(network, "trained").preactivation(x_star, U)
    X, Y = rates[:-1].reshape(-1, x_star.size), rates[1:].reshape(-1, x_star.size)
    M_next = pre[1:].reshape(-1, x_star.size)
    linear = linearised_response(X, M_next, x_star, m_star, network.alpha)
    same_side = np.all((M_next > 0) == (m_star > 0), axis=1)
    assert same_side.any() and not same_side.all()
    np.testing.assert_allclose(linear[same_side], Y[same_side], atol=1e-12)
    assert np.all(np.abs(linear[~same_side] - Y[~same_side]).max(axis=1) > 1e-9)


def test_path_errors_score_a_perfect_model_0_and_a_standing_one_1():
    rng = np.random.default_rng(8)
    actual = rng.standard_normal((10, 6, 4))
    start = rng.standard_normal((6, 4))
    np.testing.assert_allclose(path_errors(actual, actual, start), 0.0)
    standing = np.broadcast_to(start, actual.shape)
    np.testing.assert_allclose(path_errors(standing, actual, start), 1.0)
    half_way = start + 0.5 * (actual - start)
    np.testing.assert_allclose(path_errors(half_way, actual, start), 0.5)


def test_valid_radius_ends_at_the_first_failing_block():
    distances = np.arange(1.0, 101.0)
    errors = np.where(distances <= 40, 0.01, 0.5)
    assert valid_radius(distances, errors, 0.1, block=10) == 40.0
    # one bad segment in a block does not end the radius: blocks pass on their median
    errors[4] = 3.0
    assert valid_radius(distances, errors, 0.1, block=10) == 40.0
    # order of the segments does not matter
    order = np.random.default_rng(9).permutation(100)
    assert valid_radius(distances[order], errors[order], 0.1, block=10) == 40.0
    assert valid_radius(distances, np.full(100, 0.5), 0.1, block=10) == 0.0
    assert valid_radius(distances, np.full(100, 0.05), 0.1, block=10) == 100.0
    assert np.isnan(valid_radius(distances, np.full(100, np.nan), 0.1, block=10))


def test_matched_eigenvalues_undo_a_permutation():
    reference = np.array([-1.0 + 2.0j, -1.0 - 2.0j, -3.0, -0.5])
    estimate = reference[[2, 0, 3, 1]] + 0.01
    a, b = matched_eigenvalues(estimate, reference)
    np.testing.assert_allclose(a - b, 0.01)
    assert b[0] == -0.5  # slowest first


def test_relative_error_is_measured_from_the_baseline():
    M = np.diag([0.9, 0.8])
    identity = np.eye(2)
    assert relative_frobenius_error(identity, M, identity) == pytest.approx(1.0)
    assert relative_frobenius_error(M, M, identity) == 0.0
    assert relative_frobenius_error(identity, M) < 0.2


def held_simulation(network: Network, conditions: np.ndarray, repeats: int, steps: int,
                    seed: int) -> dict[str, np.ndarray]:
    """sim_{state}.npz-like held trials from r = 0, with the network's noise."""
    trial_conditions = np.repeat(conditions, repeats, axis=0)
    inputs = np.broadcast_to(trial_conditions, (steps, *trial_conditions.shape))
    r, m = simulate(network, inputs, noise_seed=seed)
    return {"r": r, "m": m, "conditions": trial_conditions,
            "kind": np.full(len(trial_conditions), "held")}


def slow_point_tables(network: Network, conditions: np.ndarray, sim_r: np.ndarray):
    """The slowpoints_{state} artifacts' points table and locations, from the exact finder."""
    dynamics = Dynamics.of_network(network, "trained")
    frames, locations = [], []
    for c, u in enumerate(conditions):
        found = find_fixed_points(dynamics, u, initial_states=sim_r[-1])
        frame = found.table.assign(condition=c, location=np.arange(len(found)) + sum(
            len(x) for x in locations))
        frames.append(frame)
        locations.append(found.locations)
    return pd.concat(frames, ignore_index=True), np.concatenate(locations)


@pytest.mark.parametrize("linear", [True, False])
def test_analyse_network_fits_every_stable_point_its_trials_settle_at(linear):
    network = small_network(gain=0.3 if linear else 0.4)
    if linear:
        # a bias far above the recurrent drive keeps every unit active: the network is
        # linear wherever its trials go
        network = dataclasses.replace(network, b=np.full(network.n_units, 3.0, np.float32))
    network = dataclasses.replace(network, sigma=0.001)
    conditions = np.array([[0.4, 0.8], [0.8, 0.4]])
    sim = held_simulation(network, conditions, repeats=2, steps=150, seed=10)
    points, locations = slow_point_tables(network, conditions, sim["r"])
    # a stable point no trial settles at: a copy of the first, far away
    stray = points.iloc[[0]].assign(point=99, location=len(locations))
    points = pd.concat([points, stray], ignore_index=True)
    locations = np.concatenate([locations, locations[:1] + 50.0])
    settings = LinearModelSettings(n_components=3, added_trials=64, added_ms=1000,
                                   steady_ms=500)
    table = analyse_network(
        network, "trained", rates=sim["r"], preactivations=sim["m"],
        sim_conditions=sim["conditions"], sim_kind=sim["kind"], points=points,
        locations=locations, condition_inputs=conditions,
        condition_labels=["u=(0.4, 0.8)", "u=(0.8, 0.4)"], settings=settings,
        input_noise_std=0.0, rng=np.random.default_rng(11))
    assert list(table.columns) == [*LINEAR_MODEL_COLUMNS[:2], "input1", "input2",
                                   *LINEAR_MODEL_COLUMNS[2:]]
    fitted = table[table["n_trials"] > 0]
    assert len(table) == 3 and len(fitted) == 2
    assert fitted["n_trials"].tolist() == [2, 2]
    stray_row = table[table["point"] == 99].iloc[0]
    assert stray_row["n_trials"] == 0 and np.isnan(stray_row["jacobian_error"])
    # The samples are noise-driven fluctuations, whose sampling error does not shrink
    # with the noise but with their number (here 10-20% of |dt J|); the fit to the
    # linearised network's responses has the same error where few units cross a kink.
    assert (fitted["jacobian_error"] < 0.3).all()
    np.testing.assert_allclose(fitted["jacobian_error"], fitted["surrogate_error"], atol=0.02)
    assert (fitted["subspace_dim"] == 3).all()
    assert (fitted["n_samples"] > fitted["n_sim_samples"]).all()
    if linear:
        # no unit ever crosses its kink: the fit is the surrogate's, and the Jacobian
        # predicts every start exactly
        assert (fitted["flipped_units"] == 0).all()
        np.testing.assert_allclose(fitted["jacobian_error"], fitted["surrogate_error"],
                                   rtol=1e-9)
        np.testing.assert_allclose(fitted["jacobian_valid_radius"],
                                   fitted["jacobian_max_start_distance"])
        assert (fitted["jacobian_floor_error"] < 1e-9).all()
    else:
        assert (fitted["jacobian_valid_radius_relative"] > 1).all()
    assert (fitted["jacobian_valid_radius"] <= fitted["jacobian_max_start_distance"]).all()


def test_analyse_network_needs_a_generator_for_added_trials(network_and_point):
    network, _ = network_and_point
    with pytest.raises(ValueError, match="rng"):
        analyse_network(network, "trained", rates=np.zeros((5, 1, 20)),
                        preactivations=np.zeros((5, 1, 20)), sim_conditions=np.zeros((1, 2)),
                        sim_kind=["held"], points=pd.DataFrame(), locations=np.zeros((0, 20)),
                        condition_inputs=np.zeros((1, 2)), condition_labels=["u=0"],
                        settings=LinearModelSettings(added_trials=4))


# --- over networks: the per-network statistics, the claims and the summary ---

def point_rows(task: str, net: str, state: str, errors, surrogates, radii,
               n_trials=None) -> pd.DataFrame:
    """Rows as analyse_network writes them, with the columns the summary reads."""
    n = len(errors)
    return pd.DataFrame({
        "task": task, "net": net, "state": state,
        "jacobian_error": errors, "surrogate_error": surrogates,
        "eigenvalue_error": np.full(n, 0.05), "valid_radius_relative": radii,
        "jacobian_valid_radius_relative": radii, "valid_radius": radii,
        "jacobian_valid_radius": radii, "slowest_rate_fit": np.full(n, -4.0),
        "slowest_rate_jacobian": np.full(n, -4.0), "slowest_rate_full": np.full(n, -5.0),
        "flipped_units": np.zeros(n),
        "n_trials": np.full(n, 3) if n_trials is None else n_trials,
    })


def test_network_statistics_are_medians_over_fitted_points_only():
    rows = pd.concat([
        # a point no trial reached has no fit (NaN) and must not count
        point_rows("decision", "net00", "trained", [0.1, 0.3, np.nan], [0.1, 0.2, np.nan],
                   [2.0, 4.0, np.nan], n_trials=[5, 2, 0]),
        point_rows("decision", "net00", "untrained", [np.nan], [np.nan], [np.nan],
                   n_trials=[0]),
    ])
    table = network_statistics(rows)
    row = table.iloc[0]
    assert row["jacobian_error_trained"] == pytest.approx(0.2)
    assert row["surrogate_error_trained"] == pytest.approx(0.15)
    assert row["jacobian_valid_radius_relative_trained"] == pytest.approx(3.0)
    assert row["n_fitted_trained"] == 2 and row["fitted_trained"]
    assert row["n_fitted_untrained"] == 0 and not row["fitted_untrained"]
    assert np.isnan(row["jacobian_error_untrained"])


def claims_table(gaps: np.ndarray, radii: np.ndarray) -> pd.DataFrame:
    rows = [point_rows("decision", f"net{i:02d}", state, [0.08 + gap], [0.08], [radius])
            for i, (gap, radius) in enumerate(zip(gaps, radii, strict=True))
            for state in ("untrained", "trained")]
    return network_statistics(pd.concat(rows, ignore_index=True))


def verdict(claims: pd.DataFrame, key: str, state: str) -> str:
    row = claims[(claims["key"] == key) & (claims["state"] == state)]
    assert len(row) == 1
    return row["verdict"].iloc[0]


def test_a_fit_within_sampling_error_of_the_jacobian_is_equivalent():
    rng = np.random.default_rng(0)
    # errors within +-0.005 of sampling: inside the 0.02 margin, so the fit is J's map
    claims = linear_model_claims(claims_table(rng.uniform(-0.005, 0.005, 12),
                                              np.full(12, 3.0) + rng.uniform(0, 1, 12)),
                                 equivalence_margin=0.02, n_boot=2000)
    for state in ("untrained", "trained"):
        assert verdict(claims, "linear_model_departs", state) == "equivalent"
        # the Jacobian's map predicts beyond one typical distance in every network
        assert verdict(claims, "linear_model_reach", state) == "supported"


def test_kinks_that_add_error_depart_and_a_short_reach_reverses():
    rng = np.random.default_rng(1)
    claims = linear_model_claims(claims_table(0.05 + rng.uniform(0, 0.02, 12),
                                              rng.uniform(0.2, 0.5, 12)),
                                 equivalence_margin=0.02, n_boot=2000)
    assert verdict(claims, "linear_model_departs", "trained") == "supported"
    assert verdict(claims, "linear_model_reach", "trained") == "reversed"


def test_networks_without_a_fitted_point_are_not_measurable():
    rows = [point_rows("decision", f"net{i:02d}", state, [np.nan], [np.nan], [np.nan],
                       n_trials=[0])
            for i in range(10) for state in ("untrained", "trained")]
    claims = linear_model_claims(network_statistics(pd.concat(rows, ignore_index=True)),
                                 equivalence_margin=0.02, n_boot=500)
    assert set(claims["verdict"]) == {"not measurable"}


def test_summary_counts_points_and_the_share_of_matching_errors():
    rows = pd.concat([
        point_rows("decision", "net00", "trained", [0.10, 0.20, np.nan], [0.09, 0.10, np.nan],
                   [1.0, 3.0, np.nan], n_trials=[4, 4, 0]),
        point_rows("decision", "net01", "trained", [0.30], [0.305], [5.0]),
    ])
    summary = linear_model_summary(rows).set_index(["task", "state"])
    row = summary.loc[("decision", "trained")]
    assert row["networks"] == 2 and row["stable_points"] == 4 and row["fitted_points"] == 3
    assert row["jacobian_error"] == pytest.approx(0.2)
    assert row["jacobian_valid_radius_relative"] == pytest.approx(3.0)
    # |0.10 - 0.09| and |0.30 - 0.305| are within 0.02; |0.20 - 0.10| is not
    assert row["share_within_margin"] == pytest.approx(2 / 3)


def test_a_task_without_rows_keeps_its_networks_as_not_measurable():
    # farther-like networks: no held trial at any analysed input, so no rows at all
    fitted = [point_rows("decision", f"net{i:02d}", state, [0.08], [0.08], [3.0])
              for i in range(10) for state in ("untrained", "trained")]
    points = pd.concat(fitted, ignore_index=True)
    networks = pd.DataFrame([{"task": task, "net": f"net{i:02d}", "state": state}
                             for task in ("decision", "farther") for i in range(10)
                             for state in ("untrained", "trained")])
    table = network_statistics(points, networks)
    assert len(table) == 20 and not table.loc[table["task"] == "farther", "fitted_trained"].any()
    claims = linear_model_claims(table, equivalence_margin=0.02, n_boot=500)
    farther = claims[claims["task"] == "farther"]
    assert len(farther) == 4 and set(farther["verdict"]) == {"not measurable"}
    summary = linear_model_summary(points, networks).set_index(["task", "state"])
    assert summary.loc[("farther", "trained"), "networks"] == 10
    assert summary.loc[("farther", "trained"), "fitted_points"] == 0
