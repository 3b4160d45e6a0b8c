"""The share of recurrent weights an L1 penalty drives to zero."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_hypotheses.analysis.sparsity import near_zero_share, offdiagonal


def test_a_gaussian_matrix_has_its_normal_share_near_zero():
    rng = np.random.default_rng(0)
    W = rng.normal(0, 0.1, (300, 300))
    np.fill_diagonal(W, 0.0)
    # P(|z| < 0.1) = 0.0797 for a standard normal
    assert near_zero_share(W, W) == pytest.approx(0.0797, abs=0.005)


def test_zeroed_weights_count_and_the_diagonal_does_not():
    rng = np.random.default_rng(1)
    W_init = rng.normal(0, 0.1, (50, 50))
    np.fill_diagonal(W_init, 0.0)
    W = W_init.copy()
    off = ~np.eye(50, dtype=bool)
    W[off] = np.where(np.arange(off.sum()) % 2 == 0, 0.0, 1.0)  # half zero, half large
    assert near_zero_share(W, W_init) == pytest.approx(0.5)
    assert offdiagonal(W).size == 50 * 49


def test_no_spread_is_refused():
    with pytest.raises(ValueError, match="no spread"):
        near_zero_share(np.zeros((3, 3)), np.zeros((3, 3)))
