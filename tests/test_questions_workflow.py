"""The open questions' rules (workflow/rules/questions.smk) through the workflow, at smoke
size: the init key (a `like` draw and a low-rank transplant), a multitask network, and the
tables of questions 1, 4 and 5 with the hypotheses table (tests/config/questions_smoke.yaml).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy.linalg import expm, solve_continuous_lyapunov

from rnn_hypotheses import artifacts
from rnn_hypotheses.tasks import make_task

from .conftest import ROOT, snakemake

pytestmark = pytest.mark.workflow
CONFIG = ROOT / "tests/config/questions_smoke.yaml"
NETS = ("net00", "net01")
STATES = ("untrained", "trained")
TASKS = ("decision", "farther1_shared", "decision_low_rank", "decision_farther1")
# only what the tests read: the questions' tables, the hypotheses table (and so every claims
# table) and one multitask network's evaluation
TARGETS = [
    *(f"results/tables/{name}.parquet" for name in (
        "initialisation", "reuse", "reuse_multitask", "predictive_information_networks",
        "hypotheses")),
    "results/decision_farther1/net00/eval.parquet",
]
CLAIMS_TABLES = ("connectivity_claims", "latent_claims", "slow_point_claims",
                 "linear_model_claims", "topology_claims", "initialisation_claims",
                 "predictive_information_claims", "reuse_claims")
# the initial network's arrays that a `like` draw shares with its task's
DRAWN = ("W_rec_init", "W_in", "W_out", "b")


@pytest.fixture(scope="module")
def questions(tmp_path_factory):
    """The results/ folder of the questions' smoke run."""
    workdir = tmp_path_factory.mktemp("questions")
    snakemake(workdir, "--cores", "2", *TARGETS, configs=[CONFIG])
    return workdir / "results"


@pytest.fixture(scope="module")
def questions_config() -> dict:
    return yaml.safe_load(CONFIG.read_text())


def network(results, task, net):
    return artifacts.read_network(results / task / net / "network.npz")


def table(results, name):
    return artifacts.read_parquet(results / "tables" / f"{name}.parquet")


def analysed_conditions(results, task, net, state):
    """The slow-point stage's condition rows of one network state, without u = 0."""
    conditions = artifacts.read_parquet(results / task / net / f"slowpoint_conditions_{state}"
                                        ".parquet")
    return conditions[~conditions["autonomous"].astype(bool)]


def test_like_draw_is_bitwise_the_other_tasks_initial_network(questions):
    for net in NETS:
        source, like = network(questions, "decision", net), network(questions, "farther1_shared",
                                                                   net)
        for name in DRAWN:
            assert np.array_equal(getattr(like, name), getattr(source, name)), (net, name)
        assert like.meta["init_kind"] == "like" and like.meta["init_like"] == "decision"
        assert like.meta["task"] == "farther1_shared"
    # two seeds, two draws
    first, second = (network(questions, "decision", net) for net in NETS)
    assert not np.array_equal(first.W_rec_init, second.W_rec_init)


def test_low_rank_start_adds_the_truncated_change_of_another_seed(questions,
                                                                  questions_config):
    init = questions_config["tasks"]["decision_low_rank"]["init"]
    rank = init["rank"]
    for i, net in enumerate(NETS):
        start = network(questions, "decision_low_rank", net)
        like = network(questions, "decision", net)
        source_net = NETS[(i + init["source_shift"]) % len(NETS)]
        source = network(questions, "decision", source_net)
        dW = source.W_rec.astype(np.float64) - source.W_rec_init.astype(np.float64)
        U, s, Vt = np.linalg.svd(dW)
        part = (U[:, :rank] * s[:rank]) @ Vt[:rank]
        np.fill_diagonal(part, 0.0)
        added = start.W_rec_init.astype(np.float64) - like.W_rec_init.astype(np.float64)
        # two float32 roundings of weights of order 1/sqrt(N)
        np.testing.assert_allclose(added, part, rtol=0, atol=1e-6)
        assert np.abs(part).max() > 1e-3  # the source did train: something was added
        assert np.all(np.diag(start.W_rec_init) == 0)
        for name in ("W_in", "W_out", "b"):
            assert np.array_equal(getattr(start, name), getattr(like, name)), (net, name)
        meta = start.meta
        assert (meta["init_kind"], meta["init_like"], meta["init_source"]) == (
            "low_rank", "decision", "decision")
        assert meta["init_source_net"] == source_net and meta["init_rank"] == rank
        assert meta["init_source_seed"] == source.meta["seed"] != start.meta["seed"]
        assert meta["init_source_shift"] == init["source_shift"]
        share = np.sum(s[:rank] ** 2) / np.sum(s**2)
        assert meta["init_dW_share"] == pytest.approx(share, rel=1e-6)


def test_untrained_fixed_points_are_those_of_the_transplanted_start(questions):
    """The untrained state is the initial network: its exact fixed points solve
    r = relu(W_rec_init r + W_in u + b) with the transplant, not with the like-draw."""
    for net in NETS:
        start = network(questions, "decision_low_rank", net)
        like = network(questions, "decision", net)
        arrays = artifacts.read_npz(questions / "decision_low_rank" / net
                                    / "slowpoints_untrained.npz")
        exact = np.asarray(arrays["point_method"]).astype(str) == "exact"
        assert exact.any()
        r = arrays["locations"][exact]
        u = arrays["condition_inputs"][arrays["point_condition"][exact]]

        def residual(W, r=r, u=u, start=start):
            drive = r @ W.T.astype(float) + u @ start.W_in.T.astype(float) + start.b
            return np.abs(np.maximum(drive, 0.0) - r).max()

        assert residual(start.W_rec_init) < 1e-6
        assert residual(like.W_rec_init) > 1e-3


def test_multitask_network_has_a_context_input_per_task(questions, smoke_config,
                                                        questions_config):
    decision = make_task("decision", smoke_config["tasks"]["decision"])
    farther = make_task("farther1", questions_config["tasks"]["farther1"])
    subtasks = (decision, farther)
    for net in NETS:
        assert network(questions, "decision_farther1", net).W_in.shape == (24, 4)
        arrays = artifacts.read_npz(questions / "decision_farther1" / net
                                    / "slowpoints_trained.npz")
        inputs = arrays["condition_inputs"][~arrays["condition_autonomous"].astype(bool)]
        expected = np.concatenate([
            np.column_stack([np.asarray(task.fixed_point_inputs(), float),
                             np.tile(np.eye(2)[j], (len(task.fixed_point_inputs()), 1))])
            for j, task in enumerate(subtasks)])
        np.testing.assert_allclose(inputs, expected)
    evaluation = artifacts.read_parquet(questions / "decision_farther1/net00/eval.parquet")
    for j, task in enumerate(subtasks):
        rows = evaluation[evaluation["context"] == j]
        assert len(rows) == len(task.evaluation_conditions())
        np.testing.assert_array_equal(rows[["input3", "input4"]].to_numpy(),
                                      np.tile(np.eye(2)[j], (len(rows), 1)))
        np.testing.assert_allclose(rows[["input1", "input2"]].to_numpy(),
                                   task.evaluation_conditions())
    assert set(evaluation["context"]) == {0, 1}


def test_initialisation_table_pairs_the_structured_start_with_its_baseline(questions):
    init = table(questions, "initialisation")
    assert sorted(zip(init["task"], init["net"], strict=True)) == sorted(
        (t, n) for t in ("decision", "decision_low_rank") for n in NETS)
    for row in init.itertuples():
        history = artifacts.read_history(questions / row.task / row.net / "history.parquet")
        last = history.sort_values("step").iloc[-1]
        assert row.steps == last["step"]
        assert row.final_loss == pytest.approx(last["loss"])
        for state, when in (("untrained", "init"), ("trained", "trained")):
            conditions = analysed_conditions(questions, row.task, row.net, state)
            for count in ("fixed", "stable", "saddle"):
                assert getattr(row, f"{count}_{when}") == pytest.approx(
                    conditions[f"n_{count}"].mean()), (row.task, row.net, count, when)
        structured = row.task == "decision_low_rank"
        assert row.baseline_task == ("decision" if structured else "")
        assert row.init_kind == ("low_rank" if structured else "random")
        if structured:
            meta = network(questions, row.task, row.net).meta
            assert (row.source_task, row.source_net, row.rank) == (
                "decision", meta["init_source_net"], meta["init_rank"])
    claims = table(questions, "initialisation_claims")
    assert set(claims["task"]) == {"decision_low_rank"}


def test_reuse_pair_overlaps_are_cosines_against_exact_chance(questions, smoke_config,
                                                             questions_config):
    reuse = table(questions, "reuse")
    k = questions_config["questions"]["reuse"]["k"]
    assert set(reuse["task"]) == {"decision vs farther1_shared"}
    assert list(reuse["net"]) == list(NETS)
    assert (reuse["chance"] == k / smoke_config["tasks"]["decision"]["n_units"]).all()
    for column in ("points_overlap", "points_control", "weights_overlap", "weights_control",
                   "points_overlap_initial"):
        values = reuse[column].to_numpy(dtype=float)
        assert np.isfinite(values).all(), column  # k dimensions from 3 inputs' points
        assert ((values >= -1e-12) & (values <= 1 + 1e-12)).all(), column
    assert reuse["points_measurable"].all() and reuse["weights_measurable"].all()

    def change_subspace(task, net):
        nw = network(questions, task, net)
        return np.linalg.svd(nw.W_rec.astype(float) - nw.W_rec_init.astype(float))[0][:, :k]

    def mean_squared_cosine(A, B):
        return np.mean(np.linalg.svd(A.T @ B, compute_uv=False) ** 2)

    # the weights' overlap from the networks themselves: network i of both tasks, and
    # (the control) network i of the first against the other of the second
    for i, row in enumerate(reuse.itertuples()):
        first = change_subspace("decision", NETS[i])
        assert row.weights_overlap == pytest.approx(
            mean_squared_cosine(first, change_subspace("farther1_shared", NETS[i])))
        assert row.weights_control == pytest.approx(
            mean_squared_cosine(first, change_subspace("farther1_shared", NETS[1 - i])))


def test_reuse_multitask_labels_follow_the_criteria(questions, smoke_config):
    criteria = smoke_config["questions"]["reuse"]
    multitask = table(questions, "reuse_multitask")
    assert list(multitask["net"]) == list(NETS)
    assert set(multitask["task"]) == {"decision_farther1"}
    assert set(multitask["contexts"]) == {"decision vs farther1"}
    assert (multitask[["n_points_first", "n_points_second"]] >= 3).all(axis=None)
    for row in multitask.itertuples():
        # the trained network's label, and the initial network's (its baseline), each by
        # the same criteria
        for overlap, ratio, label in ((row.overlap, row.distance_ratio, row.label),
                                      (row.overlap_initial, row.distance_ratio_initial,
                                       row.label_initial)):
            assert 0 <= overlap <= 1 + 1e-12
            if ratio <= criteria["shared_distance"]:
                assert label == "shared"
            elif overlap >= criteria["same_subspace"]:
                assert label == "moved"
            else:
                assert label == "disjoint"
    counts = artifacts.read_parquet(questions / "tables/reuse_multitask_counts.parquet")
    assert counts["networks"].tolist() == [len(NETS)]
    labels = ["shared", "moved", "disjoint", "not measurable"]
    assert counts[labels].sum(axis=1).tolist() == [len(NETS)]


def ou_information(W_rec, pattern, tau, lag):
    """I(x_t; x_{t+lag}) of the network linearised on its active units: the Gaussian
    stationary process dx = J x dt + dW, J = (W_AA - I) / tau."""
    active = np.flatnonzero(pattern)
    J = (W_rec[np.ix_(active, active)] - np.eye(active.size)) / tau
    S = solve_continuous_lyapunov(J, -np.eye(active.size))
    A = expm(J * lag)
    return 0.5 * (np.linalg.slogdet(S)[1] - np.linalg.slogdet(S - A @ S @ A.T)[1])


def test_predictive_information_one_value_per_network_and_state(questions, smoke_config):
    values = table(questions, "predictive_information_networks")
    keys = list(zip(values["task"], values["net"], values["state"], strict=True))
    assert sorted(keys) == sorted((t, n, s) for t in TASKS for n in NETS for s in STATES)
    lag = smoke_config["questions"]["predictive_information"]["lag_ms"]
    for row in values.itertuples():
        nw = network(questions, row.task, row.net)
        points = artifacts.read_parquet(questions / row.task / row.net
                                        / f"slowpoints_{row.state}.parquet")
        arrays = artifacts.read_npz(questions / row.task / row.net
                                    / f"slowpoints_{row.state}.npz")
        autonomous = arrays["condition_autonomous"].astype(bool)
        assert row.inputs == (~autonomous).sum()
        stable = points[(((points["method"] == "exact") & (points["kind"] == "stable"))
                         | ((points["method"] == "slow") & (points["max_real_eig"] < 0)))
                        & ~autonomous[points["condition"].to_numpy(dtype=int)]]
        assert row.points == len(stable)
        # the mean over inputs of the mean over each input's stable points, from scratch
        W = nw.recurrent_weights(row.state).astype(float)
        per_point = [ou_information(W, arrays["patterns"][loc], nw.tau, lag)
                     for loc in stable["location"]]
        if not per_point:  # no stable point at any input: no value
            assert np.isnan(row.information)
            continue
        per_input = pd.Series(per_point, index=stable["condition"].to_numpy()).groupby(
            level=0).mean()
        assert row.inputs_with_points == len(per_input)
        assert row.information == pytest.approx(per_input.mean(), rel=1e-6)
        assert row.information_min <= row.information <= row.information_max
        assert row.information > 0


def test_every_claims_table_joins_the_hypotheses_table(questions):
    hypotheses = table(questions, "hypotheses")
    for name in CLAIMS_TABLES:
        claims = table(questions, name)
        assert len(claims), name
        joined = hypotheses[hypotheses["source"] == name]
        assert set(claims["key"]) <= set(joined["key"]), name
        assert set(claims["claim"]) <= set(joined["claim"]), name
    # the open questions' claims are section-6 findings, each with a verdict
    section6 = hypotheses[hypotheses["source"].isin(
        ["initialisation_claims", "predictive_information_claims", "reuse_claims"])]
    assert set(section6["key"]) >= {"init_fewer_steps", "reuse_points_same_init",
                                    "reuse_multitask", "predictive_information_consistent"}
    assert section6["section"].astype(str).str.startswith("6").all()
