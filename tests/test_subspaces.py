"""Angle helpers and the PCA basis on subspaces whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_hypotheses.analysis.subspaces import (
    orthonormal_basis,
    pca_basis,
    principal_angles,
    vector_subspace_angle,
    vector_subspace_angles,
)


def _frame(n: int, d: int, seed: int = 0) -> np.ndarray:
    return np.linalg.qr(np.random.default_rng(seed).standard_normal((n, d)))[0]


def test_subspace_with_itself_has_zero_angles():
    A = _frame(20, 4)
    mixing = np.random.default_rng(1).standard_normal((4, 4)) + 3 * np.eye(4)
    np.testing.assert_allclose(principal_angles(A, A), 0.0, atol=1e-6)
    # Any other basis of the same span.
    np.testing.assert_allclose(principal_angles(A, A @ mixing), 0.0, atol=1e-6)


def test_orthogonal_subspaces_are_at_90_degrees():
    Q = _frame(10, 5)
    np.testing.assert_allclose(principal_angles(Q[:, :2], Q[:, 2:5]), 90.0, atol=1e-10)


def test_principal_angles_are_known_and_ascending():
    e = np.eye(4)
    theta1, theta2 = np.radians(20.0), np.radians(70.0)
    A = e[:, :2]
    B = np.column_stack(
        [
            np.cos(theta2) * e[:, 0] + np.sin(theta2) * e[:, 2],
            np.cos(theta1) * e[:, 1] + np.sin(theta1) * e[:, 3],
        ]
    )
    np.testing.assert_allclose(principal_angles(A, B), [20.0, 70.0], atol=1e-10)


def test_principal_angles_of_unequal_dimensions():
    e = np.eye(5)
    # A line inside a plane: one angle, zero.
    np.testing.assert_allclose(principal_angles(e[:, :2], e[:, 1]), [0.0], atol=1e-10)


def test_vector_in_subspace_has_zero_angle():
    Q = _frame(12, 3, seed=2)
    v = Q @ np.array([1.0, -2.0, 0.5])
    assert vector_subspace_angle(v, Q) == pytest.approx(0.0, abs=1e-6)


def test_vector_orthogonal_to_subspace_is_at_90_degrees():
    Q = _frame(12, 4, seed=3)
    assert vector_subspace_angle(Q[:, 3], Q[:, :3]) == pytest.approx(90.0, abs=1e-10)


def test_vector_angles_are_known_and_scale_free():
    e = np.eye(3)
    rows = np.array(
        [np.cos(np.radians(30.0)) * e[0] + np.sin(np.radians(30.0)) * e[2], 5.0 * e[1], -2.0 * e[2]]
    )
    basis = 3.0 * e[:, :2]  # not orthonormal: only the span counts
    np.testing.assert_allclose(vector_subspace_angles(rows, basis), [30.0, 0.0, 90.0], atol=1e-10)


def test_orthonormal_basis_spans_the_columns():
    A = np.random.default_rng(4).standard_normal((7, 3))
    Q = orthonormal_basis(A)
    np.testing.assert_allclose(Q.T @ Q, np.eye(3), atol=1e-12)
    np.testing.assert_allclose(principal_angles(Q, A), 0.0, atol=1e-6)


def test_pca_basis_recovers_planted_axes_in_order():
    rng = np.random.default_rng(5)
    axes = _frame(8, 8, seed=6)
    scales = np.array([5.0, 2.0, 0.3, 0.2, 0.2, 0.1, 0.1, 0.1])
    data = (rng.standard_normal((400, 6, 8)) * scales) @ axes.T + 10.0  # (time, trial, unit)
    basis = pca_basis(data, 2)
    assert basis.shape == (8, 2)
    np.testing.assert_allclose(basis.T @ basis, np.eye(2), atol=1e-12)
    assert vector_subspace_angle(axes[:, 0], basis[:, :1]) < 2.0
    assert principal_angles(basis, axes[:, :2]).max() < 3.0
    # A list of trials gives the same basis.
    as_list = pca_basis([data[:, k] for k in range(6)], 2)
    np.testing.assert_allclose(as_list, basis, atol=1e-10)
