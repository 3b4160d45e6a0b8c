"""Claims tables under several drops: stacking and window dependence."""

from __future__ import annotations

import pandas as pd
import pytest

from rnn_hypotheses.analysis.stats import CLAIMS_COLUMNS
from rnn_hypotheses.claims.sensitivity import sensitivity_table, window_dependence


def claims(verdicts: dict[tuple[str, str], str], shift: float = 0.0) -> pd.DataFrame:
    rows = [{**dict.fromkeys(CLAIMS_COLUMNS, ""), "key": key, "task": task, "state": "",
             "claim": f"{task}: {key}", "n": 10, "mean": 1.0 + shift, "ci_low": 0.5 + shift,
             "ci_high": 1.5 + shift, "p_value": 0.01, "verdict": verdict}
            for (key, task), verdict in verdicts.items()]
    return pd.DataFrame(rows, columns=list(CLAIMS_COLUMNS))


def test_a_claim_whose_verdict_changes_is_window_dependent():
    main = claims({("pi_relu", "decision"): "supported", ("pi_relu", "perception"): "supported"})
    early = claims({("pi_relu", "perception"): "supported",
                    ("pi_relu", "decision"): "reversed"}, shift=-2.0)
    table = sensitivity_table({1000: main, 0: early}, main=1000)
    assert table["drop_ms"].tolist() == [0.0, 1000.0, 0.0, 1000.0]  # main order, then drop
    assert table["task"].tolist() == ["decision", "decision", "perception", "perception"]
    assert table["main"].tolist() == [False, True, False, True]
    assert table["window_dependent"].tolist() == [True, True, False, False]
    assert table.loc[0, "mean"] == pytest.approx(-1.0)
    dependence = window_dependence(table)
    decision = dependence[dependence["task"] == "decision"].iloc[0]
    assert decision["verdicts"] == "0 ms: reversed; 1000 ms: supported"


def test_tables_with_other_claims_are_refused():
    main = claims({("pi_relu", "decision"): "supported"})
    other = claims({("readout_dca_away", "decision"): "supported"})
    with pytest.raises(ValueError, match="other claims"):
        sensitivity_table({1000: main, 0: other}, main=1000)
    with pytest.raises(ValueError, match="no claims table"):
        sensitivity_table({}, main=1000)
    # the main drop need not be among them
    assert not sensitivity_table({0: main}, main=1000)["main"].any()


def test_each_drop_keeps_the_family_of_its_own_claims_table():
    main = claims({("pi_relu", "decision"): "supported"}).assign(
        p_adjusted=0.02, p_family="claims table latent_claims_drop1000 (1 tests)")
    early = claims({("pi_relu", "decision"): "inconclusive"}).assign(
        p_adjusted=0.3, p_family="claims table latent_claims_drop0 (1 tests)")
    table = sensitivity_table({1000: main, 0: early}, main=1000)
    assert table["p_family"].tolist() == ["claims table latent_claims_drop0 (1 tests)",
                                          "claims table latent_claims_drop1000 (1 tests)"]
    assert table["p_adjusted"].tolist() == [0.3, 0.02]
    assert table["window_dependent"].all()
