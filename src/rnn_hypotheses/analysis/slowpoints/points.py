"""Point sets: the container of found points, deduplication and the linearisation there."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import linalg as sla
from scipy.optimize import lsq_linear
from scipy.spatial import cKDTree

_TABLE_COLUMNS = [
    "point",
    "method",
    "q",
    "speed",
    "grad_norm",
    "hessian_min_eig",
    "n_active",
    "n_unstable",
    "kind",
    "max_real_eig",
    "contraction_rate",
    "min_abs_preactivation",
    "n_kink_units",
    "side_kinds",
    "n_sides",
    "n_hits",
    "converged",
]

KINDS = ("stable", "saddle", "unstable")
"""The kinds a side's linearisation can have; a point's ``kind`` is one of these or
``"undetermined"``."""

UNDETERMINED = "undetermined"
"""The kind of a point on a ReLU kink whose sides disagree on stability."""

KINK_REL = 1e-9
"""A unit is on its ReLU kink when ``|m_i| <= KINK_REL * (1 + max_j |m_j|)``.

The same band as the slow-point search's ``kink_tol`` (the units it holds on their
kink), relative to the scale of the pre-activations (1 + their largest magnitude,
about 2-5 in the trained networks).  Why 1e-9: pre-activations at found points are
exact to rounding.  The exact finder accepts a point when ``|F| <= 1e-10`` per ms
(``|relu(m) - r| <= tau * 1e-10 = 1e-8`` at tau = 100 ms), but its points are linear
solves with one refinement and meet that with orders to spare (``|F| <= 5e-16`` per
ms in the report-sized run), and the slow search lands on its kinks by an exact
constrained step; a kink unit's ``|m_i|`` is 1e-18 to 1e-13 of the scale there.
Units off their kink sit far away (the nearest in that run: 7e-6 of the scale).
1e-9 lies in that gap, four decades above rounding; any band from 1e-13 to 7e-6
classifies those points the same."""

MAX_EXHAUSTIVE_KINKS = 10
"""Points with up to this many kink units have all ``2^k`` sides evaluated."""

N_RANDOM_SIDES = 64
"""Beyond that, random sides evaluated besides the current, all-off and all-on ones."""

SIDE_SEED = 0
"""Seed of those random sides (the same for every point, so results do not depend on
the order in which points are described)."""


@dataclass
class PointSet:
    """Fixed points or slow points of one network at one constant input.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per point, in the order of ``locations``.  Columns: ``point``
        (index), ``method``, ``q`` (kinetic energy, 1/ms^2), ``speed`` (|F|,
        1/ms), ``grad_norm`` (|grad q|, 1/ms^3; for slow points the smallest
        norm over the one-sided gradients at ReLU kinks), ``hessian_min_eig``
        (smallest eigenvalue of J^T J, 1/ms^2; NaN where not computed),
        ``n_active`` (units with positive pre-activation), ``n_unstable``
        (Jacobian eigenvalues with positive real part), ``kind`` ("stable",
        "saddle" or "unstable"), ``max_real_eig`` (1/ms), ``contraction_rate``
        (sum of the real parts of the Jacobian eigenvalues = trace J, 1/ms;
        this equals -N/tau whenever W_rec has a zero diagonal),
        ``min_abs_preactivation`` (distance to the nearest ReLU kink),
        ``n_kink_units`` (units on their ReLU kink, see :data:`KINK_REL`),
        ``side_kinds`` (the kinds that occur across the sides of those kinks, in
        the order stable, saddle, unstable, joined by "/"; the point's own kind
        where it is on no kink), ``n_sides`` (sides evaluated: ``2^k`` for k up to
        :data:`MAX_EXHAUSTIVE_KINKS` kink units, else a seeded subset, see
        :func:`side_patterns`), ``n_hits`` (initial states that ended at this point)
        and ``converged`` (met the method's own tolerance).

        ``kind`` is the kind of every side when they agree and ``"undetermined"``
        when they do not; off kinks there is one side and ``kind`` follows
        ``n_unstable``.  ``n_unstable``, ``max_real_eig``, ``eigenvalues`` and
        ``unstable_vectors`` are always those of the ``m > 0`` convention (a kink
        unit at ``m_i = 0`` counts as inactive), so for an undetermined point
        they describe one side only.
    locations : ndarray, shape (n_points, N)
        The points, in firing-rate units.
    patterns : ndarray of bool, shape (n_points, N)
        Activation pattern (pre-activation > 0) at each point.
    eigenvalues : ndarray of complex, shape (n_points, N)
        Eigenvalues of the continuous-time Jacobian (1/ms), sorted by
        decreasing real part.
    unstable_vectors : ndarray of complex, shape (n_points, N, k_max)
        Unit-norm right eigenvectors of the eigenvalues with positive real
        part, in the order of ``eigenvalues``; NaN-padded where a point has
        fewer than ``k_max`` (the largest ``n_unstable``).
    info : dict
        Run summary: method, number of initial states, failures, time in s.
    """

    table: pd.DataFrame
    locations: np.ndarray
    patterns: np.ndarray
    eigenvalues: np.ndarray
    unstable_vectors: np.ndarray
    info: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.locations.shape[0])

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Arrays for ``np.savez`` (no pickling needed).

        Returns
        -------
        dict
            ``locations``, ``patterns``, ``eigenvalues``, ``unstable_vectors``
            and ``speed`` (for matching rows of the table).
        """
        return {
            "locations": self.locations,
            "patterns": self.patterns,
            "eigenvalues": self.eigenvalues,
            "unstable_vectors": self.unstable_vectors,
            "speed": self.table["speed"].to_numpy(dtype=float),
        }


def _unique_groups(points: np.ndarray, tol: float) -> np.ndarray:
    """Label points so that any two within ``tol`` (max-abs norm) share a label.

    Returns labels 0..k-1 in order of first appearance (transitive closure
    via union-find over the pairs a k-d tree reports).
    """
    n = points.shape[0]
    parent = np.arange(n)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if n > 1:
        pairs = cKDTree(points).query_pairs(r=tol, p=np.inf, output_type="ndarray")
        for i, j in pairs:
            ri, rj = find(int(i)), find(int(j))
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    roots = np.array([find(i) for i in range(n)], dtype=int)
    _, first, labels = np.unique(roots, return_index=True, return_inverse=True)
    # Relabel by first appearance so the output order is deterministic.
    rank = np.empty_like(first)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return rank[labels]


def _dedupe(points: np.ndarray, hits: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Keep one representative (the first) per group; sum the hit counts."""
    if points.shape[0] == 0:
        return points, hits
    labels = _unique_groups(points, tol)
    k = labels.max() + 1
    first = np.full(k, -1)
    for i, lab in enumerate(labels):
        if first[lab] < 0:
            first[lab] = i
    return points[first], np.bincount(labels, weights=hits, minlength=k).astype(int)


def _min_norm_gradient(
    r: np.ndarray, m: np.ndarray, W: np.ndarray, tau: float, kink_tol: float
) -> tuple[float, np.ndarray]:
    """Smallest |grad q| over the one-sided gradients at the ReLU kinks near r.

    q is only piecewise smooth; at a kink (``|m_i| <= kink_tol``) the slope of
    ReLU can be anything in [0, 1] and so can ``d_i`` in
    ``grad q = (-F + W^T (d * F)) / tau``.  The norm of the best choice
    (a bounded least-squares problem in the few kink units) is zero at
    stationary points of q, smooth or not.

    Returns
    -------
    norm : float
    d : ndarray, shape (N,)
        The slopes that achieve it.
    """
    F = (np.maximum(m, 0.0) - r) / tau
    d = (m > kink_tol).astype(float)
    g0 = (-F + (d * F) @ W) / tau
    kinks = np.flatnonzero(np.abs(m) <= kink_tol)
    if kinks.size == 0:
        return float(np.linalg.norm(g0)), d
    Z = (W[kinks].T * F[kinks]) / tau
    sol = lsq_linear(Z, -g0, bounds=(0.0, 1.0), method="bvls")
    d[kinks] = sol.x
    return float(np.linalg.norm(g0 + Z @ sol.x)), d


def _hessian_min_eig(J: np.ndarray) -> float:
    """Smallest eigenvalue of ``J^T J``: the smallest singular value of J, squared.

    The SVD is used rather than ``eigvalsh(J.T @ J)``, which loses the small
    end of the spectrum to rounding when J is nearly singular.
    """
    return float(sla.svdvals(J, check_finite=False)[-1] ** 2)


def kink_units(m: np.ndarray, kink_rel: float = KINK_REL) -> np.ndarray:
    """Which units sit on their ReLU kink: ``|m_i| <= kink_rel * (1 + max_j |m_j|)``.

    Parameters
    ----------
    m : ndarray, shape (..., N)
        Pre-activations at the points.
    kink_rel : float
        Tolerance relative to the scale of m (:data:`KINK_REL`).

    Returns
    -------
    ndarray of bool, shape (..., N)
    """
    m = np.asarray(m, dtype=float)
    if m.shape[-1] == 0:
        return np.zeros(m.shape, bool)
    band = kink_rel * (1.0 + np.abs(m).max(axis=-1, keepdims=True))
    return np.abs(m) <= band


def kind_of(n_unstable: np.ndarray | int, n: int) -> np.ndarray:
    """The kind from the number of eigenvalues with positive real part, of N.

    0: "stable"; all N: "unstable"; otherwise "saddle".
    """
    k = np.asarray(n_unstable)
    return np.where(k == 0, "stable", np.where(k == n, "unstable", "saddle"))


def _n_unstable(W: np.ndarray, tau: float, active: np.ndarray) -> int:
    """Eigenvalues of ``J = (-I + D W) / tau`` with positive real part, D = diag(active).

    J is block triangular (active, inactive) with the inactive block ``-I / tau``,
    so only the active block is decomposed, as in :func:`_describe`.
    """
    A = np.flatnonzero(active)
    if A.size == 0:
        return 0
    block = (W[np.ix_(A, A)] - np.eye(A.size)) / tau
    return int(np.sum(sla.eigvals(block, check_finite=False).real > 0))


def side_patterns(active: np.ndarray, kinks: np.ndarray, *,
                  max_exhaustive: int = MAX_EXHAUSTIVE_KINKS, n_random: int = N_RANDOM_SIDES,
                  seed: int = SIDE_SEED) -> np.ndarray:
    """The activation patterns ("sides") of a point on ReLU kinks that are evaluated.

    Parameters
    ----------
    active : ndarray of bool, shape (N,)
        The point's pattern in the ``m > 0`` convention.
    kinks : ndarray of bool, shape (N,)
        Its kink units (:func:`kink_units`), k of them.
    max_exhaustive, n_random, seed
        With k <= ``max_exhaustive`` every one of the ``2^k`` assignments of the kink
        units; beyond, the pattern itself, all kink units off, all on, and
        ``n_random`` uniformly random assignments drawn with ``seed``, without
        repeats.

    Returns
    -------
    ndarray of bool, shape (n_sides, N)
        The pattern itself first (off kinks it is the only side).
    """
    active = np.asarray(active, bool)
    K = np.flatnonzero(kinks)
    k = K.size
    if k <= max_exhaustive:
        codes = np.arange(2**k)
        assign = ((codes[:, None] >> np.arange(k)) & 1).astype(bool)
    else:
        rng = np.random.default_rng(seed)
        assign = np.vstack([active[K], np.zeros(k, bool), np.ones(k, bool),
                            rng.random((n_random, k)) < 0.5])
    sides = np.repeat(active[None], assign.shape[0], axis=0)
    sides[:, K] = assign
    # the pattern itself first, then each distinct assignment once
    sides = np.vstack([active[None], sides])
    _, first = np.unique(np.packbits(sides, axis=1), axis=0, return_index=True)
    return sides[np.sort(first)]


def side_kinds(W: np.ndarray, tau: float, active: np.ndarray, kinks: np.ndarray, *,
               own_kind: str | None = None, **options: int) -> tuple[list[str], int]:
    """The kinds of the Jacobian on each evaluated side of a point's ReLU kinks.

    On side D the Jacobian is ``(-I + D W_rec) / tau``; its kind follows the
    existing rule (:func:`kind_of`: no eigenvalue with positive real part,
    stable; all, unstable; otherwise saddle).

    Parameters
    ----------
    W : ndarray, shape (N, N)
        W_rec.
    tau : float
        Time constant, ms.
    active, kinks, **options
        As :func:`side_patterns`.
    own_kind : str, optional
        The kind of the pattern itself, if already known (it is not recomputed,
        so that an off-kink point keeps exactly the kind it had).

    Returns
    -------
    kinds : list of str
        The distinct kinds across the sides, in the order of :data:`KINDS`.
    n_sides : int
        Sides evaluated.
    """
    n = W.shape[0]
    sides = side_patterns(active, kinks, **options)
    found = set() if own_kind is None else {own_kind}
    for d in sides[0 if own_kind is None else 1:]:
        found.add(str(kind_of(_n_unstable(W, tau, d), n)))
    return [kind for kind in KINDS if kind in found], int(sides.shape[0])


def _describe(
    locations: np.ndarray,
    hits: np.ndarray,
    W: np.ndarray,
    c: np.ndarray,
    tau: float,
    method: str,
    *,
    converged: np.ndarray | None = None,
    grad_norm: np.ndarray | None = None,
    hessian: bool = False,
    info: dict[str, Any] | None = None,
    kink_rel: float = KINK_REL,
) -> PointSet:
    """Characterise points by the linearisation of the dynamics there.

    With the units ordered (active A, inactive I) the Jacobian is block upper
    triangular, ``[[-I + W_AA, W_AI], [0, -I]] / tau``, so its spectrum is that
    of the active block plus ``-1/tau`` once per inactive unit, and
    eigenvectors of the active block (zero on inactive units) are
    eigenvectors of J.  Only the |A| x |A| block is decomposed.

    A point with units on their ReLU kink (``kink_rel``, :func:`kink_units`) has
    one Jacobian per side of those kinks; its ``kind`` is theirs when every
    evaluated side (:func:`side_patterns`) has the same kind, else
    ``"undetermined"``.
    """
    n_pts, n = locations.shape if locations.ndim == 2 else (0, W.shape[0])
    locations = locations.reshape(n_pts, n)
    m = locations @ W.T + c if n_pts else np.zeros((0, n))
    patterns = m > 0
    F = (np.maximum(m, 0.0) - locations) / tau
    speed = np.linalg.norm(F, axis=1)
    eigs = np.empty((n_pts, n), dtype=complex)
    unstable: list[np.ndarray] = []
    hmin = np.full(n_pts, np.nan)
    gnorm = np.full(n_pts, np.nan) if grad_norm is None else np.asarray(grad_norm, float)
    for p in range(n_pts):
        A = np.flatnonzero(patterns[p])
        block = (W[np.ix_(A, A)] - np.eye(A.size)) / tau
        lam_a = sla.eigvals(block, check_finite=False) if A.size else np.zeros(0, complex)
        vecs = np.zeros((n, 0), dtype=complex)
        if A.size and np.any(lam_a.real > 0):
            # Vectors only where there are unstable modes; the eigenvalues of
            # this call replace the first ones so that counts agree exactly.
            lam_a, V = sla.eig(block, check_finite=False)
            keep = np.flatnonzero(lam_a.real > 0)
            keep = keep[np.argsort(-lam_a.real[keep], kind="stable")]
            vecs = np.zeros((n, keep.size), dtype=complex)
            vecs[A] = V[:, keep] / np.linalg.norm(V[:, keep], axis=0)
        unstable.append(vecs)
        lam = np.concatenate([lam_a, np.full(n - A.size, -1.0 / tau, dtype=complex)])
        eigs[p] = lam[np.argsort(-lam.real, kind="stable")]
        if grad_norm is None:
            g = (-F[p] + (patterns[p] * F[p]) @ W) / tau
            gnorm[p] = np.linalg.norm(g)
        if hessian:
            J = (patterns[p][:, None] * W - np.eye(n)) / tau
            hmin[p] = _hessian_min_eig(J)
    n_unstable = np.sum(eigs.real > 0, axis=1) if n_pts else np.zeros(0, int)
    k_max = int(n_unstable.max()) if n_pts else 0
    uvec = np.full((n_pts, n, k_max), np.nan + 0j, dtype=complex)
    for p, v in enumerate(unstable):
        uvec[p, :, : v.shape[1]] = v
    own = kind_of(n_unstable, n)
    kinks = kink_units(m, kink_rel)
    n_kinks = kinks.sum(axis=1)
    kind = own.astype(object)
    sides_seen = own.astype(object)
    n_sides = np.ones(n_pts, int)
    for p in np.flatnonzero(n_kinks):
        kinds, n_sides[p] = side_kinds(W, tau, patterns[p], kinks[p], own_kind=str(own[p]))
        sides_seen[p] = "/".join(kinds)
        kind[p] = kinds[0] if len(kinds) == 1 else UNDETERMINED
    table = pd.DataFrame(
        {
            "point": np.arange(n_pts),
            "method": method,
            "q": 0.5 * speed**2,
            "speed": speed,
            "grad_norm": gnorm,
            "hessian_min_eig": hmin,
            "n_active": patterns.sum(axis=1),
            "n_unstable": n_unstable,
            "kind": kind,
            "max_real_eig": eigs[:, 0].real if n_pts else np.zeros(0),
            "contraction_rate": eigs.real.sum(axis=1),
            "min_abs_preactivation": np.abs(m).min(axis=1) if n_pts else np.zeros(0),
            "n_kink_units": n_kinks,
            "side_kinds": sides_seen,
            "n_sides": n_sides,
            "n_hits": np.asarray(hits, dtype=int),
            "converged": np.ones(n_pts, bool) if converged is None else converged,
        },
        columns=_TABLE_COLUMNS,
    )
    return PointSet(table, locations, patterns, eigs, uvec, dict(info or {}))


def match_points(
    found: np.ndarray, reference: np.ndarray, tol: float
) -> tuple[float, float, np.ndarray]:
    """Recall and precision of ``found`` against ``reference`` points.

    Parameters
    ----------
    found : ndarray, shape (n_found, N)
    reference : ndarray, shape (n_ref, N)
    tol : float
        Two points match when they differ by at most ``tol`` in every unit.

    Returns
    -------
    recall : float
        Fraction of reference points with a found point within ``tol``
        (1.0 when there is no reference point).
    precision : float
        Fraction of found points with a reference point within ``tol``
        (1.0 when nothing was found).
    matched : ndarray of bool, shape (n_ref,)
        Which reference points were found.
    """
    found = np.atleast_2d(np.asarray(found, dtype=float))
    reference = np.atleast_2d(np.asarray(reference, dtype=float))
    if reference.shape[0] == 0:
        return 1.0, float(found.shape[0] == 0), np.zeros(0, bool)
    if found.shape[0] == 0:
        return 0.0, 1.0, np.zeros(reference.shape[0], bool)
    d_ref, _ = cKDTree(found).query(reference, p=np.inf)
    d_found, _ = cKDTree(reference).query(found, p=np.inf)
    matched = d_ref <= tol
    return float(matched.mean()), float(np.mean(d_found <= tol)), matched
