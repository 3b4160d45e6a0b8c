"""The task kinds of the report's future work (section 6): distance, farther, frequency,
frequency_comparison and sine_generator.

Their recommended entries live in tests/config/task_kinds.yaml; each test takes an entry
from there and changes only what it is about.
"""

from __future__ import annotations

import copy
from pathlib import Path

import jsonschema
import numpy as np
import pandas as pd
import pytest
import yaml

from rnn_hypotheses.evaluate import evaluate
from rnn_hypotheses.network import Network
from rnn_hypotheses.seeding import rng_for
from rnn_hypotheses.tasks import KINDS, TaskConfigError, make_task, stage_entry
from rnn_hypotheses.tasks.shared import lower_and_upper_halves
from rnn_hypotheses.tasks.sine_generator import dominant_frequency_hz, oscillation_errors

ROOT = Path(__file__).resolve().parents[1]
NEW_KINDS = ("distance", "farther", "frequency", "frequency_comparison", "sine_generator")
SIMULATION = {"duration_ms": 600, "baseline_ms": 100, "trials_per_condition": 2}


@pytest.fixture(scope="module")
def entries() -> dict:
    return yaml.safe_load((ROOT / "tests/config/task_kinds.yaml").read_text())


def task_of(entries, kind, name=None, **changes):
    """The recommended entry of ``kind`` with some keys changed, as a task named ``name``."""
    return make_task(name or kind, dict(copy.deepcopy(entries[kind]), **changes))


def sized(entries, kind, dim, **changes):
    """A distance or farther task in ``dim`` dimensions."""
    n_inputs = 2 * dim if kind == "farther" else dim
    return task_of(entries, kind, f"{kind}_d{dim}", n_inputs=n_inputs, **changes)


# ----------------------------------------------------------------------------- entries


def test_each_recommended_entry_is_valid_for_its_kind(entries):
    assert set(entries) == set(NEW_KINDS)
    for kind in NEW_KINDS:
        cls = KINDS[kind]
        assert cls.kind == kind
        assert cls.condition_scale in ("categorical", "diverging")
        assert cls.performance_view in ("over_time", "by_condition")
        assert cls.latent_view in ("isocontours", "switching", None)
        schema = cls.schema()
        assert set(schema["required"]) <= set(schema["properties"])
        # the stage-only keys are keys of the kind, so stage_entry leaves them out
        assert set(cls.simulation_keys + cls.fixed_point_keys) <= set(cls.required)
        jsonschema.Draft202012Validator(schema).validate(entries[kind])
        make_task(kind, entries[kind]).check()
        # the docstring's recommended entry is the fixture's
        assert entries[kind]["loss_target"] == _docstring_entry(cls)["loss_target"]


def _docstring_entry(cls) -> dict:
    text = cls.__doc__.split("::", 1)[1]
    return next(iter(yaml.safe_load(text).values()))


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_the_docstring_recommends_the_fixture_entry(entries, kind):
    assert _docstring_entry(KINDS[kind]) == entries[kind]


@pytest.mark.parametrize(("kind", "change", "message"), [
    ("distance", {"n_inputs": 0}, "0 is less than the minimum of 1"),
    ("distance", {"input_range": [-0.1, 1.0]}, "-0.1 is less than the minimum of 0"),
    ("farther", {"n_inputs": 3}, "3 is not a multiple of 2"),
    ("frequency", {"n_inputs": 2}, "1 was expected"),
    ("frequency", {"freq_range_hz": [0.0, 2.0]}, "less than or equal to the minimum of 0"),
    ("frequency_comparison", {"fixed_point_inputs": [[0.1, 0.2]]},
     "'fixed_point_inputs' was unexpected"),
    ("sine_generator", {"max_nmse": 0}, "less than or equal to the minimum of 0"),
])
def test_the_schema_refuses_bad_values(entries, kind, change, message):
    entry = dict(entries[kind], **change)
    errors = [e.message for e in jsonschema.Draft202012Validator(KINDS[kind].schema())
              .iter_errors(entry)]
    assert any(message in e for e in errors), errors


@pytest.mark.parametrize(("kind", "change", "key"), [
    ("distance", {"input_range": [1.0, 0.2]}, "input_range"),
    ("distance", {"output_range": [0.5, 0.5]}, "output_range"),
    ("farther", {"input_range": [0.5, 0.5]}, "input_range"),
    ("farther", {"min_test_difference": 0.9}, "min_test_difference"),
    ("frequency", {"freq_range_hz": [3.0, 1.0]}, "freq_range_hz"),
    ("frequency", {"settle_ms": 400}, "settle_ms"),          # under half a period of 1 Hz
    ("frequency", {"settle_ms": 1100, "trial_ms": 2000}, "settle_ms"),  # past the middle
    ("frequency", {"output_range": [0.6, 0.6]}, "output_range"),
    # a frequency of 0.4 Hz is simulated and 0.4 is a constant input analysed
    ("frequency", {"freq_range_hz": [0.1, 0.4], "simulation_frequencies": 4,
                   "input_amplitude": 1.0, "settle_ms": 5000, "trial_ms": 10000},
     "n_fixed_point_inputs"),
    ("frequency_comparison", {"min_test_difference": 2.5}, "min_test_difference"),
    ("frequency_comparison", {"settle_ms": 300}, "settle_ms"),
    ("sine_generator", {"trial_ms": 2000, "settle_ms": 200}, "trial_ms"),
    ("sine_generator", {"freq_range_hz": [1.5, 0.5]}, "freq_range_hz"),
])
def test_check_names_the_key(entries, kind, change, key):
    task = task_of(entries, kind, name="probe", **change)
    with pytest.raises(TaskConfigError, match=rf"tasks\.probe\.{key}"):
        task.check()


# ----------------------------------------------------------------------------- targets


def test_distance_targets(entries):
    identity = sized(entries, "distance", 2, input_range=[0.0, 10.0], output_range=[0.0, 10.0])
    trials = identity.trials(np.array([[3.0, 4.0], [0.0, 1.0]]), dt=10, rng=None)
    np.testing.assert_allclose(trials.targets[:, :, 0], np.broadcast_to([5.0, 1.0], (100, 2)))
    np.testing.assert_allclose(identity.condition_value(np.array([[3.0, 4.0]])), [5.0])
    # the recommended map: |x| = 0.2 -> 0.8, 1.0 -> 0.5, affine in between, any direction
    task = sized(entries, "distance", 3)
    x = np.array([[0.2, 0, 0], [0, 0, 1.0], [0.6 / np.sqrt(3)] * 3])
    np.testing.assert_allclose(task.targets(x)[:, 0], [0.8, 0.5, 0.65])


def test_distance_training_points_lie_in_range_on_the_positive_orthant(entries):
    for dim in (1, 2, 5):
        batch = sized(entries, "distance", dim).training_batch(rng_for("d", 0, "batch", 0),
                                                               256, dt=10)
        norms = np.linalg.norm(batch.conditions, axis=1)
        assert batch.conditions.shape == (256, dim) and batch.conditions.min() >= 0
        assert norms.min() >= 0.2 and norms.max() <= 1.0 and np.ptp(norms) > 0.7
        np.testing.assert_allclose(batch.targets[0, :, 0], 0.8 - 0.375 * (norms - 0.2),
                                   rtol=1e-6)
        assert batch.loss_mask[:20].sum() == 0 and batch.loss_mask[20:].min() == 1


def test_farther_targets(entries):
    task = sized(entries, "farther", 2)
    pairs = np.array([[1, 0, 0, 2],      # |a| = 1 < |b| = 2: high
                      [0, 2, 1, 0],      # |a| = 2 > |b| = 1: low
                      [3, 4, 0, 5.1],    # 5 < 5.1: high, though b's first coordinate is 0
                      [0.6, 0.8, 1, 0]])  # equal distances: low
    np.testing.assert_array_equal(task.targets(pairs)[:, 0], [1.0, 0.0, 1.0, 0.0])
    np.testing.assert_allclose(task.condition_value(pairs), [-1, 1, -0.1, 0], atol=1e-12)
    # a 1-D pair reads as decision's inputs
    one = sized(entries, "farther", 1)
    np.testing.assert_array_equal(one.targets(np.array([[0.3, 0.9], [0.9, 0.3]]))[:, 0],
                                  [1.0, 0.0])
    np.testing.assert_allclose(one.condition_value(np.array([[0.3, 0.9]])), [-0.6])


def test_frequency_targets_and_inputs(entries):
    task = task_of(entries, "frequency")
    f = np.array([[1.0], [2.0], [3.0]])
    trials = task.trials(f, dt=10, rng=None)
    # f maps affinely from [1, 3] Hz onto [0.5, 0.8], for the whole trial
    np.testing.assert_allclose(trials.targets[:, :, 0], np.broadcast_to([0.5, 0.65, 0.8],
                                                                        (200, 3)), rtol=1e-6)
    # the input is a sine of the trial's frequency: at 1 Hz, peak at t = 250 ms (step 25),
    # zero at t = 500 ms, trough at 750 ms
    amplitude = entries["frequency"]["input_amplitude"]
    np.testing.assert_allclose(trials.inputs[[24, 49, 74], 0, 0], [amplitude, 0, -amplitude],
                               atol=1e-6)
    # a quarter period of 2 Hz is 125 ms, between steps: the largest values are at 120 and
    # 130 ms, just under the amplitude
    assert trials.inputs[:, 1, 0].max() == pytest.approx(amplitude * np.cos(2 * np.pi * 0.01),
                                                         rel=1e-6)
    assert trials.loss_mask[:100].sum() == 0 and trials.loss_mask[100:].min() == 1
    np.testing.assert_array_equal(trials.conditions, f)


def test_frequency_comparison_targets_and_inputs(entries):
    task = task_of(entries, "frequency_comparison")
    pairs = np.array([[1.0, 2.0], [2.0, 1.0], [1.5, 1.5]])
    trials = task.trials(pairs, dt=10, rng=None)
    np.testing.assert_array_equal(trials.targets[-1, :, 0], [1.0, 0.0, 0.0])
    # each input is the sine of its own frequency
    np.testing.assert_allclose(trials.inputs[24, 0], [0.5, 0.0], atol=1e-6)  # t = 250 ms
    np.testing.assert_allclose(trials.inputs[24, 1], [0.0, 0.5], atol=1e-6)
    np.testing.assert_allclose(trials.inputs[:, 2, 0], trials.inputs[:, 2, 1])
    np.testing.assert_allclose(task.condition_value(pairs), [-1.0, 1.0, 0.0])


def test_sine_generator_targets(entries):
    task = task_of(entries, "sine_generator")
    amplitude = entries["sine_generator"]["output_amplitude"]
    levels = np.array([[0.5], [1.0]])
    trials = task.trials(levels, dt=10, rng=None)
    # the input is the level, held; the target is amplitude sin(2 pi f t) with f = level Hz
    np.testing.assert_array_equal(trials.inputs[:, :, 0],
                                  np.broadcast_to([0.5, 1.0], trials.inputs.shape[:2]))
    # peak at t = 1 / (4 f): 500 ms (step 50) at 0.5 Hz, 250 ms (step 25) at 1 Hz
    assert trials.targets[49, 0, 0] == pytest.approx(amplitude)
    assert trials.targets[24, 1, 0] == pytest.approx(amplitude)
    assert trials.targets[49, 1, 0] == pytest.approx(0.0, abs=1e-6)  # half a period of 1 Hz
    assert trials.targets[:, 0, 0].max() == pytest.approx(amplitude)
    np.testing.assert_allclose(task.condition_value(levels), [0.5, 1.0])
    with pytest.raises(NotImplementedError, match="target_sequences"):
        task.targets(levels)


# ----------------------------------------------------------------------------- batches


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_training_batches_are_a_pure_function_of_their_seed(entries, kind):
    task = task_of(entries, kind)
    first = task.training_batch(rng_for(kind, 4, "batch", 7), 16, dt=10)
    again = task.training_batch(rng_for(kind, 4, "batch", 7), 16, dt=10)
    other = task.training_batch(rng_for(kind, 4, "batch", 8), 16, dt=10)
    for field in ("inputs", "targets", "loss_mask", "conditions"):
        np.testing.assert_array_equal(getattr(first, field), getattr(again, field))
    assert not np.array_equal(first.inputs, other.inputs)
    assert not np.array_equal(first.conditions, other.conditions)
    assert first.inputs.dtype == np.float32 and first.targets.dtype == np.float32
    assert first.inputs.shape[1:] == (16, task.n_inputs) and first.targets.shape[1:] == (16, 1)


# ----------------------------------------------------------------------------- farther, D = 1


@pytest.fixture()
def decision_and_farther(full_config):
    """The report's decision task and a farther task with its keys at D = 1."""
    entry = copy.deepcopy(full_config["tasks"]["decision"])
    decision = make_task("decision", entry)
    farther_entry = {k: v for k, v in entry.items() if k != "fixed_point_inputs"}
    farther_entry.update(kind="farther", n_fixed_point_inputs=5, point_seed=0)
    return decision, make_task("decision", farther_entry)


def test_farther_in_one_dimension_is_the_decision_task(decision_and_farther):
    decision, farther = decision_and_farther
    farther.check()
    for step in range(3):
        want = decision.training_batch(rng_for("decision", 0, "batch", step), 32, dt=10)
        got = farther.training_batch(rng_for("decision", 0, "batch", step), 32, dt=10)
        for field in ("inputs", "targets", "loss_mask", "conditions"):
            np.testing.assert_array_equal(getattr(got, field), getattr(want, field))
    np.testing.assert_array_equal(farther.evaluation_conditions(),
                                  decision.evaluation_conditions())
    np.testing.assert_array_equal(farther.held_conditions(), decision.held_conditions())
    grid = decision.evaluation_conditions()
    np.testing.assert_array_equal(farther.targets(grid), decision.targets(grid))
    np.testing.assert_array_equal(farther.condition_value(grid), decision.condition_value(grid))
    per_trial = np.random.default_rng(0).uniform(0, 1, (len(grid), 4))
    target = decision.targets(grid)[:, 0]
    want = decision.evaluation_columns(grid, per_trial, target)
    got = farther.evaluation_columns(grid, per_trial, target)
    assert want.keys() == got.keys()
    for column in want:
        np.testing.assert_array_equal(got[column], want[column])
    frame = pd.DataFrame({"mean_output": per_trial.mean(axis=1), "target": target, **want})
    assert farther.score(frame, pd.DataFrame()) == decision.score(frame, pd.DataFrame())
    sim = {"duration_ms": 300, "trials_per_condition": 2}
    trials = decision.simulation_trials(sim, dt=10, rng=None)
    held = trials.trial_kind == "held"
    for (_, want_idx), (_, got_idx) in zip(decision.condition_groups(trials.conditions, held),
                                           farther.condition_groups(trials.conditions, held),
                                           strict=True):
        np.testing.assert_array_equal(got_idx, want_idx)


# ----------------------------------------------------------------------------- fixed points


@pytest.mark.parametrize("kind", ["distance", "farther"])
def test_fixed_point_inputs_have_one_count_for_every_dimension(entries, kind):
    count = entries[kind]["n_fixed_point_inputs"]
    radii = []
    for dim in (1, 2, 3, 4):
        task = sized(entries, kind, dim)
        inputs = task.fixed_point_inputs()
        assert len(inputs) == count
        assert all(u.shape == (task.n_inputs,) and u.min() >= 0 for u in inputs)
        points = 2 if kind == "farther" else 1
        radii.append(np.linalg.norm(np.reshape(inputs, (count, points, dim)), axis=-1))
    # the same distances from the origin in every dimension, only the directions differ
    for other in radii[1:]:
        np.testing.assert_allclose(other, radii[0], rtol=1e-12)


def test_the_swept_kinds_name_their_family_and_dimension(entries, full_config):
    assert sized(entries, "distance", 3).complexity == ("distance", 3)
    assert sized(entries, "farther", 3).complexity == ("farther", 3)
    for kind in ("frequency", "frequency_comparison", "sine_generator"):
        assert task_of(entries, kind).complexity is None
    assert make_task("decision", full_config["tasks"]["decision"]).complexity is None


@pytest.mark.parametrize("kind", ["distance", "farther"])
def test_seeded_point_sets_depend_on_the_entry_not_the_name(entries, kind):
    one = sized(entries, kind, 3)
    renamed = make_task("another_name", one.config)
    reseeded = sized(entries, kind, 3, point_seed=1)
    for method in ("fixed_point_inputs", "evaluation_conditions", "held_conditions"):
        mine = np.asarray(getattr(one, method)())
        np.testing.assert_array_equal(np.asarray(getattr(renamed, method)()), mine)
        assert not np.array_equal(np.asarray(getattr(reseeded, method)()), mine)


def test_fixed_point_inputs_of_the_sine_kinds_are_constant_levels(entries):
    frequency = task_of(entries, "frequency")
    np.testing.assert_allclose(np.ravel(frequency.fixed_point_inputs()),
                               [-0.4, -0.2, 0.0, 0.2, 0.4], atol=1e-12)
    comparison = task_of(entries, "frequency_comparison")
    pairs = np.asarray(comparison.fixed_point_inputs())
    assert pairs.shape == (9, 2)
    np.testing.assert_allclose(np.unique(pairs), [-1 / 3, 0, 1 / 3], atol=1e-12)
    generator = task_of(entries, "sine_generator")
    np.testing.assert_allclose(np.ravel(generator.fixed_point_inputs()),
                               np.ravel(generator.held_conditions()))


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_each_stage_entry_holds_what_its_stage_reads(entries, kind):
    """A rule passes only its stage's part of the entry (stage_entry): training and
    evaluation must not need the simulation's or the fixed-point analysis's keys."""
    training = make_task(kind, stage_entry(entries[kind], "training"))
    assert not set(training.config) & set(KINDS[kind].simulation_keys
                                          + KINDS[kind].fixed_point_keys)
    training.training_batch(rng_for(kind, 0, "batch", 0), 2, dt=10)
    levels = training.evaluation_conditions()
    training.trials(levels, dt=10, rng=None)
    simulation = make_task(kind, stage_entry(entries[kind], "simulation"))
    trials = simulation.simulation_trials(SIMULATION, dt=10, rng=None)
    training.condition_groups(trials.conditions, trials.trial_kind == "held")
    fixed_points = make_task(kind, stage_entry(entries[kind], "fixed_points"))
    assert len(fixed_points.fixed_point_inputs()) >= 1


# ----------------------------------------------------------------------------- simulations


def test_sine_kinds_simulate_sines_of_their_held_frequencies(entries):
    task = task_of(entries, "frequency", input_noise_std=0.0)
    trials = task.simulation_trials(SIMULATION, dt=10, rng=None)
    held = task.held_conditions()
    assert trials.inputs.shape == (70, 2 * len(held), 1)
    np.testing.assert_array_equal(trials.conditions, np.repeat(held, 2, axis=0))
    assert (trials.trial_kind == "held").all()
    assert not trials.inputs[:10].any()  # the baseline at u = 0
    t_s = 0.01 * np.arange(1, 61)
    np.testing.assert_allclose(trials.inputs[10:, 0, 0], 0.5 * np.sin(2 * np.pi * 1.0 * t_s),
                               atol=1e-6)
    np.testing.assert_allclose(trials.inputs[10:, -1, 0], 0.5 * np.sin(2 * np.pi * 3.0 * t_s),
                               atol=1e-6)


def test_distance_switches_between_its_nearest_and_farthest_held_point(entries):
    task = sized(entries, "distance", 3, input_noise_std=0.0)
    trials = task.simulation_trials(SIMULATION, dt=10, rng=None)
    held = task.held_conditions()
    switching = trials.trial_kind == "switching"
    assert switching.sum() == 2 and np.isnan(trials.conditions[switching]).all()
    one = trials.inputs[10:, np.flatnonzero(switching)[0]]
    np.testing.assert_allclose(one[:50], np.broadcast_to(held[0], (50, 3)), rtol=1e-6)
    np.testing.assert_allclose(one[50:], np.broadcast_to(held[-1], (10, 3)), rtol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(held, axis=1), np.linspace(0.2, 1.0, 5))


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_two_condition_groups_of_held_trials(entries, kind):
    task = sized(entries, kind, 2) if kind in ("distance", "farther") else task_of(entries, kind)
    trials = task.simulation_trials(SIMULATION, dt=10, rng=None)
    held = trials.trial_kind == "held"
    groups = task.condition_groups(trials.conditions, held)
    assert len(groups) == 2
    (_, first), (_, second) = groups
    assert len(first) and len(second) and not set(first) & set(second)
    assert held[first].all() and held[second].all()
    value = task.condition_value(trials.conditions)
    assert value[first].max() < value[second].min() or value[first].min() > value[second].max()
    assert task.n_simulation_trials(SIMULATION) == trials.inputs.shape[1]


def test_halves_leave_out_the_middle_value():
    values = np.array([1.0, 1.0, 2.0, 3.0, 4.0, 5.0, np.nan])
    held = np.array([True, True, True, True, True, False, False])
    (low_label, low), (high_label, high) = lower_and_upper_halves(values, held, "f")
    np.testing.assert_array_equal(low, [0, 1, 2])
    np.testing.assert_array_equal(high, [3, 4])
    assert low_label == "f <= 2" and high_label == "f >= 3"
    with pytest.raises(ValueError, match="two values"):
        lower_and_upper_halves(values, np.arange(7) < 2, "f")


# ----------------------------------------------------------------------------- scores


def test_dominant_frequency_of_a_short_window():
    t_ms = np.arange(10, 1310, 10.0)  # 1.3 periods of 1 Hz
    signal = 0.4 * np.sin(2 * np.pi * 1.0 * t_ms / 1000 + 0.3) + 0.1
    candidates = np.arange(0.25, 3.0, 0.005)
    assert dominant_frequency_hz(t_ms, signal, candidates) == pytest.approx(1.0, abs=0.006)


def _sine_trace(frequencies_hz, output_hz, amplitude=0.5, trial_ms=2200):
    t = np.arange(10, trial_ms + 1, 10.0)
    parts = [pd.DataFrame({"condition": k, "time_ms": t, "input1": f,
                           "target": amplitude * np.sin(2 * np.pi * f * t / 1000),
                           "output": amplitude * np.sin(2 * np.pi * g * t / 1000)})
             for k, (f, g) in enumerate(zip(frequencies_hz, output_hz, strict=True))]
    return pd.concat(parts, ignore_index=True)


def test_sine_generator_score(entries):
    task = task_of(entries, "sine_generator")
    asked = [0.5, 1.0, 1.5]
    perfect = task.score(pd.DataFrame(), _sine_trace(asked, asked))
    assert perfect["error"] == pytest.approx(0.0, abs=1e-12) and perfect["meets_criterion"]
    errors = oscillation_errors(_sine_trace(asked, [0.5, 1.2, 1.5]), 200.0, (0.5, 1.5))
    np.testing.assert_allclose(errors["output_frequency_hz"], [0.5, 1.2, 1.5], atol=0.006)
    np.testing.assert_allclose(errors["frequency_error"], [0, 0.2, 0], atol=0.01)
    assert errors["nmse"].iloc[1] > 0.5 and errors["nmse"].iloc[[0, 2]].max() < 1e-12
    assert not task.score(pd.DataFrame(), _sine_trace(asked, [0.5, 1.2, 1.5]))["meets_criterion"]
    # the right frequency at a third of the amplitude: in frequency, but not in NMSE
    trace = _sine_trace(asked, asked)
    trace["output"] /= 3
    damped = task.score(pd.DataFrame(), trace)
    assert damped["error"] == pytest.approx((2 / 3) ** 2, rel=0.02)
    assert not damped["meets_criterion"]


def test_frequency_and_distance_scores(entries):
    frequency = task_of(entries, "frequency")
    frame = pd.DataFrame({"error": [0.01, 0.02, 0.029]})
    assert frequency.score(frame, pd.DataFrame())["meets_criterion"]
    frame.loc[1, "error"] = 0.031
    assert frequency.score(frame, pd.DataFrame())["error"] == pytest.approx(0.031)
    assert not frequency.score(frame, pd.DataFrame())["meets_criterion"]
    distance = task_of(entries, "distance")
    t = np.arange(10, 1001, 10.0)
    trace = pd.DataFrame({"time_ms": np.tile(t, 2), "target": np.repeat([0.8, 0.5], 100),
                          "output": np.concatenate([np.where(t > 500, 0.82, 0.2),
                                                    np.full(100, 0.5)])})
    summary = distance.score(pd.DataFrame(), trace)  # the early miss is allowed
    assert summary["error"] == pytest.approx(0.02) and summary["meets_criterion"]
    trace.loc[trace.index[-1], "output"] = 0.45
    assert not distance.score(pd.DataFrame(), trace)["meets_criterion"]


def test_comparison_score_counts_only_clear_pairs(entries):
    task = task_of(entries, "frequency_comparison")  # pairs 0.25 Hz apart or more count
    frame = pd.DataFrame({"difference": [-1.0, -0.2, 0.2, 0.25, 1.5],
                          "accuracy": [1.0, 0.0, 0.0, 0.9, 1.0],
                          "mean_output": [1.0, 0.5, 0.5, 0.3, 0.2],
                          "target": [1.0, 1.0, 0.0, 0.0, 0.0]})
    summary = task.score(frame, pd.DataFrame())
    assert summary["sign_accuracy"] == pytest.approx(2.9 / 3) and summary["meets_criterion"]
    frame.loc[3, "accuracy"] = 0.8
    assert not task.score(frame, pd.DataFrame())["meets_criterion"]


def test_evaluate_traces_a_target_that_varies_in_time(entries):
    """A network of one self-exciting pair cannot oscillate: evaluate must still trace the
    sine target, and the score must fail it."""
    task = task_of(entries, "sine_generator", input_noise_std=0.0, test_frequencies=3)
    n = 3
    net = Network(np.ones((n, 1)), np.array([[1.0, -1.0, 0.0]]), np.zeros(n), np.zeros((n, n)),
                  np.zeros((n, n)), 1 - np.eye(n), 10.0, 100.0, 0.0, {"seed": 0})
    frame, trace = evaluate(task, net, n_trials=2)
    levels = task.evaluation_conditions()
    T = 220
    want = task.trials(levels, dt=10, rng=None).targets[:, :, 0].T.ravel()
    np.testing.assert_array_equal(trace["target"].to_numpy(), want)
    # the table's target is the sine's mean over the second half of the trial
    second_half = trace[trace["time_ms"] > 1100].groupby("condition")["target"].mean()
    np.testing.assert_allclose(frame["target"], second_half.to_numpy(), rtol=1e-6)
    np.testing.assert_array_equal(frame["frequency_hz"], levels[:, 0])
    assert len(trace) == T * len(levels)
    summary = task.score(frame, trace)
    assert summary["error"] > 0.5 and not summary["meets_criterion"]
