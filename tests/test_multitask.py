"""The multitask kind: one network, several configured tasks, a one-hot context input.

Built over the recommended distance (D = 2) and farther (D = 1) entries of
tests/config/task_kinds.yaml: both have two inputs, as distance2 and farther1 of
config/complexity.yaml, which question 1 combines.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from rnn_hypotheses.evaluate import evaluate
from rnn_hypotheses.network import Network
from rnn_hypotheses.tasks import KINDS, TaskConfigError, make_task, resolve_subtasks
from rnn_hypotheses.tasks.multitask import context_one_hot

ROOT = Path(__file__).resolve().parents[1]
DT = 10.0
MULTITASK = {"kind": "multitask", "tasks": ["dist", "far"], "n_units": 32, "n_inputs": 4,
             "input_std": 0.5, "trial_ms": 400, "settle_ms": 100, "input_noise_std": 0.02,
             "loss_target": 0.008}


@pytest.fixture(scope="module")
def config() -> dict:
    """A config with the two subtasks and the multitask over them, resolved."""
    kinds = yaml.safe_load((ROOT / "tests/config/task_kinds.yaml").read_text())
    far = dict(kinds["farther"], n_inputs=2, test_grid=5, simulation_grid=3)
    dist = dict(kinds["distance"], test_points=5, simulation_points=3)
    config = {"tasks": {"dist": dist, "far": far, "mt": copy.deepcopy(MULTITASK)}}
    resolve_subtasks(config)
    return config


@pytest.fixture(scope="module")
def task(config):
    task = make_task("mt", config["tasks"]["mt"])
    task.check()
    return task


def changed(config, **changes):
    """A copy of the config whose multitask entry has some keys changed."""
    config = copy.deepcopy(config)
    config["tasks"]["mt"].update(changes)
    return config


# ----------------------------------------------------------------------------- config


def test_resolution_copies_the_named_entries_and_the_schema_accepts_them(config):
    import jsonschema

    entry = config["tasks"]["mt"]
    assert entry["subtasks"] == {"dist": config["tasks"]["dist"], "far": config["tasks"]["far"]}
    jsonschema.validate(entry, KINDS["multitask"].schema())
    # a resolved entry keeps its copies when the named tasks are gone (run_tasks left them
    # out, or a variant's config was copied after resolution)
    alone = {"tasks": {"mt": copy.deepcopy(entry)}}
    resolve_subtasks(alone)
    assert alone["tasks"]["mt"]["subtasks"] == entry["subtasks"]


def test_errors_name_the_key(config):
    unknown = {"tasks": {"dist": config["tasks"]["dist"],
                         "mt": dict(MULTITASK, tasks=["dist", "nowhere"])}}
    with pytest.raises(TaskConfigError, match=r"tasks\.mt\.tasks: 'nowhere' is not a task"):
        resolve_subtasks(unknown)
    unresolved = dict(MULTITASK)
    with pytest.raises(TaskConfigError, match=r"tasks\.mt\.subtasks: no entry for dist, far"):
        make_task("mt", unresolved).check()
    with pytest.raises(TaskConfigError, match=r"tasks\.mt\.n_inputs \(5\) must be .* 2 shared "
                                              r"inputs plus 2 context units: 4"):
        make_task("mt", changed(config, n_inputs=5)["tasks"]["mt"]).check()
    wider = changed(config)
    wider["tasks"]["mt"]["subtasks"]["far"]["n_inputs"] = 4
    with pytest.raises(TaskConfigError, match=r"tasks\.mt\.tasks: .* same n_inputs; got dist 2, "
                                              r"far 4"):
        make_task("mt", wider["tasks"]["mt"]).check()
    fewer = changed(config)
    fewer["tasks"]["mt"]["subtasks"]["far"]["n_fixed_point_inputs"] = 5
    with pytest.raises(TaskConfigError, match=r"tasks\.mt\.tasks: .* got dist 8, far 5"):
        make_task("mt", fewer["tasks"]["mt"]).check()
    invalid = changed(config)
    del invalid["tasks"]["mt"]["subtasks"]["far"]["test_grid"]
    with pytest.raises(TaskConfigError, match=r"tasks\.mt\.tasks: the entry of 'far' is invalid"):
        make_task("mt", invalid["tasks"]["mt"]).check()
    nested = changed(config)
    nested["tasks"]["mt"]["subtasks"]["far"] = copy.deepcopy(config["tasks"]["mt"])
    with pytest.raises(TaskConfigError, match=r"tasks\.mt\.tasks: 'far' is itself a multitask"):
        make_task("mt", nested["tasks"]["mt"]).check()


def test_the_multitask_keys_replace_the_subtasks(task):
    for sub in task.subtasks:
        for key in ("n_units", "trial_ms", "settle_ms", "input_noise_std"):
            assert sub.config[key] == MULTITASK[key]
    assert [s.name for s in task.subtasks] == ["dist", "far"]
    assert (task.n_shared_inputs, task.n_contexts) == (2, 2)


# ----------------------------------------------------------------------------- trials


def test_hand_picked_trials_have_their_subtasks_inputs_and_targets(task):
    """distance maps |x| in [0.2, 1] onto [0.8, 0.5]; farther's output is 1 when |b| > |a|."""
    conditions = np.array([[0.6, 0.8, 1, 0],    # |x| = 1.0 -> 0.5
                           [0.3, 0.4, 1, 0],    # |x| = 0.5 -> 0.8 - 0.3 * 0.375 = 0.6875
                           [0.3, 0.5, 0, 1],    # |b| > |a| -> 1
                           [0.5, 0.3, 0, 1]])   # |a| > |b| -> 0
    batch = task.trials(conditions, dt=DT, rng=None)
    T = int(MULTITASK["trial_ms"] / DT)
    assert batch.inputs.shape == (T, 4, 4) and batch.targets.shape == (T, 4, 1)
    np.testing.assert_allclose(batch.inputs, np.broadcast_to(conditions, (T, 4, 4)), atol=1e-7)
    np.testing.assert_allclose(batch.targets[:, :, 0],
                               np.broadcast_to([0.5, 0.6875, 1.0, 0.0], (T, 4)), atol=1e-6)
    assert batch.loss_mask[:10].sum() == 0 and batch.loss_mask[10:].all()
    # the same trials of the subtasks alone have the same targets
    for j, sub in enumerate(task.subtasks):
        rows = slice(2 * j, 2 * j + 2)
        alone = sub.trials(conditions[rows, :2], dt=DT, rng=None)
        np.testing.assert_array_equal(batch.targets[:, rows], alone.targets)


def test_training_batches_are_seeded_and_every_context_is_one_hot(task):
    first = task.training_batch(np.random.default_rng(7), 256, dt=DT)
    again = task.training_batch(np.random.default_rng(7), 256, dt=DT)
    other = task.training_batch(np.random.default_rng(8), 256, dt=DT)
    np.testing.assert_array_equal(first.inputs, again.inputs)
    np.testing.assert_array_equal(first.targets, again.targets)
    assert not np.array_equal(first.conditions, other.conditions)
    context = first.conditions[:, 2:]
    assert set(np.unique(context)) == {0.0, 1.0}
    np.testing.assert_array_equal(context.sum(axis=1), 1.0)
    chosen = task.context_of(first.conditions)
    np.testing.assert_array_equal(chosen, context.argmax(axis=1))
    # each subtask drawn about half the time (binomial sd 8 of 256)
    assert 96 < (chosen == 0).sum() < 160
    # input noise on every unit, context units included (as Yang et al. 2019)
    noise = first.inputs - first.conditions[None].astype(np.float32)
    assert 0.015 < noise[..., 2:].std() < 0.025
    # each trial's condition and target are its subtask's
    dist = first.conditions[chosen == 0, :2]
    norms = np.linalg.norm(dist, axis=1)
    assert np.all((norms >= 0.2 - 1e-12) & (norms <= 1.0 + 1e-12)) and np.all(dist >= 0)
    np.testing.assert_allclose(first.targets[-1, chosen == 0, 0],
                               task.subtasks[0].targets(dist)[:, 0], rtol=1e-6)
    far = first.conditions[chosen == 1, :2]
    np.testing.assert_array_equal(first.targets[-1, chosen == 1, 0],
                                  (far[:, 1] > far[:, 0]).astype(np.float32))


def test_context_one_hot():
    np.testing.assert_array_equal(context_one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])


# ----------------------------------------------------------------------------- stages


def test_every_stage_delegates_to_the_subtasks_under_their_contexts(task):
    dist, far = task.subtasks
    for method in ("evaluation_conditions", "held_conditions"):
        got = getattr(task, method)()
        mine, theirs = getattr(dist, method)(), getattr(far, method)()
        np.testing.assert_array_equal(got[:len(mine), :2], mine)
        np.testing.assert_array_equal(got[len(mine):, :2], theirs)
        np.testing.assert_array_equal(task.context_of(got),
                                      np.repeat([0, 1], [len(mine), len(theirs)]))
    points = np.array(task.fixed_point_inputs())
    assert points.shape == (16, 4)
    np.testing.assert_array_equal(points[:8], task.with_context(dist.fixed_point_inputs(), 0))
    np.testing.assert_array_equal(points[8:], task.with_context(far.fixed_point_inputs(), 1))
    # the kind's value (figures) is the context unit; the instance's, the subtask's own
    np.testing.assert_array_equal(KINDS["multitask"].condition_value(points),
                                  np.repeat([3.0, 4.0], 8))
    assert np.isnan(KINDS["multitask"].condition_value(np.zeros((1, 4))))[0]
    np.testing.assert_allclose(task.subtask_condition_value(points),
                               np.concatenate([dist.condition_value(points[:8, :2]),
                                               far.condition_value(points[8:, :2])]))
    # Figure 10's groups: the first context's held trials against the other's
    held = task.held_conditions()
    groups = task.condition_groups(held, np.ones(len(held), bool))
    assert [label for label, _ in groups] == ["context dist", "context far"]
    np.testing.assert_array_equal(groups[0][1], np.arange(3))
    np.testing.assert_array_equal(groups[1][1], np.arange(3, 12))
    # the analysis simulation: held trials, then distance's switching trials in context 0
    sim = task.simulation_trials({"duration_ms": 200, "trials_per_condition": 1}, dt=DT,
                                 rng=None)
    assert sim.inputs.shape == (20, 12 + 2, 4)
    assert list(sim.trial_kind[-2:]) == ["switching", "switching"]
    np.testing.assert_array_equal(sim.inputs[:, 12:, 2:], np.broadcast_to([1.0, 0.0], (20, 2, 2)))


def _perfect_tables(task):
    """Evaluation tables whose outputs equal the targets at every step."""
    levels = task.evaluation_conditions()
    T = int(MULTITASK["trial_ms"] / DT)
    target = task.trials(levels, dt=DT, rng=None).targets[0, :, 0].astype(float)
    frame = pd.DataFrame({f"input{i + 1}": levels[:, i] for i in range(4)})
    frame["target"] = target
    frame["mean_output"] = target
    frame["error"] = 0.0
    for name, values in task.evaluation_columns(levels, np.repeat(target[:, None], 3, 1),
                                                target).items():
        frame[name] = values
    trace = pd.DataFrame({"condition": np.repeat(np.arange(len(levels)), T),
                          "time_ms": np.tile(DT * np.arange(1, T + 1), len(levels)),
                          "output": np.repeat(target, T), "target": np.repeat(target, T)})
    for i in range(4):
        trace[f"input{i + 1}"] = np.repeat(levels[:, i], T)
    return frame, trace


def test_the_criterion_is_every_subtasks_criterion(task):
    frame, trace = _perfect_tables(task)
    assert set(frame["context"]) == {0, 1}
    assert frame.loc[frame["context"] == 0, "difference"].isna().all()
    assert frame.loc[frame["context"] == 1, "norm"].isna().all()
    summary = task.score(frame, trace)
    assert summary["meets_criterion"] and summary["error"] == 0.0
    assert summary["sign_accuracy"] == 1.0
    assert summary["subtask_scores"].startswith("dist: met")
    # farther's answers flipped: distance still meets its criterion, the network does not
    far = frame["context"] == 1
    flipped = frame.copy()
    flipped.loc[far, "accuracy"] = 0.0
    summary = task.score(flipped, trace)
    assert not summary["meets_criterion"] and summary["sign_accuracy"] == 0.0
    assert "dist: met" in summary["subtask_scores"] and "far: missed" in summary["subtask_scores"]
    # distance's output off by 0.1 in the second half: distance misses (tolerance 0.03)
    late = trace["condition"].isin(np.flatnonzero(~far)) & (trace["time_ms"] > 200)
    shifted = trace.copy()
    shifted.loc[late, "output"] += 0.1
    summary = task.score(frame, shifted)
    assert not summary["meets_criterion"] and "dist: missed (error 0.1" in summary["subtask_scores"]


def test_evaluate_runs_the_multitask_through_the_shared_evaluation(task):
    """A silent network (zero readout): every output 0, so distance misses its targets and
    farther is right exactly where |b| > |a| fails (its low target)."""
    n = 4
    net = Network(np.zeros((n, 4)), np.zeros((1, n)), np.zeros(n), np.zeros((n, n)),
                  np.zeros((n, n)), 1 - np.eye(n), DT, 100.0, 0.0, {"seed": 0})
    frame, trace = evaluate(task, net, n_trials=2)
    assert len(frame) == len(task.evaluation_conditions()) == 5 + 25
    np.testing.assert_array_equal(frame["context"], np.repeat([0, 1], [5, 25]))
    far = frame[frame["context"] == 1]
    np.testing.assert_array_equal(far["accuracy"], (far["difference"] >= 0).astype(float))
    summary = task.score(frame, trace)
    assert not summary["meets_criterion"]
    assert "dist: missed" in summary["subtask_scores"]
