"""Connectivity analyses on matrices whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_hypotheses.analysis import connectivity as C


def _random(n: int, seed: int = 0, zero_diag: bool = True) -> np.ndarray:
    W = np.random.default_rng(seed).standard_normal((n, n)) / np.sqrt(n)
    if zero_diag:
        np.fill_diagonal(W, 0.0)
    return W


# ----------------------------------------------------------------------------- weights


def test_mean_offdiagonal_ignores_diagonal():
    W = np.full((4, 4), 2.0)
    np.fill_diagonal(W, 100.0)
    assert C.mean_offdiagonal(W) == pytest.approx(2.0)


def test_mean_offdiagonal_of_a_stack_matches_each_matrix():
    Ws = np.stack([_random(6, s) for s in range(5)])
    got = C.mean_offdiagonal(Ws)
    assert got.shape == (5,)
    np.testing.assert_allclose(got, [C.mean_offdiagonal(W) for W in Ws])


def test_weight_change_magnitudes_are_offdiagonal_absolute_changes():
    A = np.zeros((3, 3))
    B = np.array([[9.0, -1.0, 0.0], [0.0, 9.0, 2.0], [0.5, 0.0, 9.0]])
    got = C.weight_change_magnitudes(A, B)
    assert got.shape == (6,)
    np.testing.assert_allclose(np.sort(got), [0.0, 0.0, 0.0, 0.5, 1.0, 2.0])


def test_top_share_extremes_and_gaussian_reference():
    one = np.zeros(100)
    one[3] = -5.0
    assert C.top_share(one, 0.1) == pytest.approx(1.0)
    assert C.top_share(np.ones(100), 0.1) == pytest.approx(0.1)
    sample = np.random.default_rng(0).standard_normal(200_000)
    assert C.top_share(sample, 0.1) == pytest.approx(C.gaussian_top_share(0.1), abs=0.01)


# ----------------------------------------------------------------------------- spectrum


def test_match_eigenvalues_undoes_a_permutation():
    before = np.array([1 + 1j, 1 - 1j, -0.5, 0.2j, 3.0])
    perm = np.array([4, 2, 0, 3, 1])
    match = C.match_eigenvalues(before, before[perm] + 1e-3)
    np.testing.assert_allclose(match.after, before + 1e-3)


def test_eigenvalue_that_grew_most_is_found():
    A = np.diag([0.5, -0.3, 0.1, 0.8])
    B = A.copy()
    B[2, 2] = 0.3  # eigenvalue 0.1 -> 0.3
    match = C.match_eigenvalues(C.eigenvalues(A), C.eigenvalues(B))
    top = match.top(1)
    assert match.before[top[0]] == pytest.approx(0.1)
    assert match.magnitude_change[top[0]] == pytest.approx(0.2)
    np.testing.assert_allclose(np.sort(match.magnitude_change), [0, 0, 0, 0.2], atol=1e-12)


# ----------------------------------------------------------------------------- non-normality


@pytest.mark.parametrize("kind", ["symmetric", "orthogonal", "diagonal"])
def test_normal_matrix_has_zero_departure(kind):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((12, 12))
    W = {
        "symmetric": X + X.T,
        "orthogonal": np.linalg.qr(X)[0],
        "diagonal": np.diag(X[0]),
    }[kind]
    henrici, spectral = C.departure_from_normality(W)
    assert henrici == pytest.approx(0.0, abs=1e-10)
    assert spectral == pytest.approx(0.0, abs=1e-10)


def test_strictly_upper_triangular_matrix_departure_equals_its_norms():
    U = np.triu(np.random.default_rng(2).standard_normal((10, 10)), k=1)
    henrici, spectral = C.departure_from_normality(U)
    assert henrici == pytest.approx(np.linalg.norm(U, "fro"))
    assert spectral == pytest.approx(np.linalg.norm(U, 2))


def test_henrici_departure_matches_eigenvalue_formula():
    W = _random(20, 3)
    lam = np.linalg.eigvals(W)
    expected = np.sqrt(np.linalg.norm(W, "fro") ** 2 - np.sum(np.abs(lam) ** 2))
    assert C.departure_from_normality(W)[0] == pytest.approx(expected, rel=1e-8)


def test_departure_trajectory_has_one_value_per_snapshot():
    Ws = np.stack([_random(8, s) for s in range(4)])
    henrici, spectral = C.departure_trajectory(Ws)
    assert henrici.shape == spectral.shape == (4,)
    assert henrici[2] == pytest.approx(C.departure_from_normality(Ws[2])[0])
    assert np.all(spectral <= henrici + 1e-12)  # ||U||_2 <= ||U||_F


# ----------------------------------------------------------------------------- rank


def test_rank_one_change_is_reported_as_rank_one():
    rng = np.random.default_rng(4)
    dW = np.outer(rng.standard_normal(30), rng.standard_normal(30))
    assert C.energy_rank(dW, 0.9) == 1
    assert C.energy_rank(dW, 1.0) == 1
    assert C.participation_ratio(dW) == pytest.approx(1.0)
    assert C.numerical_rank(dW) == 1


def test_effective_ranks_of_equal_singular_values():
    s = np.ones(8)
    assert C.participation_ratio(s) == pytest.approx(8.0)
    assert C.energy_rank(s, 0.9) == 8  # 7/8 = 0.875 < 0.9
    assert C.energy_rank(np.zeros((3, 3))) == 0


def test_truncate_to_full_rank_returns_dw_exactly():
    dW = _random(9, 5)
    np.testing.assert_array_equal(C.truncate_rank(dW, 9), dW)
    np.testing.assert_array_equal(C.truncate_rank(dW, 50), dW)
    np.testing.assert_array_equal(C.truncate_rank(dW, 0), np.zeros_like(dW))


def test_truncated_weights_interpolate_from_initial_to_trained():
    W0, W1 = _random(7, 13), _random(7, 14)
    np.testing.assert_array_equal(C.truncated_weights(W0, W1, 7), W1)
    np.testing.assert_array_equal(C.truncated_weights(W0, W1, 0), W0)
    W2 = C.truncated_weights(W0, W1, 2, zero_diagonal=True)
    assert np.all(np.diag(W2) == 0)
    assert C.numerical_rank(C.truncated_weights(W0, W1, 2) - W0) == 2


def test_truncation_error_is_the_discarded_spectrum():
    dW = _random(12, 6)
    s = C.singular_values(dW)
    for k in (1, 3, 7):
        err = np.linalg.norm(dW - C.truncate_rank(dW, k), "fro")
        assert err == pytest.approx(np.sqrt(np.sum(s[k:] ** 2)))
        assert C.numerical_rank(C.truncate_rank(dW, k)) == k


def test_random_reference_has_same_norm_and_is_seeded():
    dW = _random(15, 7)
    s1 = C.random_reference_singular_values(dW, seed=3)
    s2 = C.random_reference_singular_values(dW, seed=3)
    s3 = C.random_reference_singular_values(dW, seed=4)
    np.testing.assert_array_equal(s1, s2)
    assert not np.allclose(s1, s3)
    assert np.sqrt(np.sum(s1**2)) == pytest.approx(np.linalg.norm(dW, "fro"))


def test_connectivity_summary_on_a_low_rank_change():
    W0 = _random(40, 8)
    rng = np.random.default_rng(9)
    dW = -0.5 * np.outer(rng.standard_normal(40), rng.random(40)) / 40
    np.fill_diagonal(dW, 0.0)
    out = C.connectivity_summary(W0, W0 + dW)
    assert out["mean_weight_change"] == pytest.approx(C.offdiagonal(dW).mean())
    assert out["dW_energy_rank"] <= 2 < out["dW_energy_rank_random"]
    assert out["dW_participation_ratio"] < out["dW_participation_ratio_random"]
    assert all(isinstance(v, float) for v in out.values())
