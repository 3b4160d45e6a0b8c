"""Slow points: local minima of the kinetic energy q with q > 0, on ReLU kinks."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import linalg as sla

from .dynamics import Dynamics
from .exact import _ALPHAS, _line_search, _PatternNewton
from .points import KINK_REL, PointSet, _describe, _min_norm_gradient, _unique_groups


def _polish(
    r: np.ndarray,
    W: np.ndarray,
    c: np.ndarray,
    kink_rel: float,
    fixed_gg: float,
    max_steps: int,
) -> tuple[np.ndarray, bool]:
    """Gauss-Newton on q restricted to the ReLU kinks the point sits on.

    Units with ``|m_i|`` within the kink band are held on their kink
    (``W_i . delta = -m_i``), where ReLU is zero on either side, so the
    residual G = tau F is linear along the constraint and the constrained
    Gauss-Newton step is exact.  This lands a stalled descent exactly on the
    kink minimum instead of zig-zagging across it.

    Returns the point and whether it reached q ~ 0 (a fixed point).
    """
    n = r.size
    eye = np.eye(n)
    for _ in range(max_steps):
        m = W @ r + c
        G = np.maximum(m, 0.0) - r
        gg = float(G @ G)
        if gg <= fixed_gg:
            return r, True
        band = kink_rel * (1.0 + np.abs(m).max())
        B = np.flatnonzero(np.abs(m) <= band)
        J0 = (m > band)[:, None] * W - eye
        try:
            lu = sla.lu_factor(J0, check_finite=False)
            step = -sla.lu_solve(lu, G, check_finite=False)
            if B.size:
                WB = W[B]
                # (J0^T J0)^-1 W_B^T from two triangular solves with J0's LU.
                Y = sla.lu_solve(
                    lu, sla.lu_solve(lu, WB.T, trans=1, check_finite=False), check_finite=False
                )
                lam = np.linalg.solve(WB @ Y, WB @ step + m[B])
                step = step - Y @ lam
        except (ValueError, np.linalg.LinAlgError):
            break
        if not np.all(np.isfinite(step)):
            break
        alpha, gg_new = _line_search(W, c, r[None], m[None], step[None], np.array([gg]), _ALPHAS)
        if alpha[0] == 0 or gg - gg_new[0] <= 1e-15 * gg:
            break
        r = r + alpha[0] * step
    return r, False


@dataclass(frozen=True)
class SlowSearch:
    """Settings of the slow-point search (:func:`find_slow_points`).

    Attributes
    ----------
    tol_unique : float
        Merge radius for the final minima (max-abs, rate units).
    residual_tol : float
        End points with |F| at or below this (1/ms) are fixed points, dropped.
    max_iter : int
        Descent iterations in stage 1 and polishing steps per round.
    n_rounds : int
        Stationarity tests (and escapes) per group.
    stationarity_tol : float
        A point is a minimum when its smallest gradient norm is below
        ``stationarity_tol * |F| * (1 + ||W_rec||_2) / tau`` (scale-free).
    kink_tol : float
        Units with ``|m_i| <= kink_tol * (1 + max |m|)`` sit on their kink: the
        polish holds them there, and the sides of these kinks decide the slow
        point's ``kind`` (:data:`.points.KINK_REL`, the default).
    cluster_tol : float
        Stalled descents closer than this are polished once, together.
    q_max : float, optional
        Drop minima with q above this (1/ms^2).
    """

    tol_unique: float = 1e-6
    residual_tol: float = 1e-10
    max_iter: int = 100
    n_rounds: int = 5
    stationarity_tol: float = 1e-6
    kink_tol: float = KINK_REL
    cluster_tol: float = 1e-3
    q_max: float | None = None


def find_slow_points(
    dynamics: Dynamics,
    u: np.ndarray | None = None,
    *,
    initial_states: np.ndarray,
    search: SlowSearch = SlowSearch(),
) -> PointSet:
    """Local minima of q with q > 0 (slow points that are not fixed points).

    Inside one activation region q is an exact quadratic,
    ``|J (r - r_D)|^2 / 2`` with r_D the region's own (virtual) fixed point,
    so the Gauss-Newton step of that quadratic is the step to r_D.  Minima
    with q > 0 therefore lie on ReLU kinks.  The search runs in three stages:

    1. every initial state descends q along Gauss-Newton directions (memoised
       per pattern) with a line search that always includes the first kink
       on the way, so every accepted step decreases q;
    2. stalled end points are grouped (``cluster_tol``) and one per group is
       polished by Gauss-Newton constrained to the kinks it sits on, which
       lands exactly on the kink minimum;
    3. the polished point is a minimum when the smallest gradient over the
       one-sided slopes at its kinks vanishes (``stationarity_tol``);
       otherwise it steps down that gradient and is polished again, up to
       ``n_rounds`` times.

    End points with q ~ 0 are fixed points and are left to
    `find_fixed_points`.

    Parameters
    ----------
    dynamics, u, initial_states
        As in `find_fixed_points`.
    search : SlowSearch
        Settings of the search.

    Returns
    -------
    PointSet
        As `find_fixed_points`; ``grad_norm`` is the smallest one-sided
        gradient norm (1/ms^3), ``hessian_min_eig`` the smallest eigenvalue
        of J^T J with the m > 0 convention (1/ms^2), ``n_hits`` the initial
        states whose descent ended there.  Every slow point lies on at least
        one kink, so its ``kind`` is that of every side of its kinks, or
        ``"undetermined"`` where the sides disagree.
    """
    t0 = time.perf_counter()
    W, tau = dynamics.W_rec, dynamics.tau
    c = dynamics.drive(u)
    tol_unique, residual_tol, max_iter = search.tol_unique, search.residual_tol, search.max_iter
    n_rounds, stationarity_tol = search.n_rounds, search.stationarity_tol
    kink_tol, cluster_tol, q_max = search.kink_tol, search.cluster_tol, search.q_max
    R = np.atleast_2d(np.asarray(initial_states, dtype=float)).copy()
    n_init, n = R.shape
    engine = _PatternNewton(W, c, tau, residual_tol)
    fixed_gg = (residual_tol * tau) ** 2  # |G|^2 at the fixed-point threshold

    # Stage 1: vectorised Gauss-Newton descent from every initial state.
    to_fixed = np.zeros(n_init, bool)
    live = np.arange(n_init)
    for _ in range(max_iter):
        if live.size == 0:
            break
        Rl = R[live]
        Ml = Rl @ W.T + c
        Gl = np.maximum(Ml, 0.0) - Rl
        gg = np.sum(Gl * Gl, axis=1)
        fixed = gg <= fixed_gg
        to_fixed[live[fixed]] = True
        keep = ~fixed
        live, Rl, Ml, Gl, gg = live[keep], Rl[keep], Ml[keep], Gl[keep], gg[keep]
        if live.size == 0:
            break
        Dl = Ml > 0
        delta = np.empty_like(Rl)
        for j in range(live.size):
            target = engine.node(engine.key(Dl[j]), Dl[j])[0]
            delta[j] = (target - Rl[j]) if target is not None else Gl[j]
        alpha, gg_new = _line_search(W, c, Rl, Ml, delta, gg, _ALPHAS)
        R[live] = Rl + alpha[:, None] * delta
        # Stalled: no step helps, or the decrease is at rounding level.
        live = live[(alpha > 0) & (gg - gg_new > 1e-14 * gg)]
    # Catch states whose final step reached q ~ 0.
    G_end = np.maximum(R @ W.T + c, 0.0) - R
    to_fixed |= np.sum(G_end * G_end, axis=1) <= fixed_gg
    stalled = np.flatnonzero(~to_fixed)

    # Stage 2 and 3: polish one representative per group of stalled ends.
    w_norm = float(np.linalg.norm(W, 2))
    labels = _unique_groups(R[stalled], cluster_tol) if stalled.size else np.zeros(0, int)
    n_groups = int(labels.max()) + 1 if stalled.size else 0
    minima: list[np.ndarray] = []
    minima_hits: list[int] = []
    minima_grad: list[float] = []
    n_groups_fixed = n_groups_failed = 0
    for g in range(n_groups):
        members = stalled[labels == g]
        r = R[members[np.argmin(np.sum(G_end[members] ** 2, axis=1))]].copy()
        outcome = "failed"
        for _ in range(n_rounds):
            r, is_fixed = _polish(r, W, c, kink_tol, fixed_gg, max_iter)
            if is_fixed:
                outcome = "fixed"
                break
            m = W @ r + c
            F = (np.maximum(m, 0.0) - r) / tau
            fn = float(np.linalg.norm(F))
            band = kink_tol * (1.0 + np.abs(m).max())
            gn, slopes = _min_norm_gradient(r, m, W, tau, band)
            scale = fn * (1.0 + w_norm) / tau
            if gn <= stationarity_tol * scale:
                outcome = "minimum"
                break
            # Not stationary: step down the smallest one-sided gradient, with
            # steps scaled by where its linear model would reach q = 0.
            grad = (-F + (slopes * F) @ W) / tau
            q0 = 0.5 * fn * fn
            trial = r - (q0 / max(float(grad @ grad), 1e-300)) * _ALPHAS[:, None] * grad
            Gt = np.maximum(trial @ W.T + c, 0.0) - trial
            qt = 0.5 * np.sum(Gt * Gt, axis=1) / tau**2
            k = int(np.argmin(qt))
            if qt[k] >= q0:
                break
            r = trial[k]
        if outcome == "minimum":
            minima.append(r)
            minima_hits.append(int(members.size))
            minima_grad.append(gn)
        elif outcome == "fixed":
            n_groups_fixed += 1
        else:
            n_groups_failed += 1

    pts = np.asarray(minima).reshape(-1, n)
    hits = np.asarray(minima_hits, dtype=int)
    grads = np.asarray(minima_grad, dtype=float)
    if q_max is not None and pts.shape[0]:
        Fp = (np.maximum(pts @ W.T + c, 0.0) - pts) / tau
        sel = 0.5 * np.sum(Fp * Fp, axis=1) <= q_max
        pts, hits, grads = pts[sel], hits[sel], grads[sel]
    if pts.shape[0]:
        labels = _unique_groups(pts, tol_unique)
        k = int(labels.max()) + 1
        rep = np.array([np.flatnonzero(labels == g)[0] for g in range(k)], dtype=int)
        pts, grads = pts[rep], grads[rep]
        hits = np.bincount(labels, weights=hits, minlength=k).astype(int)
    info = {
        "method": "slow",
        "n_initial_states": n_init,
        "n_to_fixed_point": int(to_fixed.sum()),
        "n_stalled": int(stalled.size),
        "n_groups": n_groups,
        "n_groups_fixed": n_groups_fixed,
        "n_groups_failed": n_groups_failed,
        "n_solves": engine.n_solves,
    }
    result = _describe(pts, hits, W, c, tau, "slow", grad_norm=grads, hessian=True, info=info,
                       kink_rel=kink_tol)
    result.info["elapsed_s"] = time.perf_counter() - t0
    return result
