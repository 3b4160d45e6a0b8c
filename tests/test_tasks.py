"""Tasks as kinds: the registry, each kind's config schema, and tasks named freely."""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path

import numpy as np
import pytest

from rnn_hypotheses.config import ConfigError, check_config, check_moved_keys
from rnn_hypotheses.seeding import rng_for
from rnn_hypotheses.tasks import KINDS, Task, TaskConfigError, configured_tasks, make_task

ROOT = Path(__file__).resolve().parents[1]


def test_every_kind_is_registered_under_its_name():
    # the report's two tasks and its future work's five (section 6)
    # and a multitask network over configured tasks, with a context input (Q1)
    assert set(KINDS) == {"perception", "decision", "distance", "farther", "frequency",
                          "frequency_comparison", "multitask", "sine_generator"}
    for kind, cls in KINDS.items():
        assert cls.kind == kind and issubclass(cls, Task)
        assert cls.condition_scale in ("categorical", "diverging")
        assert cls.performance_view in ("over_time", "by_condition")
        assert cls.latent_view in ("isocontours", "switching", None)
        schema = cls.schema()
        assert set(schema["required"]) <= set(schema["properties"])


def test_each_config_task_is_an_object_of_its_kind(full_config):
    tasks = configured_tasks(full_config)
    assert list(tasks) == ["perception", "decision"]
    assert [type(t).__name__ for t in tasks.values()] == ["Perception", "Decision"]


def test_a_name_is_only_a_label(full_config):
    """A second perception task under another name: same trials for the same stream, its own
    streams for its own networks."""
    entry = full_config["tasks"]["perception"]
    first, second = make_task("perception", entry), make_task("perception_b", entry)
    a = first.training_batch(rng_for("perception", 0, "batch", 0), 16, dt=10)
    b = second.training_batch(rng_for("perception", 0, "batch", 0), 16, dt=10)
    np.testing.assert_array_equal(a.inputs, b.inputs)
    own = second.training_batch(rng_for(second.name, 0, "batch", 0), 16, dt=10)
    assert not np.array_equal(own.inputs, a.inputs)


def test_a_third_task_passes_the_config_checks(full_config):
    config = copy.deepcopy(full_config)
    config["tasks"]["perception_b"] = dict(config["tasks"]["perception"], n_units=64,
                                           input_levels=[0.3, 0.9], output_targets=[0.9, 0.3])
    check_config(config)
    assert list(configured_tasks(config)) == ["perception", "decision", "perception_b"]


@pytest.mark.parametrize(("change", "message"), [
    ({"kind": "memory"}, r"tasks\.perception\.kind: 'memory'; expected one of decision, "
                         r"distance, farther, frequency, frequency_comparison, multitask, "
                         r"perception, sine_generator"),
    ({"kind": None}, r"tasks\.perception\.kind: missing"),
    ({"input_range": [0.2, 1.0]}, r"tasks\.perception: Additional properties are not allowed "
                                  r"\('input_range' was unexpected\) \(kind perception\)"),
    ({"tolerance": -1}, r"tasks\.perception\.tolerance: -1 is less than or equal to the minimum "
                        r"of 0 \(kind perception\)"),
    ({"n_inputs": 2}, r"tasks\.perception\.n_inputs: 1 was expected"),
    ({"output_targets": [0.8, 0.5, 0.1]}, r"tasks\.perception\.output_targets needs one target "
                                          r"per entry of tasks\.perception\.input_levels"),
    ({"settle_ms": 1000}, r"tasks\.perception\.settle_ms \(1000\) must be shorter"),
])
def test_a_task_entry_is_checked_against_its_kind(full_config, change, message):
    config = copy.deepcopy(full_config)
    entry = config["tasks"]["perception"]
    entry.update(change)
    if entry["kind"] is None:
        del entry["kind"]
    with pytest.raises(ConfigError, match=message):
        check_config(config)


def test_decision_fixed_point_inputs_have_two_values(full_config):
    config = copy.deepcopy(full_config)
    config["tasks"]["decision"]["fixed_point_inputs"] = [[0.4]]
    with pytest.raises(ConfigError, match=r"tasks\.decision\.fixed_point_inputs\.0"):
        check_config(config)


def test_a_kind_check_names_the_task():
    with pytest.raises(TaskConfigError, match=r"tasks\.choice\.input_range must be"):
        make_task("choice", {"kind": "decision", "input_range": [1.0, 0.2], "settle_ms": 0,
                             "trial_ms": 10}).check()


@pytest.mark.parametrize(("section", "key", "new"), [
    ("simulation", "decision_grid", "simulation_grid"),
    ("simulation", "switching_trials", "switching_trials"),
    ("slowpoints", "decision_inputs", "fixed_point_inputs"),
])
def test_keys_of_older_configs_name_their_new_place(full_config, section, key, new):
    config = copy.deepcopy(full_config)
    config[section][key] = 3
    with pytest.raises(ConfigError, match=rf"{section}\.{key} has moved to tasks\.<\w+ "
                                          rf"task>\.{new}"):
        check_moved_keys(config)


def test_an_entry_without_kind_named_after_one_gets_a_hint(full_config):
    config = copy.deepcopy(full_config)
    del config["tasks"]["decision"]["kind"]
    with pytest.raises(ConfigError, match="probably `kind: decision`"):
        check_moved_keys(config)


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """(line, value) of the string constants of a Python file, docstrings left out."""
    tree = ast.parse(path.read_text())
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def test_no_code_outside_tasks_names_a_kind():
    """Only the task kinds know their names: stages, figures and rules get them from config."""
    kinds = set(KINDS)
    found = []
    tasks_package = ROOT / "src/rnn_hypotheses/tasks"
    python = [p for p in [*ROOT.glob("src/rnn_hypotheses/**/*.py"), *ROOT.glob("scripts/*.py")]
              if tasks_package not in p.parents]
    assert len(python) > 40
    for path in python:
        found += [f"{path.relative_to(ROOT)}:{line}: {value!r}"
                  for line, value in _code_strings(path) if value in kinds]
    quoted = re.compile(r"""["'](""" + "|".join(kinds) + r""")["']""")
    rules = [ROOT / "Snakefile", *ROOT.glob("workflow/rules/*.smk"),
             *ROOT.glob("workflow/report/*.rst")]
    for path in rules:
        for k, text in enumerate(path.read_text().splitlines(), 1):
            if quoted.search(text):
                found.append(f"{path.relative_to(ROOT)}:{k}: {text.strip()}")
    assert not found, "kind names outside src/rnn_hypotheses/tasks:\n" + "\n".join(found)
