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
from .perception import Perception

__all__ = ["KINDS", "Decision", "Perception", "SimulationTrials", "Task", "TaskConfigError",
           "TrialBatch", "configured_tasks", "make_task", "n_steps", "task_kinds"]

KINDS: dict[str, type[Task]] = {cls.kind: cls for cls in (Perception, Decision)}


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


def task_kinds(config: Mapping[str, Any]) -> dict[str, str]:
    """Each configured task's kind, by name, in config order."""
    return {name: task.kind for name, task in configured_tasks(config).items()}
