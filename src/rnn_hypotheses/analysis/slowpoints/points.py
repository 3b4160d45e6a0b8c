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
    "n_hits",
    "converged",
]


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
        ``n_hits`` (initial states that ended at this point) and ``converged``
        (met the method's own tolerance).
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
) -> PointSet:
    """Characterise points by the linearisation of the dynamics there.

    With the units ordered (active A, inactive I) the Jacobian is block upper
    triangular, ``[[-I + W_AA, W_AI], [0, -I]] / tau``, so its spectrum is that
    of the active block plus ``-1/tau`` once per inactive unit, and
    eigenvectors of the active block (zero on inactive units) are
    eigenvectors of J.  Only the |A| x |A| block is decomposed.
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
    kind = np.where(n_unstable == 0, "stable", np.where(n_unstable == n, "unstable", "saddle"))
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
