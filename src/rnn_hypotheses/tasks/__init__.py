"""Tasks as kinds: the registry of :class:`Task` subclasses and the configured tasks.

Each ``tasks:`` entry of config.yaml names its ``kind``; :func:`configured_tasks`
turns the section into :class:`Task` objects in config order. A new kind is a
module defining a :class:`Task` subclass, added to :data:`KINDS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import SimulationTrials, Task, TaskConfigError, TrialBatch, n_steps
from .decision import Decision
from .distance import Distance
from .farther import Farther
from .frequency import Frequency
from .frequency_comparison import FrequencyComparison
from .multitask import Multitask, resolve_subtasks
from .perception import Perception
from .sine_generator import SineGenerator

__all__ = ["KINDS", "Decision", "Distance", "Farther", "Frequency", "FrequencyComparison",
           "Multitask", "Perception", "SimulationTrials", "SineGenerator", "Task",
           "TaskConfigError", "TrialBatch", "configured_tasks", "make_task", "n_steps",
           "resolve_subtasks", "task_kinds", "stage_entry"]

# The report's two kinds, then the five of its future work (section 6), then one network
# trained on several of them (question 1 of section 6).
KINDS: dict[str, type[Task]] = {cls.kind: cls for cls in (
    Perception, Decision, Distance, Farther, Frequency, FrequencyComparison, SineGenerator,
    Multitask)}


def make_task(name: str, entry: Mapping[str, Any]) -> Task:
    """The :class:`Task` of one config entry.

    Raises
    ------
    TaskConfigError
        When ``kind`` is missing or names no registered kind.
    """
    kind = entry.get("kind")
    if kind not in KINDS:
        got = "no kind" if kind is None else f"kind {kind!r}"
        raise TaskConfigError(f"tasks.{name}.kind: {got}; expected one of "
                              f"{', '.join(sorted(KINDS))}")
    return KINDS[kind](name, entry)


def configured_tasks(config: Mapping[str, Any]) -> dict[str, Task]:
    """Every task of a config (its ``tasks`` section), by name, in config order."""
    return {name: make_task(name, entry) for name, entry in config["tasks"].items()}


def stage_entry(entry: Mapping[str, Any], stage: str = "training") -> dict[str, Any]:
    """The part of a task's config entry one stage depends on.

    ``"training"`` (training, evaluation, the connectivity analyses): every key but the
    kind's ``simulation_keys`` and ``fixed_point_keys``; ``"simulation"`` adds the
    former, ``"fixed_points"`` the latter. A rule passes its stage's part, so a changed
    key reruns only the stages that use it.
    """
    kind = KINDS.get(entry.get("kind"))
    if kind is None:
        return dict(entry)
    keep = {"training": (), "simulation": kind.simulation_keys,
            "fixed_points": kind.fixed_point_keys}[stage]
    left_out = set(kind.simulation_keys + kind.fixed_point_keys) - set(keep)
    return {key: value for key, value in entry.items() if key not in left_out}


def task_kinds(config: Mapping[str, Any]) -> dict[str, str]:
    """Each configured task's kind, by name, in config order."""
    return {name: task.kind for name, task in configured_tasks(config).items()}
