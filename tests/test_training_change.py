"""The connectivity stage's tables and claims, on networks and summaries with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnn_hypotheses.analysis import connectivity as C
from rnn_hypotheses.analysis import training_change as T
from rnn_hypotheses.analysis.stats import CLAIMS_COLUMNS
from rnn_hypotheses.evaluate import loss_batch, task_loss
from rnn_hypotheses.figures import frames
from rnn_hypotheses.network import Network, initialise_network
from rnn_hypotheses.tasks import make_task


def _changed_network(smoke_config, task="decision", n_units=20, rank=None, seed=2) -> Network:
    """A smoke-sized network whose W_rec differs from W_rec_init by a known change."""
    n_inputs = smoke_config["tasks"][task]["n_inputs"]
    net = initialise_network(task=task, seed=seed, n_units=n_units, n_inputs=n_inputs,
                             n_outputs=1, g=1.0, input_std=0.5, dt=10.0, tau=100.0, sigma=0.01)
    rng = np.random.default_rng(seed)
    if rank is None:
        dW = 0.2 * rng.standard_normal((n_units, n_units)) / np.sqrt(n_units)
    else:
        dW = 0.5 * rng.standard_normal((n_units, rank)) @ rng.standard_normal((rank, n_units))
        dW /= n_units
    np.fill_diagonal(dW, 0.0)
    return net.with_weights((net.W_rec_init + dW).astype(np.float32))


# ----------------------------------------------------------------------------- task loss


def test_truncating_dw_to_full_rank_recovers_the_trained_loss(smoke_config):
    task = make_task("decision", smoke_config["tasks"]["decision"])
    net = _changed_network(smoke_config)
    n = net.n_units
    trained = task_loss(net, None, task, n_trials=16)
    full = C.truncated_weights(net.W_rec_init, net.W_rec, n, zero_diagonal=True)
    assert task_loss(net, full, task, n_trials=16) == trained
    untrained = task_loss(net, net.W_rec_init, task, n_trials=16)
    assert untrained != trained

    table = T.low_rank_table(net, task, max_rank=3, n_trials=16)
    scored = table[table["truncated"]]
    assert list(scored["rank"]) == [0, 1, 2, 3, n]
    assert scored["loss"].iloc[-1] == trained
    assert scored["loss"].iloc[0] == pytest.approx(untrained)
    assert table["loss"].isna().sum() == n + 1 - 5


def test_task_loss_is_the_training_loss(smoke_config):
    # the NumPy loss must be the quantity the TensorFlow model minimises
    from rnn_hypotheses.model import CTRNN

    task = make_task("perception", smoke_config["tasks"]["perception"])
    net = _changed_network(smoke_config, task="perception", n_units=12)
    batch, noise = loss_batch(task, net, 8)
    model = CTRNN(net)
    tf_loss = float(model.loss(*(x[:, None] for x in (batch.inputs, noise, batch.targets,
                                                      batch.loss_mask)))[0])
    np_loss = task_loss(net, None, task, batch=(batch, noise))
    assert np_loss == pytest.approx(tf_loss, rel=1e-4)


def test_loss_batch_is_fixed_per_network(smoke_config):
    task = make_task("decision", smoke_config["tasks"]["decision"])
    net = _changed_network(smoke_config)
    (a, noise_a), (b, noise_b) = (loss_batch(task, net, 4) for _ in range(2))
    np.testing.assert_array_equal(a.inputs, b.inputs)
    np.testing.assert_array_equal(noise_a, noise_b)
    other = _changed_network(smoke_config, seed=3)
    assert not np.array_equal(loss_batch(task, other, 4)[0].inputs, a.inputs)


def test_rank_one_change_is_reported_as_rank_one(smoke_config):
    net = _changed_network(smoke_config, n_units=30, rank=1)
    task = make_task("decision", smoke_config["tasks"]["decision"])
    table = T.low_rank_table(net, task, max_rank=2, n_trials=4)
    # zeroing dW's diagonal leaves it close to, not exactly, rank one
    assert table.loc[1, "energy_share"] > 0.95
    summary = T.network_summary(net.W_rec_init, net.W_rec)
    assert summary["dW_energy_rank"] == 1
    assert summary["dW_energy_rank_random"] > 10


def test_relative_departure_ignores_the_size_of_the_weights():
    """Scaling W_rec scales Henrici's departure but not its share of ||W_rec||_F, and a
    normal matrix has none."""
    rng = np.random.default_rng(4)
    W = rng.standard_normal((12, 12)) / np.sqrt(12)
    np.fill_diagonal(W, 0.0)
    summary = T.network_summary(W, 1.5 * W)
    assert summary["henrici_final"] == pytest.approx(1.5 * summary["henrici_init"])
    assert summary["frobenius_final"] == pytest.approx(1.5 * summary["frobenius_init"])
    assert summary["henrici_relative_final"] == pytest.approx(summary["henrici_relative_init"])
    assert 0 < summary["henrici_relative_init"] < 1
    symmetric = W + W.T
    assert T.network_summary(symmetric, symmetric)["henrici_relative_init"] < 1e-12


# ----------------------------------------------------------------------------- per network


def test_change_histogram_counts_every_weight_and_unchanged_ones_apart():
    W0 = np.zeros((5, 5))
    W1 = W0.copy()
    W1[0, 1], W1[2, 3], W1[4, 0] = 1e-3, -2e-3, 50.0  # the last is beyond the top edge
    h = T.change_histogram(W0, W1)
    assert h["count"].sum() == 20
    assert h.loc[0, "bin_low"] == 0 and h.loc[0, "count"] == 17
    assert h["count"].iloc[-1] == 1
    assert h["fraction"].sum() == pytest.approx(1.0)
    pooled = frames.pooled_histogram(pd.concat([h.assign(task="a"), h.assign(task="a")]))
    assert pooled["count"].sum() == 40
    assert pooled["fraction"].sum() == pytest.approx(1.0)


def test_eigenvalue_pairs_rank_growth():
    A = np.diag([0.5, -0.3, 0.1, 0.8])
    # |lambda| grows by 0.3 (-0.3), 0.2 (0.1), 0.1 (0.8) and -0.05 (0.5, shrinks)
    B = np.diag([0.45, -0.6, 0.3, 0.9])
    p = T.eigenvalue_pairs(A, B)
    top = int(np.argmin(p["growth_rank"]))
    assert p["eig_init"][top] == pytest.approx(-0.3)
    assert p["eig_final"][top] == pytest.approx(-0.6)
    ranks = {round(float(e.real), 6): int(r)
             for e, r in zip(p["eig_init"], p["growth_rank"], strict=True)}
    assert ranks == {-0.3: 0, 0.1: 1, 0.8: 2, 0.5: 3}
    partner = {round(float(e.real), 6): round(float(f.real), 6)
               for e, f in zip(p["eig_init"], p["eig_final"], strict=True)}
    assert partner == {0.5: 0.45, -0.3: -0.6, 0.1: 0.3, 0.8: 0.9}
    frame = frames.eigenvalue_frame(["t"], ["n"], [p], marked=2)
    assert frame["marked"].sum() == 2
    assert set(frame.loc[frame["marked"], "re_init"].round(6)) == {-0.3, 0.1}


def test_random_perturbation_growth_is_seeded_and_zero_without_change():
    W = np.random.default_rng(0).standard_normal((15, 15)) / np.sqrt(15)
    np.fill_diagonal(W, 0.0)
    assert T.random_perturbation_growth(W, np.zeros_like(W)) == pytest.approx(0.0, abs=1e-12)
    dW = 0.3 * np.random.default_rng(1).standard_normal(W.shape) / np.sqrt(15)
    g = T.random_perturbation_growth(W, dW, seed=5)
    assert g == T.random_perturbation_growth(W, dW, seed=5) > 0


def test_nonnormality_table_of_normal_snapshots_is_zero():
    X = np.random.default_rng(3).standard_normal((3, 8, 8))
    Ws = X + X.transpose(0, 2, 1)  # symmetric, hence normal
    t = T.nonnormality_table([0, 10, 20], Ws)
    assert list(t["step"]) == [0, 10, 20]
    np.testing.assert_allclose(t[["henrici", "spectral"]], 0.0, atol=1e-10)
    np.testing.assert_allclose(t["frobenius"], np.linalg.norm(Ws, axis=(1, 2)))


def _star(hub: int, leaves: list[int], weights: list[float], n: int = 6) -> np.ndarray:
    """A star: hub and leaf k joined both ways by |weight| w_k (signs mixed)."""
    W = np.zeros((n, n))
    W[hub, leaves], W[leaves, hub] = weights, -np.asarray(weights)
    return W


def test_centrality_table_of_a_star_ranks_the_hub_first():
    # |W| is symmetric with Perron value lam = sqrt(sum w_k^2): the hub's centrality
    # is 1/sqrt(2) and leaf k's is w_k / (lam sqrt(2)), below the hub's as w_k < lam.
    w = [1.0, 2.0, 3.0, 4.0, 5.0]
    W0 = _star(0, [1, 2, 3, 4, 5], w)
    W1 = _star(3, [0, 1, 2, 4, 5], w)  # training moves the hub to node 3
    t = T.centrality_table(W0, W1, "eigenvector")
    lam = np.sqrt(np.sum(np.square(w)))
    np.testing.assert_allclose(t["initial"], np.r_[lam, w] / (lam * np.sqrt(2)), rtol=1e-6)
    np.testing.assert_allclose(t["final"], np.r_[w[:3], lam, w[3:]] / (lam * np.sqrt(2)),
                               rtol=1e-6)
    assert t.loc[0, "rank_initial"] == 0 and t.loc[3, "rank_final"] == 0
    assert t.loc[0, "rank_final"] != 0 and t.loc[3, "rank_initial"] != 0
    # leaves rank by their weight, heaviest first
    assert list(t["rank_initial"]) == [0, 5, 4, 3, 2, 1]
    assert list(t["rank_final"]) == [5, 4, 3, 0, 2, 1]


# ----------------------------------------------------------------------------- across networks


def test_step_band_carries_a_stopped_network_forward():
    frame = pd.DataFrame({
        "task": "a",
        "net": ["n0", "n0", "n0", "n1", "n1"],
        "step": [0, 10, 20, 0, 15],  # n1 stopped early, off the common grid
        "value": [1.0, 2.0, 3.0, 1.0, 5.0],
    })
    band = frames.step_band(frame, "value").set_index("step")
    assert list(band.index) == [0, 10, 15, 20]
    assert band.loc[10, "mean"] == pytest.approx(1.5)  # n1 still at its step-0 value
    assert band.loc[15, "mean"] == pytest.approx(3.5)  # n0 carried from step 10
    assert band.loc[20, "mean"] == pytest.approx(4.0)  # n1 carried from step 15
    assert (band["n"] == 2).all()
    assert (band["ci_low"] <= band["mean"]).all() and (band["mean"] <= band["ci_high"]).all()


def test_typical_network_is_the_median_one():
    summary = pd.DataFrame({"task": "a", "net": ["n0", "n1", "n2"], "rho": [0.1, 0.5, 0.9]})
    assert frames.typical_network(summary, "rho") == {"a": "n1"}


# ----------------------------------------------------------------------------- claims


KINDS = {"decision": "decision", "perception": "perception"}


def _summary_with_known_answers(n: int = 10) -> pd.DataFrame:
    """Per-network summaries in which every claim has a designed answer.

    Supported: the mean weight decreases and ends negative, more so for decision;
    the top weights carry more change than Gaussian; a few eigenvalues grow more
    than under a random change; dW is low rank. Not supported: centrality ranks
    are kept (rho near 0.9, no L shape). Inconclusive: non-normality changes by
    symmetric noise around zero.
    """
    rng = np.random.default_rng(0)
    rows = []
    for task, decrease in (("perception", 0.002), ("decision", 0.006)):
        for k in range(n):
            init = rng.normal(0.0, 1e-4)
            noise = rng.normal(0.0, 1.0, 3)
            rows.append({
                "task": task, "net": f"net{k:02d}",
                "mean_weight_init": init,
                "mean_weight_final": init - decrease * (1 + 0.1 * rng.standard_normal()),
                "mean_weight_change": -decrease * (1 + 0.1 * rng.standard_normal()),
                "change_top_share": 0.7 + 0.02 * rng.standard_normal(),
                "change_top_share_gaussian": 0.4393,
                "dW_relative_norm": 0.3,
                "max_eigenvalue_growth": 0.5 + 0.05 * rng.standard_normal(),
                "max_eigenvalue_growth_random": 0.05 + 0.01 * rng.standard_normal(),
                "spectral_radius_init": 1.0, "spectral_radius_final": 1.3,
                "spearman_rho": 0.9 + 0.02 * rng.standard_normal(),
                "fraction_top_from_bottom_half": 0.0,
                "fraction_chance": 0.5,
                # alternating signs: no direction, and the interval straddles zero
                "spectral_departure_init": 1.6,
                "spectral_departure_final": 1.6 + (-1) ** k * 0.01 * (1 + 0.1 * noise[0]),
                "henrici_init": 11.3,
                "henrici_final": 11.3 + (-1) ** k * 0.01 * (1 + 0.1 * noise[1]),
                "frobenius_init": 16.0, "frobenius_final": 17.1,
                "henrici_relative_init": 0.7,
                "henrici_relative_final": 0.7 - (-1) ** k * 1e-3 * (1 + 0.1 * noise[2]),
                "dW_participation_ratio": 3.0 + rng.random(),
                "dW_participation_ratio_random": 120.0 + rng.random(),
                "dW_energy_rank": 4.0, "dW_energy_rank_random": 100.0,
            })
    return pd.DataFrame(rows)


EXPECTED = {
    "mean_weight_decreases": "supported",
    "mean_weight_negative": "supported",
    "decision_decrease_larger": "supported",
    "few_weights_change": "supported",
    "few_eigenvalues_grow": "supported",
    # the fixture's ranks stay correlated and its L-shape fraction is below chance in every
    # network: the opposite one-sided tests reject
    "centrality_reshuffled": "reversed",
    "centrality_l_shape": "reversed",
    "nonnormality_increases_2norm": "inconclusive",
    "nonnormality_increases_henrici": "inconclusive",
    "nonnormality_increases_relative": "inconclusive",
    "dW_low_rank": "supported",
}


def test_claims_table_from_a_fixture_with_known_answers():
    table = T.connectivity_claims(_summary_with_known_answers(), KINDS, n_boot=2000)
    assert tuple(table.columns) == CLAIMS_COLUMNS
    per_task = [c for c in T.CLAIMS if c.kind != "between"]
    assert len(table) == 2 * len(per_task) + (len(T.CLAIMS) - len(per_task))
    assert table["claim"].is_unique
    verdicts = dict(zip(table["claim"], table["verdict"], strict=True))
    for claim in T.CLAIMS:
        names = ([claim.text] if claim.kind == "between"
                 else [f"{task}: {claim.text}" for task in ("decision", "perception")])
        for name in names:
            assert verdicts[name] == EXPECTED[claim.key], name
    row = table[table["claim"] == "perception: mean weight decreases during training"].iloc[0]
    assert row["n"] == 10
    assert row["mean"] == pytest.approx(-0.002, rel=0.1)
    between = table[table["claim"] == T.CLAIMS[2].text].iloc[0]
    assert between["n"] == 20
    assert between["mean"] == pytest.approx(0.004, rel=0.15)  # decrease, decision - perception
    assert "Mann-Whitney" in between["test"]


def test_claims_with_two_networks_per_task_are_inconclusive():
    summary = _summary_with_known_answers(n=2)
    table = T.connectivity_claims(summary, KINDS, n_boot=200)
    assert set(table["verdict"]) == {"inconclusive"}
    assert table["notes"].str.contains("n too small").all()
