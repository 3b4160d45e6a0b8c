"""Pieces several kinds share: the binary choices' evaluation (decision and its
future-work relatives), and what the future-work kinds of the report's section 6 repeat.

Points at given distances from the origin in D dimensions, sine waves on the Euler
grid, affine maps between ranges, evenly spaced levels, the two halves of a set of
held conditions (Figure 10's groups) and the config checks these kinds repeat.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .base import TaskConfigError


def positive_orthant_directions(rng: np.random.Generator, shape: tuple[int, ...], dim: int
                                ) -> np.ndarray:
    """Unit vectors drawn uniformly over the positive orthant of the unit sphere.

    The absolute value of an isotropic Gaussian vector, normalised: every coordinate
    is non-negative, like the report's inputs, so that for D = 1 the point is its
    distance from the origin.

    Parameters
    ----------
    rng : Generator
    shape : tuple of int
        Leading shape, e.g. (trial,) or (trial, points per trial).
    dim : int
        D, coordinates per vector.

    Returns
    -------
    ndarray, shape (*shape, dim)
    """
    g = np.abs(rng.standard_normal((*shape, dim)))
    return g / np.linalg.norm(g, axis=-1, keepdims=True)


def points_on_rays(radii: np.ndarray, dim: int, rng: np.random.Generator) -> np.ndarray:
    """Points at the given distances from the origin along random positive directions.

    Parameters
    ----------
    radii : ndarray, shape (n, k)
        Distance from the origin of each of the k points of n conditions.
    dim : int
        D, coordinates per point.
    rng : Generator
        Draws the directions; for D = 1 the direction is +1 and nothing is drawn, so
        that a one-dimensional kind consumes its generator as a kind of scalar inputs.

    Returns
    -------
    ndarray, shape (n, k * dim)
        The k points of each condition one after another (point 1's coordinates first).
    """
    radii = np.asarray(radii, dtype=float)
    if dim == 1:
        return radii.copy()
    directions = positive_orthant_directions(rng, radii.shape, dim)
    return (radii[..., None] * directions).reshape(radii.shape[0], -1)


def point_norms(inputs: np.ndarray, n_points: int) -> np.ndarray:
    """|x| of each of the ``n_points`` equal-length points that make up a row of inputs.

    Parameters
    ----------
    inputs : array, shape (n, n_points * D)

    Returns
    -------
    ndarray, shape (n, n_points)
    """
    u = np.atleast_2d(np.asarray(inputs, dtype=float))
    return np.linalg.norm(u.reshape(u.shape[0], n_points, -1), axis=-1)


def step_times_ms(n_steps_: int, dt: float) -> np.ndarray:
    """Time of each Euler step from the trial's onset, ms: the step that the input u_t
    drives ends at t = (k + 1) dt, the time the evaluation traces give it."""
    return dt * np.arange(1, n_steps_ + 1)


def sine_waves(frequencies_hz: np.ndarray, n_steps_: int, dt: float, amplitude: float
               ) -> np.ndarray:
    """amplitude sin(2 pi f t) for each frequency, starting at phase 0 at the onset.

    Parameters
    ----------
    frequencies_hz : ndarray, shape (trial, k)
    n_steps_ : int
    dt : float
        Euler step, ms.
    amplitude : float

    Returns
    -------
    ndarray, shape (n_steps_, trial, k)
    """
    t_s = step_times_ms(n_steps_, dt)[:, None, None] / 1000.0
    return amplitude * np.sin(2.0 * np.pi * np.asarray(frequencies_hz, float)[None] * t_s)


def affine(values: np.ndarray, source: Sequence[float], target: Sequence[float]) -> np.ndarray:
    """Map ``source[0] -> target[0]`` and ``source[1] -> target[1]`` linearly."""
    (s0, s1), (t0, t1) = source, target
    return t0 + (np.asarray(values, dtype=float) - s0) * ((t1 - t0) / (s1 - s0))


def bin_midpoints(low: float, high: float, n: int) -> np.ndarray:
    """Midpoints of ``n`` equal bins of [low, high]: evenly spaced, never the ends."""
    return low + (high - low) * (np.arange(n) + 0.5) / n


def lower_and_upper_halves(values: np.ndarray, held: np.ndarray, name: str
                           ) -> list[tuple[str, np.ndarray]]:
    """Held trials whose value is among the lower half of the held values, and those among
    the upper half; with an odd number of values the middle one belongs to neither.

    Parameters
    ----------
    values : ndarray, shape (trial,)
        Each trial's condition value (NaN for changing trials).
    held : ndarray of bool, shape (trial,)
    name : str
        What the value is, for the labels.

    Raises
    ------
    ValueError
        With fewer than two distinct held values.
    """
    levels = np.unique(values[held])
    if levels.size < 2:
        raise ValueError(f"two groups of {name} need held trials at two values at least, "
                         f"got {levels.size}")
    half = levels.size // 2
    low, high = levels[half - 1], levels[-half]
    return [(f"{name} <= {low:.3g}", np.flatnonzero(held & (values <= low))),
            (f"{name} >= {high:.3g}", np.flatnonzero(held & (values >= high)))]


def check_increasing_range(name: str, config: Mapping[str, Any], key: str) -> tuple[float, float]:
    """``config[key]`` as (low, high) with low < high, or a TaskConfigError naming the key."""
    low, high = (float(v) for v in config[key])
    if not low < high:
        raise TaskConfigError(f"tasks.{name}.{key} must be [low, high] with low < high, got "
                              f"{list(config[key])}")
    return low, high


def check_distinct_outputs(name: str, key: str, first: float, second: float) -> None:
    """Two targets that must differ, or the task would have nothing to report."""
    if first == second:
        raise TaskConfigError(f"tasks.{name}.{key}: the two targets are equal ({first}); the "
                              "output would not depend on the input")


def check_fixed_points_off_held(name: str, key: str, fixed_point_inputs: list[np.ndarray],
                                held: np.ndarray) -> None:
    """Constant fixed-point inputs of a kind whose held trials are sines must match no held
    condition: the slow-point stage scans the held trials whose condition equals an
    analysed input, and a frequency equal to an input level would be taken for it."""
    for u in fixed_point_inputs:
        if np.any(np.all(np.isclose(held, u[None, :], atol=1e-9), axis=1)):
            raise TaskConfigError(
                f"tasks.{name}.{key}: the constant input {u.tolist()} equals a simulated "
                "condition (a frequency in Hz), which the slow-point scan would take for "
                "trials held at that input; choose other values")


def choice_accuracy(per_trial: np.ndarray, target: np.ndarray, midpoint: float) -> np.ndarray:
    """Each condition's fraction of trials on the correct side of ``midpoint`` (the
    readout's decision boundary between the two targets).

    Parameters
    ----------
    per_trial : ndarray, shape (condition, trial)
        Each trial's mean output.
    target : ndarray, shape (condition,)
    """
    says_high = per_trial > midpoint
    should_be_high = (target > midpoint)[:, None]
    return (says_high == should_be_high).mean(axis=1)


def choice_score(frame: pd.DataFrame, min_test_difference: float, min_accuracy: float
                 ) -> dict[str, Any]:
    """A binary choice's score: the error is the mean squared error of the per-condition
    mean output; the criterion, the mean accuracy over the test conditions whose
    ``difference`` is at least ``min_test_difference`` in magnitude."""
    clear = frame["difference"].abs() >= min_test_difference - 1e-9
    accuracy = float(frame.loc[clear, "accuracy"].mean())
    error = float(np.mean((frame["mean_output"] - frame["target"]) ** 2))
    return {"error": error, "sign_accuracy": accuracy,
            "meets_criterion": accuracy >= min_accuracy}
