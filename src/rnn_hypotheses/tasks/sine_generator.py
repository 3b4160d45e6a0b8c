"""Sine generator: a constant input level sets the frequency of an oscillating output.

The report's third task with dynamics (section 6): "outputting a sine wave with a
frequency equal to a fixed [...] input". Sussillo and Barak (2013, Neural Computation
25(3), "Opening the black box: low-dimensional dynamics in high-dimensional recurrent
neural networks") trained this task and found, around the fixed point of each input
level, an unstable oscillatory mode whose frequency is close to the output's: the
known answer that the slow-point stage can be tested against.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .base import Task, TaskConfigError
from .frequency import FREQUENCY_RANGE
from .shared import check_increasing_range, lower_and_upper_halves, sine_waves

# Frequencies a fit may find, as multiples of the lowest and highest target frequency,
# and the spacing of the candidates (Hz): wide enough that an output at a wrong
# frequency is found there, fine enough to resolve a few per cent.
FIT_BAND = (0.5, 2.0)
FIT_STEP_HZ = 0.005


def dominant_frequency_hz(time_ms: np.ndarray, signal: np.ndarray,
                          candidates_hz: np.ndarray) -> float:
    """The frequency of the sinusoid (any phase, plus an offset) that fits ``signal`` best
    by least squares.

    Unlike the peak of a discrete Fourier transform, the fit is unbiased on a window of
    one or two periods, which is all a trial of a slow oscillator holds.

    Parameters
    ----------
    time_ms : ndarray, shape (time,)
    signal : ndarray, shape (time,)
    candidates_hz : ndarray, shape (n,)

    Returns
    -------
    float
        The candidate with the least residual, Hz.
    """
    t_s = np.asarray(time_ms, float) / 1000.0
    y = np.asarray(signal, float)
    phase = 2.0 * np.pi * np.asarray(candidates_hz, float)[:, None] * t_s[None, :]
    design = np.stack([np.sin(phase), np.cos(phase), np.ones_like(phase)], axis=-1)
    gram = np.einsum("fti,ftj->fij", design, design)
    moment = np.einsum("fti,t->fi", design, y)
    coef = np.linalg.solve(gram, moment[..., None])[..., 0]
    residual = ((y[None, :] - np.einsum("fti,fi->ft", design, coef)) ** 2).sum(axis=1)
    return float(candidates_hz[int(np.argmin(residual))])


def oscillation_errors(trace: pd.DataFrame, settle_ms: float, freq_range_hz: tuple[float, float]
                       ) -> pd.DataFrame:
    """How well each condition's trial-averaged output follows its sine, after settling.

    Parameters
    ----------
    trace : DataFrame
        :func:`~rnn_hypotheses.evaluate.evaluate`'s trace: condition, time_ms, output,
        target, input1 (the level, f in Hz).
    settle_ms : float
        Steps up to this time are left out.
    freq_range_hz : (low, high)
        Sets the band of the frequency fit (:data:`FIT_BAND`).

    Returns
    -------
    DataFrame
        One row per condition: condition, frequency_hz (asked for), output_frequency_hz
        (:func:`dominant_frequency_hz` of the output), frequency_error (relative,
        |output - asked| / asked) and nmse (mean squared error over the target's mean
        square).
    """
    low, high = freq_range_hz
    candidates = np.arange(FIT_BAND[0] * low, FIT_BAND[1] * high + FIT_STEP_HZ / 2, FIT_STEP_HZ)
    rows = []
    for condition, part in trace[trace["time_ms"] > settle_ms].groupby("condition", sort=True):
        asked = float(part["input1"].iloc[0])
        output, target = part["output"].to_numpy(float), part["target"].to_numpy(float)
        found = dominant_frequency_hz(part["time_ms"].to_numpy(float), output, candidates)
        rows.append({"condition": condition, "frequency_hz": asked,
                     "output_frequency_hz": found,
                     "frequency_error": abs(found - asked) / asked,
                     "nmse": float(np.mean((output - target) ** 2) / np.mean(target ** 2))})
    return pd.DataFrame(rows)


class SineGenerator(Task):
    """A noisy constant input level u asks for the output ``output_amplitude`` sin(2 pi f t),
    phase 0 at the onset, with f = u x 1 Hz.

    The level is the frequency in Hz (the identity among the affine maps): a figure
    places a condition by :meth:`condition_value`, a function of the inputs alone, so
    the map from level to frequency is fixed by the kind, not the config. Training
    draws f uniformly from ``freq_range_hz``; the loss skips ``settle_ms``, in which
    the network may start its oscillation.

    Criterion: on the trial-averaged output after ``settle_ms``, at every test level
    the normalised mean squared error (MSE over the target's mean square, 0.5
    amplitude^2) is at most ``max_nmse`` and the frequency of the best-fitting
    sinusoid (:func:`dominant_frequency_hz`) lies within ``frequency_tolerance``
    (relative) of f. The fixed-point inputs are levels evenly spaced over the range
    (ends included): the input is constant, so these are the inputs the network
    receives, and with ``n_fixed_point_inputs`` = ``simulation_frequencies`` they are
    the held levels of the simulations.

    Timing: with tau = 100 ms a network oscillates at 0.5-1.5 Hz through modes with
    imaginary parts of 0.3-0.9 / tau, well within reach; dt = 10 ms samples a period
    with 67 or more steps; a 2200 ms trial holds, after its 200 ms settle period, one
    period of 0.5 Hz (the least :meth:`check` allows) to three of 1.5 Hz. Trained so,
    networks keep oscillating near f long after the trial ends (8 s tried), and the
    leading eigenvalue at each level's fixed point has an imaginary part near 2 pi f.

    A recommended entry::

        sine_generator:
          kind: sine_generator
          n_units: 128
          n_inputs: 1
          input_std: 0.57735
          trial_ms: 2200
          settle_ms: 200
          input_noise_std: 0.02
          freq_range_hz: [0.5, 1.5]  # the input level is f in Hz
          output_amplitude: 0.5
          loss_target: 1.0e-3        # NMSE 0.008 on the training batches
          max_nmse: 0.1
          frequency_tolerance: 0.1   # relative
          test_frequencies: 5
          simulation_frequencies: 5
          n_fixed_point_inputs: 5
    """

    kind = "sine_generator"
    output_oscillates = True
    properties = {
        "n_inputs": {"const": 1},
        "freq_range_hz": {**FREQUENCY_RANGE,
                          "description": "[low, high] of f, Hz, and of the input level (f in "
                                         "Hz); training draws f uniformly"},
        "output_amplitude": {"type": "number", "exclusiveMinimum": 0},
        "max_nmse": {"type": "number", "exclusiveMinimum": 0,
                     "description": "largest normalised mean squared error after settle_ms "
                                    "over the test levels"},
        "frequency_tolerance": {"type": "number", "exclusiveMinimum": 0,
                                "description": "largest |output's frequency - f| / f over "
                                               "the test levels"},
        "test_frequencies": {"type": "integer", "minimum": 2,
                             "description": "evenly spaced over freq_range_hz"},
        "simulation_frequencies": {"type": "integer", "minimum": 2,
                                   "description": "held levels of the analysis simulations, "
                                                  "evenly spaced"},
        "n_fixed_point_inputs": {"type": "integer", "minimum": 1,
                                 "description": "levels analysed for fixed points, evenly "
                                                "spaced over freq_range_hz"},
    }
    required = ("freq_range_hz", "output_amplitude", "max_nmse", "frequency_tolerance",
                "test_frequencies", "simulation_frequencies", "n_fixed_point_inputs")
    condition_label = "output frequency (Hz)"
    condition_scale = "categorical"
    performance_view = "over_time"
    # An oscillating trial has no steady state for Figure 2 and no switch for Figure 3.
    latent_view = None
    simulation_keys = ("simulation_frequencies",)
    fixed_point_keys = ("n_fixed_point_inputs",)

    def check(self) -> None:
        super().check()
        low, _ = check_increasing_range(self.name, self.config, "freq_range_hz")
        key = f"tasks.{self.name}"
        scored_ms = self.config["trial_ms"] - self.config["settle_ms"]
        if scored_ms < 1000.0 / low:
            raise TaskConfigError(
                f"{key}.trial_ms - {key}.settle_ms ({scored_ms:g} ms) must hold a period of "
                f"the lowest frequency of {key}.freq_range_hz ({1000.0 / low:g} ms), or the "
                "output's frequency cannot be measured")

    def evenly_spaced(self, n: int) -> np.ndarray:
        """``n`` levels evenly spaced over ``freq_range_hz`` (ends included), shape (n, 1)."""
        return np.linspace(*self.config["freq_range_hz"], n)[:, None]

    def sample_conditions(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(*self.config["freq_range_hz"], size=(n, 1))

    def target_sequences(self, conditions: np.ndarray, n_steps_: int, dt: float
                         ) -> np.ndarray:
        """amplitude sin(2 pi f t) for each trial's level f, shape (n_steps_, trial, 1)."""
        return sine_waves(conditions[:, :1], n_steps_, dt, self.config["output_amplitude"])

    def evaluation_conditions(self) -> np.ndarray:
        """``test_frequencies`` levels evenly spaced over the range."""
        return self.evenly_spaced(self.config["test_frequencies"])

    def evaluation_columns(self, levels: np.ndarray, per_trial: np.ndarray,
                           target: np.ndarray) -> dict[str, np.ndarray]:
        """frequency_hz: the frequency the level asks for."""
        return {"frequency_hz": self.condition_value(levels)}

    def score(self, frame: pd.DataFrame, trace: pd.DataFrame) -> dict[str, Any]:
        """The error is the largest normalised MSE after ``settle_ms`` over the test levels
        (:func:`oscillation_errors`); the criterion also asks every level's output
        frequency to lie within ``frequency_tolerance`` of f."""
        errors = oscillation_errors(trace, self.config["settle_ms"],
                                    tuple(self.config["freq_range_hz"]))
        error = float(errors["nmse"].max())
        meets = (error <= self.config["max_nmse"]
                 and float(errors["frequency_error"].max()) <= self.config["frequency_tolerance"])
        return {"error": error, "sign_accuracy": float("nan"), "meets_criterion": bool(meets)}

    def held_conditions(self) -> np.ndarray:
        """``simulation_frequencies`` levels evenly spaced over the range."""
        return self.evenly_spaced(self.config["simulation_frequencies"])

    def condition_groups(self, conditions: np.ndarray, held: np.ndarray
                         ) -> list[tuple[str, np.ndarray]]:
        """Held trials at the lower half of the held levels and at the upper half."""
        return lower_and_upper_halves(self.condition_value(conditions), held, "f (Hz)")

    def fixed_point_inputs(self) -> list[np.ndarray]:
        """``n_fixed_point_inputs`` levels evenly spaced over ``freq_range_hz``."""
        return list(self.evenly_spaced(self.config["n_fixed_point_inputs"]))

    @staticmethod
    def condition_value(inputs: np.ndarray) -> np.ndarray:
        """The frequency the level asks for, Hz: the level itself."""
        return np.atleast_2d(np.asarray(inputs, dtype=float))[:, 0]
