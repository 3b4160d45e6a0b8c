"""The latent-space analyses: DCA of ReLU activity, conditions, angles, the theta family, claims."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnn_hypotheses.analysis import latent as L
from rnn_hypotheses.analysis.dca import DynamicalComponentsAnalysis
from rnn_hypotheses.analysis.stats import CLAIMS_COLUMNS
from rnn_hypotheses.analysis.subspaces import principal_angles
from rnn_hypotheses.figures import frames
from rnn_hypotheses.network import initialise_network
from rnn_hypotheses.seeding import rng_for
from rnn_hypotheses.simulate import simulate, simulation_noise
from rnn_hypotheses.tasks import make_task


def _relu_like(rng: np.random.Generator, n_units: int = 10, n_silent: int = 3
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two slow AR(1) directions mixed into the active units, white noise elsewhere,
    and ``n_silent`` units that are exactly zero throughout (silent ReLU units).

    Returns data (time, trial, unit), the planted basis (unit, 2) and the active mask.
    """
    n_steps, n_trials, n_active = 200, 4, n_units - n_silent
    z = np.empty((n_steps, n_trials, 2))
    z[0] = rng.standard_normal((n_trials, 2))
    for t in range(1, n_steps):
        z[t] = 0.95 * z[t - 1] + 0.3 * rng.standard_normal((n_trials, 2))
    rotation = np.linalg.qr(rng.standard_normal((n_active, n_active)))[0]
    coords = np.concatenate([z, rng.standard_normal((n_steps, n_trials, n_active - 2))], axis=2)
    active = np.zeros(n_units, bool)
    active[rng.choice(n_units, n_active, replace=False)] = True
    data = np.zeros((n_steps, n_trials, n_units))
    data[..., active] = coords @ rotation.T
    return data, L.embed(rotation[:, :2], active), active


# ----------------------------------------------------------------------------- DCA fits


def test_silent_units_are_left_out_and_get_zero_loadings():
    data, planted, active = _relu_like(np.random.default_rng(0))
    fit = L.fit_dca(data, 2, 3, n_init=3, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(fit.active, active)
    assert np.all(fit.coef[~active] == 0)
    np.testing.assert_allclose(fit.coef.T @ fit.coef, np.eye(2), atol=1e-10)
    assert principal_angles(fit.coef, planted).max() < 5.0
    assert fit.restart_coefs.shape == (3, 10, 2) and fit.restart_pis.shape == (3,)
    assert fit.pi == pytest.approx(fit.restart_pis.max())
    # the PI of a full-space basis is measured on the active units' statistics
    assert fit.pi_of(fit.coef) == pytest.approx(fit.pi, abs=1e-10)
    projected = fit.project(data)
    assert projected.shape == (200, 4, 2)
    np.testing.assert_allclose(projected, (data - data.reshape(-1, 10).mean(0)) @ fit.coef)


def test_fit_matches_dca_on_the_active_units_alone():
    data, _, active = _relu_like(np.random.default_rng(2))
    fit = L.fit_dca(data, 2, 2, n_init=1, rng=np.random.default_rng(3))
    alone = DynamicalComponentsAnalysis(2, 2, random_state=np.random.default_rng(3))
    alone.fit(data[..., active])
    np.testing.assert_allclose(fit.coef[active], alone.coef_, atol=1e-12)


def test_warm_starts_are_tried_and_a_degenerate_one_is_skipped():
    data, planted, _ = _relu_like(np.random.default_rng(4))
    # the planted subspace is the optimum, so starting there cannot lose to the random start;
    # a start that is zero on every active unit spans nothing there and is skipped
    fit = L.fit_dca(data, 2, 3, n_init=1, rng=np.random.default_rng(5),
                    warm_starts=[("planted", planted), ("useless", np.zeros((10, 2)))])
    assert fit.start != "useless"
    # the fit is at least as predictive as the planted start it was given
    assert fit.pi >= fit.pi_of(planted) - 1e-9
    assert principal_angles(fit.coef, planted).max() < 5.0


def test_active_units_keep_at_least_d_units():
    r = np.zeros((10, 2, 5))
    r[:, 0, 1] = np.arange(10)  # one moving unit only
    assert L.active_units(r, 1e-8).tolist() == [False, True, False, False, False]
    assert L.active_units(r, 1e-8, min_units=3).sum() == 3


# ----------------------------------------------------------------------------- conditions


def test_condition_groups_of_the_decision_grid():
    values = np.array([0.2, 0.6, 1.0])
    u1, u2 = np.meshgrid(values, values, indexing="ij")
    conditions = np.repeat(np.column_stack([u1.ravel(), u2.ravel()]), 2, axis=0)
    kind = np.full(len(conditions), "held")
    decision = make_task("decision", {"kind": "decision", "n_inputs": 2})
    (label_a, a), (label_b, b) = L.condition_groups(decision, conditions, kind)
    assert label_a == "input 1 > input 2" and label_b == "input 2 > input 1"
    # 3 conditions above and 3 below the diagonal, 2 trials each; the diagonal belongs to neither
    assert len(a) == len(b) == 6
    assert np.all(conditions[a, 0] > conditions[a, 1])
    assert np.all(conditions[b, 1] > conditions[b, 0])


def test_condition_groups_of_perception_skip_switching_trials():
    conditions = np.array([[0.5], [0.5], [0.8], [0.8], [np.nan]])
    kind = np.array(["held"] * 4 + ["switching"])
    perception = make_task("perception", {"kind": "perception", "n_inputs": 1})
    groups = L.condition_groups(perception, conditions, kind)
    assert [(label, idx.tolist()) for label, idx in groups] == [
        ("input 0.5", [0, 1]), ("input 0.8", [2, 3])]


def test_steady_states_average_the_end_of_each_condition():
    conditions = np.array([[0.8], [0.5], [0.8], [np.nan]])
    kind = np.array(["held", "held", "held", "switching"])
    r = np.zeros((10, 4, 2))
    r[:, 0] = 1.0
    r[:, 2] = 3.0
    r[-2:, 1] = 5.0  # only the last two steps count
    levels, states = L.steady_states(r, conditions, kind, window=2)
    np.testing.assert_array_equal(levels, [[0.5], [0.8]])
    np.testing.assert_allclose(states, [[5.0, 5.0], [2.0, 2.0]])
    with pytest.raises(ValueError, match="window"):
        L.steady_states(r, conditions, kind, window=11)


# ----------------------------------------------------------------------------- angles


def test_readout_angles_known_answers():
    basis = np.eye(4)[:, :2]
    angles = L.readout_angles(np.array([[1.0, 1.0, 0.0, 0.0]]), {"in": basis})
    assert angles["in"] == pytest.approx(0.0, abs=1e-12)
    assert L.readout_angles(np.array([0, 0, 2.0, 0]), {"x": basis})["x"] == pytest.approx(90.0)
    # half inside, half outside: 45 degrees
    assert L.readout_angles(np.array([1.0, 0, 1.0, 0]), {"x": basis})["x"] == pytest.approx(45.0)
    with pytest.raises(ValueError, match="one readout"):
        L.readout_angles(np.ones((2, 4)), {"x": basis})


def test_chance_angles_match_random_draws():
    rng = np.random.default_rng(0)
    n, d = 64, 3
    w = rng.standard_normal(n)
    cos2 = [np.cos(np.radians(L.readout_angles(w, {"q": rng.standard_normal((n, d))})["q"])) ** 2
            for _ in range(400)]
    assert np.degrees(np.arccos(np.sqrt(np.mean(cos2)))) == pytest.approx(
        L.chance_vector_angle(n, d), abs=1.0)
    far = L.random_subspace_angles(256, 3, n_draws=20)
    assert far.shape == (3,) and np.all(np.diff(far) >= 0) and far[0] > 60
    np.testing.assert_allclose(L.random_subspace_angles(3, 3, n_draws=3), 0.0, atol=1e-6)


def test_restart_table_known_answer():
    best = np.eye(5)[:, :2]
    tilted = np.linalg.qr(best + 0.01 * np.eye(5)[:, 2:4])[0]  # about 0.6 degrees away
    other = np.eye(5)[:, 2:4]  # orthogonal: a different optimum
    table = L.restart_table(np.stack([tilted, best, other]), np.array([2.0, 2.0 + 1e-9, 1.5]),
                            unique_angle=5.0)
    assert table["best"].tolist() == [False, True, False]
    assert table["same_as_best"].tolist() == [True, True, False]
    np.testing.assert_allclose(table["max_angle"], [np.degrees(np.arctan(0.01)), 0, 90],
                               atol=1e-6)
    np.testing.assert_allclose(table["pi_gap"], [1e-9, 0.0, 0.5 + 1e-9])
    # against a better subspace found elsewhere, no random start is on it
    better = L.restart_table(np.stack([tilted, best]), np.array([2.0, 2.0]), unique_angle=5.0,
                             best=(other, 3.0))
    assert not better["same_as_best"].any()
    np.testing.assert_allclose(better["pi_gap"], [1.0, 1.0])
    np.testing.assert_allclose(better["max_angle"], [90 - np.degrees(np.arctan(0.01)), 90.0])


def test_improve_fit_keeps_the_higher_optimum():
    data, planted, _ = _relu_like(np.random.default_rng(6))
    # this single random start ends at a local maximum well below the planted subspace's PI
    fit = L.fit_dca(data, 2, 3, n_init=1, rng=np.random.default_rng(7))
    assert principal_angles(fit.coef, planted).max() > 30
    improved = L.improve_fit(fit, 3, [("planted", planted)])
    assert improved.start == "planted" and improved.pi > fit.pi + 0.5
    assert principal_angles(improved.coef, planted).max() < 5
    np.testing.assert_array_equal(improved.restart_pis, fit.restart_pis)  # starts are kept
    # a start that cannot beat the fit leaves it as it was
    assert L.improve_fit(improved, 3, [("worse", fit.coef)]) is improved


# ----------------------------------------------------------------------------- theta family


def test_theta_grid_and_curves():
    thetas = L.theta_grid(7)
    assert thetas[0] == 0 and thetas[-1] == pytest.approx(np.pi / 4) and len(thetas) == 7
    curves = frames.leaky_relu_curves(thetas[[0, -1]], np.array([-1.0, 2.0]))
    assert curves["y"].tolist() == pytest.approx([0.0, 2.0, -1.0, 2.0])


def test_theta_pi_over_4_gives_the_linear_network_with_noise():
    net = initialise_network(task="decision", seed=3, n_units=8, n_inputs=2, n_outputs=1,
                             g=1.0, input_std=0.5, dt=10, tau=100, sigma=0.01)
    inputs = np.full((30, 2, 2), 0.4)
    noise = simulation_noise("decision", 3, (30, 2, 8), enabled=True)
    r, _ = simulate(net, inputs, noise=noise, theta=np.pi / 4)
    a = net.alpha
    W, W_in, b = (np.asarray(m, dtype=float) for m in (net.W_rec, net.W_in, net.b))
    x = np.zeros((2, 8))
    for t in range(30):  # r_t = (1 - a) r + a (W r + W_in u + b + noise), no rectification
        x = (1 - a) * x + a * (x @ W.T + inputs[t] @ W_in.T + b
                               + net.noise_scale * noise[t].astype(float))
        np.testing.assert_allclose(r[t], x, rtol=1e-10, atol=1e-12)


def test_simulation_noise_is_the_simulate_rule_stream():
    noise = simulation_noise("perception", 4, (5, 3, 2), enabled=True)
    expected = rng_for("perception", 4, "sim_noise").standard_normal((5, 3, 2), dtype=np.float32)
    np.testing.assert_array_equal(noise, expected)
    assert simulation_noise("perception", 4, (5, 3, 2), enabled=False) is None


# ----------------------------------------------------------------------------- summaries


def _frames(n: int = 10, seed: int = 0, diverging: int = 3):
    """Per-state, theta and pre/post frames of ``n`` networks per task where every
    claim of the report holds clearly; the trained networks of the first ``diverging``
    seeds blow up as linear networks."""
    rng = np.random.default_rng(seed)
    latent, theta, change = [], [], []
    for task in ("decision", "perception"):
        for k in range(n):
            net = f"net{k:02d}"
            for state, shift in (("untrained", 0.0), ("trained", 1.0)):
                latent.append({
                    "task": task, "net": net, "state": state, "pi": 5.0 - shift,
                    "readout_dca": 80 + 5 * shift + rng.uniform(0, 1),
                    "readout_pca": 78 + 2 * shift + rng.uniform(0, 1), "readout_chance": 84.0,
                    "condition_angle_mean": 40 + rng.uniform(-1, 1),
                    "unique_share": 1.0, "pi_spread": 1e-8, "n_units": 256})
                for t, value in ((0.0, 5.0 - shift + rng.uniform(0, 0.1)),
                                 (np.pi / 8, 6.0), (np.pi / 4, 7.0 + shift)):
                    blows_up = t > 0.7 and shift and k < diverging
                    theta.append({"task": task, "net": net, "state": state, "theta": t,
                                  "pi": value, "max_rate": 1e4 if blows_up else 3.0})
            for dim in (1, 2, 3):
                change.append({"task": task, "net": net, "dim": dim,
                               "angle_dca": 70 + 5 * dim + rng.uniform(0, 1), "chance": 80.0})
    return pd.DataFrame(latent), pd.DataFrame(theta), pd.DataFrame(change)


def test_network_table_has_one_row_per_network():
    table = L.network_table(*_frames(n=3))
    assert len(table) == 6
    row = table.iloc[0]
    assert row["pi_theta0_trained"] < row["pi_theta0_untrained"]
    assert row["pi_thetamax_trained"] == 8.0 and row["pi_thetamax_untrained"] == 7.0
    assert 75 <= row["prepost_min_angle"] < 76 and row["prepost_chance_min"] == 80.0
    # the first three trained networks diverge as linear networks (rates 1e4 against 3)
    assert table["linear_bounded"].dtype == bool
    assert table["linear_bounded"].tolist() == [False] * 6
    assert L.network_table(*_frames(n=3, diverging=1))["linear_bounded"].tolist() == [
        False, True, True] * 2
    latent, theta, change = _frames(n=3, diverging=0)
    # an untrained network that diverges counts as well, and so does a NaN rate
    theta.loc[(theta["state"] == "untrained") & (theta["theta"] > 0.7)
              & (theta["net"] == "net01"), "max_rate"] = 500.0
    theta.loc[(theta["theta"] == 0.0) & (theta["net"] == "net02"), "max_rate"] = np.nan
    assert L.network_table(latent, theta, change)["linear_bounded"].tolist() == [
        True, False, False] * 2
    with pytest.raises(ValueError, match="max_rate"):
        L.network_table(latent, theta.drop(columns="max_rate"), change)


def test_latent_claims_support_clear_effects():
    table = L.latent_claims(L.network_table(*_frames()), orthogonal_deg=60,
                            unchanged_margin_deg=10, n_boot=500)
    assert list(table.columns) == list(CLAIMS_COLUMNS)
    # one row per task, or per task and state
    assert len(table) == 2 * sum(max(1, len(c.states)) for c in L.LATENT_CLAIMS)
    assert table["claim"].is_unique
    # the claims on the PI at pi/4 leave out the three diverging networks, deciding on seven
    linear_rows = table["key"].isin(["pi_linear", "pi_gap_grows"])
    assert (table.loc[linear_rows, "n"] == 7).all() and (table.loc[~linear_rows, "n"] == 10).all()
    assert (table["verdict"] == "supported").all(), table[["claim", "verdict", "notes"]]
    linear = table.set_index("claim").loc["decision: trained PI >= untrained PI at theta = pi/4 "
                                          "(linear)", "notes"]
    assert linear.startswith("not measurable in 3 of 10 networks: the linear (theta = pi/4) "
                             "network diverges")
    assert "linear network in 3 trained and 0 untrained of 10" in linear


def test_linear_pi_is_not_measurable_when_most_linear_networks_diverge():
    # 9 of 10 trained linear networks diverge, as the decision networks of config.yaml do
    table = L.latent_claims(L.network_table(*_frames(diverging=9)), orthogonal_deg=60,
                            unchanged_margin_deg=10, n_boot=500)
    at_pi4 = table["key"].isin(["pi_linear", "pi_gap_grows"])
    linear = table[at_pi4]
    assert (linear["verdict"] == "not measurable").all()
    assert (linear["n"] == 1).all()
    assert linear["notes"].str.startswith("not measurable in 9 of 10 networks").all()
    # the other claims are untouched
    assert (table.loc[~at_pi4, "verdict"] == "supported").all()


def test_latent_claims_refute_the_opposite_effects():
    latent, theta, change = _frames(seed=1)
    swapped = latent.assign(state=latent["state"].map({"untrained": "trained",
                                                        "trained": "untrained"}))
    change = change.assign(angle_dca=change["angle_dca"] - 60)  # about 15 degrees apart
    table = L.latent_claims(L.network_table(swapped, theta, change), orthogonal_deg=60,
                            unchanged_margin_deg=10, n_boot=500).set_index("claim")
    # the opposite one-sided tests reject: the data show the reverse of each claim
    assert table.loc["decision: the DCA latent space moves away from the readout with training",
                     "verdict"] == "reversed"
    assert table.loc["perception: DCA subspaces before and after training are nearly "
                     "orthogonal in the first dimensions", "verdict"] == "reversed"


def test_leaky_relu_sweep_finds_the_planted_subspace_at_every_angle():
    thetas = L.theta_grid(4)
    # the same planted slow plane at every angle, with the rates growing with the angle
    rates, basis, _ = _relu_like(np.random.default_rng(0))
    data = {float(theta): (1 + theta) * rates for theta in thetas}
    first = L.fit_dca(data[0.0], 2, 3, 2, np.random.default_rng(1))
    calls = []

    def rates_at(theta):
        calls.append(theta)
        return data[theta]

    def sweep():
        return L.leaky_relu_sweep(rates_at, first, thetas, 3, 2,
                                  lambda k: np.random.default_rng(100 + k))

    result = sweep()
    assert calls == list(thetas)  # each angle simulated once, in order
    np.testing.assert_array_equal(result.max_rates, [np.abs(data[t]).max() for t in thetas])
    for theta, fit in zip(thetas, result.fits, strict=True):
        assert principal_angles(fit.coef, basis).max() < 10, theta
        # warm starts only ever replace a subspace by one of higher PI
        assert fit.pi >= fit.restart_pis.max() - 1e-12
    assert result.fits[0].pi >= first.pi
    assert (result.seconds > 0).all()
    again = sweep()
    for a, b in zip(result.fits, again.fits, strict=True):
        np.testing.assert_array_equal(a.coef, b.coef)  # seeded: bitwise repeatable


def test_the_ridge_is_reported_and_vanishes_with_enough_windows():
    """Window vectors of 2T x 6 = 12 dimensions: 5 windows cannot determine their covariance,
    500 can."""
    rng = np.random.default_rng(3)
    few = rng.standard_normal((8, 1, 6))        # 8 steps: 8 - 4 + 1 = 5 windows of 2T = 4
    many = rng.standard_normal((503, 1, 6))     # 500 windows
    short = L.fit_dca(few, 2, 2, 1, np.random.default_rng(0))
    long = L.fit_dca(many, 2, 2, 1, np.random.default_rng(0))
    assert short.ridge > 0 and short.ridge_relative > 0.01
    assert long.ridge == 0 and long.ridge_relative == 0
