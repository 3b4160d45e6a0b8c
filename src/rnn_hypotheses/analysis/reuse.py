"""Question 1 of the report's section 6: are slow regions re-used across tasks of the same
complexity?

Two comparisons, both on the slow-point stage's artifacts (``slowpoints_{state}.npz``:
the exact fixed points and slow regions of each network at each analysed input):

- **Same initialisation.** One initial network (same seed: the same W_rec_init, W_in,
  W_out, b) trained on two tasks with the same inputs, e.g. ``distance2`` and
  ``farther1_shared``. For each network i, the subspace spanned by its fixed points and
  slow regions (their top ``k`` principal directions about their mean) in the one task
  is compared with the other's by the principal angles between them; likewise the
  leading ``k`` left singular subspaces of the two weight changes W_rec - W_rec_init.
  The control is the same measure between networks of different seeds (network i of
  the first task against every network j != i of the second, averaged); chance is that
  of two independent uniformly random k-dimensional subspaces of R^N.
- **One network, two contexts** (the ``multitask`` kind, Yang et al. 2019). The fixed
  points and slow regions found under each context are compared: the principal angles
  between their subspaces, and the distance between the two point sets relative to
  their spread. A network is labelled **shared** (the same points: each context's
  points lie near the other's), **moved** (the same subspace, displaced points: the
  context input shifts a re-used structure) or **disjoint** (different subspaces).

The statistic of subspace similarity is the **overlap**, the mean squared cosine of the
``k`` principal angles, ``tr(P_A P_B) / k``: 1 for the same subspace, 0 for orthogonal
ones, and exactly ``k / N`` in expectation for two independent uniformly random
k-dimensional subspaces of R^N (:func:`chance_overlap`). The tables give the mean angle
(degrees) beside it.

What this cannot show: a ReLU network's points all lie in the positive orthant and
move with the input through W_in, so point subspaces of any two networks with similar
inputs overlap more than random subspaces do; the different-seed control, not chance,
is the comparison that isolates re-use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..claims import ClaimSpec, evaluate_claims
from .subspaces import principal_angles

__all__ = [
    "MULTITASK_LABELS",
    "REUSE_CLAIMS",
    "ReuseCriteria",
    "chance_angle",
    "chance_overlap",
    "context_comparison",
    "multitask_counts",
    "overlap",
    "pair_table",
    "point_subspace",
    "reuse_claims",
    "slow_point_set",
    "weight_change_subspace",
]

MULTITASK_LABELS = ("shared", "moved", "disjoint", "not measurable")
"""The multitask labels, in the order the counts table lists them."""

FOUND_BY = ("exact", "slow")
"""The finders whose points count: exact fixed points and slow regions."""


@dataclass(frozen=True)
class ReuseCriteria:
    """Settings of the comparisons (config.yaml's ``questions.reuse``).

    Attributes
    ----------
    k : int
        Dimension of every compared subspace (the report's 3-D projections: 3).
    same_subspace : float
        Two contexts' point subspaces are the same subspace when their overlap (mean
        squared cosine of the principal angles) is at least this.
    shared_distance : float
        Two contexts' points are the same points when the mean distance from a point
        to the nearest point of the other context is at most this many times their
        spread (root-mean-square distance of the points from their context's mean).
    chance_draws : int
        Seeded random pairs of subspaces behind the chance mean angle.
    """

    k: int
    same_subspace: float
    shared_distance: float
    chance_draws: int = 1000

    @classmethod
    def from_config(cls, section: Mapping) -> ReuseCriteria:
        return cls(int(section["k"]), float(section["same_subspace"]),
                   float(section["shared_distance"]), int(section.get("chance_draws", 1000)))


# ----------------------------------------------------------------------------- subspaces


def slow_point_set(arrays: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The exact fixed points and slow regions of one network at its task's inputs.

    Parameters
    ----------
    arrays : mapping
        ``slowpoints_{state}.npz``: ``locations`` (P, N), ``point_condition`` (P,),
        ``point_method`` (P,), ``condition_inputs`` (C, n_inputs),
        ``condition_autonomous`` (C,).

    Returns
    -------
    locations : ndarray, shape (p, N)
        The points found by :data:`FOUND_BY`, at inputs other than u = 0 (the network
        without input is no part of either task).
    inputs : ndarray, shape (p, n_inputs)
        The constant input each point was found at.
    """
    condition = np.asarray(arrays["point_condition"], dtype=int)
    method = np.asarray(arrays["point_method"]).astype(str)
    autonomous = np.asarray(arrays["condition_autonomous"], dtype=bool)[condition]
    keep = np.isin(method, FOUND_BY) & ~autonomous
    inputs = np.asarray(arrays["condition_inputs"], dtype=float)[condition[keep]]
    return np.asarray(arrays["locations"], dtype=float)[keep], inputs


def point_subspace(points: ArrayLike, k: int, rtol: float = 1e-9) -> np.ndarray:
    """The top-``k`` principal directions of a point set about its mean.

    Parameters
    ----------
    points : array, shape (p, N)
        Rate units.
    k : int
    rtol : float
        Directions whose singular value is below ``rtol`` times the largest are no
        directions of the set (repeated points, fewer than k + 1 of them).

    Returns
    -------
    ndarray, shape (N, r)
        Orthonormal columns, r = min(k, the set's rank about its mean); r < k when the
        points do not span k dimensions (r = 0 for fewer than two distinct points).
    """
    X = np.asarray(points, dtype=float)
    X = X - X.mean(axis=0)
    if X.shape[0] < 2:
        return np.zeros((X.shape[1], 0))
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    rank = int(np.sum(s > rtol * s[0])) if s[0] > 0 else 0
    return Vt[:min(k, rank)].T


def weight_change_subspace(W_rec: ArrayLike, W_rec_init: ArrayLike, k: int) -> np.ndarray:
    """The leading ``k`` left singular vectors of the weight change W_rec - W_rec_init,
    shape (N, k): the directions of activity the change writes into most."""
    U = np.linalg.svd(np.asarray(W_rec, float) - np.asarray(W_rec_init, float))[0]
    return U[:, :k]


def overlap(A: np.ndarray, B: np.ndarray) -> tuple[float, float]:
    """Overlap and mean principal angle of two subspaces.

    Parameters
    ----------
    A, B : ndarray, shape (N, p) and (N, q)
        Orthonormal or not; the columns span the subspaces.

    Returns
    -------
    overlap : float
        Mean squared cosine of the min(p, q) principal angles: 1 identical, 0 orthogonal.
    mean_angle : float
        Mean principal angle, degrees.
    """
    angles = principal_angles(A, B)
    return float(np.mean(np.cos(np.radians(angles)) ** 2)), float(np.mean(angles))


def chance_overlap(k: int, n_units: int) -> float:
    """Expected overlap of two independent uniformly random k-dimensional subspaces of R^N.

    E[tr(P_A P_B)] = tr(P_A E[P_B]) = tr(P_A) k / N = k^2 / N, and the overlap divides by
    the k angles: k / N.
    """
    return k / n_units


def chance_angle(k: int, n_units: int, draws: int, seed: int = 0) -> float:
    """Expected mean principal angle (degrees) of two independent uniformly random
    k-dimensional subspaces of R^N, by seeded Monte Carlo (``draws`` pairs)."""
    rng = np.random.default_rng(seed)
    angles = [overlap(rng.standard_normal((n_units, k)), rng.standard_normal((n_units, k)))[1]
              for _ in range(draws)]
    return float(np.mean(angles))


def _measured(A: np.ndarray, B: np.ndarray, k: int) -> tuple[float, float]:
    """:func:`overlap` of two subspaces that both have k dimensions; NaN otherwise."""
    if A.shape[1] < k or B.shape[1] < k:
        return np.nan, np.nan
    return overlap(A, B)


# ----------------------------------------------------------------------------- pairs


def pair_table(first: Sequence[Mapping], second: Sequence[Mapping], *, pair: str, nets:
               Sequence[str], k: int, chance_draws: int, seed: int = 0) -> pd.DataFrame:
    """Same-initialisation networks of two tasks against networks of different seeds.

    Parameters
    ----------
    first, second : sequence of mapping
        Network i of each task (the same seed, so the same initial network): ``points``
        (p, N), its trained fixed points and slow regions (:func:`slow_point_set`);
        ``initial_points`` (p', N), the initial network's at the task's inputs (or
        absent); ``W_rec``, ``W_rec_init`` (N, N).
    pair : str
        The pair's label, the table's ``task``.
    nets : sequence of str
        The networks' names, in the order of ``first`` and ``second``.
    k : int
        Subspace dimension.
    chance_draws : int
        Random pairs of subspaces behind ``chance_angle``.

    Returns
    -------
    DataFrame
        One row per network: ``task``, ``net``, ``n_points_first``,
        ``n_points_second``; for the points (``points_``) and the weight changes
        (``weights_``): ``overlap`` and ``angle`` (mean principal angle, degrees) of the
        same-initialisation pair, ``control`` and ``control_angle`` (their mean over the
        second task's networks j != i), ``measurable`` (both sets span k dimensions
        and one control pair at least does); ``points_overlap_initial``, the overlap of
        the two initial networks' point sets (the same network at the two tasks'
        inputs: what re-use owes to the shared start); ``chance`` (k / N) and
        ``chance_angle``.
    """
    if len(first) != len(second) or len(first) != len(nets):
        raise ValueError(f"{pair}: {len(first)} and {len(second)} networks for {len(nets)} "
                         "names; the pair compares network i with network i")
    n_units = np.asarray(first[0]["W_rec"]).shape[0]
    spaces = {}
    for side, networks in (("first", first), ("second", second)):
        spaces[side, "points"] = [point_subspace(n["points"], k) for n in networks]
        spaces[side, "weights"] = [weight_change_subspace(n["W_rec"], n["W_rec_init"], k)
                                   for n in networks]
    chance_deg = chance_angle(k, n_units, chance_draws, seed)
    rows = []
    for i, net in enumerate(nets):
        row = {"task": pair, "net": net, "n_points_first": len(first[i]["points"]),
               "n_points_second": len(second[i]["points"])}
        for what in ("points", "weights"):
            a, b = spaces["first", what], spaces["second", what]
            same = _measured(a[i], b[i], k)
            control = np.array([_measured(a[i], b[j], k) for j in range(len(nets)) if j != i])
            found = np.isfinite(control[:, 0]) if control.size else np.zeros(0, bool)
            row[f"{what}_overlap"], row[f"{what}_angle"] = same
            row[f"{what}_control"] = (float(control[found, 0].mean()) if found.any()
                                      else np.nan)
            row[f"{what}_control_angle"] = (float(control[found, 1].mean()) if found.any()
                                            else np.nan)
            row[f"{what}_measurable"] = bool(np.isfinite(same[0]) and found.any())
        initial = [n.get("initial_points") for n in (first[i], second[i])]
        row["points_overlap_initial"] = (
            _measured(point_subspace(initial[0], k), point_subspace(initial[1], k), k)[0]
            if all(p is not None for p in initial) else np.nan)
        row["chance"] = chance_overlap(k, n_units)
        row["chance_angle"] = chance_deg
        rows.append(row)
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- multitask


def context_comparison(points: ArrayLike, context: ArrayLike, criteria: ReuseCriteria
                       ) -> list[dict[str, object]]:
    """Compare the fixed points and slow regions of one multitask network across contexts.

    Parameters
    ----------
    points : array, shape (p, N)
        The network's points (:func:`slow_point_set`).
    context : array of int, shape (p,)
        The context each point was found under (its input's one-hot part).
    criteria : ReuseCriteria

    Returns
    -------
    list of dict
        One per pair of contexts (c1 < c2): ``context_first``, ``context_second``,
        ``n_points_first``, ``n_points_second``, ``overlap`` and ``angle`` of their
        k-dimensional point subspaces, ``distance`` (mean distance from a point to the
        other context's nearest point, both ways), ``spread`` (root of the mean of the
        two contexts' mean squared distances from their own mean), ``distance_ratio``
        (distance / spread), ``centre_shift`` (distance between the two means / spread)
        and ``label``: ``"shared"`` when distance_ratio <= shared_distance, else
        ``"moved"`` when overlap >= same_subspace, else ``"disjoint"``; ``"not
        measurable"`` when a context's points span fewer than k dimensions.
    """
    X = np.asarray(points, dtype=float)
    context = np.asarray(context, dtype=int)
    rows = []
    for c1, c2 in combinations(np.unique(context[context >= 0]), 2):
        A, B = X[context == c1], X[context == c2]
        sim, angle = _measured(point_subspace(A, criteria.k), point_subspace(B, criteria.k),
                               criteria.k)
        between = np.linalg.norm(A[:, None, :] - B[None, :, :], axis=-1)
        distance = 0.5 * (between.min(axis=1).mean() + between.min(axis=0).mean())
        spread = float(np.sqrt(0.5 * (np.mean(np.sum((A - A.mean(0)) ** 2, axis=1))
                                      + np.mean(np.sum((B - B.mean(0)) ** 2, axis=1)))))
        ratio = distance / spread if spread > 0 else np.inf
        if not np.isfinite(sim):
            label = "not measurable"
        elif ratio <= criteria.shared_distance:
            label = "shared"
        elif sim >= criteria.same_subspace:
            label = "moved"
        else:
            label = "disjoint"
        rows.append({"context_first": int(c1), "context_second": int(c2),
                     "n_points_first": len(A), "n_points_second": len(B),
                     "overlap": sim, "angle": angle, "nearest_distance": float(distance),
                     "spread": spread, "distance_ratio": float(ratio),
                     "centre_shift": (float(np.linalg.norm(A.mean(0) - B.mean(0)) / spread)
                                      if spread > 0 else np.inf),
                     "label": label})
    return rows


def multitask_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Networks per label of :data:`MULTITASK_LABELS`, per multitask task and context pair.

    Parameters
    ----------
    table : DataFrame
        The ``reuse_multitask`` table: ``task``, ``contexts``, ``label``.
    """
    rows = []
    for (task, contexts), group in table.groupby(["task", "contexts"], sort=True):
        row = {"task": task, "contexts": contexts, "networks": len(group)}
        row.update({label: int((group["label"] == label).sum()) for label in MULTITASK_LABELS})
        rows.append(row)
    return pd.DataFrame(rows, columns=["task", "contexts", "networks", *MULTITASK_LABELS])


# ----------------------------------------------------------------------------- claims

PAIR_CLAIMS = (
    ClaimSpec("reuse_points_same_init", "networks trained from one initial network on the two "
              "tasks place their fixed points and slow regions in more similar subspaces than "
              "networks of different seeds", "6 (question 1)",
              "overlap (mean squared cosine of the principal angles) of the two networks' "
              "k-dimensional point subspaces, same initialisation minus different seeds",
              "points_overlap", kind="paired", other="points_control", label="suffix",
              measurable="points_measurable",
              unmeasurable_reason="a network's points span fewer than k dimensions"),
    ClaimSpec("reuse_points_chance", "networks trained from one initial network on the two "
              "tasks place their fixed points and slow regions in more similar subspaces than "
              "random subspaces", "6 (question 1)",
              "overlap of the two networks' point subspaces, against k / N",
              "points_overlap", reference="chance", label="suffix",
              measurable="points_measurable",
              unmeasurable_reason="a network's points span fewer than k dimensions"),
    ClaimSpec("reuse_weights_same_init", "training one initial network on the two tasks changes "
              "its weights along more similar directions than training networks of different "
              "seeds", "6 (question 1)",
              "overlap of the leading k left singular subspaces of the two weight changes, "
              "same initialisation minus different seeds",
              "weights_overlap", kind="paired", other="weights_control", label="suffix"),
    ClaimSpec("reuse_weights_chance", "training one initial network on the two tasks changes "
              "its weights along more similar directions than random subspaces",
              "6 (question 1)", "overlap of the two weight changes' leading k left singular "
              "subspaces, against k / N", "weights_overlap", reference="chance",
              label="suffix"),
)
"""The same-initialisation claims, one row per pair of tasks."""

MULTITASK_CLAIMS = (
    ClaimSpec("reuse_multitask", "slow regions are re-used across the two tasks and modulated "
              "by the context input (shared or moved), not distinct (disjoint)",
              "6 (question 1)", "shared or moved (1) or disjoint (0), per network",
              "reused", reference=0.5, label="suffix", measurable="measurable",
              unmeasurable_reason="a context's points span fewer than k dimensions"),
)
"""Question 1's verdict, from the multitask networks: supported when most networks re-use
their slow points (shared or moved), reversed when most keep them apart (disjoint)."""

REUSE_CLAIMS = PAIR_CLAIMS + MULTITASK_CLAIMS


def reuse_claims(pairs: pd.DataFrame | None, multitask: pd.DataFrame | None, *,
                 n_boot: int = 10_000, seed: int = 0) -> pd.DataFrame:
    """The claims of :data:`REUSE_CLAIMS` (verdicts unadjusted).

    Parameters
    ----------
    pairs : DataFrame or None
        :func:`pair_table`'s rows of every pair; None or empty: no pair configured.
    multitask : DataFrame or None
        The ``reuse_multitask`` table: ``task``, ``net``, ``label``; None or empty: no
        multitask configured. A network with several context pairs counts as re-using
        when every pair is shared or moved.
    """
    parts = []
    if pairs is not None and len(pairs):
        parts.append(evaluate_claims(PAIR_CLAIMS, pairs, n_boot=n_boot, seed=seed))
    if multitask is not None and len(multitask):
        per_net = multitask.groupby(["task", "net"], sort=True)["label"].agg(list).reset_index()
        measurable = per_net["label"].map(lambda ls: "not measurable" not in ls)
        reused = per_net["label"].map(lambda ls: all(x in ("shared", "moved") for x in ls))
        table = per_net.assign(reused=reused.astype(float), measurable=measurable)
        parts.append(evaluate_claims(MULTITASK_CLAIMS, table, n_boot=n_boot, seed=seed))
    if not parts:
        raise ValueError("questions.reuse: neither a pair nor a multitask task is run")
    return pd.concat(parts, ignore_index=True)
