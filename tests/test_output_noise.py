"""The readout's share of the noise at a fixed point, against known answers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import solve_discrete_lyapunov

from rnn_hypotheses.analysis.output_noise import readout_noise_share, stationary_noise_covariance

ALPHA = 0.1


def test_without_recurrence_every_readout_sees_the_same_noise():
    # A = (1 - a) I: independent units, S = I / (1 - (1 - a)^2); any readout gets share 1
    n = 6
    S = stationary_noise_covariance(np.zeros((n, n)), np.ones(n, bool), ALPHA)
    np.testing.assert_allclose(S, np.eye(n) / (1 - (1 - ALPHA) ** 2))
    w = np.random.default_rng(0).standard_normal(n)
    assert readout_noise_share(np.zeros((n, n)), w, np.ones(n, bool), ALPHA) == pytest.approx(1)


def test_a_readout_along_a_slow_mode_sees_more_noise_and_one_across_it_less():
    # W = g v v^T with |v| = 1: along v the decay is a (1 - g), slower; the noise piles up there
    n, g = 8, 0.9
    v = np.ones(n) / np.sqrt(n)
    W = g * np.outer(v, v)
    active = np.ones(n, bool)
    along = readout_noise_share(W, v, active, ALPHA)
    across = np.zeros(n)
    across[:2] = [1.0, -1.0]
    null = readout_noise_share(W, across, active, ALPHA)
    # variance along v: 1 / (1 - (1 - a (1 - g))^2); across: 1 / (1 - (1 - a)^2)
    slow, fast = 1 / (1 - (1 - ALPHA * (1 - g)) ** 2), 1 / (1 - (1 - ALPHA) ** 2)
    mean = (slow + (n - 1) * fast) / n
    assert along == pytest.approx(slow / mean)
    assert null == pytest.approx(fast / mean)
    assert null < 1 < along


def test_inactive_units_take_no_noise_and_the_solution_solves_lyapunov():
    rng = np.random.default_rng(2)
    n = 10
    W = 0.5 * rng.standard_normal((n, n)) / np.sqrt(n)
    active = rng.random(n) > 0.3
    S = stationary_noise_covariance(W, active, ALPHA)
    A = (1 - ALPHA) * np.eye(n) + ALPHA * active[:, None] * W
    np.testing.assert_allclose(S, A @ S @ A.T + np.diag(active.astype(float)), atol=1e-10)
    np.testing.assert_allclose(S, solve_discrete_lyapunov(A, np.diag(active.astype(float))))
    # an inactive unit only decays, so it carries no stationary variance
    assert np.allclose(S[~active][:, ~active], 0.0)


def test_an_unstable_point_has_no_stationary_noise():
    n = 4
    W = 12.0 * np.eye(n)[::-1]  # a strong mutual loop: A has an eigenvalue above 1
    assert np.isnan(readout_noise_share(W, np.ones(n), np.ones(n, bool), ALPHA))
    assert np.isnan(readout_noise_share(np.zeros((n, n)), np.ones(n), np.zeros(n, bool), ALPHA))
