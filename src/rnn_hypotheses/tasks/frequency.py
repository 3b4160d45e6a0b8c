"""Frequency: the output reports the frequency of a sine-wave input (report, section 6).

The report's first task "with various dynamics": "outputting the frequency of a sine
wave input". Perception with a time-varying input: the network must hold an output
that depends on how fast its input oscillates, not on its level.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .base import Task, TaskConfigError
from .shared import (
    affine,
    bin_midpoints,
    check_distinct_outputs,
    check_fixed_points_off_held,
    check_increasing_range,
    lower_and_upper_halves,
    sine_waves,
)

# Schema of a frequency range shared by the sine kinds.
FREQUENCY_RANGE = {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0},
                   "minItems": 2, "maxItems": 2}


def check_sine_timing(name: str, config: dict[str, Any]) -> None:
    """The timing limits of a kind that reads a sine's frequency and reports it by a level.

    The settle period must hold half a period of the lowest frequency (before that a sine
    has not shown both signs, so nothing tells a slow sine from a constant), and end by
    the middle of the trial (the evaluation averages the output over the second half).
    """
    key = f"tasks.{name}"
    low, _ = check_increasing_range(name, config, "freq_range_hz")
    half_period_ms = 500.0 / low
    if config["settle_ms"] < half_period_ms:
        raise TaskConfigError(f"{key}.settle_ms ({config['settle_ms']}) must hold half a period "
                              f"of the lowest frequency of {key}.freq_range_hz "
                              f"({half_period_ms:g} ms)")
    if config["settle_ms"] > config["trial_ms"] / 2:
        raise TaskConfigError(f"{key}.settle_ms ({config['settle_ms']}) must end by the middle "
                              f"of {key}.trial_ms ({config['trial_ms']}): the evaluation averages "
                              "the output over the second half of the trial")


class Frequency(Task):
    """A sine input ``input_amplitude`` sin(2 pi f t), phase 0 at the onset; the output
    maps f affinely from ``freq_range_hz`` onto ``output_range`` after ``settle_ms``.

    A trial's condition is its frequency f (Hz), not an input level: the ``input1``
    columns of the evaluation tables and the held conditions of the simulations hold f.
    The target is constant over the trial and the loss skips the settle period, in
    which the network has yet to see enough of the sine to know f.

    Timing: dt = 10 ms samples 1-3 Hz with 33 or more steps per period; tau = 100 ms
    passes these frequencies (a unit's leak halves the amplitude only near 3 Hz). The
    settle period must hold half a period of the slowest (:func:`check_sine_timing`);
    the recommended 1000 ms holds a whole one, and the 1000 ms after it, over which
    the evaluation averages, one to three. The fixed-point analysis
    needs constant inputs: ``n_fixed_point_inputs`` levels evenly spaced over the
    sine's range (the midpoints of equal bins of [-amplitude, amplitude]), the
    values the input passes through; none may equal a simulated frequency
    (:meth:`check`).

    A recommended entry::

        frequency:
          kind: frequency
          n_units: 128
          n_inputs: 1
          input_std: 0.57735
          trial_ms: 2000
          settle_ms: 1000
          input_noise_std: 0.02
          freq_range_hz: [1.0, 3.0]
          input_amplitude: 0.5
          output_range: [0.5, 0.8]   # targets at 1 Hz and at 3 Hz (perception's outputs)
          loss_target: 1.0e-4
          tolerance: 0.03            # |output averaged over the second half - target|
          test_frequencies: 9
          simulation_frequencies: 5
          n_fixed_point_inputs: 5    # u = -0.4, -0.2, 0, 0.2, 0.4
    """

    kind = "frequency"
    properties = {
        "n_inputs": {"const": 1},
        "freq_range_hz": {**FREQUENCY_RANGE,
                          "description": "[low, high] of f, Hz; training draws f uniformly"},
        "input_amplitude": {"type": "number", "exclusiveMinimum": 0},
        "output_range": {"type": "array", "items": {"type": "number"}, "minItems": 2,
                         "maxItems": 2,
                         "description": "targets at the low and the high frequency; affine "
                                        "in between"},
        "tolerance": {"type": "number", "exclusiveMinimum": 0,
                      "description": "largest |output averaged over the second half of the "
                                     "trial - target| over the test frequencies"},
        "test_frequencies": {"type": "integer", "minimum": 2,
                             "description": "evenly spaced over freq_range_hz"},
        "simulation_frequencies": {"type": "integer", "minimum": 2,
                                   "description": "held frequencies of the analysis "
                                                  "simulations, evenly spaced"},
        "n_fixed_point_inputs": {"type": "integer", "minimum": 1,
                                 "description": "constant inputs analysed for fixed points: "
                                                "bin midpoints over [-amplitude, amplitude]"},
    }
    required = ("freq_range_hz", "input_amplitude", "output_range", "tolerance",
                "test_frequencies", "simulation_frequencies", "n_fixed_point_inputs")
    condition_label = "input frequency (Hz)"
    condition_scale = "categorical"
    performance_view = "by_condition"
    # The report's 3-D figures draw steady states (Figure 2) or a switch between two
    # levels (Figure 3); a sine-driven trial has neither.
    latent_view = None
    simulation_keys = ("simulation_frequencies",)
    fixed_point_keys = ("n_fixed_point_inputs",)

    def check(self) -> None:
        super().check()
        check_sine_timing(self.name, self.config)
        check_distinct_outputs(self.name, "output_range", *self.config["output_range"])
        check_fixed_points_off_held(self.name, "n_fixed_point_inputs",
                                    self.fixed_point_inputs(), self.held_conditions())

    def evenly_spaced(self, n: int) -> np.ndarray:
        """``n`` frequencies evenly spaced over ``freq_range_hz`` (ends included), (n, 1)."""
        return np.linspace(*self.config["freq_range_hz"], n)[:, None]

    def sample_conditions(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(*self.config["freq_range_hz"], size=(n, 1))

    def input_sequences(self, conditions: np.ndarray, n_steps_: int, dt: float) -> np.ndarray:
        """The sine of each trial's frequency, shape (n_steps_, trial, 1)."""
        return sine_waves(conditions, n_steps_, dt, self.config["input_amplitude"])

    def targets(self, conditions: np.ndarray) -> np.ndarray:
        return affine(conditions[:, :1], self.config["freq_range_hz"],
                      self.config["output_range"])

    def evaluation_conditions(self) -> np.ndarray:
        """``test_frequencies`` frequencies evenly spaced over the range."""
        return self.evenly_spaced(self.config["test_frequencies"])

    def evaluation_columns(self, levels: np.ndarray, per_trial: np.ndarray,
                           target: np.ndarray) -> dict[str, np.ndarray]:
        """frequency_hz: the test frequency."""
        return {"frequency_hz": levels[:, 0]}

    def score(self, frame: pd.DataFrame, trace: pd.DataFrame) -> dict[str, Any]:
        """The error is the largest |output averaged over the second half of the trial -
        target| over the test frequencies (the average, not each step: the output may
        ripple at the input's frequency); the criterion is ``tolerance``."""
        error = float(frame["error"].max())
        return {"error": error, "sign_accuracy": float("nan"),
                "meets_criterion": error <= self.config["tolerance"]}

    def held_conditions(self) -> np.ndarray:
        """``simulation_frequencies`` frequencies evenly spaced over the range."""
        return self.evenly_spaced(self.config["simulation_frequencies"])

    def condition_groups(self, conditions: np.ndarray, held: np.ndarray
                         ) -> list[tuple[str, np.ndarray]]:
        """Held trials at the lower half of the held frequencies and at the upper half."""
        return lower_and_upper_halves(self.condition_value(conditions), held, "f (Hz)")

    def fixed_point_inputs(self) -> list[np.ndarray]:
        """``n_fixed_point_inputs`` constant inputs evenly spaced over the sine's range:
        the midpoints of equal bins of [-amplitude, amplitude]."""
        amplitude = self.config["input_amplitude"]
        levels = bin_midpoints(-amplitude, amplitude, self.config["n_fixed_point_inputs"])
        return [np.array([u]) for u in levels]

    @staticmethod
    def condition_value(inputs: np.ndarray) -> np.ndarray:
        """The input's frequency f, Hz (for the constant fixed-point inputs: their level)."""
        return np.atleast_2d(np.asarray(inputs, dtype=float))[:, 0]
