"""Frequency comparison: report which of two sine-wave inputs oscillates faster.

The report's decision task "with various dynamics" (section 6): "distinguishing which
of two sinusoidal waves has a higher frequency".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .base import Task, TaskConfigError
from .decision import input_grid
from .frequency import FREQUENCY_RANGE, check_sine_timing
from .shared import (
    bin_midpoints,
    check_fixed_points_off_held,
    choice_accuracy,
    choice_score,
    sine_waves,
)


class FrequencyComparison(Task):
    """Two sine inputs ``input_amplitude`` sin(2 pi f_i t), phase 0 at the onset; the output
    goes high when f2 > f1 and low otherwise, after ``settle_ms``.

    Decision with frequencies for levels: training draws f1 and f2 uniformly from
    ``freq_range_hz``; the test and held conditions are grids of (f1, f2) over it, and
    the criterion is decision's, on pairs at least ``min_test_difference`` Hz apart.
    A trial's condition is (f1, f2), Hz. The fixed-point analysis needs constant
    inputs: the ``fixed_point_grid`` x ``fixed_point_grid`` pairs of levels evenly
    spaced over the sines' range (bin midpoints of [-amplitude, amplitude]); none may
    equal a simulated frequency pair (:meth:`check`). Timing as for the frequency kind.

    A recommended entry::

        frequency_comparison:
          kind: frequency_comparison
          n_units: 256
          n_inputs: 2
          input_std: 0.5
          trial_ms: 2000
          settle_ms: 1000
          input_noise_std: 0.02
          freq_range_hz: [1.0, 3.0]
          input_amplitude: 0.5
          output_high: 1.0           # f2 > f1
          output_low: 0.0
          loss_target: 0.008         # decision's
          test_grid: 9               # 9 x 9 (f1, f2) pairs, 0.25 Hz apart
          min_test_difference: 0.25  # Hz: neighbours on the test grid count
          min_accuracy: 0.95
          simulation_grid: 5
          fixed_point_grid: 3        # u = -1/3, 0, 1/3 of the amplitude for each input
    """

    kind = "frequency_comparison"
    properties = {
        "n_inputs": {"const": 2},
        "freq_range_hz": {**FREQUENCY_RANGE,
                          "description": "[low, high] of f1 and f2, Hz; training draws each "
                                         "uniformly"},
        "input_amplitude": {"type": "number", "exclusiveMinimum": 0},
        "output_high": {"type": "number", "description": "target when f2 > f1"},
        "output_low": {"type": "number"},
        "test_grid": {"type": "integer", "minimum": 2,
                      "description": "test conditions: a test_grid x test_grid grid of "
                                     "(f1, f2) over freq_range_hz"},
        "min_test_difference": {"type": "number", "minimum": 0, "description": "Hz"},
        "min_accuracy": {"type": "number", "minimum": 0, "maximum": 1,
                         "description": "sign accuracy on test trials with "
                                        "|f1 - f2| >= min_test_difference"},
        "simulation_grid": {"type": "integer", "minimum": 2,
                            "description": "analysis simulations: a simulation_grid x "
                                           "simulation_grid grid of (f1, f2)"},
        "fixed_point_grid": {"type": "integer", "minimum": 1,
                             "description": "constant inputs analysed for fixed points: every "
                                            "pair of fixed_point_grid bin midpoints over "
                                            "[-amplitude, amplitude]"},
    }
    required = ("freq_range_hz", "input_amplitude", "output_high", "output_low", "test_grid",
                "min_test_difference", "min_accuracy", "simulation_grid", "fixed_point_grid")
    condition_label = "f1 - f2 (Hz)"
    condition_scale = "diverging"
    performance_view = "by_condition"
    binary_decision = True
    # As for the frequency kind: a sine-driven trial has no steady state to draw.
    latent_view = None
    simulation_keys = ("simulation_grid",)
    fixed_point_keys = ("fixed_point_grid",)

    def check(self) -> None:
        super().check()
        check_sine_timing(self.name, self.config)
        low, high = self.config["freq_range_hz"]
        key = f"tasks.{self.name}"
        if self.config["min_test_difference"] > high - low:
            raise TaskConfigError(f"{key}.min_test_difference "
                                  f"({self.config['min_test_difference']}) exceeds the width of "
                                  f"{key}.freq_range_hz ({high - low:g} Hz): no test pair would "
                                  "count")
        check_fixed_points_off_held(self.name, "fixed_point_grid", self.fixed_point_inputs(),
                                    self.held_conditions())

    @property
    def midpoint(self) -> float:
        """The output between the two targets: the decision boundary of the readout."""
        return 0.5 * (self.config["output_high"] + self.config["output_low"])

    def sample_conditions(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(*self.config["freq_range_hz"], size=(n, 2))

    def input_sequences(self, conditions: np.ndarray, n_steps_: int, dt: float) -> np.ndarray:
        """The two sines of each trial's (f1, f2), shape (n_steps_, trial, 2)."""
        return sine_waves(conditions, n_steps_, dt, self.config["input_amplitude"])

    def targets(self, conditions: np.ndarray) -> np.ndarray:
        high, low = self.config["output_high"], self.config["output_low"]
        return np.where(conditions[:, 1] > conditions[:, 0], high, low)[:, None]

    def evaluation_conditions(self) -> np.ndarray:
        """A ``test_grid`` x ``test_grid`` grid of (f1, f2) over the range."""
        return input_grid(*self.config["freq_range_hz"], self.config["test_grid"])

    def evaluation_columns(self, levels: np.ndarray, per_trial: np.ndarray,
                           target: np.ndarray) -> dict[str, np.ndarray]:
        """difference (f1 - f2, Hz) and accuracy: the fraction of a condition's trials on
        the correct side of the midpoint between the two targets."""
        return {"difference": levels[:, 0] - levels[:, 1],
                "accuracy": choice_accuracy(per_trial, target, self.midpoint)}

    def score(self, frame: pd.DataFrame, trace: pd.DataFrame) -> dict[str, Any]:
        """Decision's: the error is the mean squared error of the per-condition mean
        output; the criterion is the mean accuracy over test conditions with
        |f1 - f2| >= ``min_test_difference``."""
        return choice_score(frame, self.config["min_test_difference"],
                            self.config["min_accuracy"])

    def held_conditions(self) -> np.ndarray:
        """A ``simulation_grid`` x ``simulation_grid`` grid of (f1, f2)."""
        return input_grid(*self.config["freq_range_hz"], self.config["simulation_grid"])

    def condition_groups(self, conditions: np.ndarray, held: np.ndarray
                         ) -> list[tuple[str, np.ndarray]]:
        """Held trials with f1 > f2 and those with f2 > f1 (the two answers); trials with
        equal frequencies belong to neither."""
        f1, f2 = conditions[:, 0], conditions[:, 1]
        return [("f1 > f2", np.flatnonzero(held & (f1 > f2))),
                ("f2 > f1", np.flatnonzero(held & (f2 > f1)))]

    def fixed_point_inputs(self) -> list[np.ndarray]:
        """Every (u1, u2) pair of ``fixed_point_grid`` levels evenly spaced over the sines'
        range (bin midpoints of [-amplitude, amplitude]), u1 varying slowest."""
        amplitude = self.config["input_amplitude"]
        levels = bin_midpoints(-amplitude, amplitude, self.config["fixed_point_grid"])
        u1, u2 = np.meshgrid(levels, levels, indexing="ij")
        return list(np.column_stack([u1.ravel(), u2.ravel()]))

    @staticmethod
    def condition_value(inputs: np.ndarray) -> np.ndarray:
        """f1 - f2, Hz (for the constant fixed-point inputs: u1 - u2)."""
        u = np.atleast_2d(np.asarray(inputs, dtype=float))
        return u[:, 0] - u[:, 1]
