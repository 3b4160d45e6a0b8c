"""What training does to the recurrent weights: mean, changes, spectrum, non-normality, rank.

All functions are pure functions of arrays. Convention (fixed by the model):
``W[i, j]`` is the weight from unit ``j`` to unit ``i`` and the diagonal is zero,
so "off-diagonal" statistics are statistics over the trainable weights only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import schur
from scipy.optimize import linear_sum_assignment
from scipy.stats import norm

__all__ = [
    "EigenvalueMatch",
    "connectivity_summary",
    "departure_from_normality",
    "departure_trajectory",
    "eigenvalues",
    "energy_rank",
    "gaussian_top_share",
    "match_eigenvalues",
    "mean_offdiagonal",
    "numerical_rank",
    "offdiagonal",
    "participation_ratio",
    "random_reference_singular_values",
    "singular_values",
    "spectral_radius",
    "top_share",
    "truncate_rank",
    "truncated_weights",
    "weight_change_magnitudes",
]


# ----------------------------------------------------------------------------- weights


def _square(W: ArrayLike, name: str = "W") -> NDArray[np.float64]:
    A = np.asarray(W, dtype=float)
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise ValueError(f"{name} must be square in its last two axes, got shape {A.shape}")
    return A


def offdiagonal(W: ArrayLike) -> NDArray[np.float64]:
    """Off-diagonal entries of one matrix or of a stack of matrices.

    Parameters
    ----------
    W : array, shape (N, N) or (S, N, N)

    Returns
    -------
    array, shape (N*(N-1),) or (S, N*(N-1))
        Entries in row-major order, diagonal left out.
    """
    A = _square(W)
    n = A.shape[-1]
    keep = ~np.eye(n, dtype=bool)
    return A[..., keep]


def mean_offdiagonal(W: ArrayLike) -> float | NDArray[np.float64]:
    """Mean off-diagonal weight of one matrix, or of each matrix of a stack.

    The diagonal is excluded because it is held at zero and would bias the mean
    towards zero by a factor (N-1)/N.

    Parameters
    ----------
    W : array, shape (N, N) or (S, N, N)
        One weight matrix, or training snapshots stacked along the first axis.

    Returns
    -------
    float for one matrix, array of shape (S,) for a stack.
    """
    A = _square(W)
    if A.shape[-1] < 2:
        raise ValueError("need N >= 2 to have off-diagonal weights")
    means = offdiagonal(A).mean(axis=-1)
    return float(means) if A.ndim == 2 else means


def weight_change_magnitudes(W_init: ArrayLike, W_trained: ArrayLike) -> NDArray[np.float64]:
    """Absolute change of every off-diagonal weight, ``|W_trained - W_init|``.

    Parameters
    ----------
    W_init, W_trained : array, shape (N, N)

    Returns
    -------
    array, shape (N*(N-1),)
    """
    A, B = _square(W_init, "W_init"), _square(W_trained, "W_trained")
    if A.shape != B.shape:
        raise ValueError(f"shape mismatch: {A.shape} vs {B.shape}")
    return np.abs(offdiagonal(B - A))


def top_share(values: ArrayLike, fraction: float = 0.1) -> float:
    """Share of the total squared magnitude carried by the largest ``fraction`` of entries.

    A measure of how concentrated a change is: near ``fraction`` when every entry
    changes alike, near 1 when a few entries carry the whole change.

    Parameters
    ----------
    values : array, any shape (flattened)
    fraction : float in (0, 1]
        The top ``ceil(fraction * n)`` entries by magnitude are counted.

    Returns
    -------
    float in [0, 1]; NaN when all values are zero.
    """
    if not 0 < fraction <= 1:
        raise ValueError("fraction must lie in (0, 1]")
    sq = np.sort(np.abs(np.ravel(np.asarray(values, dtype=float))) ** 2)[::-1]
    total = sq.sum()
    if sq.size == 0 or total == 0:
        return float("nan")
    k = max(1, int(np.ceil(fraction * sq.size)))
    return float(sq[:k].sum() / total)


def gaussian_top_share(fraction: float = 0.1) -> float:
    """:func:`top_share` expected for i.i.d. zero-mean Gaussian entries (large-n limit).

    With ``z`` the two-sided ``fraction`` quantile of |x|, the share is
    ``E[x^2; |x| > z] / E[x^2] = 2 (z phi(z) + 1 - Phi(z))``. It is the reference
    against which "few weights change much" is tested.
    """
    if not 0 < fraction <= 1:
        raise ValueError("fraction must lie in (0, 1]")
    z = norm.isf(fraction / 2)
    return float(2 * (z * norm.pdf(z) + norm.sf(z)))


# ----------------------------------------------------------------------------- spectrum


def eigenvalues(W: ArrayLike) -> NDArray[np.complex128]:
    """Eigenvalues of a square matrix, shape (N,), complex."""
    return np.linalg.eigvals(_square(W)).astype(complex)


def spectral_radius(W: ArrayLike) -> float:
    """Largest eigenvalue magnitude of a square matrix."""
    return float(np.max(np.abs(eigenvalues(W))))


@dataclass(frozen=True)
class EigenvalueMatch:
    """Eigenvalues before and after training, paired one to one.

    Attributes
    ----------
    before : array, shape (N,), complex
        Eigenvalues of the initial matrix.
    after : array, shape (N,), complex
        Eigenvalues of the trained matrix, reordered so that ``after[k]`` is the
        partner of ``before[k]``.
    """

    before: NDArray[np.complex128]
    after: NDArray[np.complex128]

    @property
    def magnitude_change(self) -> NDArray[np.float64]:
        """``|after| - |before|`` per pair, shape (N,); positive means the eigenvalue grew."""
        return np.abs(self.after) - np.abs(self.before)

    def top(self, k: int) -> NDArray[np.intp]:
        """Indices of the ``k`` pairs whose magnitude grew most (largest increase first).

        Parameters
        ----------
        k : int

        Returns
        -------
        array of int, shape (min(k, N),)
        """
        # stable sort keeps the result reproducible when changes tie
        return np.argsort(-self.magnitude_change, kind="stable")[: max(0, k)]


def match_eigenvalues(before: ArrayLike, after: ArrayLike) -> EigenvalueMatch:
    """Pair two eigenvalue sets by minimum total distance in the complex plane.

    Eigenvalue solvers return no meaningful order, so "how much did eigenvalue k
    move" needs an explicit pairing; the Hungarian assignment on ``|a - b|`` gives
    the pairing with the smallest total displacement, which for a small change of
    the matrix follows each eigenvalue to its perturbed position.

    Parameters
    ----------
    before, after : array, shape (N,), complex

    Returns
    -------
    EigenvalueMatch
    """
    a = np.asarray(before, dtype=complex).ravel()
    b = np.asarray(after, dtype=complex).ravel()
    if a.shape != b.shape:
        raise ValueError(f"need as many eigenvalues after as before: {a.size} vs {b.size}")
    cost = np.abs(a[:, None] - b[None, :])
    rows, cols = linear_sum_assignment(cost)
    order = np.empty_like(cols)
    order[rows] = cols
    return EigenvalueMatch(before=a, after=b[order])


# ----------------------------------------------------------------------------- non-normality


def departure_from_normality(W: ArrayLike) -> tuple[float, float]:
    """Non-normality of a matrix from its complex Schur form ``W = Q T Q*``.

    With ``T = D + U`` (``D`` diagonal: the eigenvalues, ``U`` strictly upper
    triangular) a matrix is normal exactly when ``U = 0``.

    Parameters
    ----------
    W : array, shape (N, N)

    Returns
    -------
    henrici : float
        ``||U||_F``, Henrici's departure from normality. It does not depend on
        which Schur form is used (it equals ``sqrt(||W||_F^2 - sum |lambda|^2)``).
    spectral : float
        ``||U||_2``, the largest singular value of ``U``. Unlike the Frobenius
        version it depends on the order of the eigenvalues along the diagonal of
        ``T``; here that order is LAPACK's default, which is deterministic.
    """
    A = _square(W)
    if A.ndim != 2:
        raise ValueError("expected a single (N, N) matrix; use departure_trajectory for stacks")
    T, _ = schur(A, output="complex")
    U = np.triu(T, k=1)
    henrici = float(np.linalg.norm(U, "fro"))
    spectral = float(np.linalg.norm(U, 2)) if U.size else 0.0
    return henrici, spectral


def departure_trajectory(Ws: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """:func:`departure_from_normality` of every snapshot of a training run.

    Parameters
    ----------
    Ws : array, shape (S, N, N)

    Returns
    -------
    henrici, spectral : arrays, shape (S,)
    """
    A = _square(Ws, "Ws")
    if A.ndim != 3:
        raise ValueError(f"expected a stack of shape (S, N, N), got {A.shape}")
    out = np.array([departure_from_normality(W) for W in A], dtype=float).reshape(-1, 2)
    return out[:, 0], out[:, 1]


# ----------------------------------------------------------------------------- rank of the change


def singular_values(M: ArrayLike) -> NDArray[np.float64]:
    """Singular values in descending order, shape (min(N, M),)."""
    return np.linalg.svd(np.asarray(M, dtype=float), compute_uv=False)


def random_reference_singular_values(
    dW: ArrayLike, seed: int = 0, zero_diagonal: bool = True
) -> NDArray[np.float64]:
    """Singular values of a Gaussian matrix with the shape and Frobenius norm of ``dW``.

    This is the null against which "the change is low rank" is judged: a change of
    the same size spread over random directions.

    Parameters
    ----------
    dW : array, shape (N, M)
    seed : int
        Seed of the numpy Generator drawing the reference matrix.
    zero_diagonal : bool
        Zero the reference's diagonal (square case) so that it has the same
        trainable entries as a change of ``W_rec``, whose diagonal is held at zero.

    Returns
    -------
    array, shape (min(N, M),), descending.
    """
    D = np.asarray(dW, dtype=float)
    if D.ndim != 2:
        raise ValueError(f"dW must be 2-D, got shape {D.shape}")
    G = np.random.default_rng(seed).standard_normal(D.shape)
    if zero_diagonal and D.shape[0] == D.shape[1]:
        np.fill_diagonal(G, 0.0)
    target = np.linalg.norm(D, "fro")
    g = np.linalg.norm(G, "fro")
    G = G * (target / g) if g > 0 else G * 0.0
    return singular_values(G)


def truncate_rank(dW: ArrayLike, k: int) -> NDArray[np.float64]:
    """Best rank-``k`` approximation of ``dW`` in Frobenius and spectral norm (Eckart-Young).

    The result is not masked: its diagonal is generally non-zero even when ``dW``'s
    is zero; a caller that must keep the diagonal at zero masks it afterwards.

    Parameters
    ----------
    dW : array, shape (N, M)
    k : int, >= 0
        ``k = 0`` gives zeros; ``k >= min(N, M)`` returns an exact copy of ``dW``
        (no round-off from the SVD reconstruction).

    Returns
    -------
    array, shape (N, M)
    """
    D = np.asarray(dW, dtype=float)
    if D.ndim != 2:
        raise ValueError(f"dW must be 2-D, got shape {D.shape}")
    if k < 0:
        raise ValueError("k must be >= 0")
    if k >= min(D.shape):
        return D.copy()
    if k == 0:
        return np.zeros_like(D)
    U, s, Vt = np.linalg.svd(D, full_matrices=False)
    return (U[:, :k] * s[:k]) @ Vt[:k]


def truncated_weights(
    W_init: ArrayLike, W_trained: ArrayLike, k: int, zero_diagonal: bool = False
) -> NDArray[np.float64]:
    """``W_init`` plus the best rank-``k`` approximation of the training change.

    This is the weight matrix of Schuessler et al.'s truncation experiment. For
    ``k >= N`` it is ``W_trained`` itself (a copy), not ``W_init + (W_trained - W_init)``,
    which can differ in the last bit and so would not give back the trained loss exactly.

    Parameters
    ----------
    W_init, W_trained : array, shape (N, N)
    k : int, >= 0
    zero_diagonal : bool
        Set the diagonal to zero afterwards, for a model that holds it at zero (the
        rank-``k`` part generally has a non-zero diagonal).

    Returns
    -------
    array, shape (N, N)
    """
    A, B = _square(W_init, "W_init"), _square(W_trained, "W_trained")
    if A.shape != B.shape or A.ndim != 2:
        raise ValueError(f"need two (N, N) matrices of one shape, got {A.shape} and {B.shape}")
    W = B.copy() if k >= A.shape[0] else A + truncate_rank(B - A, k)
    if zero_diagonal:
        np.fill_diagonal(W, 0.0)
    return W


def _spectrum(M_or_s: ArrayLike) -> NDArray[np.float64]:
    """Singular values from a 2-D matrix, or a 1-D array taken as singular values."""
    A = np.asarray(M_or_s, dtype=float)
    if A.ndim == 2:
        return singular_values(A)
    if A.ndim == 1:
        return np.sort(np.abs(A))[::-1]
    raise ValueError(f"expected a matrix or a 1-D array of singular values, got shape {A.shape}")


def energy_rank(M_or_s: ArrayLike, energy: float = 0.9) -> int:
    """Number of singular values needed to reach ``energy`` of the squared Frobenius norm.

    Parameters
    ----------
    M_or_s : array, shape (N, M) (a matrix) or (K,) (its singular values)
    energy : float in (0, 1]

    Returns
    -------
    int; 0 for a zero matrix.
    """
    if not 0 < energy <= 1:
        raise ValueError("energy must lie in (0, 1]")
    s2 = _spectrum(M_or_s) ** 2
    total = s2.sum()
    if total == 0:
        return 0
    cum = np.cumsum(s2) / total
    # the tolerance keeps an exact-energy boundary (e.g. energy=1) from tipping over
    # into one more component because of round-off in the cumulative sum
    return int(min(np.searchsorted(cum, energy - 1e-12) + 1, cum.size))


def participation_ratio(M_or_s: ArrayLike) -> float:
    """Participation ratio ``(sum s^2)^2 / sum s^4`` of the singular values.

    A smooth effective rank: 1 for a rank-1 matrix, K for K equal singular values.

    Parameters
    ----------
    M_or_s : array, shape (N, M) (a matrix) or (K,) (its singular values)

    Returns
    -------
    float; 0 for a zero matrix.
    """
    s2 = _spectrum(M_or_s) ** 2
    denom = np.sum(s2**2)
    return float(s2.sum() ** 2 / denom) if denom > 0 else 0.0


def numerical_rank(M: ArrayLike, rtol: float | None = None) -> int:
    """Number of singular values above ``rtol * s_max``.

    Parameters
    ----------
    M : array, shape (N, M)
    rtol : float, optional
        Relative tolerance; by default ``max(N, M) * eps``, NumPy's ``matrix_rank`` rule
        (spelled out here because its keyword changed between NumPy 1 and 2).

    Returns
    -------
    int
    """
    A = np.asarray(M, dtype=float)
    s = singular_values(A)
    if s.size == 0 or s[0] == 0:
        return 0
    if rtol is None:
        rtol = max(A.shape) * np.finfo(float).eps
    return int(np.sum(s > rtol * s[0]))


# ----------------------------------------------------------------------------- per network


def connectivity_summary(
    W_init: ArrayLike,
    W_trained: ArrayLike,
    *,
    top_fraction: float = 0.1,
    energy: float = 0.9,
    seed: int = 0,
) -> dict[str, float]:
    """Per-network scalars behind the connectivity claims of the report's sections 5.1-5.2.

    Parameters
    ----------
    W_init, W_trained : array, shape (N, N)
    top_fraction : float
        Fraction of weights counted by :func:`top_share`.
    energy : float
        Energy level of :func:`energy_rank`.
    seed : int
        Seed of the random reference matrix.

    Returns
    -------
    dict with float values:
        mean_weight_init, mean_weight_final, mean_weight_change,
        change_top_share, change_top_share_gaussian,
        spectral_radius_init, spectral_radius_final, max_eigenvalue_growth,
        henrici_init, henrici_final, spectral_departure_init, spectral_departure_final,
        frobenius_init, frobenius_final (``||W||_F``), henrici_relative_init,
        henrici_relative_final (Henrici's departure over ``||W||_F``: how far from normal
        the matrix is for its size, which the bare departure grows with),
        dW_relative_norm, dW_energy_rank, dW_energy_rank_random,
        dW_participation_ratio, dW_participation_ratio_random.
    """
    A, B = _square(W_init, "W_init"), _square(W_trained, "W_trained")
    if A.shape != B.shape or A.ndim != 2:
        raise ValueError(f"need two (N, N) matrices of one shape, got {A.shape} and {B.shape}")
    dW = B - A
    match = match_eigenvalues(eigenvalues(A), eigenvalues(B))
    h0, s0 = departure_from_normality(A)
    h1, s1 = departure_from_normality(B)
    s_dw = singular_values(dW)
    s_rand = random_reference_singular_values(dW, seed=seed)
    norm_init, norm_final = np.linalg.norm(A, "fro"), np.linalg.norm(B, "fro")
    m0, m1 = mean_offdiagonal(A), mean_offdiagonal(B)
    return {
        "mean_weight_init": float(m0),
        "mean_weight_final": float(m1),
        "mean_weight_change": float(m1 - m0),
        "change_top_share": top_share(offdiagonal(dW), top_fraction),
        "change_top_share_gaussian": gaussian_top_share(top_fraction),
        "spectral_radius_init": float(np.max(np.abs(match.before))),
        "spectral_radius_final": float(np.max(np.abs(match.after))),
        "max_eigenvalue_growth": float(np.max(match.magnitude_change)),
        "henrici_init": h0,
        "henrici_final": h1,
        "spectral_departure_init": s0,
        "spectral_departure_final": s1,
        "dW_relative_norm": float(np.linalg.norm(dW, "fro") / norm_init)
        if norm_init > 0
        else float("nan"),
        "dW_energy_rank": float(energy_rank(s_dw, energy)),
        "dW_energy_rank_random": float(energy_rank(s_rand, energy)),
        "dW_participation_ratio": participation_ratio(s_dw),
        "dW_participation_ratio_random": participation_ratio(s_rand),
        "frobenius_init": float(norm_init),
        "frobenius_final": float(norm_final),
        "henrici_relative_init": h0 / norm_init if norm_init > 0 else float("nan"),
        "henrici_relative_final": h1 / norm_final if norm_final > 0 else float("nan"),
    }
