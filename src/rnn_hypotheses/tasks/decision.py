"""Decision: report which of two inputs is larger (report, section 3 and Fig. 1).

Two inputs held constant; the output goes high when input 2 exceeds input 1 and
low otherwise. Training draws both inputs uniformly from ``input_range``;
evaluation and the analysis simulations use regular grids over it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .base import Task, TaskConfigError
from .shared import choice_accuracy, choice_score


def input_grid(low: float, high: float, n: int) -> np.ndarray:
    """All (input 1, input 2) pairs of ``n`` evenly spaced values, shape (n * n, 2),
    input 1 varying slowest."""
    values = np.linspace(low, high, n)
    u1, u2 = np.meshgrid(values, values, indexing="ij")
    return np.column_stack([u1.ravel(), u2.ravel()])


class Decision(Task):
    """Which of two constant inputs is larger."""

    kind = "decision"
    properties = {
        "n_inputs": {"const": 2},
        "input_range": {"type": "array", "items": {"type": "number"}, "minItems": 2,
                        "maxItems": 2},
        "output_high": {"type": "number", "description": "target when input 2 > input 1"},
        "output_low": {"type": "number"},
        "test_grid": {"type": "integer", "minimum": 2,
                      "description": "test conditions: a test_grid x test_grid grid over "
                                     "input_range"},
        "min_test_difference": {"type": "number", "minimum": 0},
        "min_accuracy": {"type": "number", "minimum": 0, "maximum": 1,
                         "description": "sign accuracy on test trials with "
                                        "|input1 - input2| >= min_test_difference"},
        "simulation_grid": {"type": "integer", "minimum": 2,
                            "description": "analysis simulations: a simulation_grid x "
                                           "simulation_grid grid over input_range"},
        "fixed_point_inputs": {
            "type": "array", "minItems": 1,
            "description": "(input 1, input 2) pairs analysed for fixed points",
            "items": {"type": "array", "minItems": 2, "maxItems": 2,
                      "items": {"type": "number"}},
        },
    }
    required = ("input_range", "output_high", "output_low", "test_grid",
                "min_test_difference", "min_accuracy", "simulation_grid", "fixed_point_inputs")
    condition_label = "input 1 - input 2"
    condition_scale = "diverging"
    performance_view = "by_condition"
    binary_decision = True
    latent_view = "isocontours"
    simulation_keys = ("simulation_grid",)
    fixed_point_keys = ("fixed_point_inputs",)

    def check(self) -> None:
        super().check()
        low, high = self.config["input_range"]
        if not low < high:
            raise TaskConfigError(f"tasks.{self.name}.input_range must be [low, high] with "
                                  "low < high")

    @property
    def midpoint(self) -> float:
        """The output between the two targets: the decision boundary of the readout."""
        return 0.5 * (self.config["output_high"] + self.config["output_low"])

    def sample_conditions(self, rng: np.random.Generator, n: int) -> np.ndarray:
        low, high = self.config["input_range"]
        return rng.uniform(low, high, size=(n, 2))

    def targets(self, conditions: np.ndarray) -> np.ndarray:
        high, low = self.config["output_high"], self.config["output_low"]
        return np.where(conditions[:, 1] > conditions[:, 0], high, low)[:, None]

    def evaluation_conditions(self) -> np.ndarray:
        """A ``test_grid`` x ``test_grid`` grid over the input range."""
        return input_grid(*self.config["input_range"], self.config["test_grid"])

    def evaluation_columns(self, levels: np.ndarray, per_trial: np.ndarray,
                           target: np.ndarray) -> dict[str, np.ndarray]:
        """difference (input1 - input2) and accuracy: the fraction of a condition's trials
        on the correct side of the midpoint between the two targets."""
        return {"difference": levels[:, 0] - levels[:, 1],
                "accuracy": choice_accuracy(per_trial, target, self.midpoint)}

    def score(self, frame: pd.DataFrame, trace: pd.DataFrame) -> dict[str, Any]:
        """Error: mean squared error of the per-condition mean output; the criterion is the
        mean accuracy over conditions with |input1 - input2| >= ``min_test_difference``."""
        return choice_score(frame, self.config["min_test_difference"],
                            self.config["min_accuracy"])

    def held_conditions(self) -> np.ndarray:
        return input_grid(*self.config["input_range"], self.config["simulation_grid"])

    def condition_groups(self, conditions: np.ndarray, held: np.ndarray
                         ) -> list[tuple[str, np.ndarray]]:
        """Held trials with input 1 > input 2 and those with input 2 > input 1 (the two
        answers); trials with equal inputs belong to neither."""
        u1, u2 = conditions[:, 0], conditions[:, 1]
        return [("input 1 > input 2", np.flatnonzero(held & (u1 > u2))),
                ("input 2 > input 1", np.flatnonzero(held & (u2 > u1)))]

    def fixed_point_inputs(self) -> list[np.ndarray]:
        """Each configured pair."""
        return [np.asarray(pair, dtype=float) for pair in self.config["fixed_point_inputs"]]

    @staticmethod
    def condition_value(inputs: np.ndarray) -> np.ndarray:
        """input 1 - input 2."""
        u = np.atleast_2d(np.asarray(inputs, dtype=float))
        return u[:, 0] - u[:, 1]
