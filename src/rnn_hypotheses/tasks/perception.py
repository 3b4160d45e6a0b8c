"""Perception: hold the output at the target of a constant input level (report, section 3).

One input; each configured level has its own target (0.8 -> 0.5 and 0.5 -> 0.8 in
the report). The analysis simulations add trials whose input switches between the
first two levels (the report's Figure 3).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .base import Task, TaskConfigError


class Perception(Task):
    """A constant input level mapped to its target output."""

    kind = "perception"
    properties = {
        "n_inputs": {"const": 1},
        "input_levels": {"type": "array", "items": {"type": "number"}, "minItems": 2,
                         "uniqueItems": True,
                         "description": "distinct input levels, each with its target"},
        "output_targets": {"type": "array", "items": {"type": "number"}, "minItems": 2},
        "tolerance": {"type": "number", "exclusiveMinimum": 0,
                      "description": "largest |trial-averaged output - target| over the "
                                     "second half of the trial"},
        "switching_trials": {"type": "integer", "minimum": 1,
                             "description": "simulated trials whose input alternates between "
                                            "the first two levels (Figure 3 draws the first)"},
        "switch_every_ms": {"type": "number", "exclusiveMinimum": 0},
    }
    required = ("input_levels", "output_targets", "tolerance", "switching_trials",
                "switch_every_ms")
    condition_label = "input level"
    condition_scale = "categorical"
    performance_view = "over_time"
    latent_view = "switching"
    simulation_keys = ("switching_trials", "switch_every_ms")

    def check(self) -> None:
        super().check()
        if len(self.config["input_levels"]) != len(self.config["output_targets"]):
            raise TaskConfigError(f"tasks.{self.name}.output_targets needs one target per "
                                  f"entry of tasks.{self.name}.input_levels")

    @property
    def levels(self) -> np.ndarray:
        return np.asarray(self.config["input_levels"], dtype=float)

    def target_of(self, levels: np.ndarray) -> np.ndarray:
        """Target output of each input level.

        Levels between the configured ones are interpolated linearly, so the map
        is defined for any input the simulations use.
        """
        known = self.levels
        out = np.asarray(self.config["output_targets"], dtype=float)
        order = np.argsort(known)
        return np.interp(levels, known[order], out[order])

    def sample_conditions(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.choice(self.levels, size=(n, 1))

    def targets(self, conditions: np.ndarray) -> np.ndarray:
        return self.target_of(conditions[:, 0])[:, None]

    def evaluation_conditions(self) -> np.ndarray:
        """Each configured level."""
        return self.levels[:, None]

    def score(self, frame: pd.DataFrame, trace: pd.DataFrame) -> dict[str, Any]:
        """Error: the largest |output - target| of the trial-averaged output over the second
        half of the trial; the criterion is ``tolerance``."""
        late = trace["time_ms"] > self.config["trial_ms"] / 2
        error = float((trace.loc[late, "output"] - trace.loc[late, "target"]).abs().max())
        return {"error": error, "sign_accuracy": float("nan"),
                "meets_criterion": error <= self.config["tolerance"]}

    def held_conditions(self) -> np.ndarray:
        return self.levels[:, None]

    def changing_trials(self, n_steps_: int, dt: float) -> tuple[np.ndarray, str]:
        """``switching_trials`` trials alternating between the first two levels every
        ``switch_every_ms``."""
        period = max(1, int(round(self.config["switch_every_ms"] / dt)))
        first, second = self.config["input_levels"][:2]
        sequence = np.where((np.arange(n_steps_) // period) % 2 == 0, first, second)
        n_switch = self.config["switching_trials"]
        return np.broadcast_to(sequence[:, None, None], (n_steps_, n_switch, 1)), "switching"

    def condition_groups(self, conditions: np.ndarray, held: np.ndarray
                         ) -> list[tuple[str, np.ndarray]]:
        """Held trials at the first and at the second input level (the report's 0.5 and
        0.8), in increasing order."""
        levels = np.unique(conditions[held, 0])
        if levels.size < 2:
            raise ValueError(f"{self.name} needs held trials at two input levels")
        return [(f"input {level:g}", np.flatnonzero(held & np.isclose(conditions[:, 0], level)))
                for level in levels[:2]]

    def fixed_point_inputs(self) -> list[np.ndarray]:
        """Each input level."""
        return [np.full(self.n_inputs, float(v)) for v in self.config["input_levels"]]

    @staticmethod
    def condition_value(inputs: np.ndarray) -> np.ndarray:
        """The input level."""
        return np.atleast_2d(np.asarray(inputs, dtype=float))[:, 0]
