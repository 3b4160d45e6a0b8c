"""The task interface: what a kind of task supplies to every stage of the workflow.

A task is one ``tasks:`` entry of config.yaml: a name (a label that keys results,
random streams and figure panels) and a ``kind`` that selects a :class:`Task`
subclass. The kind turns the entry into trials for training, evaluation and the
analysis simulations, scores a trained network, names the condition groups and
fixed-point inputs the analyses compare, and places conditions on a figure axis.

Every generator returns arrays shaped (time, trial, ...) and draws only from the
generator it is given, so a batch is a pure function of its seed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd

# Keys every kind shares; a kind adds its own in ``Task.properties``.
COMMON_PROPERTIES: dict[str, Any] = {
    "kind": {"type": "string"},
    "n_units": {"type": "integer", "minimum": 2,
                "description": "recurrent units N (the diagonal is zero, so one unit has "
                               "no weight to train)"},
    "n_inputs": {"type": "integer", "minimum": 1},
    "input_std": {"type": "number", "exclusiveMinimum": 0, "description": "std of W_in and b"},
    "trial_ms": {"type": "number", "exclusiveMinimum": 0},
    "settle_ms": {"type": "number", "minimum": 0,
                  "description": "start of the trial excluded from the loss"},
    "input_noise_std": {"type": "number", "minimum": 0},
    "loss_target": {"type": "number", "exclusiveMinimum": 0,
                    "description": "training stops once the mean loss of loss_window steps "
                                   "is below this"},
}


class TaskConfigError(ValueError):
    """A task's config entry is invalid; the message names the key (``tasks.<name>.<key>``)."""


@dataclass
class TrialBatch:
    """A batch of trials.

    Attributes
    ----------
    inputs : ndarray, shape (time, trial, n_inputs)
        Noisy inputs u_t.
    targets : ndarray, shape (time, trial, n_outputs)
    loss_mask : ndarray, shape (time, 1, 1)
        1 where the loss counts, 0 during the settle period.
    conditions : ndarray, shape (trial, n_inputs)
        The condition of each trial: its noise-free input levels, or for a kind whose
        input varies within the trial what sets it (e.g. a sine's frequency, Hz).
    """

    inputs: np.ndarray
    targets: np.ndarray
    loss_mask: np.ndarray
    conditions: np.ndarray


@dataclass
class SimulationTrials:
    """Input sequences of the analysis simulations of one task.

    Attributes
    ----------
    inputs : ndarray, shape (time, trial, n_inputs), float32
    conditions : ndarray, shape (trial, n_inputs)
        The held input of each trial; NaN for trials whose input changes.
    trial_kind : ndarray of str, shape (trial,)
        ``"held"``, or the name of the kind of changing trial (``"switching"``).
    """

    inputs: np.ndarray
    conditions: np.ndarray
    trial_kind: np.ndarray


def add_input_noise(inputs: np.ndarray, std: float, rng: np.random.Generator | None
                    ) -> np.ndarray:
    """float32 inputs plus Gaussian noise of standard deviation ``std`` (none without rng)."""
    inputs = inputs.astype(np.float32)
    if rng is not None and std > 0:
        inputs = inputs + rng.normal(0.0, std, inputs.shape).astype(np.float32)
    return inputs


def n_steps(task_cfg: Mapping, dt: float) -> tuple[int, int]:
    """Trial length and settle period of a task in Euler steps."""
    return int(round(task_cfg["trial_ms"] / dt)), int(round(task_cfg["settle_ms"] / dt))


class Task(ABC):
    """One configured task: its name, its config entry and what its kind computes from them.

    Subclasses set the class attributes and implement the abstract methods; the
    concrete methods build on them and may be overridden. A kind whose inputs vary
    within a trial overrides :meth:`input_sequences` (training, evaluation and the
    analysis simulations all build their inputs through it); one whose target varies
    overrides :meth:`target_sequences` instead of implementing :meth:`targets`.

    Class attributes
    ----------------
    kind : str
        The value of ``kind:`` that selects the class.
    properties, required : dict, tuple of str
        JSON-schema properties of the kind's own config keys, and which are required
        (the common keys of :data:`COMMON_PROPERTIES` are always required).
    condition_label : str
        What :meth:`condition_value` measures, as an axis label.
    condition_scale : {"categorical", "diverging"}
        Figures colour conditions by level (a few discrete values) or on a diverging
        scale around zero.
    performance_view : {"over_time", "by_condition"}
        Figure 1 draws the output over the trial per condition, or the trial's mean
        output against :meth:`condition_value`.
    latent_view : {"isocontours", "switching"} or None
        The report's 3-D latent figure of the kind: steady states along lines of one
        varying input (Figure 2), a trial whose input switches (Figure 3), or none.
    output_oscillates : bool
        The target output oscillates at the frequency :meth:`condition_value` gives (Hz):
        the complexity stage compares it with the rotation of the linearised dynamics at
        each input's fixed point.
    binary_decision : bool
        The output reports which of two answers holds, and the sign of
        :meth:`condition_value` says which (zero: the inputs leave it undecided): the
        topology stage looks for two attractors and a saddle at such ambiguous inputs.
    simulation_keys, fixed_point_keys : tuple of str
        Keys only the analysis simulations, or only the fixed-point analysis, use: left
        out of a network's provenance (:func:`rnn_hypotheses.tasks.stage_entry`), so
        that changing one reruns those analyses and not the training.
    """

    kind: ClassVar[str]
    properties: ClassVar[dict[str, Any]]
    required: ClassVar[tuple[str, ...]]
    condition_label: ClassVar[str]
    condition_scale: ClassVar[Literal["categorical", "diverging"]]
    performance_view: ClassVar[Literal["over_time", "by_condition"]]
    latent_view: ClassVar[Literal["isocontours", "switching"] | None] = None
    output_oscillates: ClassVar[bool] = False
    binary_decision: ClassVar[bool] = False
    simulation_keys: ClassVar[tuple[str, ...]] = ()
    fixed_point_keys: ClassVar[tuple[str, ...]] = ()

    def __init__(self, name: str, config: Mapping[str, Any]):
        self.name = name
        self.config = dict(config)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    @classmethod
    def schema(cls) -> dict[str, Any]:
        """JSON schema of one config entry of this kind."""
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [*COMMON_PROPERTIES, *cls.required],
            "properties": {**COMMON_PROPERTIES, **cls.properties,
                           "kind": {"const": cls.kind}},
        }

    def check(self) -> None:
        """Limits across keys that a schema cannot express.

        Raises
        ------
        TaskConfigError
            Naming the key, e.g. ``tasks.<name>.settle_ms``.
        """
        key = f"tasks.{self.name}"
        if self.config["settle_ms"] >= self.config["trial_ms"]:
            raise TaskConfigError(f"{key}.settle_ms ({self.config['settle_ms']}) must be "
                                  f"shorter than {key}.trial_ms ({self.config['trial_ms']})")

    @property
    def n_units(self) -> int:
        return int(self.config["n_units"])

    @property
    def n_inputs(self) -> int:
        return int(self.config["n_inputs"])

    @property
    def complexity(self) -> tuple[str, int] | None:
        """(family, input dimension D) of a task whose kind a complexity sweep varies in D
        (report, section 6), or None (the default) for a kind of fixed complexity."""
        return None

    # --- training -------------------------------------------------------------------

    @abstractmethod
    def sample_conditions(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Conditions of ``n`` training trials (see :class:`TrialBatch`), shape (n, n_inputs)."""

    def targets(self, conditions: np.ndarray) -> np.ndarray:
        """Target output of each condition, shape (trial, n_outputs), held for the whole
        trial. A kind whose target varies within the trial overrides
        :meth:`target_sequences` instead."""
        raise NotImplementedError(f"kind {self.kind!r} has no constant target per condition; "
                                  "its target_sequences give the target at each step")

    def input_sequences(self, conditions: np.ndarray, n_steps_: int, dt: float) -> np.ndarray:
        """Noise-free inputs of trials at each condition: the condition held throughout.

        Parameters
        ----------
        conditions : ndarray, shape (trial, n_inputs)
        n_steps_ : int
            Euler steps of the trial.
        dt : float
            Euler step, ms.

        Returns
        -------
        ndarray, shape (n_steps_, trial, n_inputs)
        """
        return np.broadcast_to(conditions, (n_steps_, *conditions.shape))

    def target_sequences(self, conditions: np.ndarray, n_steps_: int, dt: float
                         ) -> np.ndarray:
        """Target output at each step of trials at each condition: :meth:`targets` held
        throughout, shape (n_steps_, trial, n_outputs)."""
        target = self.targets(conditions)
        return np.broadcast_to(target, (n_steps_, *target.shape))

    def trials(self, conditions: np.ndarray, *, dt: float,
               rng: np.random.Generator | None) -> TrialBatch:
        """Trials of each condition: :meth:`input_sequences` and :meth:`target_sequences`
        (constant over the trial unless the kind overrides them), with input noise.

        Parameters
        ----------
        conditions : ndarray, shape (trial, n_inputs)
        dt : float
            Euler step, ms.
        rng : Generator or None
            Source of the input noise (standard deviation ``input_noise_std``);
            None gives noise-free inputs.
        """
        conditions = np.asarray(conditions, dtype=float)
        T, settle = n_steps(self.config, dt)
        inputs = add_input_noise(self.input_sequences(conditions, T, dt),
                                 self.config["input_noise_std"], rng)
        targets = self.target_sequences(conditions, T, dt).astype(np.float32)
        mask = np.zeros((T, 1, 1), np.float32)
        mask[settle:] = 1.0
        return TrialBatch(np.ascontiguousarray(inputs), np.ascontiguousarray(targets), mask,
                          conditions)

    def training_batch(self, rng: np.random.Generator, batch_size: int, *, dt: float
                       ) -> TrialBatch:
        """One batch of training trials with random conditions and noisy inputs."""
        conditions = self.sample_conditions(rng, batch_size)
        return self.trials(conditions, dt=dt, rng=rng)

    # --- evaluation -----------------------------------------------------------------

    @abstractmethod
    def evaluation_conditions(self) -> np.ndarray:
        """The test conditions, shape (n_conditions, n_inputs)."""

    def evaluation_columns(self, levels: np.ndarray, per_trial: np.ndarray,
                           target: np.ndarray) -> dict[str, np.ndarray]:
        """Columns the kind adds to the evaluation table.

        Parameters
        ----------
        levels : ndarray, shape (condition, n_inputs)
        per_trial : ndarray, shape (condition, trial)
            Each noisy trial's mean output over the second half of the trial.
        target : ndarray, shape (condition,)
        """
        return {}

    @abstractmethod
    def score(self, frame: pd.DataFrame, trace: pd.DataFrame) -> dict[str, Any]:
        """The network's error, sign accuracy (NaN where the kind has none) and whether it
        meets the kind's criterion, from :func:`~rnn_hypotheses.evaluate.evaluate`'s tables.
        """

    # --- analysis simulations -------------------------------------------------------

    @abstractmethod
    def held_conditions(self) -> np.ndarray:
        """Conditions of the held trials of the analysis simulations, (k, n_inputs)."""

    def changing_trials(self, n_steps_: int, dt: float
                        ) -> tuple[np.ndarray, str] | None:
        """Trials whose input changes within the simulation: (inputs (time, trial,
        n_inputs), their kind), or None (the default) for a kind without them."""
        return None

    def simulation_repeats(self, simulation: Mapping[str, Any], latent: Mapping[str, Any],
                           dt: float) -> int:
        """Trials per held condition of the analysis simulations.

        ``simulation.trials_per_condition``, raised until the part of the held trials
        that the latent fits use (from ``latent.drop_ms`` after the input's onset to the
        end) holds ``simulation.windows_per_dimension`` windows of ``2 latent.T`` steps
        per dimension of the window vector (``2 T n_units``): with fewer windows than
        dimensions the window covariance is singular and DCA needs a ridge.
        """
        repeats = int(simulation["trials_per_condition"])
        per_dimension = simulation.get("windows_per_dimension", 0)
        if not per_dimension:
            return repeats
        window = 2 * int(latent["T"])
        analysed = (int(round(simulation["duration_ms"] / dt))
                    - int(round(latent.get("drop_ms", 0) / dt)))
        windows_per_trial = max(1, analysed - window + 1)
        needed = per_dimension * window * self.n_units
        per_condition = needed / (len(self.held_conditions()) * windows_per_trial)
        return max(repeats, int(np.ceil(per_condition - 1e-9)))

    def simulation_trials(self, simulation: Mapping[str, Any], *, dt: float,
                          rng: np.random.Generator | None, repeats: int | None = None
                          ) -> SimulationTrials:
        """Inputs of the analysis simulations (config.yaml's ``simulation``).

        Each held condition is repeated ``repeats`` times (default
        ``trials_per_condition``; see :meth:`simulation_repeats`) for ``duration_ms``;
        the kind's changing trials follow. A held trial's inputs are
        :meth:`input_sequences` of its condition (for a kind whose input varies, e.g. a
        sine of the held frequency, the condition is held, not the input). Every trial
        first spends ``baseline_ms``
        (default 0) at u = 0, settling from r = 0 before its input starts. Input noise
        is drawn over all of it at once.
        """
        T = int(round(simulation["duration_ms"] / dt))
        baseline = int(round(simulation.get("baseline_ms", 0) / dt))
        repeats = simulation["trials_per_condition"] if repeats is None else repeats
        conditions = np.repeat(self.held_conditions(), repeats, axis=0)
        inputs = self.input_sequences(conditions, T, dt)
        trial_kind = np.full(len(conditions), "held")
        changing = self.changing_trials(T, dt)
        if changing is not None:
            extra, name = changing
            inputs = np.concatenate([inputs, extra], axis=1)
            conditions = np.concatenate([conditions,
                                         np.full((extra.shape[1], self.n_inputs), np.nan)])
            trial_kind = np.concatenate([trial_kind, np.full(extra.shape[1], name)])
        if baseline:
            inputs = np.concatenate([np.zeros((baseline, *inputs.shape[1:])), inputs])
        inputs = add_input_noise(inputs, self.config["input_noise_std"], rng)
        return SimulationTrials(np.ascontiguousarray(inputs), conditions, trial_kind)

    def n_simulation_trials(self, simulation: Mapping[str, Any],
                            repeats: int | None = None) -> int:
        """Trials of one analysis simulation (for the memory estimate)."""
        changing = self.changing_trials(1, 1.0)
        repeats = simulation["trials_per_condition"] if repeats is None else repeats
        return (len(self.held_conditions()) * repeats
                + (0 if changing is None else changing[0].shape[1]))

    # --- latent spaces, fixed points, figures ---------------------------------------

    @abstractmethod
    def condition_groups(self, conditions: np.ndarray, held: np.ndarray
                         ) -> list[tuple[str, np.ndarray]]:
        """The two groups of held trials whose latent spaces Figure 10 compares.

        Parameters
        ----------
        conditions : ndarray, shape (trial, n_inputs)
            Held input of each trial; NaN for changing trials.
        held : ndarray of bool, shape (trial,)

        Returns
        -------
        list of two (label, trial indices) pairs.
        """

    @abstractmethod
    def fixed_point_inputs(self) -> list[np.ndarray]:
        """The constant inputs, each shape (n_inputs,), analysed for fixed points."""

    @staticmethod
    @abstractmethod
    def condition_value(inputs: np.ndarray) -> np.ndarray:
        """The scalar a figure places or colours each condition by.

        A function of the inputs alone (a static method): figures call it on the kind,
        without a task's config entry.

        Parameters
        ----------
        inputs : array, shape (n, n_inputs)

        Returns
        -------
        ndarray, shape (n,)
        """
