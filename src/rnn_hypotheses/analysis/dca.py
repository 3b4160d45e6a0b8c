"""Dynamical Components Analysis (DCA) with NumPy and SciPy.

DCA (Clark, Livezey & Bouchard, NeurIPS 2019) looks for the d-dimensional linear
projection of a multivariate time series whose past is most informative about its
future. Under a stationary Gaussian model the predictive information (PI) between
two adjacent windows of ``T`` steps depends only on the lagged cross-covariances of
the data, so a fit is two steps:

1. estimate ``C[k] = E[x(t + k) x(t)^T]`` for ``k = 0 .. 2T - 1`` from the data
   (:func:`cross_covariances`), and
2. maximise the PI of the projected process over orthonormal ``N x d`` matrices
   (:class:`DynamicalComponentsAnalysis`), with L-BFGS on the analytic gradient
   (:func:`predictive_information_grad`).

The conventions follow the reference package ``dynamicalcomponentsanalysis`` 1.1.0
(module ``dca``) so that numbers can be compared with it: the same covariance
estimator (windows of ``2T`` steps within trials, normalised by the number of
windows minus one, block-Toeplitz averaging, smallest-eigenvalue shift), the same
PI in nats, and the same quadratic orthogonality penalty under L-BFGS-B (with a
lighter default weight and a tighter default tolerance, which reach the same or a
higher PI in fewer iterations; see :class:`DynamicalComponentsAnalysis`). Unlike the
reference, nothing here needs PyTorch, the covariance estimate costs ``2T``
lagged products instead of one ``(2T N)^2`` product per trial, the smallest
eigenvalue behind the shift of a large window covariance comes from Lanczos
iterations (:func:`smallest_eigenvalue`), and the gradient is analytic.

Arrays follow the project convention ``(time, trial, unit)``.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Sequence

import numpy as np
import scipy.linalg
import scipy.sparse.linalg
from scipy.optimize import minimize

__all__ = [
    "DynamicalComponentsAnalysis",
    "block_toeplitz",
    "cross_covariances",
    "predictive_information",
    "predictive_information_grad",
    "smallest_eigenvalue",
    "window_ridge",
]

TrialsLike = np.ndarray | Sequence[np.ndarray]

# Reciprocal condition number above which a Cholesky factorisation is trusted to
# mean "positive definite" without computing the smallest eigenvalue. At this level
# the smallest eigenvalue is many orders of magnitude above the rounding error of
# an eigenvalue solver, so the cheap test and the reference's eigenvalue test agree.
_RCOND_TRUSTED = 1e-10

# smallest_eigenvalue: the dense solver up to this many rows (a fraction of a second),
# Lanczos above, with this many basis vectors and this many restarts before it gives up
_DENSE_EIGEN_MAX = 512
_LANCZOS_VECTORS = 40
_LANCZOS_RESTARTS = 1


def _as_trial_list(trials: TrialsLike) -> list[np.ndarray]:
    """Split data into a list of float64 ``(time, unit)`` trials.

    Parameters
    ----------
    trials : ndarray or sequence of ndarray
        ``(time, trial, unit)`` array, a single ``(time, unit)`` trial, or a
        sequence of ``(time_i, unit)`` arrays (trials may differ in length).

    Returns
    -------
    list of ndarray
        One C-contiguous ``(time_i, unit)`` float64 array per trial.
    """
    if isinstance(trials, np.ndarray):
        if trials.ndim == 3:
            # (time, trial, unit): one trial is a column of the second axis.
            return [
                np.ascontiguousarray(trials[:, k, :], dtype=float) for k in range(trials.shape[1])
            ]
        if trials.ndim == 2:
            return [np.ascontiguousarray(trials, dtype=float)]
        raise ValueError(
            f"expected a (time, trial, unit) or (time, unit) array, got shape {trials.shape}"
        )
    out = [np.ascontiguousarray(x, dtype=float) for x in trials]
    if not out:
        raise ValueError("no trials given")
    for x in out:
        if x.ndim != 2 or x.shape[1] != out[0].shape[1]:
            raise ValueError("every trial must be a (time, unit) array with the same units")
    return out


def block_toeplitz(cross_covs: np.ndarray) -> np.ndarray:
    """Assemble the covariance of a window from lagged cross-covariances.

    Parameters
    ----------
    cross_covs : ndarray, shape (L, n, n)
        ``cross_covs[k] = E[x(t + k) x(t)^T]``.

    Returns
    -------
    ndarray, shape (L * n, L * n)
        Covariance of the stacked window ``[x(t), ..., x(t + L - 1)]``: block
        ``(i, j)`` is ``cross_covs[i - j]`` on and below the diagonal and
        ``cross_covs[j - i].T`` above it.
    """
    L, n, _ = cross_covs.shape
    if n <= 16:
        # Small blocks (projected covariances inside the optimiser): one gather.
        return np.ravel(cross_covs)[_toeplitz_gather_index(L, n)]
    out = np.empty((L * n, L * n))
    for i in range(L):
        for j in range(L):
            block = cross_covs[i - j] if i >= j else cross_covs[j - i].T
            out[i * n : (i + 1) * n, j * n : (j + 1) * n] = block
    return out


@functools.lru_cache(maxsize=64)
def _toeplitz_gather_index(L: int, n: int) -> np.ndarray:
    """Flat indices into an ``(L, n, n)`` array that lay it out block-Toeplitz."""
    i, a, j, b = np.meshgrid(np.arange(L), np.arange(n), np.arange(L), np.arange(n), indexing="ij")
    below = i >= j
    lag = np.abs(i - j)
    row = np.where(below, a, b)  # above the diagonal the block is transposed
    col = np.where(below, b, a)
    idx = (lag * n + row) * n + col
    idx.setflags(write=False)
    return idx.reshape(L * n, L * n)


@functools.lru_cache(maxsize=64)
def _lag_sum_index(L: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the on- and below-diagonal blocks of an ``(L n, L n)`` matrix and
    the flat ``(lag, row, col)`` bin of each, for summing blocks by lag with bincount."""
    i, a, j, b = np.meshgrid(np.arange(L), np.arange(n), np.arange(L), np.arange(n), indexing="ij")
    below = (i >= j).ravel()
    positions = np.flatnonzero(below)
    bins = (((i - j) * n + a) * n + b).ravel()[below]
    positions.setflags(write=False)
    bins.setflags(write=False)
    return positions, bins


def _rectifying_shift(cov: np.ndarray, epsilon: float) -> float:
    """Diagonal shift that makes ``cov`` positive definite, or 0 if it already is.

    The reference's rule is to add ``epsilon - lambda_min`` when any eigenvalue
    is ``<= 0``. A Cholesky factorisation with a well-conditioned factor proves
    positive definiteness at a fraction of the cost of an eigenvalue solver; only
    when it fails, or the matrix is nearly singular, is ``lambda_min`` computed.
    One deliberate departure: when the factorisation fails, the matrix is shifted
    even if rounding makes ``lambda_min`` come out as a tiny positive number (as
    for a unit that is silent throughout, common in ReLU networks), where the
    reference would keep a numerically singular matrix.
    """
    factor, info = scipy.linalg.lapack.dpotrf(cov, lower=1, clean=0)
    if info == 0:
        anorm = float(np.abs(cov).sum(axis=0).max())
        rcond, info_con = scipy.linalg.lapack.dpocon(factor, anorm, uplo="L")
        if info_con == 0 and rcond > _RCOND_TRUSTED:
            return 0.0
    lam_min = smallest_eigenvalue(cov)
    if lam_min <= 0.0 or info != 0:
        return max(epsilon - lam_min, 0.0)
    return 0.0


def smallest_eigenvalue(sym: np.ndarray) -> float:
    """The smallest eigenvalue of a symmetric matrix, shape ``(n, n)``.

    Up to ``_DENSE_EIGEN_MAX`` rows, a dense solver (LAPACK's ``syevr``), whose
    tridiagonal reduction costs about ``n^3`` operations whatever the spectrum.
    Larger matrices, like the ``(2T N)^2`` window covariance of a 256-unit network
    (up to 2,560 rows), first try Lanczos iterations (ARPACK) from a fixed start
    vector, one product with the matrix each. On the window covariances of trained
    and untrained networks the most negative eigenvalue lies apart from the rest:
    Lanczos converges within its first ``_LANCZOS_VECTORS`` vectors, agrees with the
    dense value within 1.1e-12 relative (the dense solver's own rounding level) and
    takes a sixth to a tenth of its time (``benchmarks/dca_speed.py``). Where the
    bottom eigenvalues crowd together (far fewer windows than dimensions), Lanczos
    gives up after ``_LANCZOS_RESTARTS`` restart and the dense solver decides, which
    costs 10-25% more than the dense solver alone.
    """
    n = len(sym)
    if n > _DENSE_EIGEN_MAX:
        start = np.random.default_rng(0).standard_normal(n)
        try:
            value = scipy.sparse.linalg.eigsh(
                sym, k=1, which="SA", v0=start, ncv=_LANCZOS_VECTORS, tol=0,
                maxiter=_LANCZOS_RESTARTS, return_eigenvectors=False,
            )
            return float(value[0])
        except scipy.sparse.linalg.ArpackNoConvergence:
            pass
    return float(
        scipy.linalg.eigh(sym, eigvals_only=True, subset_by_index=[0, 0], check_finite=False)[0]
    )


def cross_covariances(
    trials: TrialsLike,
    T: int,
    *,
    mean: np.ndarray | None = None,
    epsilon: float = 1e-6,
    rectify: bool = True,
) -> np.ndarray:
    """Estimate the lagged cross-covariances used by DCA.

    Every window of ``2T`` consecutive steps that lies inside one trial is a
    sample of the ``2T N``-dimensional window vector; windows never cross trial
    boundaries. Their covariance (about a mean shared by all trials, normalised by
    the number of windows minus one) is made block-Toeplitz by averaging blocks of
    equal lag and symmetrised. If the resulting ``(2T N, 2T N)`` matrix is not
    positive definite, ``epsilon - lambda_min`` is added to its diagonal (that is,
    to ``C[0]``), so that its smallest eigenvalue becomes ``epsilon``.

    Parameters
    ----------
    trials : ndarray or sequence of ndarray
        Activity, shape ``(time, trial, unit)``; or a sequence of ``(time_i, unit)``
        arrays; or one ``(time, unit)`` trial. Every trial needs at least ``2T``
        steps.
    T : int
        Half window, in time steps: PI is measured between ``T`` past and ``T``
        future steps.
    mean : ndarray, shape (unit,), optional
        Mean to subtract; by default the mean over all steps of all trials.
    epsilon : float
        Smallest eigenvalue after the shift, in squared data units.
    rectify : bool
        Whether to apply the smallest-eigenvalue shift at all.

    Returns
    -------
    ndarray, shape (2T, unit, unit)
        ``C[k] = E[x(t + k) x(t)^T]`` in squared data units; ``C[0]`` is symmetric.

    Notes
    -----
    Lag-``k`` blocks of the window covariance average the products
    ``x(s + k) x(s)^T`` over all windows and all positions in the window. Step
    ``s`` of a trial enters that average once for each window holding both ``s``
    and ``s + k``, so the average is one weighted lagged product per lag, which
    costs ``2T`` products of ``unit x time`` matrices instead of forming the whole
    ``(2T unit)^2`` window covariance.
    """
    if T < 1:
        raise ValueError(f"T must be a positive number of steps, got {T}")
    data = _as_trial_list(trials)
    L = 2 * T
    short = [len(x) for x in data if len(x) < L]
    if short:
        raise ValueError(f"every trial needs at least 2T = {L} steps; got one with {short[0]}")
    n_units = data[0].shape[1]
    if mean is None:
        mean = np.concatenate(data).mean(axis=0)
    mean = np.asarray(mean, dtype=float).reshape(n_units)
    data = [x - mean for x in data]

    n_windows = sum(len(x) - L + 1 for x in data)
    if n_windows < 2:
        raise ValueError("need at least two windows of 2T steps to estimate a covariance")

    C = np.empty((L, n_units, n_units))
    for k in range(L):
        leads, lags = [], []
        for x in data:
            n_steps = len(x)
            last_start = n_steps - L  # index of the last window's first step
            s = np.arange(n_steps - k)
            # Windows w holding both s and s + k: max(0, s + k - L + 1) <= w <= min(s, last).
            weight = np.minimum(s, last_start) - np.maximum(0, s + k - L + 1) + 1
            leads.append(x[k:])
            lags.append(x[: n_steps - k] * weight[:, None])
        # One product per lag over all trials at once keeps BLAS efficient.
        C[k] = np.concatenate(leads).T @ np.concatenate(lags)
        # A lag-k block occurs L - k times in the window covariance.
        C[k] /= (L - k) * (n_windows - 1)
    C[0] = 0.5 * (C[0] + C[0].T)

    if rectify:
        C[0] += _rectifying_shift(block_toeplitz(C), epsilon) * np.eye(n_units)
    return C


def window_ridge(cross_covs: np.ndarray, epsilon: float = 1e-6) -> float:
    """The diagonal shift :func:`cross_covariances` adds to unrectified cross-covariances.

    Zero when the ``(2T N, 2T N)`` block-Toeplitz window covariance is positive
    definite; otherwise ``epsilon - lambda_min``, in squared data units. A ridge of the
    order of the units' variance means the windows do not determine the covariance
    (fewer windows than dimensions, or activity confined to fewer dimensions).

    Parameters
    ----------
    cross_covs : ndarray, shape (2T, N, N)
        From :func:`cross_covariances` with ``rectify=False``.
    epsilon : float
    """
    return _rectifying_shift(block_toeplitz(np.asarray(cross_covs, dtype=float)), epsilon)


def _check_pi_inputs(cross_covs: np.ndarray, V: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    C = np.asarray(cross_covs, dtype=float)
    if C.ndim != 3 or C.shape[1] != C.shape[2] or C.shape[0] % 2:
        raise ValueError(f"cross_covs must have shape (2T, N, N), got {C.shape}")
    V = np.eye(C.shape[1]) if V is None else np.asarray(V, dtype=float)
    if V.ndim == 1:
        V = V[:, None]
    if V.ndim != 2 or V.shape[0] != C.shape[1]:
        raise ValueError(f"V must have shape ({C.shape[1]}, d), got {V.shape}")
    return C, V


def predictive_information(cross_covs: np.ndarray, V: np.ndarray | None = None) -> float:
    """Gaussian predictive information of a projection, in nats.

    ``PI = logdet Sigma_T - 1/2 logdet Sigma_2T`` where ``Sigma_m`` is the
    covariance of ``m`` consecutive steps of the projected process ``V^T x(t)``.
    This is the mutual information between ``T`` past and ``T`` future steps of a
    stationary Gaussian process with these cross-covariances. It depends on ``V``
    only through its column span.

    Parameters
    ----------
    cross_covs : ndarray, shape (2T, N, N)
        ``C[k] = E[x(t + k) x(t)^T]``, e.g. from :func:`cross_covariances`.
    V : ndarray, shape (N, d) or (N,), optional
        Projection with linearly independent columns. Default: the identity (PI
        of all units together).

    Returns
    -------
    float
        Predictive information in nats.
    """
    C, V = _check_pi_inputs(cross_covs, V)
    P = V.T @ (C @ V)  # (2T, d, d)
    T = len(C) // 2
    # log|det| as in the reference, so that the two agree even off the PD cone.
    logdet_T = np.linalg.slogdet(block_toeplitz(P[:T]))[1]
    logdet_2T = np.linalg.slogdet(block_toeplitz(P))[1]
    return float(logdet_T - 0.5 * logdet_2T)


def _inverse(a: np.ndarray) -> np.ndarray:
    """Inverse of a square matrix, or its pseudo-inverse if it is singular."""
    try:
        return np.linalg.inv(a)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(a)


def _inverse_lag_sums(W: np.ndarray, m: int, d: int) -> np.ndarray:
    """``S[k] = sum_j W[j + k, j]`` over the ``d x d`` blocks of ``W`` (shape (m, d, d))."""
    positions, bins = _lag_sum_index(m, d)
    return np.bincount(bins, weights=W.ravel()[positions], minlength=m * d * d).reshape(m, d, d)


def _logdets_and_lag_sums(P: np.ndarray) -> tuple[float, float, np.ndarray, np.ndarray]:
    """Log-determinants of the ``T``- and ``2T``-step windows and their inverses' lag sums.

    Parameters
    ----------
    P : ndarray, shape (2T, d, d)
        Projected cross-covariances ``V^T C[k] V``.

    Returns
    -------
    logdet_T, logdet_2T : float
        Log-determinants of the ``T``- and ``2T``-step window covariances.
    S_T, S_2T : ndarray, shapes (T, d, d) and (2T, d, d)
        ``S[k] = sum_j W[j + k, j]`` with ``W`` the inverse window covariance cut
        into ``d x d`` blocks: ``d logdet Sigma / d P[k]`` up to transposition.
    """
    L, d, _ = P.shape
    T = L // 2
    Td = T * d
    sigma = block_toeplitz(P)
    chol, info = scipy.linalg.lapack.dpotrf(sigma, lower=1)
    if info == 0:
        # Sigma_T is the leading block of Sigma_2T, so one Cholesky factor and its
        # inverse give both log-determinants and both inverses.
        log_diag = np.log(np.diag(chol))
        logdet_T = 2.0 * float(log_diag[:Td].sum())
        logdet_2T = 2.0 * float(log_diag.sum())
        chol_inv, _ = scipy.linalg.lapack.dtrtri(chol, lower=1)
        W_2T = chol_inv.T @ chol_inv
        W_T = chol_inv[:Td, :Td].T @ chol_inv[:Td, :Td]
    else:
        # Not positive definite (a collapsing V during a line search, or a
        # covariance that was not rectified): fall back to |det| like the reference.
        sigma_T = sigma[:Td, :Td]
        logdet_T = float(np.linalg.slogdet(sigma_T)[1])
        logdet_2T = float(np.linalg.slogdet(sigma)[1])
        W_T, W_2T = _inverse(sigma_T), _inverse(sigma)
    return logdet_T, logdet_2T, _inverse_lag_sums(W_T, T, d), _inverse_lag_sums(W_2T, L, d)


def _pi_and_grad(CV: np.ndarray, VtC: np.ndarray, V: np.ndarray) -> tuple[float, np.ndarray]:
    """PI and its gradient from the products ``C[k] V`` and ``V^T C[k]``.

    Parameters
    ----------
    CV : ndarray, shape (2T, N, d)
        ``C[k] @ V``.
    VtC : ndarray, shape (2T, d, N)
        ``V.T @ C[k]``.
    V : ndarray, shape (N, d)
        The projection.

    Returns
    -------
    pi : float
        Predictive information in nats.
    grad : ndarray, shape (N, d)
        ``d PI / d V``.

    Notes
    -----
    With ``B(i, j)`` the ``(i, j)`` block of a window covariance and ``W`` the
    inverse of its projection, ``d logdet / dV = 2 sum_ij B(i, j) V W(j, i)``.
    Grouped by lag, blocks on and below the diagonal contribute
    ``C[k] V S[k]^T`` and blocks above it ``C[k]^T V S[k]``; the two windows'
    lag sums combine linearly before the ``O(N)`` products.
    """
    T = len(CV) // 2
    P = V.T @ CV
    logdet_T, logdet_2T, S_T, S_2T = _logdets_and_lag_sums(P)
    S = -0.5 * S_2T
    S[:T] += S_T
    L, N, d = CV.shape
    # sum_k C[k] V S[k]^T and sum_{k>=1} C[k]^T V S[k], each as one matrix product.
    below = CV.transpose(1, 0, 2).reshape(N, L * d) @ S.transpose(0, 2, 1).reshape(L * d, d)
    above = VtC[1:].reshape((L - 1) * d, N).T @ S[1:].reshape((L - 1) * d, d)
    return logdet_T - 0.5 * logdet_2T, 2.0 * (below + above)


def predictive_information_grad(cross_covs: np.ndarray, V: np.ndarray) -> np.ndarray:
    """Gradient of :func:`predictive_information` with respect to ``V``.

    Parameters
    ----------
    cross_covs : ndarray, shape (2T, N, N)
        ``C[k] = E[x(t + k) x(t)^T]``.
    V : ndarray, shape (N, d)
        Projection with linearly independent columns (orthonormal or not).

    Returns
    -------
    ndarray, shape (N, d)
        ``d PI / d V`` in nats per unit change of each entry of ``V``. Because PI
        depends only on the span of ``V``, ``V^T grad`` is zero for orthonormal ``V``.
    """
    C, V = _check_pi_inputs(cross_covs, V)
    return _pi_and_grad(C @ V, V.T @ C, V)[1]


def _single_blas_thread() -> contextlib.AbstractContextManager:
    """Limit BLAS to one thread while optimising, when threadpoolctl is installed.

    The optimiser's products are a few megabytes each; on a small shared machine
    extra BLAS threads only wait for cores (L-BFGS-B's own BLAS calls slowed
    down tens of times in measurements on two busy cores).
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _orthonormal_basis(V: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the span of ``V`` with a reproducible sign per column."""
    U = np.linalg.svd(V, full_matrices=False)[0]
    # Flip each column so that its largest entry is positive: the sign of a basis
    # vector is arbitrary, and a fixed choice makes projections comparable.
    idx = np.argmax(np.abs(U), axis=0)
    return U * np.sign(U[idx, np.arange(U.shape[1])])


class DynamicalComponentsAnalysis:
    """Dynamical Components Analysis, scikit-learn style.

    Finds the orthonormal projection ``coef_`` (``N x d``) that maximises the
    Gaussian predictive information between ``T`` past and ``T`` future steps of
    the projected data. The objective is the reference's, ``-PI(V) + ortho_lambda
    * ||V^T V - I||_F^2``, minimised by L-BFGS-B with the analytic gradient, and
    the result is orthonormalised. PI is unchanged by ``V -> V A``, so the
    penalty can always be brought to zero without losing PI: whatever its weight,
    the optimum is the maximal-PI subspace, and the weight only sets how stiff
    the problem is. The reference's weight, 10, makes it about twice as stiff in
    L-BFGS iterations as 0.1 (and 100 again three times), with no gain in PI;
    0.1 still keeps ``V`` well away from rank deficiency.

    Parameters
    ----------
    d : int
        Dimension of the projection.
    T : int
        Half window, in time steps.
    n_init : int
        Number of random starts; the one with the highest PI is kept.
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Seed or generator for the starting points.
    init : {"random_ortho", "random"} or ndarray of shape (N, d)
        Starting point: a uniformly random orthonormal frame, Gaussian columns
        scaled to unit norm, or a given matrix (then every start uses it).
    tol : float
        ``ftol`` of L-BFGS-B (relative decrease of the objective at which to
        stop). The reference's default, 1e-6, can stop 1e-4 to 1e-3 nats and a
        few degrees short of the optimum where PI is flat; 1e-9 lands within
        about 0.1 degree of it.
    gtol : float
        ``gtol`` of L-BFGS-B (largest gradient entry at which to stop).
    ortho_lambda : float
        Weight of the orthogonality penalty (the reference's default is 10).
    max_iter : int
        Largest number of L-BFGS-B iterations per start.

    Attributes
    ----------
    coef_ : ndarray, shape (N, d)
        Orthonormal basis of the fitted subspace.
    pi_ : float
        PI of ``coef_`` on the training cross-covariances, in nats.
    cross_covs_ : ndarray, shape (2T, N, N)
        Training cross-covariances.
    mean_ : ndarray, shape (N,)
        Training mean, subtracted by :meth:`transform`.
    restart_coefs_ : ndarray, shape (n_init, N, d)
        Orthonormal solution of every start, in the order they were run.
    restart_pis_ : ndarray, shape (n_init,)
        PI of every start, in nats.
    n_iter_ : ndarray of int, shape (n_init,)
        L-BFGS-B iterations of every start.
    """

    def __init__(
        self,
        d: int,
        T: int,
        n_init: int = 1,
        random_state: int | np.random.Generator | np.random.SeedSequence | None = None,
        *,
        init: str | np.ndarray = "random_ortho",
        tol: float = 1e-9,
        gtol: float = 1e-6,
        ortho_lambda: float = 0.1,
        max_iter: int = 15000,
    ) -> None:
        self.d = d
        self.T = T
        self.n_init = n_init
        self.random_state = random_state
        self.init = init
        self.tol = tol
        self.gtol = gtol
        self.ortho_lambda = ortho_lambda
        self.max_iter = max_iter

    def fit(self, X: TrialsLike, y: None = None) -> DynamicalComponentsAnalysis:
        """Estimate the cross-covariances of ``X`` and fit the projection.

        Parameters
        ----------
        X : ndarray or sequence of ndarray
            Activity, ``(time, trial, unit)``, a list of ``(time, unit)`` trials,
            or one ``(time, unit)`` trial.
        y : None
            Ignored; present for scikit-learn compatibility.

        Returns
        -------
        DynamicalComponentsAnalysis
            The fitted estimator.
        """
        data = _as_trial_list(X)
        mean = np.concatenate(data).mean(axis=0)
        cross_covs = cross_covariances(data, self.T, mean=mean)
        self.fit_cross_covs(cross_covs)
        self.mean_ = mean
        return self

    def fit_cross_covs(self, cross_covs: np.ndarray) -> DynamicalComponentsAnalysis:
        """Fit the projection to precomputed cross-covariances.

        Parameters
        ----------
        cross_covs : ndarray, shape (2T', N, N) with T' >= T
            ``C[k] = E[x(t + k) x(t)^T]``; only the first ``2T`` lags are used.

        Returns
        -------
        DynamicalComponentsAnalysis
            The fitted estimator (``mean_`` is zero unless set by :meth:`fit`).
        """
        C = np.asarray(cross_covs, dtype=float)
        if C.ndim != 3 or len(C) < 2 * self.T:
            raise ValueError(f"need cross-covariances of shape (>= {2 * self.T}, N, N)")
        C = C[: 2 * self.T]
        N = C.shape[1]
        if not 1 <= self.d <= N:
            raise ValueError(f"d must be between 1 and {N}, got {self.d}")
        rng = np.random.default_rng(self.random_state)

        coefs, pis, iters = [], [], []
        with _single_blas_thread():
            for _ in range(self.n_init):
                V, n_iter = self._optimise(C, self._initial(N, rng))
                coefs.append(V)
                pis.append(predictive_information(C, V))
                iters.append(n_iter)
        best = int(np.argmax(pis))
        self.cross_covs_ = C
        self.mean_ = np.zeros(N)
        self.restart_coefs_ = np.stack(coefs)
        self.restart_pis_ = np.asarray(pis)
        self.n_iter_ = np.asarray(iters)
        self.coef_ = coefs[best]
        self.pi_ = float(pis[best])
        return self

    def _initial(self, N: int, rng: np.random.Generator) -> np.ndarray:
        if isinstance(self.init, np.ndarray):
            V = np.array(self.init, dtype=float)
            if V.shape != (N, self.d):
                raise ValueError(f"init must have shape {(N, self.d)}, got {V.shape}")
        elif self.init == "random_ortho":
            # QR of a Gaussian matrix, with R's diagonal made positive, is a
            # uniformly distributed orthonormal frame.
            Q, R = np.linalg.qr(rng.standard_normal((N, self.d)))
            V = Q * np.sign(np.diag(R))
        elif self.init == "random":
            V = rng.standard_normal((N, self.d))
        else:
            raise ValueError(f"unknown init {self.init!r}")
        return V / np.linalg.norm(V, axis=0)

    def _optimise(self, C: np.ndarray, V0: np.ndarray) -> tuple[np.ndarray, int]:
        L, N, _ = C.shape
        d = self.d
        eye = np.eye(d)
        lam = self.ortho_lambda

        def objective(v: np.ndarray) -> tuple[float, np.ndarray]:
            V = v.reshape(N, d)
            # Reading C twice in batched products is the only O(N^2) work here.
            pi, grad_pi = _pi_and_grad(C @ V, V.T @ C, V)
            gram_err = V.T @ V - eye
            loss = -pi + lam * float(np.sum(gram_err**2))
            grad = -grad_pi + 4.0 * lam * (V @ gram_err)
            return loss, grad.ravel()

        res = minimize(
            objective,
            V0.ravel(),
            method="L-BFGS-B",
            jac=True,
            options={"ftol": self.tol, "gtol": self.gtol, "maxiter": self.max_iter},
        )
        return _orthonormal_basis(res.x.reshape(N, d)), int(res.nit)

    def transform(self, X: TrialsLike) -> np.ndarray | list[np.ndarray]:
        """Project data onto the fitted subspace after removing the training mean.

        Parameters
        ----------
        X : ndarray or sequence of ndarray
            ``(..., N)`` array (e.g. ``(time, trial, unit)``) or a list of
            ``(time, unit)`` arrays.

        Returns
        -------
        ndarray or list of ndarray
            Same layout as ``X`` with the unit axis replaced by ``d`` components.
        """
        if isinstance(X, np.ndarray):
            return (X - self.mean_) @ self.coef_
        return [(np.asarray(x) - self.mean_) @ self.coef_ for x in X]

    def fit_transform(self, X: TrialsLike, y: None = None) -> np.ndarray | list[np.ndarray]:
        """Fit to ``X`` and return its projection (see :meth:`fit`, :meth:`transform`)."""
        return self.fit(X).transform(X)

    def score(self, X: TrialsLike | None = None) -> float:
        """Predictive information of the fitted projection, in nats.

        Parameters
        ----------
        X : ndarray or sequence of ndarray, optional
            New data (layouts as in :meth:`fit`); their own mean and
            cross-covariances are used. Default: the training data.

        Returns
        -------
        float
            PI of ``coef_`` between ``T`` past and ``T`` future steps, in nats.
        """
        C = self.cross_covs_ if X is None else cross_covariances(X, self.T)
        return predictive_information(C, self.coef_)
