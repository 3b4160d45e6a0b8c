"""The TensorFlow CTRNN and its training loop (report, section 2)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from rnn_hypotheses import artifacts
from rnn_hypotheses.model import CTRNN, configure_threads, enable_determinism
from rnn_hypotheses.network import initialise_network
from rnn_hypotheses.seeding import rng_for
from rnn_hypotheses.simulate import draw_noise, simulate
from rnn_hypotheses.tasks import make_task
from rnn_hypotheses.train import TrainSettings, mean_offdiagonal, train, train_ensemble

configure_threads(1)
enable_determinism()

SETTINGS = TrainSettings(batch_size=8, max_steps=12, log_every=1, snapshot_every=4,
                         progress_seconds=1e9)


def small_task(smoke_config, task, **changes):
    """The smoke config's task, with some of its keys changed."""
    return make_task(task, dict(smoke_config["tasks"][task], **changes))


def small_network(task="decision", seed=3, n_units=20, n_inputs=2, g=1.0):
    return initialise_network(task=task, seed=seed, n_units=n_units, n_inputs=n_inputs,
                              n_outputs=1, g=g, input_std=0.5, dt=10.0, tau=100.0, sigma=0.01)


def test_initialisation_statistics():
    net = initialise_network(task="decision", seed=0, n_units=256, n_inputs=2, n_outputs=1,
                             g=1.0, input_std=0.5, dt=10.0, tau=100.0, sigma=0.01)
    off = net.W_rec[net.mask == 1]
    assert np.all(np.diag(net.W_rec) == 0)
    assert off.std() == pytest.approx(1 / np.sqrt(256), rel=0.02)
    assert abs(off.mean()) < 3 / 256  # mean 0 within ~3 standard errors
    assert net.W_in.std() == pytest.approx(0.5, rel=0.1)
    # Stable regime at g = 1: the leak-corrected spectrum stays left of zero.
    assert np.max(np.linalg.eigvals(net.W_rec).real) < 1.1
    again = initialise_network(task="decision", seed=0, n_units=256, n_inputs=2, n_outputs=1,
                               g=1.0, input_std=0.5, dt=10.0, tau=100.0, sigma=0.01)
    np.testing.assert_array_equal(net.W_rec, again.W_rec)
    other = initialise_network(task="perception", seed=0, n_units=256, n_inputs=2, n_outputs=1,
                               g=1.0, input_std=0.5, dt=10.0, tau=100.0, sigma=0.01)
    assert not np.array_equal(net.W_rec, other.W_rec)


def test_numpy_simulator_matches_tensorflow_forward_pass(smoke_config):
    net = small_network(n_units=32)
    batch = small_task(smoke_config, "decision").training_batch(
        rng_for("decision", 3, "batch", 0), 6, dt=net.dt)
    noise = draw_noise((*batch.inputs.shape[:2], net.n_units), seed=11)
    model = CTRNN(net)  # tf.function methods hold their object weakly: keep a reference
    r_tf, m_tf = (x[:, 0] for x in model.run(batch.inputs[:, None], noise[:, None]))
    r_np, m_np = simulate(net, batch.inputs, noise_seed=11)
    assert r_np.shape == (batch.inputs.shape[0], 6, 32)
    np.testing.assert_allclose(r_np, r_tf.numpy(), atol=1e-5)
    np.testing.assert_allclose(m_np, m_tf.numpy(), atol=1e-5)
    # Euler step by hand at t = 0 from r = 0: r_1 = a relu(W_in u_1 + b + scale xi_1).
    m0 = batch.inputs[0] @ net.W_in.T + net.b + net.noise_scale * noise[0]
    np.testing.assert_allclose(r_np[0], net.alpha * np.maximum(m0, 0), atol=1e-6)
    assert net.noise_scale == pytest.approx(np.sqrt(2 * 0.01**2 / 0.1))


def test_only_w_rec_trains_and_its_diagonal_stays_zero(smoke_config):
    net = small_network()
    model = CTRNN(net, learning_rate=1e-2)
    W_in, W_out, b = net.W_in.copy(), net.W_out.copy(), net.b.copy()
    for step in range(5):
        batch = small_task(smoke_config, "decision").training_batch(
            rng_for("decision", 3, "batch", step), 8, dt=net.dt)
        noise = np.zeros((*batch.inputs.shape[:2], net.n_units), np.float32)
        model.train_step(*(x[:, None] for x in (batch.inputs, noise, batch.targets,
                                                 batch.loss_mask)))
        W = model.W_rec.numpy()[0]
        assert np.all(np.diag(W) == 0.0), f"diagonal nonzero after update {step}"
    assert not np.array_equal(W, net.W_rec), "W_rec did not change"
    assert [v.name for v in model.trainable_variables if "adam" not in v.name] == ["W_rec:0"]
    np.testing.assert_array_equal(model.W_in.numpy()[0], W_in)
    np.testing.assert_array_equal(model.W_out.numpy()[0], W_out)
    np.testing.assert_array_equal(model.b.numpy()[0], b)


def test_training_reduces_loss_and_logs_history(smoke_config):
    task = small_task(smoke_config, "perception", loss_target=1e-12)
    net = small_network("perception", n_inputs=1)
    result = train(task, net,
                   TrainSettings(batch_size=8, max_steps=60, log_every=10, snapshot_every=20,
                                 learning_rate=1e-2, progress_seconds=1e9), log=lambda m: None)
    h = result.history
    assert list(h["step"]) == [0, 10, 20, 30, 40, 50, 60]
    assert h["loss"].iloc[-1] < 0.5 * h["loss"].iloc[0]
    assert list(result.snapshot_steps) == [0, 20, 40, 60]
    # Snapshot indices point at the weights of their step; mean weights match them.
    for _, row in h[h["snapshot"] >= 0].iterrows():
        W = result.snapshot_weights[int(row["snapshot"])]
        assert result.snapshot_steps[int(row["snapshot"])] == row["step"]
        assert mean_offdiagonal(W) == pytest.approx(row["mean_weight"])
    np.testing.assert_array_equal(result.snapshot_weights[0], net.W_rec)
    np.testing.assert_array_equal(result.snapshot_weights[-1], result.network.W_rec)
    for name in ("W_in", "W_out", "b", "W_rec_init"):
        np.testing.assert_array_equal(getattr(result.network, name),
                                      getattr(net, name if name != "W_rec_init" else "W_rec"))
    assert result.stop_reason == "max_steps"


def test_early_stop_at_loss_target(smoke_config):
    task = small_task(smoke_config, "perception", loss_target=1e6)
    result = train(task, small_network("perception", n_inputs=1),
                   TrainSettings(batch_size=4, max_steps=500, loss_window=3,
                                 progress_seconds=1e9), log=lambda m: None)
    assert result.stop_reason == "loss_target"
    assert result.network.meta["steps"] == 3


def test_same_seed_gives_bitwise_identical_network_file(smoke_config, tmp_path):
    task = small_task(smoke_config, "decision")
    paths = []
    for k in range(2):
        result = train(task, small_network(), SETTINGS, log=lambda m: None)
        paths.append(tmp_path / f"network{k}.npz")
        artifacts.write_network(paths[-1], result.network, {"k": 0})
    a, b = (artifacts.read_npz(p) for p in paths)
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def test_killed_job_resumes_to_identical_weights(smoke_config, tmp_path):
    task = small_task(smoke_config, "decision")
    full = train(task, small_network(), SETTINGS, log=lambda m: None)
    checkpoint = tmp_path / "checkpoint.npz"
    with pytest.raises(InterruptedError):
        train(task, small_network(), SETTINGS, checkpoint_path=checkpoint,
              stop_after=5, log=lambda m: None)
    assert checkpoint.exists()
    messages = []
    resumed = train(task, small_network(), SETTINGS,
                    checkpoint_path=checkpoint, log=messages.append)
    assert any("resumed from checkpoint at step 5" in m for m in messages)
    np.testing.assert_array_equal(resumed.network.W_rec, full.network.W_rec)
    np.testing.assert_array_equal(resumed.snapshot_weights, full.snapshot_weights)
    assert resumed.history.equals(full.history)
    # A checkpoint of another configuration is not resumed.
    other = TrainSettings(**dict(SETTINGS.__dict__, learning_rate=0.5))
    messages.clear()
    train(task, small_network(), other, checkpoint_path=checkpoint,
          log=messages.append)
    assert any("another configuration" in m for m in messages)


def test_nan_loss_stops_with_clear_error(smoke_config):
    task = small_task(smoke_config, "decision")
    exploding = TrainSettings(batch_size=4, max_steps=50, learning_rate=1e30,
                              progress_seconds=1e9)
    with pytest.raises(FloatingPointError, match="loss is (nan|inf)"):
        train(task, small_network(g=3.0), exploding, log=lambda m: None)


def test_tensorflow_uses_the_rules_threads():
    code = ("from rnn_hypotheses.model import configure_threads; import tensorflow as tf; "
            "configure_threads(3); "
            "print(tf.config.threading.get_intra_op_parallelism_threads(), "
            "tf.config.threading.get_inter_op_parallelism_threads())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["3", "1"]


def test_last_update_that_diverges_is_refused(smoke_config):
    """Each step checks its loss before its update; the final loss and weights are checked
    too. Two steps at a huge learning rate leave the smoke perception network with finite
    weights of about 1.7e3 whose loss is NaN: only the final check sees it."""
    from rnn_hypotheses.pipeline import initial_network

    settings = TrainSettings(batch_size=8, max_steps=2, learning_rate=1000,
                             progress_seconds=1e9)
    network = initial_network(smoke_config, "perception", "net00")
    with pytest.raises(FloatingPointError, match="training diverged; after step 2 the loss"):
        train(small_task(smoke_config, "perception"), network, settings,
              log=lambda m: None)


def test_a_non_finite_network_is_not_read(tmp_path):
    net = small_network()
    path = tmp_path / "network.npz"
    artifacts.write_network(path, net)
    assert artifacts.read_network(path).n_units == net.n_units
    bad = net.with_weights(np.where(net.mask == 1, np.inf, 0.0))
    artifacts.write_network(path, bad)
    with pytest.raises(artifacts.ArtifactError, match="network.npz: field W_rec holds non-finite"):
        artifacts.read_network(path)


# --- ensembles (training.networks_per_job) ---------------------------------------------------

ENSEMBLE_SETTINGS = TrainSettings(batch_size=8, max_steps=60, log_every=1, snapshot_every=4,
                                  loss_window=3, learning_rate=1e-2, progress_seconds=1e9)
ENSEMBLE_SEEDS = (3, 4, 5)


def ensemble_task(smoke_config):
    # at this target seed 4 stops at step 29 and seeds 3 and 5 run all 60 steps
    return small_task(smoke_config, "perception", loss_target=0.01)


def perception_networks(seeds=ENSEMBLE_SEEDS):
    return [small_network("perception", seed=seed, n_inputs=1) for seed in seeds]


def assert_identical(a, b):
    np.testing.assert_array_equal(a.network.W_rec, b.network.W_rec)
    np.testing.assert_array_equal(a.snapshot_weights, b.snapshot_weights)
    assert a.history.equals(b.history)
    assert a.network.meta == b.network.meta


def test_ensemble_networks_equal_solo_training(smoke_config):
    """Each network of an ensemble keeps its own batches, noise and early stop: it takes
    the steps it takes alone and ends with bitwise the same weights, history and
    snapshots, also after another network of the ensemble stopped early."""
    task = ensemble_task(smoke_config)
    solo = [train(task, net, ENSEMBLE_SETTINGS, log=lambda m: None)
            for net in perception_networks()]
    together = train_ensemble(task, perception_networks(), ENSEMBLE_SETTINGS,
                              log=lambda m: None)
    assert [r.network.meta["steps"] for r in solo] == [60, 29, 60]
    for alone, joint in zip(solo, together, strict=True):
        assert_identical(alone, joint)


def test_decision_ensemble_equals_solo_training(smoke_config):
    # Two inputs, so the input drive is a sum: the case where a graph rewrite would
    # reorder an ensemble of one's additions but not a larger ensemble's. Nine networks:
    # vectorised kernels work in packets of eight, and the last one falls outside.
    task = small_task(smoke_config, "decision")
    networks = [small_network(seed=seed) for seed in range(3, 12)]
    together = train_ensemble(task, networks, SETTINGS, log=lambda m: None)
    for net, joint in zip(networks, together, strict=True):
        assert_identical(train(task, net, SETTINGS, log=lambda m: None), joint)


def test_same_ensemble_gives_bitwise_identical_networks(smoke_config):
    task = ensemble_task(smoke_config)
    first, second = (train_ensemble(task, perception_networks(), ENSEMBLE_SETTINGS,
                                    log=lambda m: None) for _ in range(2))
    for a, b in zip(first, second, strict=True):
        assert_identical(a, b)


@pytest.mark.parametrize("stop_after", [20, 40])  # before and after seed 4's early stop
def test_killed_ensemble_resumes_to_identical_weights(smoke_config, tmp_path, stop_after):
    task = ensemble_task(smoke_config)
    full = train_ensemble(task, perception_networks(), ENSEMBLE_SETTINGS, log=lambda m: None)
    checkpoints = [tmp_path / f"net{k}" / "checkpoint.npz" for k in range(3)]
    for path in checkpoints:
        path.parent.mkdir()
    with pytest.raises(InterruptedError):
        train_ensemble(task, perception_networks(), ENSEMBLE_SETTINGS,
                       checkpoint_paths=checkpoints, stop_after=stop_after,
                       log=lambda m: None)
    assert all(path.exists() for path in checkpoints)
    messages = []
    resumed = train_ensemble(task, perception_networks(), ENSEMBLE_SETTINGS,
                             checkpoint_paths=checkpoints, log=messages.append)
    assert f"resumed from checkpoint at step {stop_after}" in messages
    for a, b in zip(full, resumed, strict=True):
        assert_identical(a, b)
    # a network trains to the same bits in any ensemble, so another ensemble resumes from
    # the same checkpoints to the same networks
    for path in checkpoints:
        path.unlink()
    with pytest.raises(InterruptedError):
        train_ensemble(task, perception_networks(), ENSEMBLE_SETTINGS,
                       checkpoint_paths=checkpoints, stop_after=stop_after,
                       log=lambda m: None)
    messages.clear()
    pair = train_ensemble(task, perception_networks((3, 4)), ENSEMBLE_SETTINGS,
                          checkpoint_paths=checkpoints[:2], log=messages.append)
    assert f"resumed from checkpoint at step {stop_after}" in messages
    for a, b in zip(full[:2], pair, strict=True):
        assert_identical(a, b)
    # a checkpoint missing: the ensemble starts again from step 0
    checkpoints[0].unlink()
    messages.clear()
    train_ensemble(task, perception_networks((3, 4)), ENSEMBLE_SETTINGS,
                   checkpoint_paths=checkpoints[:2], log=messages.append)
    assert "ignoring checkpoints: not every network of the ensemble has one from the same " \
           "step" in messages


def test_a_diverging_ensemble_member_is_named(smoke_config):
    exploding = TrainSettings(batch_size=4, max_steps=50, learning_rate=1e30,
                              progress_seconds=1e9)
    networks = [small_network(seed=seed, g=3.0) for seed in (3, 7)]
    with pytest.raises(FloatingPointError, match=r"network seed (3|7): loss is (nan|inf)"):
        train_ensemble(small_task(smoke_config, "decision"), networks, exploding,
                       log=lambda m: None)


def test_ensemble_members_must_share_their_size():
    with pytest.raises(ValueError, match="seed 4 differs from seed 3"):
        CTRNN([small_network(seed=3), small_network(seed=4, n_units=21)])


def offdiagonal_abs(W: np.ndarray) -> np.ndarray:
    return np.abs(W[~np.eye(W.shape[-1], dtype=bool)])


def test_l1_penalty_shrinks_weights_the_task_does_not_need(smoke_config):
    """A strong L1 penalty drives many off-diagonal weights towards zero (Adam steps of
    size ~learning_rate around it), keeps the diagonal exactly zero, and leaves the task
    loss's history the loss without the penalty (the early stop is the task's)."""
    task = small_task(smoke_config, "perception", loss_target=1e-12)
    settings = dict(batch_size=8, max_steps=150, log_every=10, snapshot_every=50,
                    learning_rate=1e-2, progress_seconds=1e9)
    net = small_network("perception", n_inputs=1)
    plain = train(task, net, TrainSettings(**settings), log=lambda m: None)
    sparse = train(task, net, TrainSettings(**settings, l1=10.0), log=lambda m: None)
    W = sparse.network.W_rec
    assert np.all(np.diag(W) == 0.0)
    # Adam with a sign gradient settles a weight the loss does not need within about one
    # step (0.01) of zero; unpenalised, few weights of N(0, 1/20) start or end that small
    near_zero = 0.02
    assert (offdiagonal_abs(W) < near_zero).mean() > 0.5
    assert (offdiagonal_abs(plain.network.W_rec) < near_zero).mean() < 0.15
    # the first logged loss is before any step: the same network, the same batch
    assert sparse.history["loss"].iloc[0] == plain.history["loss"].iloc[0]


def test_l1_penalty_is_each_networks_own_in_an_ensemble(smoke_config):
    task = small_task(smoke_config, "decision")
    settings = TrainSettings(batch_size=8, max_steps=12, log_every=1, snapshot_every=4,
                             progress_seconds=1e9, l1=0.5)
    networks = [small_network(seed=seed) for seed in (3, 4, 5)]
    together = train_ensemble(task, networks, settings, log=lambda m: None)
    for net, joint in zip(networks, together, strict=True):
        assert_identical(train(task, net, settings, log=lambda m: None), joint)


def test_a_negative_l1_is_refused():
    with pytest.raises(ValueError, match="l1"):
        CTRNN(small_network(), l1=-1.0)
