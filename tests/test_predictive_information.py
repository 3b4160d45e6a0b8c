"""Tests of rnn_hypotheses.analysis.linearised_information: known answers of the
Ornstein-Uhlenbeck predictive information, its invariance to the noise amplitude, a
Monte-Carlo check on a non-normal drift, and the claims on made-up networks."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import f_oneway, spearmanr

from rnn_hypotheses.analysis.linearised_information import (
    INFORMATION_CLAIM_KEYS,
    information_claims,
    lag_covariance,
    network_information,
    network_values,
    point_information,
    predictive_information,
    spearman_rho,
    stable_points,
    stationary_covariance,
    task_summary,
    variance_ratio,
)
from rnn_hypotheses.analysis.stats import CLAIMS_COLUMNS, VERDICTS


def one_mode(rate, lag):
    """The known answer for one mode: -1/2 log(1 - e^{2 rate lag})."""
    return -0.5 * np.log(1 - np.exp(2 * rate * lag))


@pytest.mark.parametrize("rate, lag", [(-0.01, 100.0), (-0.2, 5.0), (-3.0, 0.1), (-1e-4, 50.0)])
def test_one_dimensional_process_has_the_known_information(rate, lag):
    assert predictive_information([[rate]], lag) == pytest.approx(one_mode(rate, lag),
                                                                  rel=1e-9)
    # its stationary variance is q / (2 |rate|)
    assert stationary_covariance([[rate]], [[3.0]])[0, 0] == pytest.approx(3 / (-2 * rate))


def test_modes_of_a_normal_drift_add():
    rates = np.array([-0.5, -0.05, -2.0, -0.01])
    lag = 10.0
    expected = one_mode(rates, lag).sum()
    assert predictive_information(np.diag(rates), lag) == pytest.approx(expected, rel=1e-9)
    # a rotation of the modes changes nothing (isotropic noise)
    Q, _ = np.linalg.qr(np.random.default_rng(1).standard_normal((4, 4)))
    J = Q @ np.diag(rates) @ Q.T
    assert predictive_information(J, lag) == pytest.approx(expected, rel=1e-7)
    # a rotating pair a +- i w is two modes of rate a: the rotation carries no information
    a, w = -0.1, 2.0
    pair = np.array([[a, -w], [w, a]])
    assert predictive_information(pair, lag) == pytest.approx(2 * one_mode(a, lag), rel=1e-9)


def test_information_does_not_depend_on_the_noise_amplitude():
    rng = np.random.default_rng(2)
    J = np.array([[-1.0, 4.0, 0.0], [0.0, -0.5, 3.0], [0.0, 0.0, -2.0]])  # non-normal
    B = rng.standard_normal((3, 3))
    Q = B @ B.T + 0.1 * np.eye(3)  # anisotropic
    reference = predictive_information(J, 0.7, Q)
    for c in (1e-8, 1e-3, 1.0, 1e4):
        assert predictive_information(J, 0.7, c * Q) == pytest.approx(reference, rel=1e-8)
    # but its shape matters
    assert abs(predictive_information(J, 0.7) - reference) > 1e-3


def test_lagged_covariance_is_the_stationary_one_minus_what_the_past_predicts():
    from scipy.linalg import expm

    J = np.array([[-1.0, 6.0], [0.0, -0.3]])
    S = stationary_covariance(J)
    A = expm(J * 2.0)
    np.testing.assert_allclose(lag_covariance(J, 2.0), S - A @ S @ A.T, rtol=1e-9, atol=1e-12)


def test_non_normal_drift_matches_a_simulation():
    """Euler-Maruyama on a non-normal drift, many independent paths: the Gaussian mutual
    information of the sampled (x_t, x_{t+lag}) matches the analytic value, which differs
    from what the eigenvalues alone (modes added) would give."""
    J = np.array([[-1.0, 5.0], [0.0, -2.0]])
    lag, dt = 0.5, 0.002
    rng = np.random.default_rng(3)
    paths = 20_000
    x = rng.standard_normal((paths, 2)) * 0.1
    for _ in range(int(6 / dt)):  # six slowest time constants: stationary
        x = x + dt * x @ J.T + np.sqrt(dt) * rng.standard_normal(x.shape)
    start = x.copy()
    for _ in range(int(round(lag / dt))):
        x = x + dt * x @ J.T + np.sqrt(dt) * rng.standard_normal(x.shape)
    joint = np.cov(np.hstack([start, x]).T)
    sampled = 0.5 * (np.linalg.slogdet(joint[:2, :2])[1] + np.linalg.slogdet(joint[2:, 2:])[1]
                     - np.linalg.slogdet(joint)[1])
    analytic = predictive_information(J, lag)
    # sampling error of a Gaussian MI estimate ~ sqrt(k / paths); Euler bias O(dt)
    assert sampled == pytest.approx(analytic, abs=0.03)
    modes_alone = one_mode(-1.0, lag) + one_mode(-2.0, lag)
    assert abs(analytic - modes_alone) > 0.1


@pytest.mark.parametrize("rate", [0.0, 0.3])
def test_a_drift_that_is_not_stable_is_refused(rate):
    J = np.array([[rate, 1.0], [0.0, -1.0]])
    with pytest.raises(ValueError, match="not stable"):
        predictive_information(J, 1.0)


def test_preactivation_noise_reaches_only_the_active_units():
    rng = np.random.default_rng(4)
    N, tau, lag = 12, 100.0, 100.0
    W = rng.standard_normal((N, N)) * 0.3 / np.sqrt(N)
    np.fill_diagonal(W, 0.0)
    pattern = np.zeros(N, dtype=bool)
    pattern[:7] = True
    found = point_information(W, pattern, tau, lag)
    active = np.flatnonzero(pattern)
    J_active = (W[np.ix_(active, active)] - np.eye(7)) / tau
    assert found["information"] == pytest.approx(predictive_information(J_active, lag))
    assert found["n_active"] == 7
    # what the inactive units' rows hold does not reach the process
    W2 = W.copy()
    W2[~pattern] = rng.standard_normal((N - 7, N))
    assert point_information(W2, pattern, tau, lag)["information"] == pytest.approx(
        found["information"])
    # known answer: without connections every active unit is a mode of rate -1/tau
    empty = point_information(np.zeros((N, N)), pattern, tau, lag)
    assert empty["information"] == pytest.approx(7 * one_mode(-1 / tau, lag))
    assert empty["slowest_rate"] == pytest.approx(-1000 / tau)
    # isotropic noise on every unit: every unit a mode
    isotropic = point_information(np.zeros((N, N)), pattern, tau, lag, noise="isotropic")
    assert isotropic["information"] == pytest.approx(N * one_mode(-1 / tau, lag))


def _points():
    """A made-up slow-point table: condition 0 (two stable points, a saddle and an
    unstable slow region), 1 (a stable slow region, an undetermined point), 2 (no stable
    point), 3 (autonomous, a stable point)."""
    rows = [
        (0, "exact", "stable", -0.01, 0), (0, "exact", "stable", -0.002, 1),
        (0, "exact", "saddle", 0.003, 2), (0, "slow", "undetermined", 0.001, 3),
        (1, "slow", "undetermined", -0.0005, 4), (1, "exact", "undetermined", -0.001, 5),
        (2, "exact", "saddle", 0.002, 6),
        (3, "exact", "stable", -0.01, 7),
    ]
    frame = pd.DataFrame(rows, columns=["condition", "method", "kind", "max_real_eig",
                                        "location"])
    frame["point"] = frame.groupby("condition").cumcount()
    frame["label"] = frame["condition"].map(lambda c: f"c{c}")
    frame["input1"] = frame["condition"] * 0.1
    return frame


def test_stable_points_are_stable_exact_points_and_stable_slow_regions():
    points = _points()
    autonomous = np.array([False, False, False, True])
    chosen = stable_points(points, autonomous)
    assert list(chosen["location"]) == [0, 1, 4]
    assert list(stable_points(points, autonomous, include_autonomous=True)["location"]) == [
        0, 1, 4, 7]


def test_one_value_per_network_is_the_mean_over_inputs_of_the_mean_over_points():
    points = _points()
    N, tau, lag = 6, 100.0, 100.0
    patterns = np.zeros((8, N), dtype=bool)
    patterns[0, :1] = True  # one active unit: one mode of -1/tau
    patterns[1, :3] = True
    patterns[4, :2] = True
    table = network_information(points, patterns, [False, False, False, True],
                                np.zeros((N, N)), tau, lag)
    unit = one_mode(-1 / tau, lag)
    np.testing.assert_allclose(table["information"], [unit, 3 * unit, 2 * unit])
    assert list(table["n_stable_points"]) == [2, 2, 1]
    # uncoupled units: every active unit one mode of -1/tau
    np.testing.assert_allclose(table["information_per_unit"], unit)
    assert list(table["input1"]) == [0.0, 0.0, 0.1]
    table = table.assign(task="t", net="net00", state="trained")
    values = network_values(table, {("t", "net00", "trained"): 3,
                                    ("t", "net01", "trained"): 3})
    first, second = values.iloc[0], values.iloc[1]
    assert first["information"] == pytest.approx(((unit + 3 * unit) / 2 + 2 * unit) / 2)
    assert (first["inputs_with_points"], first["inputs_without_points"]) == (2, 1)
    assert first["points"] == 3
    assert first["n_active"] == pytest.approx(2.0)
    assert first["information_per_unit"] == pytest.approx(unit)
    # a network with no stable point keeps its row, without a value
    assert np.isnan(second["information"]) and second["inputs_without_points"] == 3


def test_variance_ratio_is_the_one_way_anova():
    rng = np.random.default_rng(5)
    groups = [rng.normal(m, 1.0, n) for m, n in ((0, 10), (1, 8), (0.5, 12))]
    found = variance_ratio(groups)
    reference = f_oneway(*groups)
    assert found["F"] == pytest.approx(reference.statistic)
    assert found["p_greater"] == pytest.approx(reference.pvalue)
    assert found["p_greater"] + found["p_less"] == pytest.approx(1.0)
    # ICC(1) of equal groups: (F - 1) / (F + n - 1)
    equal = [rng.normal(m, 1.0, 5) for m in (0, 2, 4)]
    F = variance_ratio(equal)["F"]
    assert variance_ratio(equal)["icc"] == pytest.approx((F - 1) / (F + 4))


def test_spearman_rho_matches_scipy_with_ties():
    rng = np.random.default_rng(6)
    D = np.repeat([1, 2, 3, 4], 5)
    y = rng.normal(size=20) + 0.5 * D
    assert spearman_rho(D, y) == pytest.approx(spearmanr(D, y).statistic)
    many = rng.normal(size=(3, 20))
    np.testing.assert_allclose(spearman_rho(D, many),
                               [spearmanr(D, row).statistic for row in many])


def _values(spec, state="trained"):
    """network_values-like rows: task -> per-network values."""
    rows = [{"task": task, "net": f"net{i:02d}", "state": state, "information": v,
             "inputs_without_points": 0, "slowest_rate": -1.0}
            for task, vals in spec.items() for i, v in enumerate(vals)]
    return pd.DataFrame(rows)


def test_claims_read_consistency_and_ordering_off_the_networks():
    rng = np.random.default_rng(7)
    spec = {f"distance{d}": 10 + 2 * d + 0.3 * rng.standard_normal(10) for d in (1, 2, 3)}
    spec |= {f"farther{d}": 20 - 2 * d + 0.3 * rng.standard_normal(10) for d in (1, 2)}
    spec["lonely"] = np.array([5.0])  # one network: left out of the ANOVA
    dims = {**{f"distance{d}": ("distance", d) for d in (1, 2, 3)},
            **{f"farther{d}": ("farther", d) for d in (1, 2)},
            "distance9": ("distance", 9)}  # not run: ignored
    claims = information_claims(_values(spec), dims, n_boot=500, n_permutations=2000)
    assert list(claims.columns) == list(CLAIMS_COLUMNS)
    assert set(claims["verdict"]) <= set(VERDICTS)
    consistent = claims[claims["key"] == INFORMATION_CLAIM_KEYS[0]].iloc[0]
    assert consistent["verdict"] == "supported" and consistent["mean"] > 10
    assert consistent["ci_low"] <= consistent["mean"] <= consistent["ci_high"]
    assert "lonely" in consistent["notes"] and consistent["n"] == 50
    ordering = claims[claims["key"] == INFORMATION_CLAIM_KEYS[1]].set_index("task")
    distance = ordering.loc["distance: distance1, distance2, distance3"]
    assert distance["verdict"] == "supported" and distance["mean"] > 0.8
    farther = ordering.loc["farther: farther1, farther2"]
    assert farther["verdict"] == "reversed" and farther["mean"] < -0.8


def test_claims_are_not_measurable_without_the_data():
    # one task: no ANOVA; one dimension per family: no ordering
    values = _values({"distance2": np.arange(5.0)})
    claims = information_claims(values, {"distance2": ("distance", 2)}, n_boot=100,
                                n_permutations=100)
    assert list(claims["verdict"]) == ["not measurable", "not measurable"]
    # no family at all: still one ordering row, not measurable
    claims = information_claims(values, {}, n_boot=100, n_permutations=100)
    assert list(claims["key"]) == list(INFORMATION_CLAIM_KEYS)
    assert (claims["verdict"] == "not measurable").all()


def test_identical_tasks_are_not_found_consistent():
    rng = np.random.default_rng(8)
    spec = {task: rng.normal(size=10) for task in ("a", "b", "c")}
    claims = information_claims(_values(spec), {}, n_boot=300, n_permutations=100)
    assert claims.iloc[0]["verdict"] != "supported"


def test_task_summary_gives_the_median_and_its_interval():
    values = _values({"a": [1.0, 2.0, 3.0, 10.0], "b": [np.nan, 4.0, 4.0]})
    summary = task_summary(values, {"a": "distance", "b": "farther"}, {"a": ("distance", 1)},
                           n_boot=500)
    a, b = summary.iloc[0], summary.iloc[1]
    assert a["median"] == 2.5 and a["median_low"] <= 2.5 <= a["median_high"]
    assert (a["family"], a["dimension"]) == ("distance", 1.0)
    assert b["networks"] == 2 and b["networks_without_value"] == 1 and b["median"] == 4.0
