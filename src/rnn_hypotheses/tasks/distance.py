"""Distance: the output reports how far a constant D-dimensional input lies from the origin.

The report's first way to make perception harder (section 6): "the inputs could
represent coordinates in some higher-dimensional space and the output can be the
distance of these coordinates from the origin". With D = 1 it is perception on a
continuum of levels instead of two.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..seeding import rng_for
from .base import Task
from .shared import (
    affine,
    check_distinct_outputs,
    check_increasing_range,
    lower_and_upper_halves,
    point_norms,
    points_on_rays,
)


class Distance(Task):
    """A noisy constant point x in D dimensions (``n_inputs`` = D) mapped to its distance |x|.

    Training draws |x| uniformly from ``input_range`` and the direction uniformly over
    the positive orthant of the unit sphere (every coordinate non-negative, as the
    report's inputs are), so the targets are distributed alike for every D and only
    the geometry of the inputs grows with it. The target maps |x| affinely from
    ``input_range`` onto ``output_range``, perception's output range and direction by
    default (a larger input gives a lower output: 0.5 -> 0.8 and 0.8 -> 0.5 in the
    report), so a D = 1 task with ``input_range: [0.5, 0.8]`` is perception trained on
    every level between its two.

    The test points, the held conditions of the analysis simulations and the
    fixed-point inputs are evenly spaced distances along ``input_range``, each in a
    direction drawn from ``rng_for("distance", point_seed, <purpose>)``: fixed sets, a
    function of the config entry alone (not of the task's name or a network's seed),
    whose distances are the same for every D. ``n_fixed_point_inputs`` sets how many
    constant inputs the slow-point stage analyses, the same count for every D, so
    that counts per input are comparable across D.

    A recommended entry (D = 2; the complexity sweep varies ``n_inputs`` only)::

        distance_d2:
          kind: distance
          n_units: 128
          n_inputs: 2                # D
          input_std: 0.57735         # 1 / sqrt(3), as perception
          trial_ms: 1000
          settle_ms: 200
          input_noise_std: 0.02
          input_range: [0.2, 1.0]    # |x|, as decision's input range
          output_range: [0.8, 0.5]   # targets at |x| = 0.2 and |x| = 1.0 (perception's)
          loss_target: 1.0e-4
          tolerance: 0.03            # |trial-averaged output - target|, second half
          test_points: 9
          simulation_points: 5
          switching_trials: 2        # alternate between the nearest and farthest held point
          switch_every_ms: 500
          n_fixed_point_inputs: 8
          point_seed: 0
    """

    kind = "distance"
    properties = {
        "n_inputs": {"type": "integer", "minimum": 1, "description": "D, the dimension of x"},
        "input_range": {"type": "array", "items": {"type": "number", "minimum": 0},
                        "minItems": 2, "maxItems": 2,
                        "description": "[low, high] of |x|; training draws |x| uniformly from "
                                       "it"},
        "output_range": {"type": "array", "items": {"type": "number"}, "minItems": 2,
                         "maxItems": 2,
                         "description": "targets at |x| = input_range[0] and input_range[1]; "
                                        "affine in between"},
        "tolerance": {"type": "number", "exclusiveMinimum": 0,
                      "description": "largest |trial-averaged output - target| over the "
                                     "second half of the trial and the test points"},
        "test_points": {"type": "integer", "minimum": 2,
                        "description": "test points: evenly spaced |x| over input_range, "
                                       "seeded directions"},
        "simulation_points": {"type": "integer", "minimum": 2,
                              "description": "held conditions of the analysis simulations: "
                                             "evenly spaced |x|, seeded directions"},
        "switching_trials": {"type": "integer", "minimum": 1,
                             "description": "simulated trials alternating between the nearest "
                                            "and the farthest held point (Figure 3)"},
        "switch_every_ms": {"type": "number", "exclusiveMinimum": 0},
        "n_fixed_point_inputs": {"type": "integer", "minimum": 1,
                                 "description": "constant inputs analysed for fixed points: "
                                                "evenly spaced |x|, seeded directions"},
        "point_seed": {"type": "integer", "minimum": 0,
                       "description": "seed of the directions of the test points, held "
                                      "conditions and fixed-point inputs"},
    }
    required = ("input_range", "output_range", "tolerance", "test_points",
                "simulation_points", "switching_trials", "switch_every_ms",
                "n_fixed_point_inputs", "point_seed")
    condition_label = "|x|"
    condition_scale = "categorical"
    performance_view = "by_condition"
    latent_view = "switching"
    simulation_keys = ("simulation_points", "switching_trials", "switch_every_ms")
    fixed_point_keys = ("n_fixed_point_inputs",)

    def check(self) -> None:
        super().check()
        check_increasing_range(self.name, self.config, "input_range")
        check_distinct_outputs(self.name, "output_range", *self.config["output_range"])

    @property
    def complexity(self) -> tuple[str, int]:
        """("distance", D)."""
        return self.kind, self.n_inputs

    def target_of(self, norms: np.ndarray) -> np.ndarray:
        """Target output of each distance |x| (affine, extrapolated outside the range)."""
        return affine(norms, self.config["input_range"], self.config["output_range"])

    def points_at(self, radii: np.ndarray, purpose: str) -> np.ndarray:
        """Points at the distances ``radii`` (n,) in seeded directions, shape (n, D)."""
        rng = rng_for(self.kind, int(self.config["point_seed"]), purpose)
        return points_on_rays(np.asarray(radii, float)[:, None], self.n_inputs, rng)

    def evenly_spaced_points(self, n: int, purpose: str) -> np.ndarray:
        """``n`` points at evenly spaced distances over ``input_range``, shape (n, D)."""
        return self.points_at(np.linspace(*self.config["input_range"], n), purpose)

    def sample_conditions(self, rng: np.random.Generator, n: int) -> np.ndarray:
        radii = rng.uniform(*self.config["input_range"], size=(n, 1))
        return points_on_rays(radii, self.n_inputs, rng)

    def targets(self, conditions: np.ndarray) -> np.ndarray:
        return self.target_of(point_norms(conditions, 1)[:, 0])[:, None]

    def evaluation_conditions(self) -> np.ndarray:
        """``test_points`` points at evenly spaced distances, in seeded directions."""
        return self.evenly_spaced_points(self.config["test_points"], "test_points")

    def evaluation_columns(self, levels: np.ndarray, per_trial: np.ndarray,
                           target: np.ndarray) -> dict[str, np.ndarray]:
        """norm: |x| of the test point."""
        return {"norm": point_norms(levels, 1)[:, 0]}

    def score(self, frame: pd.DataFrame, trace: pd.DataFrame) -> dict[str, Any]:
        """Perception's criterion over every test point: the error is the largest
        |trial-averaged output - target| over the second half of the trial; the criterion
        is ``tolerance``."""
        late = trace["time_ms"] > self.config["trial_ms"] / 2
        error = float((trace.loc[late, "output"] - trace.loc[late, "target"]).abs().max())
        return {"error": error, "sign_accuracy": float("nan"),
                "meets_criterion": error <= self.config["tolerance"]}

    def held_conditions(self) -> np.ndarray:
        """``simulation_points`` points at evenly spaced distances, in seeded directions
        (nearest first)."""
        return self.evenly_spaced_points(self.config["simulation_points"],
                                         "simulation_points")

    def changing_trials(self, n_steps_: int, dt: float) -> tuple[np.ndarray, str]:
        """``switching_trials`` trials alternating every ``switch_every_ms`` between the
        nearest and the farthest held point (perception's switch between its two levels)."""
        held = self.held_conditions()
        nearest, farthest = held[0], held[-1]
        period = max(1, int(round(self.config["switch_every_ms"] / dt)))
        first_phase = ((np.arange(n_steps_) // period) % 2 == 0)[:, None]
        sequence = np.where(first_phase, nearest, farthest)  # (time, D)
        n_switch = self.config["switching_trials"]
        return (np.broadcast_to(sequence[:, None, :], (n_steps_, n_switch, self.n_inputs)),
                "switching")

    def condition_groups(self, conditions: np.ndarray, held: np.ndarray
                         ) -> list[tuple[str, np.ndarray]]:
        """Held trials at the nearer half of the held distances and at the farther half."""
        return lower_and_upper_halves(self.condition_value(conditions), held, "|x|")

    def fixed_point_inputs(self) -> list[np.ndarray]:
        """``n_fixed_point_inputs`` points at evenly spaced distances over ``input_range``,
        in seeded directions: the same count and distances for every D."""
        return list(self.evenly_spaced_points(self.config["n_fixed_point_inputs"],
                                              "fixed_point_inputs"))

    @staticmethod
    def condition_value(inputs: np.ndarray) -> np.ndarray:
        """|x|, the distance of the input from the origin."""
        return point_norms(inputs, 1)[:, 0]
