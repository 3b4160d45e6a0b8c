"""The topology of a decision network, read off its fixed points and spectra.

Trained networks that choose between two answers are usually described by one of two
pictures (Mante et al. 2013; Sussillo & Barak 2013): two attractors, one per answer,
with a saddle between them whose stable manifold is the decision boundary; or a line
attractor, a continuum of slow points along which the evidence is integrated and held.
This module labels each network of a binary-decision kind (a task whose
``binary_decision`` is set) from the slow-point stage's artifacts:

- **bistable**: at some analysed input where the decision is ambiguous (not the
  autonomous network, and ``|condition_value(u)|`` at most
  ``ambiguous_difference``: equal inputs for decision) the network has at least two
  stable fixed points and a saddle with exactly one unstable direction, the
  separatrix of two basins;
- **line attractor**: at some analysed input, at least ``line_min_points`` points
  (exact fixed points of any kind and slow regions) whose slowest rate (largest real
  part of the Jacobian's eigenvalues) lies within ``line_rate`` of zero, and whose
  locations lie along a line: their first principal direction holds at least
  ``line_collinearity`` of their scatter about their mean;
- **other**: neither. A network that meets both is labelled bistable (it has the
  discrete structure; the line is then what connects its attractors) and flagged as
  both.

Which inputs are analysed is the kind's choice (``Task.fixed_point_inputs``):
decision's include equal inputs; farther's are random draws from the training
distribution, which seldom fall within ``ambiguous_difference`` of the boundary, so a
farther network is seldom tested for bistability (:func:`topology_counts` counts the
networks with no ambiguous input).

What the artifacts cannot show: the slow-point search merges slow points closer than
``slowpoints.slow_region_tol`` into one region and stores one point per region, so a
continuous line of slow points appears as one or a few regions, and the line test sees
only those that are far apart. Nor are the slow directions of stable points stored, so
"the slowest eigenvalue along the line" is read as "slowest rate near zero at each
point", without checking that the slow mode points along the line.

Rates in 1/s (the artifacts' 1/ms times 1000); locations in rate units.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..claims import ClaimSpec, evaluate_claims

__all__ = [
    "LABELS",
    "TopologyCriteria",
    "classify_network",
    "collinearity",
    "condition_structure",
    "topology_counts",
]

LABELS = ("bistable", "line attractor", "other")
"""The labels, in the order the counts table lists them."""

PER_SECOND = 1000.0
"""The artifacts' eigenvalues are in 1/ms; the criteria and tables use 1/s."""


@dataclass(frozen=True)
class TopologyCriteria:
    """The thresholds of the labels (config.yaml's ``questions.topology``).

    Attributes
    ----------
    ambiguous_difference : float
        An input is ambiguous when ``|condition_value(u)|`` is at most this (the kind's
        units: input units for decision and farther).
    line_rate : float
        1/s: a point belongs to a line attractor's candidates when its slowest rate
        lies within this of zero.
    line_min_points : int
        Candidates a line needs (3: any two points lie on a line).
    line_collinearity : float
        Share of the candidates' scatter their first principal direction must hold.
    """

    ambiguous_difference: float = 0.05
    line_rate: float = 1.0
    line_min_points: int = 3
    line_collinearity: float = 0.9

    @classmethod
    def from_config(cls, section: Mapping) -> TopologyCriteria:
        """From a config section (keys other than the fields are ignored)."""
        return cls(**{k: section[k] for k in cls.__dataclass_fields__ if k in section})


def collinearity(locations: ArrayLike) -> float:
    """Share of a point cloud's scatter about its mean along its first principal direction.

    Parameters
    ----------
    locations : array, shape (n, N)

    Returns
    -------
    float
        1 for points on a line, ``1 / min(n - 1, N)`` at least; NaN for fewer than two
        points or points that coincide.
    """
    X = np.asarray(locations, dtype=float)
    if X.ndim != 2 or X.shape[0] < 2:
        return float("nan")
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False) ** 2
    return float(s[0] / s.sum()) if s.sum() > 0 else float("nan")


def condition_structure(points: pd.DataFrame, locations: ArrayLike,
                        criteria: TopologyCriteria) -> dict[str, float]:
    """What the labels need from the points of one network at one input.

    Parameters
    ----------
    points : DataFrame
        The rows of ``slowpoints_{state}.parquet`` at one condition: ``method``
        ("exact" or "slow"; others are ignored), ``kind``, ``n_unstable``,
        ``max_real_eig`` (1/ms), ``location``.
    locations : array, shape (P, N)
        ``locations`` of ``slowpoints_{state}.npz`` (rows named by ``location``).
    criteria : TopologyCriteria

    Returns
    -------
    dict
        ``n_stable``; ``n_separatrix``, saddles with one unstable direction; ``n_slow``,
        slow regions; ``line_points``, points whose slowest rate is within
        ``line_rate`` of zero; ``line_collinearity``, :func:`collinearity` of those
        (NaN for fewer than two); ``slowest_rate``, the rate nearest zero among all
        the points (1/s).
    """
    found = points[points["method"].isin(("exact", "slow"))]
    exact = found[found["method"] == "exact"]
    rates = found["max_real_eig"].to_numpy(dtype=float) * PER_SECOND
    near_zero = np.abs(rates) <= criteria.line_rate
    where = found["location"].to_numpy(dtype=int)[near_zero]
    return {
        "n_stable": int((exact["kind"] == "stable").sum()),
        "n_separatrix": int(((exact["kind"] == "saddle") & (exact["n_unstable"] == 1)).sum()),
        "n_slow": int((found["method"] == "slow").sum()),
        "line_points": int(near_zero.sum()),
        "line_collinearity": collinearity(np.asarray(locations)[where]),
        "slowest_rate": float(rates[np.argmin(np.abs(rates))]) if rates.size else np.nan,
    }


def classify_network(points: pd.DataFrame, conditions: pd.DataFrame, locations: ArrayLike,
                     condition_value: Callable[[np.ndarray], np.ndarray],
                     criteria: TopologyCriteria) -> dict[str, object]:
    """Label one network in one state: bistable, line attractor or other.

    Parameters
    ----------
    points : DataFrame
        ``slowpoints_{state}.parquet``: ``condition``, ``method``, ``kind``,
        ``n_unstable``, ``max_real_eig`` (1/ms), ``location``.
    conditions : DataFrame
        ``slowpoint_conditions_{state}.parquet``: ``condition``, ``autonomous`` and the
        inputs ``input1``, ``input2``, ...
    locations : array, shape (P, N)
        ``locations`` of ``slowpoints_{state}.npz``.
    condition_value : callable
        The kind's :meth:`~rnn_hypotheses.tasks.Task.condition_value`: inputs
        (n, n_inputs) to the signed quantity whose sign is the answer.
    criteria : TopologyCriteria

    Returns
    -------
    dict
        ``label`` (one of :data:`LABELS`), ``bistable`` and ``line`` (whether each
        criterion holds), ``n_conditions``, ``n_ambiguous`` (ambiguous inputs
        analysed), ``n_bistable_conditions``, ``n_line_conditions``, at the ambiguous
        inputs the most ``ambiguous_stable`` points, ``ambiguous_separatrices`` and
        ``ambiguous_slow`` regions, over all inputs the most ``line_points`` and the
        largest ``line_collinearity`` among inputs with at least ``line_min_points``
        of them, and ``slowest_rate`` (1/s; the rate nearest zero of any point).
    """
    inputs = conditions.filter(regex=r"^input\d+$")
    inputs = inputs[sorted(inputs.columns, key=lambda name: int(name[5:]))]
    values = np.asarray(condition_value(inputs.to_numpy(dtype=float)), dtype=float)
    ambiguous = (~conditions["autonomous"].to_numpy(dtype=bool)
                 & (np.abs(values) <= criteria.ambiguous_difference))
    rows = []
    for condition, is_ambiguous in zip(conditions["condition"], ambiguous, strict=True):
        here = condition_structure(points[points["condition"] == condition], locations,
                                   criteria)
        here["ambiguous"] = bool(is_ambiguous)
        here["bistable"] = bool(is_ambiguous and here["n_stable"] >= 2
                                and here["n_separatrix"] >= 1)
        here["line"] = bool(here["line_points"] >= criteria.line_min_points
                            and here["line_collinearity"] >= criteria.line_collinearity)
        rows.append(here)
    table = pd.DataFrame(rows, columns=["n_stable", "n_separatrix", "n_slow", "line_points",
                                        "line_collinearity", "slowest_rate", "ambiguous",
                                        "bistable", "line"])
    at_ambiguous = table[table["ambiguous"]]
    enough = table[table["line_points"] >= criteria.line_min_points]
    bistable, line = bool(table["bistable"].any()), bool(table["line"].any())
    rates = table["slowest_rate"].dropna().to_numpy()

    def most(frame: pd.DataFrame, column: str) -> float:
        return float(frame[column].max()) if len(frame) else np.nan

    return {
        "label": LABELS[0] if bistable else LABELS[1] if line else LABELS[2],
        "bistable": bistable,
        "line": line,
        "n_conditions": len(table),
        "n_ambiguous": int(table["ambiguous"].sum()),
        "n_bistable_conditions": int(table["bistable"].sum()),
        "n_line_conditions": int(table["line"].sum()),
        "ambiguous_stable": most(at_ambiguous, "n_stable"),
        "ambiguous_separatrices": most(at_ambiguous, "n_separatrix"),
        "ambiguous_slow": most(at_ambiguous, "n_slow"),
        "line_points": most(table, "line_points"),
        "line_collinearity": most(enough, "line_collinearity"),
        "slowest_rate": float(rates[np.argmin(np.abs(rates))]) if rates.size else np.nan,
    }


def topology_counts(labels: pd.DataFrame) -> pd.DataFrame:
    """How many networks of each task and state carry each label.

    Parameters
    ----------
    labels : DataFrame
        One row per network and state: ``task``, ``state``, ``label``.

    Returns
    -------
    DataFrame
        One row per task and state (untrained first): ``task``, ``state``,
        ``networks``, then one count column per label of :data:`LABELS`,
        ``share_bistable``, ``share_line_attractor``, ``share_other``, and
        ``no_ambiguous_input``: networks analysed at no ambiguous input, which the
        bistable test cannot label bistable (NaN without an ``n_ambiguous`` column).
    """
    rows = []
    order = {"untrained": 0, "trained": 1}
    keys = sorted({(t, s) for t, s in zip(labels["task"], labels["state"], strict=True)},
                  key=lambda key: (key[0], order.get(key[1], 2), key[1]))
    for task, state in keys:
        group = labels[(labels["task"] == task) & (labels["state"] == state)]
        row = {"task": task, "state": state, "networks": len(group)}
        for label in LABELS:
            row[label] = int((group["label"] == label).sum())
        for label in LABELS:
            row[f"share_{label.replace(' ', '_')}"] = row[label] / len(group)
        # a kind whose analysed inputs miss the decision boundary (farther draws them at
        # random) cannot show bistability there: say how often, beside the counts
        row["no_ambiguous_input"] = (int((group["n_ambiguous"] == 0).sum())
                                     if "n_ambiguous" in group else np.nan)
        rows.append(row)
    columns = ["task", "state", "networks", *LABELS,
               *(f"share_{label.replace(' ', '_')}" for label in LABELS),
               "no_ambiguous_input"]
    return pd.DataFrame(rows, columns=columns)


TOPOLOGY_CLAIMS = (
    ClaimSpec("topology_bistable", "training makes the networks bistable at an ambiguous "
              "input", "6 (topology)", "bistable (1) or not (0) at an ambiguous input, trained "
              "minus untrained", "bistable_trained", kind="paired", other="bistable_untrained",
              label="suffix", measurable="ambiguous_both",
              unmeasurable_reason="no analysed input is ambiguous (|condition value| within "
              "questions.topology's margin)", equivalence=0.5),
)
"""The claim of the topology table: does training give the networks two attractors and a
saddle where the decision is ambiguous? Paired per network, measurable where the network
was analysed at an ambiguous input in both states; the margin 0.5 makes "equivalent" mean
that at most about half the networks changed."""


def topology_claims(labels: pd.DataFrame, *, n_boot: int = 10_000, seed: int = 0
                    ) -> pd.DataFrame:
    """The claims of :data:`TOPOLOGY_CLAIMS`, one row per task (verdicts unadjusted).

    Parameters
    ----------
    labels : DataFrame
        One row per task, net and state: ``bistable`` (bool) and ``n_ambiguous`` (the
        analysed inputs where the decision is ambiguous).
    """
    wide = labels.pivot(index=["task", "net"], columns="state",
                        values=["bistable", "n_ambiguous"])
    table = pd.DataFrame({
        "task": wide.index.get_level_values("task"),
        "net": wide.index.get_level_values("net"),
        "bistable_trained": wide[("bistable", "trained")].astype(float).to_numpy(),
        "bistable_untrained": wide[("bistable", "untrained")].astype(float).to_numpy(),
        "ambiguous_both": ((wide[("n_ambiguous", "trained")] > 0)
                           & (wide[("n_ambiguous", "untrained")] > 0)).to_numpy(dtype=bool),
    })
    return evaluate_claims(TOPOLOGY_CLAIMS, table, n_boot=n_boot, seed=seed)
