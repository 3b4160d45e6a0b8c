"""Multitask: one network trained on several configured tasks, a one-hot context input
selecting which it performs (Yang et al. 2019, Nature Neuroscience 22:297).

The report's open question 1 (section 6) asks whether slow regions are re-used across
tasks of the same complexity. One way to ask it is to train one network on both tasks,
as Yang et al. trained one network on twenty: their tasks shared the stimulus input
units and each trial added a one-hot "rule" input naming its task (one unit per task,
strength 1, input noise on every unit). Here the subtasks share their ``n_inputs``
input units in the same way, and ``n_inputs`` of the multitask is the subtasks' inputs
plus one context unit per subtask.

Which tasks are combined is named, not copied: ``tasks: [distance2, farther1]`` names
two entries of the config's ``tasks``. :func:`resolve_subtasks` copies those entries
into the multitask's own (key ``subtasks``) when the config is read, before
``run_tasks`` removes the tasks a run does not train, so that a multitask's entry is
self-contained like every other (its networks' provenance records the subtasks' keys,
and a changed subtask entry retrains the multitask).
"""

from __future__ import annotations

import copy
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from .base import Task, TaskConfigError

# The multitask's own keys that apply to every subtask: one batch holds trials of every
# subtask, so they share one length, one settle period, one input noise and one network.
SHARED_KEYS = ("n_units", "input_std", "trial_ms", "settle_ms", "input_noise_std",
               "loss_target")


def resolve_subtasks(config: dict) -> None:
    """Copy the entries a multitask names into it as ``subtasks`` (in place).

    Call it on the whole config before ``run_tasks`` selects the tasks
    (:func:`rnn_hypotheses.config.select_tasks`): the subtasks need not be run
    themselves. An entry that already holds ``subtasks`` (a config resolved before,
    e.g. a robustness variant's copy) keeps those of its subtasks that the config no
    longer defines.

    Raises
    ------
    TaskConfigError
        ``tasks.<name>.tasks`` when a named task is neither in ``tasks`` nor already
        copied in.
    """
    tasks = config.get("tasks") or {}
    for name, entry in tasks.items():
        if not isinstance(entry, dict) or entry.get("kind") != Multitask.kind:
            continue
        names = entry.get("tasks")
        if not isinstance(names, list):
            continue  # the kind's schema reports it, naming the key
        held = entry.get("subtasks") or {}
        resolved = {}
        for sub in names:
            if sub in tasks and sub != name:
                resolved[sub] = copy.deepcopy(tasks[sub])
            elif sub in held:
                resolved[sub] = held[sub]
            else:
                raise TaskConfigError(f"tasks.{name}.tasks: {sub!r} is not a task of `tasks`; "
                                      f"expected one of "
                                      f"{', '.join(t for t in tasks if t != name)}")
        entry["subtasks"] = resolved


def context_one_hot(context: np.ndarray, n_contexts: int) -> np.ndarray:
    """The one-hot context inputs of trials.

    Parameters
    ----------
    context : ndarray of int, shape (trial,)
        Index of each trial's subtask.
    n_contexts : int

    Returns
    -------
    ndarray, shape (trial, n_contexts)
        1 in the column of the trial's subtask, 0 elsewhere.
    """
    return np.eye(n_contexts)[np.asarray(context, dtype=int)]


class Multitask(Task):
    """Trials of several configured tasks in one network, a one-hot context input naming
    each trial's task.

    Each training trial picks its subtask uniformly at random (from the batch's seeded
    generator), then its condition from that subtask's training distribution. A
    trial's inputs are its subtask's inputs (the ``m`` units every subtask shares)
    followed by the ``k`` context units, one per subtask in the order of ``tasks``, 1
    for the trial's subtask and 0 for the others, held throughout the trial; input
    noise is added to every unit, as Yang et al. did. Its target is its subtask's.

    A condition is the subtask's condition followed by the one-hot context, shape
    (trial, m + k). Every stage delegates to the subtasks, each under its context:
    the test conditions, held conditions, changing trials and fixed-point inputs are
    each subtask's, in the order of ``tasks``, with its context appended; the
    evaluation adds each subtask's columns (and ``context``, the subtask's index) and
    the network meets its criterion when it meets every subtask's criterion on that
    subtask's test conditions. Figure 10's two groups are the held trials of the
    first context and those of the others: the latent spaces the network uses for
    each task, which is what question 1 compares.

    The subtasks keep their own keys (ranges, targets, criteria, test and held points,
    fixed-point inputs); the multitask's ``n_units``, ``input_std``, ``trial_ms``,
    ``settle_ms``, ``input_noise_std`` and ``loss_target`` replace theirs, since one
    batch holds trials of every subtask. The subtasks must share ``n_inputs`` and the
    number of outputs, and give the same number of fixed-point inputs (so that each
    context is analysed at as many inputs).

    An entry over two tasks of config/complexity.yaml (both two inputs)::

        distance2_farther1:
          kind: multitask
          tasks: [distance2, farther1]  # configured tasks; their entries are copied in
          n_units: 256
          n_inputs: 4                # 2 shared inputs + 2 context units
          input_std: 0.5
          trial_ms: 1000
          settle_ms: 300             # the longer of the two
          input_noise_std: 0.02
          loss_target: 0.008         # about half farther1's: half the trials are distance's
    """

    kind = "multitask"
    properties = {
        "tasks": {"type": "array", "items": {"type": "string"}, "minItems": 2,
                  "uniqueItems": True,
                  "description": "the configured tasks the network performs, one context "
                                 "input each, in this order"},
        "subtasks": {"type": "object",
                     "additionalProperties": {"type": "object", "required": ["kind"]},
                     "description": "the named tasks' entries, copied in when the config is "
                                    "read (tasks.multitask.resolve_subtasks); not written by "
                                    "hand"},
        "n_inputs": {"type": "integer", "minimum": 3,
                     "description": "the subtasks' shared inputs plus one context unit per "
                                    "subtask"},
    }
    required = ("tasks",)
    condition_label = "context input"
    condition_scale = "categorical"
    performance_view = "by_condition"
    latent_view = None

    # --- the subtasks ---------------------------------------------------------------

    @property
    def subtask_names(self) -> list[str]:
        return list(self.config["tasks"])

    @property
    def n_contexts(self) -> int:
        """k, the subtasks and context units."""
        return len(self.config["tasks"])

    @property
    def n_shared_inputs(self) -> int:
        """m, the input units every subtask shares (``n_inputs`` - k)."""
        return self.n_inputs - self.n_contexts

    @cached_property
    def subtasks(self) -> list[Task]:
        """Each subtask as a :class:`Task`, in the order of ``tasks``, with the
        multitask's :data:`SHARED_KEYS`.

        Raises
        ------
        TaskConfigError
            ``tasks.<name>.subtasks`` when the entries were not copied in, or a subtask
            is itself a multitask.
        """
        from . import make_task  # the registry imports this module

        key = f"tasks.{self.name}"
        held = self.config.get("subtasks") or {}
        missing = [name for name in self.subtask_names if name not in held]
        if missing:
            raise TaskConfigError(
                f"{key}.subtasks: no entry for {', '.join(missing)}; the entries that "
                f"{key}.tasks names are copied in by "
                "rnn_hypotheses.tasks.resolve_subtasks(config) when the config is read")
        tasks = []
        for name in self.subtask_names:
            entry = dict(held[name])
            if entry.get("kind") == self.kind:
                raise TaskConfigError(f"{key}.tasks: {name!r} is itself a multitask; a "
                                      "multitask combines tasks of other kinds")
            entry.update({k: self.config[k] for k in SHARED_KEYS})
            tasks.append(make_task(name, entry))
        return tasks

    def check(self) -> None:
        """The subtasks' own checks, and that they fit together.

        Raises
        ------
        TaskConfigError
            ``tasks.<name>.tasks`` when the subtasks differ in ``n_inputs``, in their
            number of outputs or in their number of fixed-point inputs, or a subtask's
            entry is invalid for its kind; ``tasks.<name>.n_inputs`` when it is not the
            subtasks' inputs plus one per subtask.
        """
        import jsonschema

        from . import KINDS

        super().check()
        key = f"tasks.{self.name}"
        held = self.config.get("subtasks") or {}
        for name in self.subtask_names:
            kind = KINDS.get(held.get(name, {}).get("kind"))
            if kind is None or kind is type(self):
                continue  # self.subtasks names the problem
            errors = list(jsonschema.Draft202012Validator(kind.schema()).iter_errors(held[name]))
            if errors:
                raise TaskConfigError(f"{key}.tasks: the entry of {name!r} is invalid: "
                                      f"{errors[0].message}")
        for task in self.subtasks:
            task.check()
        inputs = {task.name: task.n_inputs for task in self.subtasks}
        if len(set(inputs.values())) > 1:
            raise TaskConfigError(
                f"{key}.tasks: the subtasks share their input units, so they need the same "
                f"n_inputs; got {', '.join(f'{n} {v}' for n, v in inputs.items())}")
        outputs = {task.name: self._n_outputs(task) for task in self.subtasks}
        if len(set(outputs.values())) > 1:
            raise TaskConfigError(
                f"{key}.tasks: the subtasks share one readout, so they need the same number "
                f"of outputs; got {', '.join(f'{n} {v}' for n, v in outputs.items())}")
        expected = next(iter(inputs.values())) + self.n_contexts
        if self.n_inputs != expected:
            raise TaskConfigError(
                f"{key}.n_inputs ({self.n_inputs}) must be the subtasks' "
                f"{expected - self.n_contexts} shared inputs plus {self.n_contexts} context "
                f"units: {expected}")
        counts = {task.name: len(task.fixed_point_inputs()) for task in self.subtasks}
        if len(set(counts.values())) > 1:
            raise TaskConfigError(
                f"{key}.tasks: each context is analysed at its subtask's fixed-point inputs, "
                "and the contexts compare only at equal counts; got "
                f"{', '.join(f'{n} {v}' for n, v in counts.items())}")

    @staticmethod
    def _n_outputs(task: Task) -> int:
        """Outputs of a task: its target's last axis at one test condition."""
        condition = task.evaluation_conditions()[:1]
        return int(task.target_sequences(condition, 1, 1.0).shape[-1])

    # --- conditions -----------------------------------------------------------------

    def with_context(self, conditions: np.ndarray, context: int) -> np.ndarray:
        """Subtask conditions (n, m) with the one-hot of ``context`` appended, (n, m + k)."""
        conditions = np.atleast_2d(np.asarray(conditions, dtype=float))
        one_hot = np.broadcast_to(context_one_hot([context], self.n_contexts),
                                  (len(conditions), self.n_contexts))
        return np.concatenate([conditions, one_hot], axis=1)

    def context_of(self, conditions: np.ndarray) -> np.ndarray:
        """Each condition's context (its subtask's index), from the one-hot part.

        Parameters
        ----------
        conditions : ndarray, shape (n, m + k)

        Returns
        -------
        ndarray of int, shape (n,)
            -1 where the context part is not a one-hot (NaN: a changing trial; zeros:
            the autonomous network).
        """
        part = np.asarray(conditions, dtype=float)[:, self.n_shared_inputs:]
        one_hot = np.all(np.isin(part, (0.0, 1.0)), axis=1) & (part.sum(axis=1) == 1)
        return np.where(one_hot, np.argmax(np.nan_to_num(part), axis=1), -1)

    def _stacked(self, parts: list[np.ndarray]) -> np.ndarray:
        """Each subtask's conditions with its context, in the order of ``tasks``."""
        return np.concatenate([self.with_context(p, j) for j, p in enumerate(parts)])

    def _by_context(self, conditions: np.ndarray):
        """(context index, subtask, trial indices) for each context present."""
        context = self.context_of(conditions)
        for j, task in enumerate(self.subtasks):
            where = np.flatnonzero(context == j)
            if where.size:
                yield j, task, where

    # --- training -------------------------------------------------------------------

    def sample_conditions(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Each trial's subtask drawn uniformly, then its condition from that subtask's
        training distribution (subtask by subtask, in the order of ``tasks``)."""
        context = rng.integers(self.n_contexts, size=n)
        conditions = np.empty((n, self.n_inputs))
        for j, task in enumerate(self.subtasks):
            where = np.flatnonzero(context == j)
            conditions[where] = self.with_context(
                task.sample_conditions(rng, where.size).reshape(where.size, -1), j)
        return conditions

    def input_sequences(self, conditions: np.ndarray, n_steps_: int, dt: float) -> np.ndarray:
        """Each trial's subtask inputs (:meth:`Task.input_sequences` of its subtask) and its
        one-hot context, held, shape (n_steps_, trial, m + k)."""
        conditions = np.asarray(conditions, dtype=float)
        m = self.n_shared_inputs
        inputs = np.empty((n_steps_, len(conditions), self.n_inputs))
        inputs[:, :, m:] = conditions[None, :, m:]
        for _, task, where in self._by_context(conditions):
            inputs[:, where, :m] = task.input_sequences(conditions[where, :m], n_steps_, dt)
        return inputs

    def target_sequences(self, conditions: np.ndarray, n_steps_: int, dt: float
                         ) -> np.ndarray:
        """Each trial's subtask's target, shape (n_steps_, trial, n_outputs)."""
        conditions = np.asarray(conditions, dtype=float)
        m = self.n_shared_inputs
        targets = None
        for _, task, where in self._by_context(conditions):
            part = task.target_sequences(conditions[where, :m], n_steps_, dt)
            if targets is None:
                targets = np.full((n_steps_, len(conditions), part.shape[-1]), np.nan)
            targets[:, where] = part
        if targets is None:
            raise ValueError(f"tasks.{self.name}: no condition names a context")
        return targets

    # --- evaluation -----------------------------------------------------------------

    def evaluation_conditions(self) -> np.ndarray:
        """Every subtask's test conditions with its context, in the order of ``tasks``."""
        return self._stacked([t.evaluation_conditions() for t in self.subtasks])

    def evaluation_columns(self, levels: np.ndarray, per_trial: np.ndarray,
                           target: np.ndarray) -> dict[str, np.ndarray]:
        """context (the subtask's index), then each subtask's columns on its own test
        conditions (NaN on the others')."""
        columns: dict[str, np.ndarray] = {"context": self.context_of(levels)}
        m = self.n_shared_inputs
        for _, task, where in self._by_context(levels):
            found = task.evaluation_columns(levels[where, :m], per_trial[where], target[where])
            for name, values in found.items():
                column = columns.setdefault(name, np.full(len(levels), np.nan))
                column[where] = values
        return columns

    def score(self, frame: pd.DataFrame, trace: pd.DataFrame) -> dict[str, Any]:
        """Each subtask's score on its own test conditions; the criterion is met when every
        subtask's is.

        Returns
        -------
        dict
            ``error``: the largest of the subtasks' errors (each in its kind's measure);
            ``sign_accuracy``: the lowest of the subtasks' that have one (NaN if none);
            ``meets_criterion``; ``subtask_scores``: each subtask's, as text.
        """
        m = self.n_shared_inputs
        context_inputs = [f"input{m + j + 1}" for j in range(self.n_contexts)]
        context = frame["context"].to_numpy()
        scores = {}
        for j, task in enumerate(self.subtasks):
            # the trace numbers conditions by their row of the evaluation table
            rows = np.flatnonzero(context == j)
            if not rows.size:
                raise ValueError(f"tasks.{self.name}: the evaluation has no test condition of "
                                 f"context {j} ({task.name})")
            part = frame.iloc[rows].drop(columns=context_inputs).reset_index(drop=True)
            steps = trace[trace["condition"].isin(rows)].drop(columns=context_inputs)
            steps = steps.assign(condition=steps["condition"].map(
                dict(zip(rows, range(rows.size), strict=True)))).reset_index(drop=True)
            scores[task.name] = task.score(part, steps)
        accuracies = [s["sign_accuracy"] for s in scores.values()
                      if not np.isnan(s["sign_accuracy"])]
        return {
            "error": max(float(s["error"]) for s in scores.values()),
            "sign_accuracy": min(accuracies) if accuracies else float("nan"),
            "meets_criterion": all(bool(s["meets_criterion"]) for s in scores.values()),
            "subtask_scores": "; ".join(
                f"{name}: {'met' if s['meets_criterion'] else 'missed'} (error "
                f"{s['error']:.3g}, sign accuracy {s['sign_accuracy']:.3g})"
                for name, s in scores.items()),
        }

    # --- analysis simulations -------------------------------------------------------

    def held_conditions(self) -> np.ndarray:
        """Every subtask's held conditions with its context, in the order of ``tasks``."""
        return self._stacked([t.held_conditions() for t in self.subtasks])

    def changing_trials(self, n_steps_: int, dt: float) -> tuple[np.ndarray, str] | None:
        """Every subtask's changing trials with its context held, in the order of
        ``tasks``; named as the first subtask that has any names its (None if none)."""
        parts, names = [], []
        for j, task in enumerate(self.subtasks):
            found = task.changing_trials(n_steps_, dt)
            if found is None:
                continue
            inputs, name = found
            context = np.broadcast_to(context_one_hot([j], self.n_contexts)[None],
                                      (inputs.shape[0], inputs.shape[1], self.n_contexts))
            parts.append(np.concatenate([inputs, context], axis=2))
            names.append(name)
        if not parts:
            return None
        return np.concatenate(parts, axis=1), names[0]

    # --- latent spaces, fixed points, figures ---------------------------------------

    def condition_groups(self, conditions: np.ndarray, held: np.ndarray
                         ) -> list[tuple[str, np.ndarray]]:
        """The held trials of the first context, and those of the others: Figure 10 then
        compares the latent spaces the network uses for its first task and for the rest."""
        context = self.context_of(conditions)
        first = self.subtask_names[0]
        rest = ", ".join(self.subtask_names[1:])
        return [(f"context {first}", np.flatnonzero(held & (context == 0))),
                (f"context {rest}", np.flatnonzero(held & (context > 0)))]

    def fixed_point_inputs(self) -> list[np.ndarray]:
        """Every subtask's fixed-point inputs with its context appended, in the order of
        ``tasks`` (the same count per subtask, :meth:`check`)."""
        return list(self._stacked([np.asarray(t.fixed_point_inputs(), dtype=float)
                                   for t in self.subtasks]))

    def subtask_condition_value(self, inputs: np.ndarray) -> np.ndarray:
        """Each input's value under its subtask's :meth:`Task.condition_value` (NaN where
        the context part is no one-hot)."""
        inputs = np.atleast_2d(np.asarray(inputs, dtype=float))
        values = np.full(len(inputs), np.nan)
        for _, task, where in self._by_context(inputs):
            values[where] = task.condition_value(inputs[where, :self.n_shared_inputs])
        return values

    @staticmethod
    def condition_value(inputs: np.ndarray) -> np.ndarray:
        """The number of the input unit that carries the context: the last non-zero input
        (1-based, as the tables' ``input<i>`` columns), so conditions are placed and
        coloured by their task.

        A figure calls it on the kind, which does not know the subtasks; an instance's
        :meth:`subtask_condition_value` gives the subtask's own value. NaN for an input
        that is zero throughout (the autonomous network).
        """
        u = np.atleast_2d(np.asarray(inputs, dtype=float))
        nonzero = np.nan_to_num(u, nan=0.0) != 0
        last = u.shape[1] - np.argmax(nonzero[:, ::-1], axis=1)
        return np.where(nonzero.any(axis=1), last, np.nan).astype(float)
