"""Tests of rnn_hypotheses.analysis.topology: hand-made point tables, one per label."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnn_hypotheses.analysis.topology import (
    LABELS,
    TopologyCriteria,
    classify_network,
    collinearity,
    topology_counts,
)
from rnn_hypotheses.tasks import KINDS, Decision, Farther, FrequencyComparison

N = 6
CRITERIA = TopologyCriteria(ambiguous_difference=0.05, line_rate=1.0, line_min_points=3,
                            line_collinearity=0.9)
# decision's analysed inputs: both sides of the diagonal, on it, and the autonomous network
INPUTS = [(0.4, 0.8), (0.6, 0.6), (0.8, 0.4), (0.0, 0.0)]
AMBIGUOUS, CLEAR, AUTONOMOUS = 1, 0, 3


def conditions_table(inputs=INPUTS) -> pd.DataFrame:
    rows = []
    for c, u in enumerate(inputs):
        row = {"condition": c, "autonomous": not any(u)}
        row.update({f"input{j + 1}": v for j, v in enumerate(u)})
        rows.append(row)
    return pd.DataFrame(rows)


class Points:
    """Builds a slowpoints_{state} points table and its locations, one point at a time."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.locations: list[np.ndarray] = []

    def add(self, condition: int, kind: str, rate_per_s: float, where, method="exact",
            n_unstable=None) -> Points:
        if n_unstable is None:
            n_unstable = 1 if kind == "saddle" else 0
        self.rows.append({"condition": condition, "method": method, "kind": kind,
                          "n_unstable": n_unstable, "max_real_eig": rate_per_s / 1000.0,
                          "location": len(self.locations)})
        self.locations.append(np.asarray(where, dtype=float))
        return self

    def one_stable_each(self, skip=()) -> Points:
        for c in range(len(INPUTS)):
            if c not in skip:
                self.add(c, "stable", -5.0, np.full(N, 0.1 * c))
        return self

    def classify(self, conditions=None, kind=Decision, criteria=CRITERIA) -> dict:
        points = pd.DataFrame(self.rows)
        return classify_network(points, conditions_table() if conditions is None else conditions,
                                np.stack(self.locations), kind.condition_value, criteria)


def along_line(t: float) -> np.ndarray:
    return np.array([1.0, 2.0, 0.5, 0.0, 0.0, 0.0]) + t * np.array([1.0, -1.0, 0, 0, 0, 0])


def two_attractors_and_a_saddle(points: Points, condition: int, n_unstable: int = 1) -> Points:
    points.add(condition, "stable", -4.0, along_line(-1.0))
    points.add(condition, "saddle", 2.0, along_line(0.0), n_unstable=n_unstable)
    return points.add(condition, "stable", -3.0, along_line(1.0))


def test_two_attractors_and_a_saddle_at_equal_inputs_are_bistable():
    found = two_attractors_and_a_saddle(Points().one_stable_each(skip=[AMBIGUOUS]),
                                        AMBIGUOUS).classify()
    assert found["label"] == "bistable" and found["bistable"] and not found["line"]
    assert found["n_ambiguous"] == 1 and found["n_bistable_conditions"] == 1
    assert found["ambiguous_stable"] == 2 and found["ambiguous_separatrices"] == 1


@pytest.mark.parametrize("where", [CLEAR, AUTONOMOUS])
def test_bistability_away_from_the_ambiguous_inputs_does_not_count(where):
    found = two_attractors_and_a_saddle(Points().one_stable_each(skip=[where]),
                                        where).classify()
    assert found["label"] == "other" and not found["bistable"]
    assert found["ambiguous_stable"] == 1


def test_a_saddle_with_two_unstable_directions_is_no_separatrix():
    found = two_attractors_and_a_saddle(Points().one_stable_each(skip=[AMBIGUOUS]),
                                        AMBIGUOUS, n_unstable=2).classify()
    assert found["label"] == "other" and found["ambiguous_separatrices"] == 0


def test_two_attractors_without_a_saddle_are_not_bistable():
    points = Points().one_stable_each(skip=[AMBIGUOUS])
    points.add(AMBIGUOUS, "stable", -4.0, along_line(-1.0))
    points.add(AMBIGUOUS, "stable", -4.0, along_line(1.0))
    assert points.classify()["label"] == "other"


def slow_line(points: Points, condition: int, rates=(-0.5, 0.3, -0.2, 0.6), spread=0.0,
              seed=0) -> Points:
    rng = np.random.default_rng(seed)
    for i, rate in enumerate(rates):
        where = along_line(i - 1.5) + spread * rng.standard_normal(N)
        points.add(condition, "undetermined", rate, where, method="slow")
    return points


def test_collinear_slow_points_with_rates_near_zero_are_a_line_attractor():
    found = slow_line(Points().one_stable_each(), CLEAR).classify()
    assert found["label"] == "line attractor" and found["line"] and not found["bistable"]
    assert found["line_points"] == 4 and found["line_collinearity"] == pytest.approx(1.0)
    assert found["n_line_conditions"] == 1


def test_scattered_slow_points_are_no_line():
    found = slow_line(Points().one_stable_each(), CLEAR, spread=3.0).classify()
    assert found["label"] == "other" and found["line_collinearity"] < 0.9


def test_collinear_points_that_relax_fast_are_no_line():
    found = slow_line(Points().one_stable_each(), CLEAR, rates=(-3.0, -4.0, -2.5, 2.0)
                      ).classify()
    assert found["label"] == "other" and found["line_points"] == 0


def test_two_slow_points_are_too_few_for_a_line():
    found = slow_line(Points().one_stable_each(), CLEAR, rates=(-0.5, 0.3)).classify()
    assert found["label"] == "other" and found["line_points"] == 2
    # and the threshold is the config's
    looser = TopologyCriteria(line_min_points=2)
    assert slow_line(Points().one_stable_each(), CLEAR, rates=(-0.5, 0.3)).classify(
        criteria=looser)["label"] == "line attractor"


def test_a_network_with_both_is_labelled_bistable_and_flagged_as_a_line():
    points = two_attractors_and_a_saddle(Points().one_stable_each(skip=[AMBIGUOUS]), AMBIGUOUS)
    found = slow_line(points, CLEAR).classify()
    assert found["label"] == "bistable" and found["bistable"] and found["line"]


def test_the_kinds_condition_value_decides_which_inputs_are_ambiguous():
    # farther at D = 2: inputs (a1, a2, b1, b2); |a| = |b| = 0.5 with different components
    inputs = [(0.3, 0.4, 0.5, 0.0), (0.3, 0.4, 0.8, 0.0), (0.0, 0.0, 0.0, 0.0)]
    points = Points()
    points.add(1, "stable", -5.0, np.zeros(N)).add(2, "stable", -5.0, np.ones(N))
    two_attractors_and_a_saddle(points, 0)
    found = points.classify(conditions_table(inputs), kind=Farther)
    assert found["n_ambiguous"] == 1 and found["label"] == "bistable"
    # decision's condition_value (input 1 - input 2) finds no ambiguous input among these
    assert points.classify(conditions_table(inputs), kind=Decision)["n_ambiguous"] == 0


def test_collinearity():
    assert collinearity([[0, 0], [1, 1], [3, 3]]) == pytest.approx(1.0)
    assert collinearity([[0, 0], [1, 0], [0, 1], [1, 1]]) == pytest.approx(0.5)
    assert np.isnan(collinearity([[1, 2]]))
    assert np.isnan(collinearity([[1, 2], [1, 2]]))


def test_counts_per_task_and_state():
    labels = pd.DataFrame({
        "task": ["decision"] * 5 + ["farther"] * 2,
        "state": ["trained", "trained", "trained", "untrained", "untrained", "trained",
                  "trained"],
        "label": ["bistable", "bistable", "other", "other", "other", "line attractor",
                  "bistable"],
    })
    labels["n_ambiguous"] = [1, 1, 1, 1, 1, 0, 0]
    counts = topology_counts(labels)
    assert counts["no_ambiguous_input"].tolist() == [0, 0, 2]
    assert counts[["task", "state"]].values.tolist() == [
        ["decision", "untrained"], ["decision", "trained"], ["farther", "trained"]]
    assert counts[list(LABELS)].values.tolist() == [[0, 0, 2], [2, 0, 1], [1, 1, 0]]
    assert counts["networks"].tolist() == [2, 3, 2]
    np.testing.assert_allclose(counts["share_bistable"], [0.0, 2 / 3, 0.5])


def test_the_binary_decision_kinds():
    flagged = {name for name, cls in KINDS.items() if cls.binary_decision}
    assert flagged == {Decision.kind, Farther.kind, FrequencyComparison.kind}


def test_the_bistability_claim_compares_each_network_before_and_after():
    from rnn_hypotheses.analysis.topology import topology_claims

    rows = []
    for k in range(10):
        # nine networks become bistable; the tenth never is; one was never analysed at an
        # ambiguous input and is left out
        rows.append({"task": "decision", "net": f"net{k:02d}", "state": "untrained",
                     "bistable": False, "n_ambiguous": 0 if k == 9 else 1})
        rows.append({"task": "decision", "net": f"net{k:02d}", "state": "trained",
                     "bistable": k < 9, "n_ambiguous": 0 if k == 9 else 1})
    claims = topology_claims(pd.DataFrame(rows), n_boot=500)
    row = claims.iloc[0]
    assert row["key"] == "topology_bistable" and row["task"] == "decision"
    assert row["n"] == 9 and row["mean"] == pytest.approx(1.0)
    assert row["verdict"] == "supported"
    assert "not measurable in 1 of 10" in row["notes"]
