"""What the scripts of Figures 3 and S4 read, shared by the static and interactive forms.

The I/O edge of those figures: each function reads the artifacts one rule's inputs name
and returns arrays or frames; :mod:`.frames` and the figure modules do the rest.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import artifacts
from ..simulate import input_onset
from .frames import switching_frames

SWITCHING_FIELDS = ["switching", "switching_inputs", "time_ms", "steady_levels", "steady"]


def read_switching_frames(paths: Sequence[str], nets: Sequence[str], states: Sequence[str],
                          task: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Figure 3's frames of one task: every example network's switching trials and the
    steady states of its held levels (:func:`.frames.switching_frames`), stacked.

    Parameters
    ----------
    paths, nets, states : sequences of equal length
        Each latent_{state}.npz, and the network and state it belongs to.
    task : str
        For the error when a network has no switching trial.
    """
    trajectories, fixed_points = [], []
    for path, net, state in zip(paths, nets, states, strict=True):
        arrays = artifacts.read_npz(path, SWITCHING_FIELDS)
        if arrays["switching"].shape[1] == 0:
            raise artifacts.ArtifactError(f"{path}: no switching trial "
                                          f"(tasks.{task}.switching_trials)")
        trajectory, steady = switching_frames(arrays, net, state)
        trajectories.append(trajectory)
        fixed_points.append(steady)
    return (pd.concat(trajectories, ignore_index=True),
            pd.concat(fixed_points, ignore_index=True))


@dataclass
class FixedPointPanel:
    """What one panel of Figure S4 draws from (one task and state of the example network).

    Attributes
    ----------
    sim : dict
        sim_{state}.npz's r, conditions, kind and time_ms, from the input's onset (a
        baseline at u = 0 is not drawn).
    coef, mean : ndarray
        The state's DCA basis (unit, d) and the activity's mean (unit,).
    arrays : dict
        slowpoints_{state}.npz's fields.
    points : DataFrame
        slowpoints_{state}.parquet.
    """

    task: str
    state: str
    sim: dict[str, np.ndarray]
    coef: np.ndarray
    mean: np.ndarray
    arrays: dict[str, np.ndarray]
    points: pd.DataFrame


def read_fixed_point_panels(inputs, tasks: Sequence[str], states: Sequence[str],
                            array_fields: Sequence[str] = ()) -> Iterator[FixedPointPanel]:
    """Figure S4's panels, one per (task, state), from a rule's inputs ``simulations``,
    ``latent``, ``arrays`` and ``points`` (in the order of ``tasks`` and ``states``);
    ``array_fields`` are read from the slow-point arrays besides those every panel needs."""
    for k, (task, state) in enumerate(zip(tasks, states, strict=True)):
        sim = dict(artifacts.read_npz(inputs.simulations[k],
                                      ["r", "conditions", "kind", "time_ms"]))
        onset = input_onset(sim["time_ms"])
        sim["r"], sim["time_ms"] = sim["r"][onset:], sim["time_ms"][onset:]
        latent = artifacts.read_npz(inputs.latent[k], ["coef", "mean"])
        arrays = artifacts.read_npz(inputs.arrays[k], ["locations", "unstable_vectors",
                                                       "condition_autonomous",
                                                       *array_fields])
        points = artifacts.read_parquet(inputs.points[k], ["location", "method", "kind",
                                                           "condition", "label",
                                                           "n_unstable"])
        yield FixedPointPanel(task, state, sim, latent["coef"], latent["mean"], dict(arrays),
                              points)
