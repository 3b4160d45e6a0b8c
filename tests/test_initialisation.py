"""Structured initial networks (a task's ``init`` key) and question 4's analysis.

The draws are checked against what they must be: a task without ``init`` draws bitwise
what it always drew; ``like`` draws bitwise the other task's network; a low-rank
transplant adds exactly the rank-r truncated SVD of another seed's training change; a
trained transplant starts from that network's trained W_rec. The claims are checked on
synthetic tables whose verdicts are known.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
import yaml
from snakemake.utils import validate

from rnn_hypotheses.analysis.initialisation import (
    INITIALISATION_COLUMNS,
    initialisation_claims,
    initialisation_table,
    paired_with_baseline,
    training_outcome,
)
from rnn_hypotheses.config import ConfigError, check_config
from rnn_hypotheses.network import Network
from rnn_hypotheses.pipeline import initial_network, network_config, transplant_source
from rnn_hypotheses.seeding import rng_for

from .conftest import ROOT

SCHEMA = str(ROOT / "workflow/schemas/config.schema.yaml")


def _farther_entry(smoke_config: dict) -> dict:
    """complexity.yaml's farther1 (D = 1, two inputs) at the smoke decision task's size."""
    complexity = yaml.safe_load((ROOT / "config/complexity.yaml").read_text())
    entry = dict(complexity["tasks"]["farther1"])
    entry.update(n_units=smoke_config["tasks"]["decision"]["n_units"], input_std=0.3)
    return entry


def _with_tasks(smoke_config: dict, **entries) -> dict:
    config = copy.deepcopy(smoke_config)
    config["tasks"].update(copy.deepcopy(entries))
    return config


def _decision_with(smoke_config: dict, init: dict) -> dict:
    """The smoke decision task again, with ``init``."""
    return {**smoke_config["tasks"]["decision"], "init": init}


@pytest.fixture
def transplants(smoke_config) -> dict:
    """The smoke config with a shared-draw farther task and both transplants of decision."""
    return _with_tasks(
        smoke_config,
        shared={**_farther_entry(smoke_config), "init": {"like": "decision"}},
        low_rank=_decision_with(smoke_config, {"like": "decision", "transplant": "low_rank",
                                               "source": "decision", "rank": 3}),
        trained=_decision_with(smoke_config, {"like": "decision", "transplant": "trained",
                                              "source": "decision", "source_shift": 3}),
    )


def _trained_source(config: dict, net: str) -> tuple[Network, np.ndarray]:
    """decision's network ``net`` with a known, full-rank training change dW (zero
    diagonal), as the training rule would have written it; and dW (float64)."""
    start = initial_network(config, "decision", net)
    rng = np.random.default_rng(7)
    n = start.n_units
    # a few strong directions on a weak full-rank bulk, like a trained change
    dW = (rng.normal(size=(n, 3)) * [3.0, 2.0, 1.5]) @ rng.normal(size=(3, n)) / n
    dW = (dW + 0.01 * rng.normal(size=(n, n))) * start.mask
    W = (start.W_rec_init.astype(np.float64) + dW).astype(np.float32)
    trained = start.with_weights(W)
    trained.meta.update(steps=400, stop_reason="loss_target")
    return trained, W.astype(np.float64) - start.W_rec_init.astype(np.float64)


# --- the draws -------------------------------------------------------------------------------


def test_a_task_without_init_draws_what_it_always_drew(smoke_config, transplants):
    """Bitwise the draw of rnn_hypotheses.network before ``init`` existed: W_rec, W_out, W_in,
    b from the task's own stream, in that order; the other tasks' init keys change nothing
    in its record or its draw."""
    seed = network_config(smoke_config, "decision", "net01")["seed"]
    entry = smoke_config["tasks"]["decision"]
    n, scale = entry["n_units"], smoke_config["model"]["g"] / np.sqrt(entry["n_units"])
    rng = rng_for("decision", seed, "init")
    W_rec = rng.normal(0.0, scale, (n, n)) * (1.0 - np.eye(n))
    W_out = rng.normal(0.0, scale, (1, n))
    W_in = rng.normal(0.0, entry["input_std"], (n, entry["n_inputs"]))
    b = rng.normal(0.0, entry["input_std"], n)
    for config in (smoke_config, transplants):
        net = initial_network(config, "decision", "net01")
        for name, expected in (("W_rec", W_rec), ("W_rec_init", W_rec), ("W_out", W_out),
                               ("W_in", W_in), ("b", b)):
            assert np.array_equal(getattr(net, name), expected.astype(np.float32)), name
        assert not any(key.startswith("init_") for key in net.meta)
        assert "init" not in network_config(config, "decision", "net01")
    assert network_config(smoke_config, "decision", "net01") == network_config(
        transplants, "decision", "net01")


def test_like_draws_the_other_tasks_network(transplants):
    """A farther task (two inputs, its own input_std) drawn like decision: bitwise decision's
    initial W_rec, W_in, W_out and b for the same seed, its own name in the meta."""
    for net in ("net00", "net01"):
        shared = initial_network(transplants, "shared", net)
        decision = initial_network(transplants, "decision", net)
        for name in ("W_rec_init", "W_rec", "W_in", "W_out", "b", "mask"):
            assert np.array_equal(getattr(shared, name), getattr(decision, name)), name
        assert shared.meta["task"] == "shared"
        assert shared.meta["input_std"] == transplants["tasks"]["decision"]["input_std"]
        assert (shared.meta["init_kind"], shared.meta["init_like"]) == ("like", "decision")
    # and not merely any network: another seed's differs
    assert not np.array_equal(initial_network(transplants, "shared", "net00").W_in,
                              initial_network(transplants, "decision", "net01").W_in)


def test_low_rank_transplant_adds_the_truncated_svd_of_another_seeds_change(transplants):
    """net00 takes decision net01's change (source_shift 1): W_rec_init - decision net00's
    random W_rec is, off the diagonal, exactly the rank-3 truncated SVD of that change; the
    diagonal is zero; the part has rank 3 and leaves the residual the dropped singular
    values carry (Eckart-Young); W_in, W_out and b are decision net00's."""
    record = network_config(transplants, "low_rank", "net00")["init"]
    assert (record["source"], record["source_net"], record["rank"]) == ("decision", "net01", 3)
    # the training rule's input, so that decision's networks train first
    assert (transplant_source(transplants, "low_rank", "net00")
            == "results/decision/net01/network.npz")
    assert transplant_source(transplants, "shared", "net00") is None
    assert transplant_source(transplants, "decision", "net00") is None
    source, dW = _trained_source(transplants, "net01")
    structured = initial_network(transplants, "low_rank", "net00", source)
    random = initial_network(transplants, "decision", "net00")

    U, s, Vt = np.linalg.svd(dW)
    part = (U[:, :3] * s[:3]) @ Vt[:3]
    off = ~np.eye(dW.shape[0], dtype=bool)
    added = structured.W_rec_init.astype(np.float64) - random.W_rec.astype(np.float64)
    np.testing.assert_allclose(added[off], part[off], rtol=0, atol=2e-6)
    assert np.all(np.diag(structured.W_rec_init) == 0)
    assert np.array_equal(structured.W_rec, structured.W_rec_init)
    assert np.linalg.matrix_rank(part, tol=1e-8 * s[0]) == 3
    residual = np.linalg.norm(dW - part) ** 2
    np.testing.assert_allclose(residual, np.sum(s[3:] ** 2), rtol=1e-9)
    # the share of ||dW||^2 the part holds, as its meta records
    np.testing.assert_allclose(structured.meta["init_dW_share"],
                               np.sum(s[:3] ** 2) / np.sum(s**2), rtol=1e-9)
    for name in ("W_in", "W_out", "b"):
        assert np.array_equal(getattr(structured, name), getattr(random, name)), name
    assert structured.meta["init_kind"] == "low_rank"
    assert (structured.meta["init_source_net"], structured.meta["init_rank"]) == ("net01", 3)


def test_trained_transplant_starts_from_the_sources_trained_weights(transplants):
    """source_shift 3 of 2 networks: net00 takes decision net01 ((0 + 3) mod 2)."""
    assert network_config(transplants, "trained", "net00")["init"]["source_net"] == "net01"
    source, _ = _trained_source(transplants, "net01")
    structured = initial_network(transplants, "trained", "net00", source)
    expected = source.W_rec * source.mask
    assert np.array_equal(structured.W_rec_init, expected)
    assert np.all(np.diag(structured.W_rec_init) == 0)
    random = initial_network(transplants, "decision", "net00")
    assert np.array_equal(structured.W_in, random.W_in)
    assert structured.meta["init_kind"] == "trained"


def test_a_transplant_refuses_a_missing_or_wrong_source(transplants):
    with pytest.raises(ValueError, match=r"tasks\.low_rank\.init: a low_rank transplant needs"):
        initial_network(transplants, "low_rank", "net00")
    own, _ = _trained_source(transplants, "net00")  # net00's own seed, not net01's
    with pytest.raises(ValueError, match="expected decision seed"):
        initial_network(transplants, "low_rank", "net00", own)


# --- check_config ----------------------------------------------------------------------------


def test_a_config_with_inits_is_valid(transplants):
    validate(transplants, SCHEMA)
    check_config(transplants)


@pytest.mark.parametrize("init, message", [
    ({"like": "nope"}, r"tasks\.x\.init\.like: 'nope' is not a task of this run"),
    ({"like": "x"}, r"tasks\.x\.init\.like: names the task itself"),
    ({"like": "perception"}, r"tasks\.x\.init\.like: tasks\.x\.n_units \(24\) differs"),
    ({"like": "decision", "colour": 1}, r"tasks\.x\.init\.colour: unknown key"),
    ({"transplant": "trained", "source": "decision"}, r"tasks\.x\.init\.like: missing"),
    ({"like": "decision", "source": "decision"}, r"tasks\.x\.init\.source: only with"),
    ({"like": "decision", "transplant": "sparse", "source": "decision"},
     r"tasks\.x\.init\.transplant: 'sparse'"),
    ({"like": "decision", "transplant": "trained"}, r"tasks\.x\.init\.source: missing"),
    ({"like": "decision", "transplant": "trained", "source": "nope"},
     r"tasks\.x\.init\.source: 'nope' is not a task"),
    ({"like": "decision", "transplant": "trained", "source": "low_rank"},
     r"tasks\.x\.init\.source: task low_rank is itself transplanted"),
    ({"like": "decision", "transplant": "trained", "source": "perception"},
     r"tasks\.x\.init\.source: tasks\.perception\.n_units \(16\) differs"),
    ({"like": "decision", "transplant": "low_rank", "source": "decision"},
     r"tasks\.x\.init\.rank: None"),
    ({"like": "decision", "transplant": "low_rank", "source": "decision", "rank": 25},
     r"tasks\.x\.init\.rank: 25; .* in 1\.\.24"),
    ({"like": "decision", "transplant": "trained", "source": "decision", "rank": 2},
     r"tasks\.x\.init\.rank: only with transplant: low_rank"),
    ({"like": "decision", "transplant": "trained", "source": "decision", "source_shift": 2},
     r"tasks\.x\.init\.source_shift: 2 is a multiple of networks_per_task \(2\)"),
    ({"like": "decision", "transplant": "trained", "source": "decision", "source_shift": -1},
     r"tasks\.x\.init\.source_shift: -1"),
])
def test_init_errors_name_the_key(transplants, init, message):
    config = _with_tasks(transplants, x=_decision_with(transplants, init))
    with pytest.raises(ConfigError, match=message):
        check_config(config)


def test_like_must_name_a_task_drawn_at_random(transplants):
    """`like: shared` (itself drawn like decision) is refused: name decision instead."""
    config = _with_tasks(transplants, x={**_farther_entry(transplants),
                                         "init": {"like": "shared"}})
    with pytest.raises(ConfigError, match=r"tasks\.x\.init\.like: task shared has an init"):
        check_config(config)


def test_the_schema_refuses_an_unknown_init_key(transplants):
    config = _with_tasks(transplants, x=_decision_with(transplants, {"like": "decision",
                                                                     "colour": 1}))
    with pytest.raises(Exception, match="colour"):
        validate(config, SCHEMA)


# --- question 4's table and claims -----------------------------------------------------------


def _synthetic(step_change: float, stable_change: float, n: int = 12) -> pd.DataFrame:
    """tables/initialisation for structured task ``s`` against baseline ``b``: n networks,
    the structured start taking ``step_change`` (+ net index) steps more than its pair,
    with ``stable_change`` more stable points at initialisation."""
    nets = [f"net{k:02d}" for k in range(n)]
    base_steps = 2000 + 37 * np.arange(n)
    outcomes = pd.DataFrame({
        "task": ["b"] * n + ["s"] * n, "net": nets * 2,
        "steps": np.concatenate([base_steps, base_steps + step_change + np.arange(n)]),
        "reached_loss_target": True, "final_loss": 0.01, "init_kind": ["random"] * n
        + ["low_rank"] * n, "source_task": [""] * n + ["b"] * n,
        "source_net": [""] * n + nets[1:] + nets[:1], "rank": [np.nan] * n + [2.0] * n,
    })
    performance = outcomes[["task", "net"]].assign(meets_criterion=True)
    counts = pd.concat([
        outcomes[["task", "net"]].assign(
            state=state, fixed=3.0, saddle=1.0,
            # + a spread, so that the paired differences are not all equal
            stable=np.where(outcomes["task"] == "s", 1.0 + extra, 1.0)
            + 0.05 * (np.arange(2 * n) % 5))
        for state, extra in (("untrained", stable_change), ("trained", 1.0))])
    # shuffled: the table must pair by net, not by row order
    return initialisation_table(outcomes.sample(frac=1, random_state=1), performance,
                                counts.sample(frac=1, random_state=2), {"s": "b"})


def test_initialisation_table_pairs_each_network_with_its_seed():
    table = _synthetic(-300.0, 1.0)
    assert list(table.columns) == list(INITIALISATION_COLUMNS)
    assert set(table.loc[table["task"] == "s", "baseline_task"]) == {"b"}
    assert set(table.loc[table["task"] == "b", "baseline_task"]) == {""}
    paired = paired_with_baseline(table)
    assert len(paired) == 12
    assert np.array_equal(paired["steps"] - paired["baseline_steps"], -300 + np.arange(12))
    with pytest.raises(ValueError, match="s/net03: no network net03 of its baseline task b"):
        paired_with_baseline(table[~((table["task"] == "b") & (table["net"] == "net03"))])


def test_two_structured_tasks_pair_with_one_baseline():
    # config/questions.yaml: farther2_low_rank and farther2_trained both against farther2
    table = _synthetic(-300.0, 1.0)
    second = table[table["task"] == "s"].assign(task="t", steps=lambda t: t["steps"] + 500)
    both = pd.concat([table, second], ignore_index=True)
    paired = paired_with_baseline(both)
    assert len(paired) == 24 and set(paired["task"]) == {"s", "t"}
    gap = (paired["steps"] - paired["baseline_steps"]).to_numpy()
    assert np.array_equal(np.sort(gap), np.sort(np.concatenate(
        [-300 + np.arange(12), 200 + np.arange(12)])))
    verdicts = initialisation_claims(both, n_boot=500).set_index(["task", "key"])["verdict"]
    assert verdicts[("s", "init_fewer_steps")] == "supported"
    assert verdicts[("t", "init_fewer_steps")] == "reversed"


@pytest.mark.parametrize("step_change, stable_change, steps_verdict, stable_verdict", [
    (-300.0, 1.0, "supported", "supported"),      # faster, and the structure was there
    (+300.0, -0.5, "reversed", "reversed"),       # slower, fewer stable points
])
def test_initialisation_claims_verdicts(step_change, stable_change, steps_verdict,
                                        stable_verdict):
    claims = initialisation_claims(_synthetic(step_change, stable_change), n_boot=500)
    verdicts = dict(zip(claims["key"], claims["verdict"], strict=True))
    assert verdicts == {"init_fewer_steps": steps_verdict,
                        "init_more_stable_points": stable_verdict}
    assert set(claims["task"]) == {"s"}
    steps = claims[claims["key"] == "init_fewer_steps"].iloc[0]
    assert steps["mean"] == pytest.approx(step_change + 5.5)
    assert "vs b (random start)" in steps["notes"]


def test_training_outcome_reads_the_stop():
    history = pd.DataFrame({"step": [0, 10, 20, 23], "loss": [1.0, 0.5, 0.1, 0.05]})
    reached = training_outcome({"steps": 23, "stop_reason": "loss_target", "init_kind":
                                "low_rank", "init_source": "b", "init_source_net": "net01",
                                "init_rank": 2}, history.sample(frac=1, random_state=0))
    assert reached == {"steps": 23, "reached_loss_target": True, "final_loss": 0.05,
                       "init_kind": "low_rank", "source_task": "b", "source_net": "net01",
                       "rank": 2.0}
    stopped = training_outcome({"steps": 23, "stop_reason": "max_steps"}, history)
    assert (stopped["reached_loss_target"], stopped["init_kind"]) == (False, "random")
    assert np.isnan(stopped["rank"])
