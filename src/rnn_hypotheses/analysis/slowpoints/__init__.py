"""Fixed points and slow points of continuous-time ReLU RNNs (the report's section 6.1).

The noise-free dynamics at a constant input ``u`` are

    F(r) = (-r + relu(W_rec r + W_in u + b)) / tau,

with ``tau`` in ms, so ``F`` is a velocity in 1/ms.  The kinetic energy is
``q = |F|^2 / 2``, its gradient ``J^T F`` and, because the second derivative of
ReLU vanishes away from its kink, its Hessian ``J^T J`` where
``J = (-I + D W_rec) / tau`` and ``D`` is the diagonal 0/1 activation pattern.

A ReLU network is piecewise linear: inside the region where the pattern is
``D`` the fixed point, if any, solves ``(I - D W_rec) r = D (W_in u + b)``.
`find_fixed_points` exploits this (pattern -> linear solve -> pattern, which is
Newton's method on the piecewise-linear map) and therefore returns points that
are exact to rounding error; `enumerate_fixed_points` tries all ``2^N`` patterns
of a small network and is the ground truth that the tests compare against.  A
baseline in the style of FixedPointFinder (Golub & Sussillo 2018; Adam on q) is
available as ``method="adam"``.

Conventions
-----------
``W_rec[i, j]`` is the weight from unit j to unit i (zero diagonal), ``W_in`` has
shape (N, n_inputs), ``b`` shape (N,).  States are rows: a batch of states has
shape (..., N).  Trajectories are shaped (time, trial, unit).  ReLU's derivative
at exactly zero pre-activation is taken as 0, as in the report (``m_k <= 0``).

Points on a kink: a unit with ``|m_k| <= KINK_REL * (1 + max |m|)`` (1e-9; see
`points.KINK_REL`) is on its kink, where the Jacobian depends on which side the
unit is counted.  A point's ``kind`` is the common kind of the Jacobians of all
``2^k`` sides of its k kink units (a seeded subset when k > 10), or
``"undetermined"`` when they disagree; its eigenvalues stay those of the
``m > 0`` convention.  Every slow point lies on a kink.

Modules: `dynamics` (the value object holding W_rec, W_in, b and tau, with velocity,
Jacobian, q and its gradient and Hessian), `points` (point sets, deduplication, the
linearisation at each point), `exact` (the exact search and enumeration), `slow`
(slow points), `adam` (the FixedPointFinder-style baseline), `sampling` (initial
states and the report's trajectory scan).
"""

from .adam import ADAM_DEFAULTS
from .dynamics import Dynamics
from .exact import ExactSearch, enumerate_fixed_points, find_fixed_points
from .points import (
    KINDS,
    KINK_REL,
    UNDETERMINED,
    PointSet,
    kink_units,
    match_points,
    side_kinds,
    side_patterns,
)
from .sampling import noise_speed, sample_initial_states, trajectory_slow_steps
from .slow import SlowSearch, find_slow_points

__all__ = [
    "ADAM_DEFAULTS",
    "KINDS",
    "KINK_REL",
    "UNDETERMINED",
    "Dynamics",
    "ExactSearch",
    "PointSet",
    "SlowSearch",
    "enumerate_fixed_points",
    "find_fixed_points",
    "find_slow_points",
    "kink_units",
    "match_points",
    "noise_speed",
    "sample_initial_states",
    "side_kinds",
    "side_patterns",
    "trajectory_slow_steps",
]
