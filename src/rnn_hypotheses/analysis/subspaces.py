"""Angles between latent subspaces, and between readout vectors and subspaces.

A subspace is given by any ``(N, d)`` matrix whose columns span it (orthonormal
or not, e.g. a DCA ``coef_`` or a PCA basis). Angles are in degrees, in
``[0, 90]``. Data arrays follow the project convention ``(time, trial, unit)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.linalg

__all__ = [
    "orthonormal_basis",
    "pca_basis",
    "principal_angles",
    "vector_subspace_angle",
    "vector_subspace_angles",
]


def orthonormal_basis(A: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the column span of ``A``.

    Parameters
    ----------
    A : ndarray, shape (N, d) or (N,)
        Spanning vectors as columns.

    Returns
    -------
    ndarray, shape (N, r)
        Orthonormal columns spanning the same space; ``r`` is the numerical rank.
    """
    A = np.asarray(A, dtype=float)
    if A.ndim == 1:
        A = A[:, None]
    if A.ndim != 2:
        raise ValueError(f"expected an (N, d) matrix, got shape {A.shape}")
    return scipy.linalg.orth(A)


def principal_angles(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Principal angles between the column spans of ``A`` and ``B``.

    Parameters
    ----------
    A : ndarray, shape (N, p)
        Columns spanning the first subspace.
    B : ndarray, shape (N, q)
        Columns spanning the second subspace.

    Returns
    -------
    ndarray, shape (min(p, q),)
        Angles in degrees, ascending: the first is the smallest angle between any
        two vectors of the two subspaces.

    Notes
    -----
    Uses :func:`scipy.linalg.subspace_angles`, which switches from cosines to
    sines for small angles; the arccosine of singular values of ``Q_A^T Q_B``
    alone loses about half the digits there (a subspace against itself would come
    out near 1e-6 degrees instead of 0).
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    A = A[:, None] if A.ndim == 1 else A
    B = B[:, None] if B.ndim == 1 else B
    if A.ndim != 2 or B.ndim != 2 or A.shape[0] != B.shape[0]:
        raise ValueError(f"need (N, p) and (N, q) matrices, got {A.shape} and {B.shape}")
    radians = scipy.linalg.subspace_angles(A, B)
    return np.sort(np.degrees(radians))


def vector_subspace_angles(vectors: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """Angle between each vector and a subspace.

    The angle between a vector ``v`` and a subspace is the angle between ``v``
    and its orthogonal projection onto the subspace: 0 degrees when ``v`` lies in
    it, 90 when ``v`` is orthogonal to it.

    Parameters
    ----------
    vectors : ndarray, shape (k, N)
        One vector per row, e.g. ``W_out`` with one row per readout.
    basis : ndarray, shape (N, d)
        Columns spanning the subspace.

    Returns
    -------
    ndarray, shape (k,)
        Angles in degrees.
    """
    vectors = np.atleast_2d(np.asarray(vectors, dtype=float))
    Q = orthonormal_basis(basis)
    if vectors.shape[1] != Q.shape[0]:
        raise ValueError(f"vectors have {vectors.shape[1]} entries, the basis {Q.shape[0]} rows")
    inside = vectors @ Q  # coordinates of the projections
    outside = vectors - inside @ Q.T
    # atan2 of the two lengths is accurate near 0 and near 90 degrees alike.
    return np.degrees(np.arctan2(np.linalg.norm(outside, axis=1), np.linalg.norm(inside, axis=1)))


def vector_subspace_angle(vector: np.ndarray, basis: np.ndarray) -> float:
    """Angle in degrees between one vector of shape (N,) and the span of ``basis`` (N, d).

    See :func:`vector_subspace_angles`.
    """
    vector = np.asarray(vector, dtype=float)
    if vector.ndim != 1:
        raise ValueError(f"expected a vector of shape (N,), got {vector.shape}")
    return float(vector_subspace_angles(vector[None, :], basis)[0])


def pca_basis(trials: np.ndarray | Sequence[np.ndarray], d: int) -> np.ndarray:
    """Leading principal axes of activity pooled over time and trials.

    Parameters
    ----------
    trials : ndarray or sequence of ndarray
        Activity shaped ``(time, trial, unit)``, ``(sample, unit)``, or a list of
        ``(time_i, unit)`` arrays.
    d : int
        Number of axes.

    Returns
    -------
    ndarray, shape (unit, d)
        Orthonormal principal axes (about the mean over all samples), by
        decreasing variance; each column's largest entry is positive, to fix the
        arbitrary sign.
    """
    if isinstance(trials, np.ndarray):
        X = trials.reshape(-1, trials.shape[-1]).astype(float)
    else:
        X = np.concatenate([np.asarray(x, dtype=float) for x in trials])
    if not 1 <= d <= X.shape[1]:
        raise ValueError(f"d must be between 1 and {X.shape[1]}, got {d}")
    X = X - X.mean(axis=0)
    Vt = np.linalg.svd(X, full_matrices=False)[2]
    basis = Vt[:d].T
    idx = np.argmax(np.abs(basis), axis=0)
    return basis * np.sign(basis[idx, np.arange(d)])
