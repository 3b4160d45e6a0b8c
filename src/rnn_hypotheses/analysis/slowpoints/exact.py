"""Exact fixed points of a ReLU network: Newton's method over activation patterns.

A ReLU network is piecewise linear: inside the region where the activation
pattern is ``D`` the fixed point, if any, solves ``(I - D W_rec) r = D (W_in u + b)``.
`find_fixed_points` iterates pattern -> linear solve -> pattern (Newton's method on
the piecewise-linear map) and so returns points exact to rounding error;
`enumerate_fixed_points` tries all ``2^N`` patterns of a small network and is the
ground truth that the tests compare against.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import linalg as sla

from .adam import ADAM_DEFAULTS, _adam_search
from .dynamics import Dynamics
from .points import PointSet, _dedupe, _describe, _unique_groups

_FAIL = -1


class _PatternNewton:
    """Newton's method on the piecewise-linear map, memoised by pattern.

    From any state, one Newton step lands on the solution of the linear
    system of the state's activation pattern, so the whole iteration is a
    map pattern -> pattern.  Each pattern is solved once; each pattern's
    final outcome (index of a fixed point, or failure) is stored, so chains
    from different initial states stop as soon as they meet a known pattern.
    """

    def __init__(
        self,
        W: np.ndarray,
        c: np.ndarray,
        tau: float,
        residual_tol: float,
        max_references: int = 8,
    ):
        self.W, self.c, self.tau = W, c, tau
        self.n = W.shape[0]
        self.residual_tol = residual_tol
        # key -> [target r or None, next key, next pattern, outcome or None]
        self.nodes: dict[bytes, list[Any]] = {}
        self.points: list[np.ndarray] = []
        self.n_solves = 0
        # Reference patterns with the explicit inverse of (I - D0 W): a
        # pattern that differs from one in k units is a rank-k change of it,
        # solved by the Woodbury identity in O(N^2 + N k^2) instead of a
        # fresh O(|A|^3) factorisation.  Patterns met during one search
        # mostly differ in a few units, so a handful of references suffice.
        self.max_references = max_references
        self.k_max = max(4, self.n // 8)
        self.ref_patterns = np.zeros((0, self.n), dtype=bool)
        self.ref_inverses: list[np.ndarray] = []

    @staticmethod
    def key(d: np.ndarray) -> bytes:
        return np.packbits(d).tobytes()

    def _direct(self, d: np.ndarray, A: np.ndarray) -> np.ndarray | None:
        """Solve (I - W_AA) r_A = c_A with one LU factorisation and one refinement."""
        W, c = self.W, self.c
        M = np.eye(A.size) - W[np.ix_(A, A)]
        try:
            with warnings.catch_warnings():
                # A singular block (LinAlgWarning) is caught by the finiteness
                # and residual checks; no need to alarm the caller.
                warnings.simplefilter("ignore")
                lu = sla.lu_factor(M, check_finite=False)
                x = sla.lu_solve(lu, c[A], check_finite=False)
                x += sla.lu_solve(lu, c[A] - M @ x, check_finite=False)
        except (ValueError, np.linalg.LinAlgError):
            return None
        r = np.zeros(self.n)
        r[A] = x
        if len(self.ref_inverses) < self.max_references:
            try:
                inv = np.linalg.inv(np.eye(self.n) - d[:, None] * W)
            except np.linalg.LinAlgError:
                inv = None
            if inv is not None and np.all(np.isfinite(inv)):
                self.ref_patterns = np.vstack([self.ref_patterns, d[None]])
                self.ref_inverses.append(inv)
        return r

    def _woodbury(self, d: np.ndarray) -> np.ndarray | None:
        """Solve (I - D W) r = D c from the nearest reference, or None if none is near."""
        if not self.ref_inverses:
            return None
        dist = np.count_nonzero(self.ref_patterns != d, axis=1)
        j = int(np.argmin(dist))
        if dist[j] > self.k_max:
            return None
        inv = self.ref_inverses[j]
        y = inv @ (d * self.c)
        S = np.flatnonzero(self.ref_patterns[j] != d)
        if S.size:
            # (I - D W) = (I - D0 W) - U V with U = E[:, S] (E = D - D0), V = W[S].
            Z = inv[:, S] * np.where(d[S], 1.0, -1.0)
            V = self.W[S]
            try:
                y = y + Z @ np.linalg.solve(np.eye(S.size) - V @ Z, V @ y)
            except np.linalg.LinAlgError:
                return None
        y[~d] = 0.0  # exact zeros for inactive units, whatever the rounding
        return y if np.all(np.isfinite(y)) else None

    def _solve(self, d: np.ndarray) -> list[Any]:
        W, c = self.W, self.c
        A = np.flatnonzero(d)
        self.n_solves += 1
        if A.size == 0:
            r: np.ndarray | None = np.zeros(self.n)
            fast = False
        else:
            r = self._woodbury(d)
            fast = r is not None
            if r is None:
                r = self._direct(d, A)
        if r is None:
            return [None, None, None, _FAIL]
        m = W @ r + c
        res = np.linalg.norm(np.maximum(m, 0.0) - r) / self.tau
        if fast and res > self.residual_tol and np.array_equal(m > 0, d):
            # A consistent pattern whose rank-k update lost accuracy: redo it
            # directly rather than reject a genuine fixed point.
            r2 = self._direct(d, A)
            if r2 is not None:
                r = r2
                m = W @ r + c
                res = np.linalg.norm(np.maximum(m, 0.0) - r) / self.tau
        outcome = None
        if res <= self.residual_tol:
            self.points.append(r)
            outcome = len(self.points) - 1
        nd = m > 0
        return [r, self.key(nd), nd, outcome]

    def node(self, key: bytes, d: np.ndarray) -> list[Any]:
        node = self.nodes.get(key)
        if node is None:
            node = self._solve(d)
            self.nodes[key] = node
        return node

    def follow(self, key: bytes, d: np.ndarray, max_steps: int) -> int:
        """Outcome of the pure pattern iteration started at pattern ``d``."""
        path: list[list[Any]] = []
        seen: set[bytes] = set()
        outcome = _FAIL
        for _ in range(max_steps + 1):
            node = self.node(key, d)
            if node[3] is not None:
                outcome = node[3]
                break
            if key in seen:  # the pattern repeats without a fixed point: a cycle
                break
            seen.add(key)
            path.append(node)
            key, d = node[1], node[2]
        for node in path:
            node[3] = outcome
        return outcome


def _line_search(
    W: np.ndarray,
    c: np.ndarray,
    R: np.ndarray,
    M: np.ndarray,
    delta: np.ndarray,
    q0: np.ndarray,
    alphas: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Step along ``delta``: the full step or the first ReLU kink, else a grid.

    Along a line the pre-activation is linear, ``m + alpha W delta``, so q at
    every trial step costs no further matrix product.  The full step and the
    step to the first kink are tried first (along a Newton direction the
    residual shrinks as ``(1 - alpha)`` up to that kink, so one of them
    decreases q); only states where neither does try the grid ``alphas``.

    Returns
    -------
    alpha : ndarray, shape (s,)
        Chosen step (0 where nothing decreases q).
    q : ndarray, shape (s,)
        Unscaled ``|G|^2`` (G = tau F) at the chosen step.
    """
    V = delta @ W.T
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = -M / V
    cross[~(cross > 1e-15)] = np.inf
    first = np.minimum(cross.min(axis=1), 1.0)

    def trial(idx: np.ndarray, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        Rt = R[idx, None, :] + steps[:, :, None] * delta[idx, None, :]
        Mt = M[idx, None, :] + steps[:, :, None] * V[idx, None, :]
        G = np.maximum(Mt, 0.0) - Rt
        qa = np.sum(G * G, axis=2)
        best = np.argmin(qa, axis=1)
        rows = np.arange(idx.size)
        return steps[rows, best], qa[rows, best]

    everyone = np.arange(R.shape[0])
    alpha, q = trial(everyone, np.stack([np.ones_like(first), first], axis=1))
    bad = np.flatnonzero(~(q < q0))
    if bad.size:
        grid = np.broadcast_to(alphas, (bad.size, alphas.size))
        alpha[bad], q[bad] = trial(bad, np.ascontiguousarray(grid))
    ok = q < q0
    return np.where(ok, alpha, 0.0), np.where(ok, q, q0)


_ALPHAS = 2.0 ** -np.arange(0, 21)
_PAIR_UNITS = 12  # units near threshold whose pairwise flips are explored


def _exact_search(
    W: np.ndarray,
    c: np.ndarray,
    tau: float,
    X0: np.ndarray,
    residual_tol: float,
    max_pattern_steps: int,
    max_fallback_steps: int,
    max_fallback_states: int,
    max_explored: int,
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Pattern iteration from every initial state, damped Newton where it cycles."""
    engine = _PatternNewton(W, c, tau, residual_tol)
    M0 = X0 @ W.T + c
    D0 = M0 > 0
    packed = np.packbits(D0, axis=1)
    _, first, inverse = np.unique(packed, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    outcome_u = np.array(
        [engine.follow(packed[i].tobytes(), D0[i], max_pattern_steps) for i in first]
    )
    outcome = outcome_u[inverse]
    n_cycled = int(np.sum(outcome == _FAIL))

    # Fallback for states whose pattern iteration cycles: damped Newton on
    # |G|^2 (G = tau F) from the state itself.  At each iterate, the pure
    # iteration from the current pattern is tried first (it is memoised);
    # otherwise a line search along the Newton direction, or along the
    # velocity (an Euler step) where the region's system is singular.
    todo = np.flatnonzero(outcome == _FAIL)
    if todo.size > max_fallback_states:
        # Far from equilibrium (e.g. chaotic networks) most chains wander;
        # an evenly spread subset bounds the cost of the slower fallback.
        todo = todo[np.linspace(0, todo.size - 1, max_fallback_states).astype(int)]
    if todo.size:
        R = X0[todo].copy()
        live = np.arange(todo.size)
        for _ in range(max_fallback_steps):
            if live.size == 0:
                break
            Rl = R[live]
            Ml = Rl @ W.T + c
            Dl = Ml > 0
            Gl = np.maximum(Ml, 0.0) - Rl
            delta = np.empty_like(Rl)
            done = np.zeros(live.size, bool)
            for j in range(live.size):
                key = engine.key(Dl[j])
                # A short chain only: long ones already failed from nearby.
                res = engine.follow(key, Dl[j], 5)
                if res != _FAIL:
                    outcome[todo[live[j]]] = res
                    done[j] = True
                    continue
                target = engine.node(key, Dl[j])[0]
                delta[j] = (target - Rl[j]) if target is not None else Gl[j]
            keep = ~done
            if not np.any(keep):
                live = live[keep]
                break
            q0 = np.sum(Gl[keep] ** 2, axis=1)
            alpha, _ = _line_search(W, c, Rl[keep], Ml[keep], delta[keep], q0, _ALPHAS)
            stuck = alpha == 0
            # A stalled descent is nudged by a few Euler steps of the flow,
            # which leaves the kink where Newton directions disagree.
            step = alpha[:, None] * delta[keep]
            idx = live[keep]
            R[idx] = Rl[keep] + step
            if np.any(stuck):
                s_idx = idx[stuck]
                for _e in range(5):
                    Ms = R[s_idx] @ W.T + c
                    R[s_idx] += 0.1 * (np.maximum(Ms, 0.0) - R[s_idx])
            live = idx

    # Neighbour exploration: fixed points of ReLU networks come in families
    # whose patterns differ in a unit or two (a stable point and the saddles
    # beside it).  Starting the iteration from flips of each known point's
    # pattern finds many that no initial state led to.
    n_explored = 0
    queue = list(range(len(engine.points)))
    while queue and n_explored < max_explored:
        m = W @ engine.points[queue.pop(0)] + c
        d = m > 0
        # Every single-unit flip, and every pair among the units closest to
        # their kink (the ones a nearby fixed point most likely differs in).
        near = np.argsort(np.abs(m), kind="stable")[:_PAIR_UNITS]
        flips = [(i,) for i in range(W.shape[0])]
        flips += [(i, j) for k, i in enumerate(near) for j in near[k + 1 :]]
        before = len(engine.points)
        for units in flips:
            e = d.copy()
            e[list(units)] ^= True
            engine.follow(engine.key(e), e, max_pattern_steps)
        queue.extend(range(before, len(engine.points)))
        n_explored += 1
    info = {
        "n_explored": n_explored,
        "n_patterns": len(engine.nodes),
        "n_solves": engine.n_solves,
        "n_cycled": n_cycled,
        "n_failed": int(np.sum(outcome == _FAIL)),
    }
    ok = outcome != _FAIL
    if not engine.points:
        return np.zeros((0, W.shape[0])), np.zeros(0, int), info
    pts = np.asarray(engine.points)
    hits = np.bincount(outcome[ok], minlength=len(pts))
    # Points no initial state ended at (met only as a side effect) are kept
    # too: they are verified fixed points all the same.
    return pts, hits, info


@dataclass(frozen=True)
class ExactSearch:
    """Settings of the exact fixed-point search (:func:`find_fixed_points`).

    Attributes
    ----------
    residual_tol : float
        Largest |F| (1/ms) accepted as a fixed point.
    max_pattern_steps : int
        Longest pattern chain before it is treated as cycling (Newton chains that
        converge do so in a few steps).
    max_fallback_steps : int
        Damped Newton iterations for states whose chain cycles.
    max_fallback_states : int
        At most this many such states (evenly spread) get the fallback.
    max_explored : int
        Fixed points whose neighbouring patterns seed further chains (breadth
        first, including points found that way): every single-unit flip, and every
        pair among the 12 units nearest their kink. Costs up to N + 66 chains per
        point; 0 turns the exploration off.
    """

    residual_tol: float = 1e-10
    max_pattern_steps: int = 30
    max_fallback_steps: int = 50
    max_fallback_states: int = 64
    max_explored: int = 64


def find_fixed_points(
    dynamics: Dynamics,
    u: np.ndarray | None = None,
    *,
    initial_states: np.ndarray,
    method: Literal["exact", "adam"] = "exact",
    tol_unique: float | None = None,
    search: ExactSearch = ExactSearch(),
    adam_options: Mapping[str, float] | None = None,
) -> PointSet:
    """Fixed points of the noise-free dynamics at constant input ``u``.

    ``method="exact"`` (default) iterates, from each initial state, pattern
    -> linear solve ``(I - D W_rec) r = D (W_in u + b)`` -> pattern of the
    solution until a pattern repeats; a solution whose residual
    ``|F(r)| <= search.residual_tol`` is a fixed point, exact to rounding.  Solves
    are memoised by pattern, so initial states that share a pattern, and
    chains that merge, cost nothing more.  Where the iteration cycles, a
    damped Newton descent of |F| from the initial state (with Euler steps
    where it stalls) takes over.  The patterns next to every point found
    (single and some paired unit flips) then seed further chains, which
    finds saddles beside stable points that no initial state led to.  Every
    returned point is verified, so precision is 1 by construction; recall
    depends on the initial states (1.0 against enumeration in the tests).

    ``method="adam"`` is the FixedPointFinder-style baseline: Adam on the
    kinetic energy of the Euler map from all initial states jointly, then
    deduplication with ``tol_unique`` and exclusion of points far from the
    initial states.  All its end points are returned; ``converged`` marks
    those that met ``tol_q``.

    Parameters
    ----------
    dynamics : Dynamics
        The network: W_rec, W_in, b and tau.
    u : ndarray, shape (n_inputs,), optional
        The constant input; None for the autonomous network.
    initial_states : ndarray, shape (n_init, N)
        Starting states, e.g. from `sample_initial_states`.
    tol_unique : float, optional
        Points closer than this in every unit are one point.  Defaults to
        1e-6 for "exact" and 1e-3 (FixedPointFinder's value) for "adam".
    search : ExactSearch
        Settings of the exact method.
    adam_options : mapping, optional
        Overrides of `ADAM_DEFAULTS` (``tol_q``, ``tol_dq``, ``max_iters``,
        ``learning_rate``, ``epsilon``, ``beta1``, ``beta2``, ``dt`` in ms,
        ``outlier_distance_scale``, and the rate schedule).

    Returns
    -------
    PointSet
        ``.table`` (one row per point), ``.locations`` (n_points, N),
        ``.patterns``, ``.eigenvalues``, ``.unstable_vectors``, ``.info``.
    """
    t0 = time.perf_counter()
    W, tau = dynamics.W_rec, dynamics.tau
    c = dynamics.drive(u)
    residual_tol = search.residual_tol
    X0 = np.atleast_2d(np.asarray(initial_states, dtype=float))
    if X0.shape[1] != W.shape[0]:
        raise ValueError(f"initial_states has {X0.shape[1]} units, W_rec has {W.shape[0]}")
    if method == "exact":
        tol = 1e-6 if tol_unique is None else tol_unique
        pts, hits, info = _exact_search(
            W,
            c,
            tau,
            X0,
            residual_tol,
            search.max_pattern_steps,
            search.max_fallback_steps,
            search.max_fallback_states,
            search.max_explored,
        )
        pts, hits = _dedupe(pts, hits, tol)
        converged = None
    elif method == "adam":
        opts = dict(ADAM_DEFAULTS)
        if adam_options:
            unknown = set(adam_options) - set(ADAM_DEFAULTS)
            if unknown:
                raise ValueError(f"unknown adam_options: {sorted(unknown)}")
            opts.update(adam_options)
        tol = 1e-3 if tol_unique is None else tol_unique
        X, q_fpf, info = _adam_search(W, c, tau, X0, opts)
        labels = _unique_groups(X, tol) if len(X) else np.zeros(0, int)
        k = int(labels.max()) + 1 if len(X) else 0
        # Representative of each group: its lowest-q member.
        rep = np.array(
            [np.flatnonzero(labels == g)[np.argmin(q_fpf[labels == g])] for g in range(k)],
            dtype=int,
        )
        pts = X[rep] if k else np.zeros((0, W.shape[0]))
        hits = np.bincount(labels, minlength=k)
        converged = q_fpf[rep] < opts["tol_q"] if k else np.zeros(0, bool)
        # Drop points far from where the search started, relative to the
        # spread of the initial states around their centroid.
        centre = X0.mean(axis=0)
        scale = np.mean(np.linalg.norm(X0 - centre, axis=1))
        if scale > 0 and k:
            near = np.linalg.norm(pts - centre, axis=1) / scale < opts["outlier_distance_scale"]
            pts, hits, converged = pts[near], hits[near], converged[near]
        info["n_failed"] = int(np.sum(q_fpf >= opts["tol_q"]))
    else:
        raise ValueError(f"method must be 'exact' or 'adam', got {method!r}")
    info.update(method=method, n_initial_states=int(X0.shape[0]))
    result = _describe(pts, hits, W, c, tau, method, converged=converged, info=info)
    result.info["elapsed_s"] = time.perf_counter() - t0
    return result


def enumerate_fixed_points(
    dynamics: Dynamics,
    u: np.ndarray | None = None,
    *,
    residual_tol: float = 1e-10,
    tol_unique: float = 1e-6,
    max_units: int = 12,
) -> PointSet:
    """All fixed points, by solving the linear system of every activation pattern.

    Ground truth for small networks: ``2^N`` patterns, each solved in one
    batched call.  A pattern whose solution reproduces it (residual
    ``|F| <= residual_tol``) contributes its fixed point.  Isolated fixed
    points only: a continuum of fixed points (singular block) is not listed.

    Parameters
    ----------
    dynamics, u, residual_tol, tol_unique
        As in `find_fixed_points`.
    max_units : int, default 12
        Refuse larger networks (2^N solves).

    Returns
    -------
    PointSet
        ``n_hits`` counts the patterns that produced each point (more than
        one only for points on a ReLU kink).
    """
    t0 = time.perf_counter()
    W, tau = dynamics.W_rec, dynamics.tau
    n = W.shape[0]
    if n > max_units:
        raise ValueError(f"enumeration needs N <= {max_units}, got {n}")
    c = dynamics.drive(u)
    codes = np.arange(2**n)
    D = ((codes[:, None] >> np.arange(n)) & 1).astype(bool)
    mats = np.eye(n) - D[:, :, None] * W
    rhs = D * c
    try:
        R = np.linalg.solve(mats, rhs[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:
        # A singular pattern somewhere: solve one by one and skip those.
        R = np.full((codes.size, n), np.nan)
        for i in range(codes.size):
            try:
                R[i] = np.linalg.solve(mats[i], rhs[i])
            except np.linalg.LinAlgError:
                pass
    ok = np.all(np.isfinite(R), axis=1)
    R = np.where(ok[:, None], R, 0.0)
    res = np.linalg.norm(np.maximum(R @ W.T + c, 0.0) - R, axis=1) / tau
    good = ok & (res <= residual_tol)
    pts, hits = _dedupe(R[good], np.ones(int(good.sum()), int), tol_unique)
    info = {"method": "enumerate", "n_patterns": int(codes.size)}
    result = _describe(pts, hits, W, c, tau, "enumerate", info=info)
    result.info["elapsed_s"] = time.perf_counter() - t0
    return result


