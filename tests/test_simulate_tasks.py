"""The NumPy simulator, the task generators and the performance summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnn_hypotheses.evaluate import evaluate
from rnn_hypotheses.network import Network, initialise_network
from rnn_hypotheses.seeding import rng_for
from rnn_hypotheses.simulate import input_onset, leaky_relu, readout, simulate
from rnn_hypotheses.tasks import make_task


def test_leaky_relu_family():
    x = np.linspace(-2, 2, 9)
    np.testing.assert_array_equal(leaky_relu(x, 0.0), np.maximum(x, 0))
    np.testing.assert_allclose(leaky_relu(x, np.pi / 4), x)
    np.testing.assert_allclose(leaky_relu(x, np.pi / 8)[x < 0], np.tan(np.pi / 8) * x[x < 0])


def linear_network(W, W_in, b, dt=10.0, tau=100.0) -> Network:
    n = W.shape[0]
    return Network(W_in, np.ones((1, n)), b, W, W, 1 - np.eye(n), dt, tau, 0.01,
                   {"seed": 0, "task": "perception"})


def test_noise_free_simulation_reaches_the_linear_fixed_point():
    # With theta = pi/4 the network is linear: r* = (I - W)^-1 (W_in u + b).
    rng = np.random.default_rng(0)
    W = 0.3 * rng.standard_normal((6, 6)) / np.sqrt(6)
    np.fill_diagonal(W, 0)
    W_in, b = rng.standard_normal((6, 1)), rng.standard_normal(6)
    net = linear_network(W, W_in, b)
    u = np.full((400, 2, 1), 0.7)
    r, m = simulate(net, u, theta=np.pi / 4)
    expected = np.linalg.solve(np.eye(6) - W, W_in[:, 0] * 0.7 + b)
    np.testing.assert_allclose(r[-1, 0], expected, atol=1e-8)
    np.testing.assert_allclose(m[-1, 1], W @ r[-2, 1] + W_in[:, 0] * 0.7 + b)


def test_noise_seed_none_is_deterministic_and_seeded_noise_differs():
    net = initialise_network(task="decision", seed=1, n_units=10, n_inputs=2, n_outputs=1,
                             g=1.0, input_std=0.5, dt=10, tau=100, sigma=0.01)
    u = np.full((20, 3, 2), 0.5)
    a, _ = simulate(net, u)
    b, _ = simulate(net, u)
    c, _ = simulate(net, u, noise_seed=4)
    d, _ = simulate(net, u, noise_seed=4)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(c, d)
    assert np.abs(a - c).max() > 1e-4
    np.testing.assert_allclose(a[:, 0], a[:, 2])  # noise-free trials are identical
    assert readout(net, a).shape == (20, 3, 1)
    with pytest.raises(ValueError, match="inputs must be"):
        simulate(net, np.zeros((5, 2, 3)))


def test_perception_trials(full_config):
    task = make_task("perception", full_config["tasks"]["perception"])
    batch = task.training_batch(rng_for("perception", 0, "batch", 0), 64, dt=10)
    assert batch.inputs.shape == (100, 64, 1) and batch.targets.shape == (100, 64, 1)
    levels = batch.conditions[:, 0]
    assert set(np.unique(levels)) == {0.5, 0.8}
    # 0.8 -> 0.5 and 0.5 -> 0.8 (report, section 3), for the whole trial.
    np.testing.assert_allclose(batch.targets[:, levels == 0.8], 0.5)
    np.testing.assert_allclose(batch.targets[:, levels == 0.5], 0.8)
    assert abs(batch.inputs[:, :, 0].mean(axis=0) - levels).max() < 0.02
    assert batch.loss_mask[:20].sum() == 0 and batch.loss_mask[20:].min() == 1


def test_decision_trials(full_config):
    task = make_task("decision", full_config["tasks"]["decision"])
    conditions = np.array([[0.3, 0.9], [0.9, 0.3], [0.5, 0.51]])
    trials = task.trials(conditions, dt=10, rng=None)
    np.testing.assert_array_equal(trials.targets[0, :, 0], [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(trials.inputs[5], conditions.astype(np.float32))
    grid = task.evaluation_conditions()
    assert grid.shape == (17 * 17, 2)
    assert grid.min() == pytest.approx(0.2) and grid.max() == pytest.approx(1.0)


def test_performance_summary_on_known_tables(full_config):
    task = make_task("decision", full_config["tasks"]["decision"])
    frame = pd.DataFrame({"difference": [-0.4, -0.05, 0.05, 0.4, 0.2],
                          "accuracy": [1.0, 0.0, 0.0, 0.9, 1.0],
                          "mean_output": [1.0, 0.6, 0.4, 0.1, 0.0],
                          "target": [1.0, 1.0, 0.0, 0.0, 0.0]})
    summary = task.score(frame, pd.DataFrame())
    assert summary["sign_accuracy"] == pytest.approx((1.0 + 0.9 + 1.0) / 3)  # |diff| < 0.1 ignored
    assert summary["meets_criterion"]
    perception = make_task("perception", full_config["tasks"]["perception"])
    t = np.arange(10, 1001, 10.0)
    trace = pd.DataFrame({"time_ms": t, "target": 0.5,
                          "output": np.where(t > 500, 0.51, 0.9)})  # early miss is allowed
    summary = perception.score(pd.DataFrame(), trace)
    assert summary["error"] == pytest.approx(0.01) and summary["meets_criterion"]
    trace.loc[trace.index[-1], "output"] = 0.6
    assert not perception.score(pd.DataFrame(), trace)["meets_criterion"]


def test_evaluate_scores_a_network_that_solves_perception_by_construction(full_config):
    # W_rec = 0, W_out picks a unit whose steady rate is 1.3 - u: the target map exactly.
    task = make_task("perception", dict(full_config["tasks"]["perception"], input_noise_std=0.0))
    n = 4
    W_in = np.array([[-1.0], [0.0], [0.0], [0.0]])
    b = np.array([1.3, 0.0, 0.0, 0.0])
    W_out = np.array([[1.0, 0.0, 0.0, 0.0]])
    net = Network(W_in, W_out, b, np.zeros((n, n)), np.zeros((n, n)), 1 - np.eye(n), 10.0, 100.0,
                  0.0, {"seed": 0})
    frame, trace = evaluate(task, net, n_trials=3)
    summary = task.score(frame, trace)
    np.testing.assert_allclose(frame["target"], [0.8, 0.5])
    assert summary["error"] < 0.02 and summary["meets_criterion"]
    assert set(trace.columns) >= {"condition", "time_ms", "output", "target", "input1"}


def test_simulation_trials(full_config):
    sim = full_config["simulation"]
    p = full_config["tasks"]["perception"]
    trials = make_task("perception", p).simulation_trials(sim, dt=10, rng=None)
    inputs, conditions, kind = trials.inputs, trials.conditions, trials.trial_kind
    n_held = len(p["input_levels"]) * sim["trials_per_condition"]
    steps = int(sim["duration_ms"] / 10)
    assert inputs.shape == (steps, n_held + p["switching_trials"], 1)
    assert list(kind).count("switching") == p["switching_trials"]
    switching = inputs[:, kind == "switching", 0]
    np.testing.assert_allclose(np.unique(switching), [0.5, 0.8], rtol=1e-6)
    # The input alternates every switch_every_ms = 500 ms = 50 steps.
    np.testing.assert_allclose(switching[:50, 0], 0.5, rtol=1e-6)
    np.testing.assert_allclose(switching[50:100, 0], 0.8, rtol=1e-6)
    assert np.isnan(conditions[kind == "switching"]).all()
    d = make_task("decision", full_config["tasks"]["decision"])
    trials = d.simulation_trials(sim, dt=10, rng=None)
    inputs, conditions, kind = trials.inputs, trials.conditions, trials.trial_kind
    assert inputs.shape[1] == d.config["simulation_grid"] ** 2 * sim["trials_per_condition"]
    assert d.n_simulation_trials(sim) == inputs.shape[1]
    assert (kind == "held").all()
    np.testing.assert_array_equal(inputs[-1], conditions.astype(np.float32))


def test_a_baseline_at_zero_input_precedes_every_trial(full_config):
    sim = dict(full_config["simulation"], baseline_ms=300, duration_ms=200)
    task = make_task("decision", full_config["tasks"]["decision"])
    trials = task.simulation_trials(sim, dt=10, rng=None, repeats=1)
    assert trials.inputs.shape[0] == 30 + 20
    assert (trials.inputs[:30] == 0).all()
    np.testing.assert_array_equal(trials.inputs[30:], np.broadcast_to(
        trials.conditions.astype(np.float32), (20, *trials.conditions.shape)))
    # the onset is where the time axis of sim_{state}.npz crosses zero
    time_ms = 10.0 * (np.arange(1, 51) - 30)
    assert input_onset(time_ms) == 30 and time_ms[30] == 10.0
    assert input_onset(10.0 * np.arange(1, 21)) == 0


def test_repeats_give_the_latent_fits_enough_windows(full_config):
    """Perception: 2T N = 10 x 128 = 1280 dimensions; 150 analysed steps give 141 windows per
    trial; 2 windows per dimension need 2560 / (2 levels x 141) = 9.1 -> 10 trials per level.
    Decision: 5120 / (25 x 141) = 1.45 -> the configured 2."""
    sim, latent = full_config["simulation"], full_config["latent"]
    assert (sim["duration_ms"], latent["drop_ms"], latent["T"]) == (2500, 1000, 5)
    perception = make_task("perception", full_config["tasks"]["perception"])
    decision = make_task("decision", full_config["tasks"]["decision"])
    assert perception.simulation_repeats(sim, latent, 10.0) == 10
    assert decision.simulation_repeats(sim, latent, 10.0) == 2
    assert perception.simulation_repeats(dict(sim, windows_per_dimension=0), latent, 10.0) == 2
    # repeats of 10 give 20 held and the switching trials
    trials = perception.simulation_trials(sim, dt=10, rng=None, repeats=10)
    assert (trials.trial_kind == "held").sum() == 20
    assert perception.n_simulation_trials(sim, 10) == trials.inputs.shape[1]


@pytest.mark.parametrize("noisy", [False, True])
def test_streamed_readout_is_the_simulations_readout(noisy):
    """The evaluation's step-by-step readout gives the full simulation's output, bit for
    bit, with and without noise and with other recurrent weights."""
    from rnn_hypotheses.simulate import simulate_readout

    net = initialise_network(task="decision", seed=5, n_units=40, n_inputs=2, n_outputs=1,
                             g=1.2, input_std=0.5, dt=10.0, tau=100.0, sigma=0.01)
    rng = np.random.default_rng(0)
    inputs = rng.uniform(0.2, 1.0, (30, 7, 2))
    noise = rng.standard_normal((30, 7, 40)) if noisy else None
    other = net.W_rec * 0.5
    for W_rec in (None, other):
        full = readout(net, simulate(net, inputs, noise=noise, W_rec=W_rec)[0])
        streamed = simulate_readout(net, inputs, noise=noise, W_rec=W_rec)
        assert streamed.shape == (30, 7, 1)
        np.testing.assert_array_equal(streamed, full)
    assert not np.array_equal(simulate_readout(net, inputs, noise=noise),
                              simulate_readout(net, inputs, noise=noise, W_rec=other))
