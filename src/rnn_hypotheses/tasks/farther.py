"""Farther: report which of two constant D-dimensional points lies farther from the origin.

The report's way to make its decision task harder (section 6): "a similar input of
two different coordinates, and the network is asked [to] distinguish which
coordinate is farther from the origin". With D = 1 and a non-negative input range,
|b| > |a| exactly when b > a: the report's decision task, draw for draw.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..seeding import rng_for
from .base import Task, TaskConfigError
from .decision import input_grid
from .shared import (
    check_increasing_range,
    choice_accuracy,
    choice_score,
    point_norms,
    points_on_rays,
)


class Farther(Task):
    """Two noisy constant points a and b in D dimensions (``n_inputs`` = 2D, a first);
    the output goes high when |b| > |a| and low otherwise.

    Training draws |a| and |b| uniformly from ``input_range``, in this order and as
    decision draws its two inputs, then (for D > 1) each point's direction uniformly
    over the positive orthant of the unit sphere. So a D = 1 entry with decision's
    keys draws decision's batches from the same generator, bit for bit, and its test
    grid, held grid, scores and condition groups are decision's too.

    The test and held conditions are the ``test_grid`` x ``test_grid`` and
    ``simulation_grid`` x ``simulation_grid`` grids of (|a|, |b|) over
    ``input_range``, each point in a direction drawn from
    ``rng_for("farther", point_seed, <purpose>)``. The fixed-point inputs are
    ``n_fixed_point_inputs`` draws from the training distribution with
    ``rng_for("farther", point_seed, "fixed_point_inputs")``: a fixed set, a function
    of the config entry alone, of the same count for every D, whose (|a|, |b|) are the
    same for every D (distances are drawn before directions).

    A recommended entry (D = 2; the complexity sweep varies ``n_inputs`` = 2D only)::

        farther_d2:
          kind: farther
          n_units: 256
          n_inputs: 4                # 2D: a's D coordinates, then b's
          input_std: 0.5             # as decision
          trial_ms: 1000
          settle_ms: 300
          input_noise_std: 0.02
          input_range: [0.2, 1.0]    # |a| and |b|, decision's input range
          output_high: 1.0           # |b| > |a|
          output_low: 0.0
          loss_target: 0.015         # decision's 0.008 is met only near 4000 steps at D = 2
          test_grid: 17              # 17 x 17 (|a|, |b|) test pairs
          min_test_difference: 0.1   # accuracy counts pairs with ||a| - |b|| >= 0.1
          min_accuracy: 0.95
          simulation_grid: 5
          n_fixed_point_inputs: 8
          point_seed: 0
    """

    kind = "farther"
    properties = {
        "n_inputs": {"type": "integer", "minimum": 2, "multipleOf": 2,
                     "description": "2D: the D coordinates of a, then those of b"},
        "input_range": {"type": "array", "items": {"type": "number", "minimum": 0},
                        "minItems": 2, "maxItems": 2,
                        "description": "[low, high] of |a| and |b|; training draws each "
                                       "uniformly from it"},
        "output_high": {"type": "number", "description": "target when |b| > |a|"},
        "output_low": {"type": "number"},
        "test_grid": {"type": "integer", "minimum": 2,
                      "description": "test conditions: a test_grid x test_grid grid of "
                                     "(|a|, |b|) over input_range, seeded directions"},
        "min_test_difference": {"type": "number", "minimum": 0},
        "min_accuracy": {"type": "number", "minimum": 0, "maximum": 1,
                         "description": "sign accuracy on test trials with "
                                        "||a| - |b|| >= min_test_difference"},
        "simulation_grid": {"type": "integer", "minimum": 2,
                            "description": "analysis simulations: a simulation_grid x "
                                           "simulation_grid grid of (|a|, |b|), seeded "
                                           "directions"},
        "n_fixed_point_inputs": {"type": "integer", "minimum": 1,
                                 "description": "(a, b) pairs analysed for fixed points, drawn "
                                                "from the training distribution"},
        "point_seed": {"type": "integer", "minimum": 0,
                       "description": "seed of the directions of the test and held "
                                      "conditions and of the fixed-point inputs"},
    }
    required = ("input_range", "output_high", "output_low", "test_grid",
                "min_test_difference", "min_accuracy", "simulation_grid",
                "n_fixed_point_inputs", "point_seed")
    condition_label = "|a| - |b|"
    condition_scale = "diverging"
    performance_view = "by_condition"
    binary_decision = True
    # Figure 2 draws lines along which one input varies and the others stay fixed; the
    # held points of D > 1 move in every coordinate at once, so no such lines exist.
    latent_view = None
    simulation_keys = ("simulation_grid",)
    fixed_point_keys = ("n_fixed_point_inputs",)

    def check(self) -> None:
        super().check()
        low, high = check_increasing_range(self.name, self.config, "input_range")
        key = f"tasks.{self.name}"
        if self.config["min_test_difference"] > high - low:
            raise TaskConfigError(f"{key}.min_test_difference "
                                  f"({self.config['min_test_difference']}) exceeds the width of "
                                  f"{key}.input_range ({high - low:g}): no test pair would count")

    @property
    def dimension(self) -> int:
        """D, the coordinates of each point."""
        return self.n_inputs // 2

    @property
    def complexity(self) -> tuple[str, int]:
        """("farther", D)."""
        return self.kind, self.dimension

    @property
    def midpoint(self) -> float:
        """The output between the two targets: the decision boundary of the readout."""
        return 0.5 * (self.config["output_high"] + self.config["output_low"])

    def pairs_at(self, radii: np.ndarray, purpose: str) -> np.ndarray:
        """(a, b) at the distances ``radii`` (n, 2) in seeded directions, shape (n, 2D)."""
        rng = rng_for(self.kind, int(self.config["point_seed"]), purpose)
        return points_on_rays(radii, self.dimension, rng)

    def sample_conditions(self, rng: np.random.Generator, n: int) -> np.ndarray:
        radii = rng.uniform(*self.config["input_range"], size=(n, 2))
        return points_on_rays(radii, self.dimension, rng)

    def targets(self, conditions: np.ndarray) -> np.ndarray:
        high, low = self.config["output_high"], self.config["output_low"]
        norms = point_norms(conditions, 2)
        return np.where(norms[:, 1] > norms[:, 0], high, low)[:, None]

    def evaluation_conditions(self) -> np.ndarray:
        """A ``test_grid`` x ``test_grid`` grid of (|a|, |b|), seeded directions."""
        return self.pairs_at(input_grid(*self.config["input_range"], self.config["test_grid"]),
                             "test_grid")

    def evaluation_columns(self, levels: np.ndarray, per_trial: np.ndarray,
                           target: np.ndarray) -> dict[str, np.ndarray]:
        """difference (|a| - |b|) and accuracy: the fraction of a condition's trials on the
        correct side of the midpoint between the two targets."""
        return {"difference": self.condition_value(levels),
                "accuracy": choice_accuracy(per_trial, target, self.midpoint)}

    def score(self, frame: pd.DataFrame, trace: pd.DataFrame) -> dict[str, Any]:
        """Decision's: the error is the mean squared error of the per-condition mean
        output; the criterion is the mean accuracy over test conditions with
        ||a| - |b|| >= ``min_test_difference``."""
        return choice_score(frame, self.config["min_test_difference"],
                            self.config["min_accuracy"])

    def held_conditions(self) -> np.ndarray:
        """A ``simulation_grid`` x ``simulation_grid`` grid of (|a|, |b|), seeded
        directions."""
        return self.pairs_at(input_grid(*self.config["input_range"],
                                        self.config["simulation_grid"]), "simulation_grid")

    def condition_groups(self, conditions: np.ndarray, held: np.ndarray
                         ) -> list[tuple[str, np.ndarray]]:
        """Held trials with |a| > |b| and those with |b| > |a| (the two answers); trials with
        equal distances belong to neither."""
        value = self.condition_value(conditions)
        return [("|a| > |b|", np.flatnonzero(held & (value > 0))),
                ("|b| > |a|", np.flatnonzero(held & (value < 0)))]

    def fixed_point_inputs(self) -> list[np.ndarray]:
        """``n_fixed_point_inputs`` (a, b) pairs drawn from the training distribution with a
        generator seeded by ``point_seed``."""
        rng = rng_for(self.kind, int(self.config["point_seed"]), "fixed_point_inputs")
        return list(self.sample_conditions(rng, self.config["n_fixed_point_inputs"]))

    @staticmethod
    def condition_value(inputs: np.ndarray) -> np.ndarray:
        """|a| - |b|; for D = 1 and non-negative inputs, input 1 - input 2."""
        norms = point_norms(inputs, 2)
        return norms[:, 0] - norms[:, 1]
