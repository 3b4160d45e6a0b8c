"""DCA against closed forms and against the reference package's stored numbers.

tests/fixtures/dca_reference.npz comes from tests/fixtures/make_dca_fixtures.py
(run by hand, with the reference package ``dynamicalcomponentsanalysis`` 1.1.0 in
an environment of its own); nothing here needs torch.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.linalg

from rnn_hypotheses.analysis import dca
from rnn_hypotheses.analysis.dca import (
    DynamicalComponentsAnalysis,
    block_toeplitz,
    cross_covariances,
    predictive_information,
    predictive_information_grad,
    smallest_eigenvalue,
)
from rnn_hypotheses.analysis.latent import active_units
from rnn_hypotheses.analysis.subspaces import principal_angles
from rnn_hypotheses.network import initialise_network
from rnn_hypotheses.simulate import simulate

FIXTURE = Path(__file__).parent / "fixtures" / "dca_reference.npz"


@pytest.fixture(scope="module")
def ref() -> dict[str, np.ndarray]:
    with np.load(FIXTURE, allow_pickle=False) as f:
        return dict(f)


def _ar1_cross_covs(a: float, lags: int) -> np.ndarray:
    """Exact cross-covariances of x(t+1) = a x(t) + sqrt(1 - a^2) e(t): C[k] = a^k."""
    return (a ** np.arange(lags)).reshape(lags, 1, 1)


def _var_cross_covs(A: np.ndarray, Q: np.ndarray, lags: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact cross-covariances C[k] = A^k Sigma of x(t+1) = A x(t) + e, e ~ N(0, Q)."""
    import scipy.linalg

    sigma = scipy.linalg.solve_discrete_lyapunov(A, Q)
    C = np.empty((lags, len(A), len(A)))
    C[0] = sigma
    for k in range(1, lags):
        C[k] = A @ C[k - 1]
    return C, sigma


# ------------------------------------------------------------ against the reference


def test_cross_covariances_match_reference(ref):
    T = int(ref["T"])
    got = cross_covariances(ref["data"], T)
    assert got.shape == (2 * T, ref["data"].shape[2], ref["data"].shape[2])
    np.testing.assert_allclose(got, ref["cross_covs"], rtol=0, atol=1e-10)
    # The same trials as a list of (time, unit) arrays.
    as_list = [ref["data"][:, k] for k in range(ref["data"].shape[1])]
    np.testing.assert_allclose(cross_covariances(as_list, T), ref["cross_covs"], rtol=0, atol=1e-10)


def test_cross_covariances_of_ragged_trials_match_reference(ref):
    trials = [ref["data"][:n, k] for k, n in enumerate(ref["ragged_lengths"])]
    got = cross_covariances(trials, int(ref["T"]))
    np.testing.assert_allclose(got, ref["cross_covs_ragged"], rtol=0, atol=1e-10)


def test_smallest_eigenvalue_shift_matches_reference(ref):
    T = int(ref["T"])
    trials = [ref["data"][: int(ref["short_steps"]), k] for k in range(int(ref["short_trials"]))]
    raw = cross_covariances(trials, T, rectify=False)
    # The case exercises the shift: too few windows leave the estimate indefinite.
    assert np.linalg.eigvalsh(block_toeplitz(raw)).min() < -1e-3
    got = cross_covariances(trials, T)
    np.testing.assert_allclose(got, ref["cross_covs_short"], rtol=0, atol=1e-10)
    assert np.linalg.eigvalsh(block_toeplitz(got)).min() == pytest.approx(1e-6, abs=1e-9)
    np.testing.assert_array_equal(got[1:], raw[1:])  # only the lag-0 diagonal moves


def test_pi_matches_reference(ref):
    got = predictive_information(ref["cross_covs"], ref["V"])
    assert got == pytest.approx(float(ref["pi_V"]), abs=1e-8)


def test_pi_gradient_matches_reference(ref):
    got = predictive_information_grad(ref["cross_covs"], ref["V"])
    np.testing.assert_allclose(got, ref["grad_V"], rtol=0, atol=1e-8)


def test_fit_reaches_reference_optimum(ref):
    d, T = int(ref["d"]), int(ref["T"])
    model = DynamicalComponentsAnalysis(d=d, T=T, random_state=0).fit(ref["data"])
    np.testing.assert_allclose(model.cross_covs_, ref["fit_cross_covs"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(model.mean_, ref["fit_mean"], rtol=0, atol=1e-12)
    assert model.pi_ >= float(ref["fit_pi"]) - 1e-4
    assert model.score() == pytest.approx(model.pi_, abs=1e-12)
    assert principal_angles(model.coef_, ref["fit_coef"]).max() < 1.0


def test_fit_with_reference_penalty_weight_reaches_reference_optimum(ref):
    d, T = int(ref["d"]), int(ref["T"])
    model = DynamicalComponentsAnalysis(d=d, T=T, random_state=1, ortho_lambda=10.0)
    model.fit_cross_covs(ref["cross_covs"])
    assert model.pi_ >= float(ref["fit_pi"]) - 1e-4
    assert principal_angles(model.coef_, ref["fit_coef"]).max() < 1.0


# ------------------------------------------------------------ closed forms


@pytest.mark.parametrize("T", [1, 2, 5])
@pytest.mark.parametrize("a", [0.0, 0.5, 0.95])
def test_pi_of_scalar_ar1_matches_closed_form(a, T):
    # A Markov process: past and future share exactly I(x_t; x_t+1) = -log(1 - a^2) / 2.
    got = predictive_information(_ar1_cross_covs(a, 2 * T))
    assert got == pytest.approx(-0.5 * np.log1p(-(a**2)), abs=1e-12)


def test_pi_of_vector_ar1_matches_closed_form():
    rng = np.random.default_rng(3)
    n = 4
    A = rng.standard_normal((n, n))
    A *= 0.8 / np.max(np.abs(np.linalg.eigvals(A)))
    B = rng.standard_normal((n, n))
    Q = B @ B.T + 0.1 * np.eye(n)
    C, sigma = _var_cross_covs(A, Q, lags=6)
    expected = 0.5 * (np.linalg.slogdet(sigma)[1] - np.linalg.slogdet(Q)[1])
    assert predictive_information(C) == pytest.approx(expected, abs=1e-10)


def test_pi_of_independent_ar1s_adds_over_selected_coordinates():
    coefs = np.array([0.9, 0.1, 0.6, 0.3])
    C = np.stack([np.diag(coefs**k) for k in range(6)])
    V = np.eye(4)[:, [0, 2]]
    expected = -0.5 * np.log1p(-(coefs[[0, 2]] ** 2)).sum()
    assert predictive_information(C, V) == pytest.approx(expected, abs=1e-12)


def test_pi_from_simulated_ar1_data_is_close_to_closed_form():
    rng = np.random.default_rng(4)
    a, n_steps, n_trials = 0.8, 2000, 5
    x = np.empty((n_steps, n_trials, 1))
    x[0] = rng.standard_normal((n_trials, 1))
    noise = np.sqrt(1 - a**2) * rng.standard_normal((n_steps, n_trials, 1))
    for t in range(1, n_steps):
        x[t] = a * x[t - 1] + noise[t]
    got = predictive_information(cross_covariances(x, 3))
    assert got == pytest.approx(-0.5 * np.log1p(-(a**2)), abs=0.03)


# ------------------------------------------------------------ invariances and gradient


@pytest.fixture(scope="module")
def random_system() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    n = 8
    A = rng.standard_normal((n, n))
    A *= 0.9 / np.max(np.abs(np.linalg.eigvals(A)))
    C, _ = _var_cross_covs(A, np.eye(n), lags=8)
    return C, rng.standard_normal((n, 3))


def test_pi_is_invariant_to_invertible_mixing(random_system):
    C, V = random_system
    A = np.random.default_rng(6).standard_normal((3, 3)) + 2 * np.eye(3)
    assert predictive_information(C, V @ A) == pytest.approx(
        predictive_information(C, V), abs=1e-10
    )


def test_gradient_matches_finite_differences(random_system):
    C, V = random_system
    grad = predictive_information_grad(C, V)
    step = 1e-6
    numeric = np.empty_like(V)
    for idx in np.ndindex(V.shape):
        E = np.zeros_like(V)
        E[idx] = step
        numeric[idx] = (predictive_information(C, V + E) - predictive_information(C, V - E)) / (
            2 * step
        )
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-7)


def test_gradient_is_orthogonal_to_the_span(random_system):
    # PI(V A) = PI(V) for every invertible A, so moving V within its span is flat.
    C, V = random_system
    grad = predictive_information_grad(C, V)
    np.testing.assert_allclose(V.T @ grad, 0.0, atol=1e-10)


# ------------------------------------------------------------ the estimator


def _planted(rng: np.random.Generator, n_units: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Two slow AR(1) directions hidden among white-noise units; returns (data, planted basis)."""
    n_steps, n_trials = 300, 4
    latent = np.empty((n_steps, n_trials, 2))
    latent[0] = rng.standard_normal((n_trials, 2))
    for t in range(1, n_steps):
        latent[t] = 0.95 * latent[t - 1] + 0.3 * rng.standard_normal((n_trials, 2))
    rotation = np.linalg.qr(rng.standard_normal((n_units, n_units)))[0]
    coords = np.concatenate([latent, rng.standard_normal((n_steps, n_trials, n_units - 2))], axis=2)
    return coords @ rotation.T, rotation[:, :2]


def test_dca_finds_planted_predictive_subspace():
    data, planted = _planted(np.random.default_rng(7))
    model = DynamicalComponentsAnalysis(d=2, T=3, random_state=1).fit(data)
    np.testing.assert_allclose(model.coef_.T @ model.coef_, np.eye(2), atol=1e-12)
    assert principal_angles(model.coef_, planted).max() < 5.0


def test_fit_attributes_transform_and_score():
    data, _ = _planted(np.random.default_rng(8), n_units=6)
    model = DynamicalComponentsAnalysis(d=2, T=2, n_init=3, random_state=2)
    projected = model.fit_transform(data)
    assert projected.shape == (data.shape[0], data.shape[1], 2)
    np.testing.assert_allclose(projected, (data - data.reshape(-1, 6).mean(0)) @ model.coef_)
    assert model.restart_coefs_.shape == (3, 6, 2)
    assert model.restart_pis_.shape == (3,)
    assert model.pi_ == pytest.approx(model.restart_pis_.max())
    assert model.cross_covs_.shape == (4, 6, 6)
    # List and single-trial layouts project trial by trial.
    as_list = model.transform([data[:, k] for k in range(data.shape[1])])
    np.testing.assert_allclose(as_list[1], projected[:, 1])
    np.testing.assert_allclose(model.transform(data[:, 0]), projected[:, 0])
    # Scoring the training data again re-estimates the same statistics.
    assert model.score(data) == pytest.approx(model.score(), abs=1e-10)


def test_fit_is_reproducible_for_a_seed():
    data, _ = _planted(np.random.default_rng(9), n_units=6)
    a = DynamicalComponentsAnalysis(d=2, T=2, random_state=3).fit(data).coef_
    b = DynamicalComponentsAnalysis(d=2, T=2, random_state=3).fit(data).coef_
    np.testing.assert_array_equal(a, b)


def test_trials_shorter_than_a_window_are_rejected():
    with pytest.raises(ValueError, match="2T"):
        cross_covariances(np.zeros((5, 2, 3)), T=3)


def test_silent_unit_is_rectified_and_fit_still_works():
    # A unit that never moves (a silent ReLU unit) makes the estimate singular.
    data, _ = _planted(np.random.default_rng(10), n_units=6)
    data[:, :, 4] = 0.0
    C = cross_covariances(data, 2)
    assert np.linalg.eigvalsh(block_toeplitz(C)).min() == pytest.approx(1e-6, rel=1e-3)
    model = DynamicalComponentsAnalysis(d=2, T=2, random_state=0).fit_cross_covs(C)
    # The silent unit adds no information: the optimum is that of the other units.
    others = DynamicalComponentsAnalysis(d=2, T=2, random_state=0).fit(np.delete(data, 4, axis=2))
    assert model.pi_ == pytest.approx(others.pi_, abs=1e-4)


def _short_window_covariance(rng: np.random.Generator) -> np.ndarray:
    """An indefinite 640-row window covariance: 64 units, T = 5, 191 windows."""
    data, _ = _planted(rng, n_units=64)
    return block_toeplitz(cross_covariances(data[:200, :1], 5, rectify=False))


def _network_window_covariance() -> np.ndarray:
    """The window covariance (T = 5) of a random 80-unit network's last 150 steps of ten
    held trials, as the latent stage estimates it: 560 rows, indefinite, its most
    negative eigenvalue apart from the rest."""
    net = initialise_network(task="decision", seed=1, n_units=80, n_inputs=2, n_outputs=1,
                             g=1.0, input_std=0.5, dt=10.0, tau=100.0, sigma=0.01)
    inputs = np.broadcast_to(np.random.default_rng(0).uniform(0.2, 1.0, (1, 10, 2)),
                             (250, 10, 2))
    rates, _ = simulate(net, inputs, noise_seed=3)
    stationary = rates[-150:]
    active = stationary[..., active_units(stationary, 1e-8, min_units=3)]
    return block_toeplitz(cross_covariances(active, 5, rectify=False))


def test_lanczos_smallest_eigenvalue_agrees_with_the_dense_solver(monkeypatch):
    cov = _network_window_covariance()
    dense = np.linalg.eigvalsh(cov)
    assert dense[0] < 0  # the windows' covariance estimate is indefinite
    # the value must come from Lanczos: no dense fallback
    assert len(cov) > dca._DENSE_EIGEN_MAX

    def no_dense_solver(*args, **kwargs):
        raise AssertionError("fell back to the dense solver")

    with monkeypatch.context() as patch:
        patch.setattr(scipy.linalg, "eigh", no_dense_solver)
        lanczos = smallest_eigenvalue(cov)
        # from a fixed start vector: the same bits every time
        assert smallest_eigenvalue(cov) == lanczos
    assert lanczos == pytest.approx(dense[0], rel=1e-10)
    # so the shift leaves the smallest eigenvalue at epsilon
    shifted = cov + (1e-6 - lanczos) * np.eye(len(cov))
    assert np.linalg.eigvalsh(shifted)[0] == pytest.approx(1e-6, abs=1e-12)


def test_smallest_eigenvalue_falls_back_to_the_dense_solver():
    # Far fewer windows than dimensions crowd the bottom eigenvalues together: Lanczos
    # gives up, and the value is the dense solver's, bit for bit.
    cov = _short_window_covariance(np.random.default_rng(13))
    assert len(cov) > dca._DENSE_EIGEN_MAX
    expected = scipy.linalg.eigh(cov, eigvals_only=True, subset_by_index=[0, 0])[0]
    assert smallest_eigenvalue(cov) == expected


def test_single_trial_array_is_one_trial():
    data, _ = _planted(np.random.default_rng(11), n_units=5)
    np.testing.assert_array_equal(
        cross_covariances(data[:, 0], 2), cross_covariances([data[:, 0]], 2)
    )
