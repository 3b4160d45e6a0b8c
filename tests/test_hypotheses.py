"""The hypotheses table, from claims tables whose verdicts are chosen by the test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from rnn_hypotheses.analysis.complexity import GROWTH_CLAIM_KEYS
from rnn_hypotheses.analysis.initialisation import INITIALISATION_CLAIMS
from rnn_hypotheses.analysis.latent import LATENT_CLAIMS
from rnn_hypotheses.analysis.linear_models import LINEAR_MODEL_CLAIMS
from rnn_hypotheses.analysis.linearised_information import INFORMATION_CLAIM_KEYS
from rnn_hypotheses.analysis.reuse import REUSE_CLAIMS
from rnn_hypotheses.analysis.stats import CLAIMS_COLUMNS, UNADJUSTED, claims_table
from rnn_hypotheses.analysis.topology import TOPOLOGY_CLAIMS
from rnn_hypotheses.analysis.training_change import CLAIMS
from rnn_hypotheses.artifacts import markdown_table
from rnn_hypotheses.hypotheses import (
    CLAIM_HYPOTHESIS,
    HYPOTHESES,
    MIXED,
    ROBUSTNESS_COLUMNS,
    VERDICTS,
    aggregate_verdict,
    display_table,
    hypotheses_html,
    hypotheses_table,
    robustness_sentence,
    robustness_summary,
)

TASKS = ("decision", "perception")

# Verdicts the fixture tables give each hypothesis's claims: H1 all supported, H2 one claim
# against the rest (mixed), H3 all not supported, H4 all inconclusive.
FIXTURE_VERDICT = {
    "nonlinearity": lambda key: "supported",
    "subtle_changes": lambda key: "not supported" if key == "dW_low_rank" else "supported",
    "away_from_readout": lambda key: "not supported",
    "dca_unique": lambda key: "inconclusive",
}
EXPECTED = {"H1": "supported", "H2": MIXED, "H3": "not supported", "H4": "inconclusive"}


# p-values (claimed direction, opposite, equivalence) that make the verdict rules give each
# verdict, at any adjustment over the fixtures' families; "not measurable" is set by hand
EVIDENCE = {
    "supported": (1e-4, 1.0, np.nan),
    "reversed": (1.0, 1e-4, np.nan),
    "not supported": (0.9, 0.15, np.nan),  # with the interval on the other side
    "inconclusive": (0.5, 0.6, np.nan),
    "equivalent": (0.5, 0.6, 1e-4),
    "not measurable": (1e-4, 1.0, np.nan),
}


def _evidence(verdict: str, alternative: str = "greater", reference: float = 0.0,
              size: float = 0.5) -> dict[str, object]:
    """The columns that make :func:`decide_verdict` give ``verdict``."""
    p, p_opposite, p_equivalence = EVIDENCE[verdict]
    toward = -1.0 if alternative == "less" else 1.0
    against = verdict in ("not supported", "reversed")
    mean = reference + size * toward * (-1.0 if against else 1.0)
    return {"mean": mean, "ci_low": mean - 0.1, "ci_high": mean + 0.1, "reference": reference,
            "alternative": alternative, "p_value": p,
            "p_opposite": np.nan if alternative == "two-sided" else p_opposite,
            "p_equivalence": p_equivalence, "p_adjusted": min(p, p_opposite),
            "p_equivalence_adjusted": p_equivalence, "verdict": verdict}


def _row(claim: str, section: str, verdict: str, mean: float = 0.5, *, key: str,
         task: str = "", state: str = "") -> dict[str, object]:
    return {"key": key, "task": task, "state": state, "claim": claim, "section": section,
            "statistic": "a statistic", "n": 10, "effect_size": "Cohen's d_z",
            "effect": 2.0, "effect_low": 1.0, "effect_high": 3.0,
            "test": "Wilcoxon signed-rank, one-sided (greater)", "equivalence_margin": 0.0,
            "p_family": UNADJUSTED, "reason": "", "notes": "",
            **_evidence(verdict, size=mean)}


def _with_verdicts(table: pd.DataFrame, verdicts) -> pd.DataFrame:
    """``table`` with each row's evidence and verdict set to ``verdicts`` (one per row)."""
    out = table.copy()
    for k, verdict in enumerate(verdicts):
        row = out.iloc[k]
        for column, value in _evidence(verdict, row["alternative"], row["reference"]).items():
            out.iat[k, out.columns.get_loc(column)] = value
    return out


def connectivity_fixture(verdict=None) -> pd.DataFrame:
    """A connectivity claims table laid out as the real one: per task, between-task once."""
    rows = []
    for claim in CLAIMS:
        v = (verdict or FIXTURE_VERDICT[CLAIM_HYPOTHESIS[claim.key]])(claim.key)
        tasks = [""] if claim.kind == "between" else TASKS
        rows += [_row(f"{t}: {claim.text}" if t else claim.text, claim.section, v,
                      key=claim.key, task=t) for t in tasks]
    return claims_table(rows)


def latent_fixture(verdict=None) -> pd.DataFrame:
    """A latent claims table laid out as the real one: per task, and per state where so."""
    rows = []
    for claim in LATENT_CLAIMS:
        v = (verdict or FIXTURE_VERDICT[CLAIM_HYPOTHESIS[claim.key]])(claim.key)
        for task in TASKS:
            states = claim.states or (None,)
            for state in states:
                label = f"{task}, {state}" if state else task
                rows.append(_row(f"{label}: {claim.text}", claim.section, v, key=claim.key,
                                 task=task, state=state or ""))
    return claims_table(rows)


def slow_point_stats() -> pd.DataFrame:
    """Per-network slow-point statistics as network_statistics returns them (3 per task)."""
    rows = []
    for task, n_units in (("perception", 16), ("decision", 24)):
        for k in range(3):
            for state in ("untrained", "trained"):
                rows.append({"task": task, "net": f"net{k:02d}", "state": state,
                             "n_units": n_units, "fixed": 1.0 + k, "saddle": float(k),
                             "slow": 2.0 + k, "slowest_rate": -1.0 - k,
                             "slowest_rate_range": 0.1 * k, "readout_noise_share": 0.9 + 0.1 * k})
    return pd.DataFrame(rows)


def slow_point_fixture() -> pd.DataFrame:
    """The library's own slow-point claims table: a claim on a hypothesis gets its fixture
    verdict, the findings that bear on none "inconclusive"."""
    from rnn_hypotheses.analysis.slowpoint_analysis import slow_point_claims

    kinds = {"decision": "decision", "perception": "perception"}
    table = slow_point_claims(slow_point_stats(), kinds, n_boot=100)
    return _with_verdicts(table, [FIXTURE_VERDICT[CLAIM_HYPOTHESIS[key]](key)
                                  if CLAIM_HYPOTHESIS[key] else "inconclusive"
                                  for key in table["key"]])


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    return {"connectivity_claims": connectivity_fixture(), "latent_claims": latent_fixture(),
            "slow_point_claims": slow_point_fixture()}


def test_every_claim_of_the_library_is_mapped_to_a_hypothesis():
    slow_keys = set(slow_point_fixture()["key"])
    keys = ({c.key for c in (*CLAIMS, *LATENT_CLAIMS, *TOPOLOGY_CLAIMS, *LINEAR_MODEL_CLAIMS,
                             *REUSE_CLAIMS, *INITIALISATION_CLAIMS)} | slow_keys
            | set(GROWTH_CLAIM_KEYS)
            | set(INFORMATION_CLAIM_KEYS))
    assert keys == set(CLAIM_HYPOTHESIS)
    hypotheses = {h.key for h in HYPOTHESES}
    assert set(CLAIM_HYPOTHESIS.values()) <= hypotheses | {None}
    # every headline hypothesis has evidence
    assert hypotheses <= set(CLAIM_HYPOTHESIS.values())


def test_slow_point_claims_carry_their_key_task_and_state():
    table = slow_point_fixture().set_index(["key", "task", "state"])
    assert table.index.is_unique
    # between-task claims name their state and no task; per-task claims the reverse
    assert ("slow_more_fixed_points_decision", "", "untrained") in table.index
    assert ("slow_more_saddles_decision", "", "trained") in table.index
    assert ("slow_fixed_points_change", "decision", "") in table.index
    assert table.loc[("slow_slowest_mode_slows", "perception", ""), "claim"] == (
        "training slows the slowest mode at stable points (perception)")


def test_aggregate_verdict():
    assert aggregate_verdict(["supported"] * 3) == "supported"
    assert aggregate_verdict(["supported", "inconclusive"]) == MIXED
    assert aggregate_verdict(["not supported", "supported"]) == MIXED
    assert aggregate_verdict([]) == "inconclusive"
    # reversed claims say so; with not supported ones, every claim is against it
    assert aggregate_verdict(["reversed"] * 4) == "reversed"
    assert aggregate_verdict(["reversed", "not supported"]) == "not supported"
    assert aggregate_verdict(["reversed", "supported"]) == MIXED
    assert aggregate_verdict(["reversed", "inconclusive"]) == MIXED
    # a claim that is not measurable carries no evidence either way
    assert aggregate_verdict(["not measurable", "supported", "supported"]) == "supported"
    assert aggregate_verdict(["not measurable", "reversed", "supported"]) == MIXED
    assert aggregate_verdict(["not measurable"] * 2) == "not measurable"


def test_new_verdicts_pass_through_the_table_and_are_counted(tables):
    latent = latent_fixture(lambda key: {"pi_linear": "not measurable",
                                         "readout_dca_away": "reversed",
                                         "readout_pca_away": "reversed"}.get(key, "supported"))
    table = hypotheses_table({**tables, "latent_claims": latent})
    hyps = table[table["row"] == "hypothesis"].set_index("hypothesis")
    assert set(table["verdict"]) <= {*VERDICTS, MIXED}
    assert hyps.loc["H1", "verdict"] == "supported"
    assert hyps.loc["H1", "notes"] == (
        "9 supported, 2 not measurable (decision: 4 supported, 1 not measurable; perception: "
        "4 supported, 1 not measurable; between tasks: 1 supported)")
    # H3: two reversed latent claims per task against one supported (and the fixture's
    # not supported noise claims)
    assert hyps.loc["H3", "verdict"] == MIXED
    assert hyps.loc["H3", "notes"].startswith("2 supported, 4 not supported, 4 reversed")
    page = hypotheses_html(table)
    assert '<td class="no">reversed</td>' in page
    assert '<td class="open">not measurable</td>' in page
    unknown = latent.assign(verdict=["maybe"] + list(latent["verdict"].iloc[1:]))
    with pytest.raises(ValueError, match="verdict outside"):
        hypotheses_table({**tables, "latent_claims": unknown})


def test_table_has_every_claim_and_a_verdict_on_each_hypothesis(tables):
    table = hypotheses_table(tables)
    claims = table[table["row"] == "claim"]
    expected_claims = pd.concat(tables.values())["claim"]
    assert sorted(claims["claim"]) == sorted(expected_claims)
    assert set(claims["source"]) == set(tables)
    hyps = table[table["row"] == "hypothesis"]
    assert list(hyps["hypothesis"]) == ["H1", "H2", "H3", "H4"]
    # the slow-point findings that bear on no hypothesis come last
    n_slow = sum(CLAIM_HYPOTHESIS[key] is None for key in tables["slow_point_claims"]["key"])
    assert (table["source"].iloc[-n_slow:] == "slow_point_claims").all()
    assert (table["hypothesis"].iloc[-n_slow:] == "").all()
    assert dict(zip(hyps["hypothesis"], hyps["verdict"], strict=True)) == EXPECTED
    assert (table["verdict"].str.strip() != "").all() and table["verdict"].notna().all()
    # a hypothesis row counts its claims and the verdicts among them
    h2 = hyps.set_index("hypothesis").loc["H2"]
    n_h2 = int((claims["hypothesis"] == "H2").sum())
    assert h2["n"] == n_h2
    per_task = (n_h2 - 2) // 2
    assert h2["notes"] == (f"{n_h2 - 2} supported, 2 not supported (decision: {per_task} "
                           f"supported, 1 not supported; perception: {per_task} supported, "
                           "1 not supported)")
    assert math.isnan(h2["mean"]) and h2["section"] == "1 (evidence: 5.2)"
    # each hypothesis row comes right before its claims, in the claims tables' order
    assert list(table["row"].iloc[:2]) == ["hypothesis", "claim"]
    first = CLAIMS[0].text
    assert table["claim"].iloc[1] == f"decision: {first}"
    assert list(table.columns[3:]) == list(CLAIMS_COLUMNS)
    # claims are identified by key, task and state, never by their text
    assert table.loc[1, ["key", "task", "state"]].tolist() == [CLAIMS[0].key, "decision", ""]


def test_unmapped_claims_and_empty_verdicts_are_refused(tables):
    extra = claims_table([_row("decision: the network dreams", "6", "supported",
                               key="network_dreams", task="decision")])
    with pytest.raises(ValueError, match="'network_dreams' \\(decision: the network dreams\\)"):
        hypotheses_table({**tables, "dreams": extra})
    broken = tables["latent_claims"].copy()
    broken.loc[3, "verdict"] = ""
    with pytest.raises(ValueError, match="empty verdict"):
        hypotheses_table({**tables, "latent_claims": broken})
    with pytest.raises(ValueError, match="lacks column"):
        hypotheses_table({"latent_claims": broken.drop(columns="verdict")})


def test_robustness_columns_say_whether_each_verdict_holds(tables):
    same = dict(tables)
    flipped = {"connectivity_claims": connectivity_fixture(lambda key: "supported"),
               "latent_claims": tables["latent_claims"].iloc[1:]}
    table = hypotheses_table(tables, {"seeds100": same, "g0.8": flipped})
    assert (table["verdict_seeds100"] == table["verdict"]).all()
    shown = display_table(table)
    assert (shown["holds in seeds100"] == "yes").all()
    holds = dict(zip(table["claim"], shown["holds in g0.8"], strict=True))
    dropped = tables["latent_claims"]["claim"].iloc[0]
    assert holds[dropped] == "missing"
    assert table.loc[table["claim"] == dropped, "verdict_g0.8"].item() == ""
    low_rank = f"decision: {next(c for c in CLAIMS if c.key == 'dW_low_rank').text}"
    assert holds[low_rank] == "no (supported)"
    assert table.loc[table["claim"] == low_rank, "verdict_g0.8"].item() == "supported"
    assert holds[f"decision: {CLAIMS[0].text}"] == "yes"
    # H2 loses its one dissenting claim in the variant: mixed -> supported
    h2 = (table["row"] == "hypothesis") & (table["hypothesis"] == "H2")
    assert table.loc[h2, "verdict_g0.8"].item() == "supported"
    assert shown.loc[h2, "holds in g0.8"].item() == "no (supported)"


def test_robustness_summary_tells_flips_from_changes_at_the_margin():
    moves = [  # (main verdict, variant verdict, category)
        ("supported", "supported", "held"),
        ("not supported", "supported", "flipped"),
        ("supported", "reversed", "flipped"),
        ("inconclusive", "not supported", "strengthened"),
        ("not supported", "reversed", "strengthened"),
        ("supported", "inconclusive", "weakened"),
        ("reversed", "not supported", "weakened"),
        ("not supported", "inconclusive", "weakened"),
        ("supported", "not measurable", "unmeasurable"),
        ("not measurable", "inconclusive", "unmeasurable"),
        ("inconclusive", "", "missing"),
    ]
    table = pd.DataFrame({
        "row": ["hypothesis"] + ["claim"] * len(moves),
        "claim": [f"c{i}" for i in range(len(moves) + 1)],
        "verdict": [MIXED] + [m[0] for m in moves],
        # the hypothesis row's verdict is not a claim's and must not be counted
        "verdict_a": ["supported"] + [m[1] for m in moves],
    })
    table["verdict_b"] = table["verdict"]
    summary = robustness_summary(table)
    assert tuple(summary.columns) == ROBUSTNESS_COLUMNS
    summary = summary.set_index("variant")
    expected = {c: sum(m[2] == c for m in moves) for c in ROBUSTNESS_COLUMNS[2:]}
    assert summary.loc["a"].to_dict() == {"claims": len(moves), **expected}
    assert summary.loc["b", "held"] == len(moves) and summary.loc["b", "flipped"] == 0
    sentence = robustness_sentence(summary.reset_index())
    assert sentence.startswith(
        "a: 1 of 11 claim verdicts hold, 2 flip (supported against not supported, "
        "equivalent or reversed), 3 weaken, 2 strengthen, 2 change to or from not "
        "measurable, 1 missing.")
    assert "b: 11 of 11 claim verdicts hold, 0 flip" in sentence
    assert robustness_summary(table.drop(columns=["verdict_a", "verdict_b"])).empty


def test_rendering(tables):
    table = hypotheses_table(tables, {"g1.2": tables})
    shown = display_table(table)
    assert "holds in g1.2" in shown.columns and "mean [95% CI]" in shown.columns
    # verdict_<name> columns are the variants'; no claims column may look like one
    assert not any(c.startswith("verdict_") for c in CLAIMS_COLUMNS)
    assert [c for c in shown.columns if c.startswith("holds in")] == ["holds in g1.2"]
    assert robustness_summary(table)["variant"].tolist() == ["g1.2"]
    assert shown["mean [95% CI]"].iloc[1] == "0.5 [0.4, 0.6]"
    assert shown["mean [95% CI]"].iloc[0] == ""  # a hypothesis row has no estimate
    assert shown["H"].iloc[-1] == "-"  # a slow-point finding
    md = markdown_table(shown)
    assert md.count("\n| ") == len(table)  # one line per row after the header
    page = hypotheses_html(table, "Verdicts", "Intro <b>text</b>")
    assert page.startswith("<!DOCTYPE html>") and "Intro &lt;b&gt;text&lt;/b&gt;" in page
    assert page.count('<tr class="hypothesis">') == len(HYPOTHESES)
    assert '<td class="mixed">mixed</td>' in page


def test_a_latent_claim_whose_verdict_depends_on_the_drop_is_marked(tables):
    from rnn_hypotheses.claims.sensitivity import window_dependence

    latent = tables["latent_claims"]
    first = latent.iloc[0]
    other = latent.assign(verdict=np.where(latent.index == 0, "reversed", latent["verdict"]))
    stacked = pd.concat([latent.assign(drop_ms=1000.0), other.assign(drop_ms=0.0)])
    table = hypotheses_table(tables, window_dependence=window_dependence(stacked))
    marked = table[table["window_dependent"]]
    assert marked[["key", "task", "state"]].values.tolist() == [
        [first["key"], first["task"], first["state"]]]
    assert marked["notes"].iloc[0].endswith(
        f"window-dependent (0 ms: reversed; 1000 ms: {first['verdict']})")
    hypothesis = table[(table["row"] == "hypothesis")
                       & (table["hypothesis"] == marked["hypothesis"].iloc[0])]
    assert hypothesis["notes"].iloc[0].endswith("; 1 window-dependent claim(s)")
    assert not table.loc[table["source"] != "latent_claims", "window_dependent"].any()


def _null_run(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``tables`` with every claim's data leaning nowhere: p 0.97 in the claimed direction,
    0.06 in the other (an inconclusive verdict in any family)."""
    return {name: _with_verdicts(table, ["inconclusive"] * len(table)).assign(
        p_value=0.97, p_opposite=np.where(table["alternative"] == "two-sided", np.nan, 0.06))
        for name, table in tables.items()}


def _lone_rejection(latent: pd.DataFrame, p: float) -> pd.DataFrame:
    """``latent`` with its first claim at ``p`` in the claimed direction, which its table
    alone calls supported."""
    out = latent.copy()
    out.loc[0, ["p_value", "p_opposite", "p_adjusted", "verdict"]] = [p, 0.97, p, "supported"]
    return out


def test_the_hypotheses_table_decides_verdicts_on_the_run_wide_adjusted_p(tables):
    run = _null_run(tables)
    run["latent_claims"] = _lone_rejection(run["latent_claims"], 0.04)
    table = hypotheses_table(run)
    claims = table[table["row"] == "claim"]
    lone = claims[(claims["key"] == run["latent_claims"]["key"].iloc[0])
                  & (claims["task"] == run["latent_claims"]["task"].iloc[0])].iloc[0]
    # raw p 0.04 among many claims near 1: not a discovery once adjusted across the run
    assert lone["verdict"] == "inconclusive"
    assert lone["p_value"] == 0.04 and lone["p_adjusted"] >= 0.06
    assert "rejects only before the BH adjustment" in lone["reason"]
    assert lone["notes"].endswith(f"verdict in latent_claims: supported (family: {UNADJUSTED})")
    # the family is stated: every claim of the three tables, each claim one test
    family = ("run: every claim of connectivity_claims, latent_claims, slow_point_claims "
              f"({len(claims)} tests)")
    assert (claims["p_family"] == family).all()
    assert (claims["p_adjusted"] >= claims[["p_value", "p_opposite"]].min(axis=1)).all()
    hyps = table[table["row"] == "hypothesis"].set_index("hypothesis")
    assert hyps.loc["H1", "verdict"] == "inconclusive"
    shown = display_table(table)
    assert {"effect [95% CI]", "p adjusted"} <= set(shown.columns)
    assert shown.loc[lone.name, "p adjusted"] == f"{lone['p_adjusted']:.3g}"
    assert shown.loc[lone.name, "notes"].startswith("the test in the claimed direction rejects "
                                                    "only before the BH adjustment")
    assert shown.loc[lone.name, "effect [95% CI]"] == "Cohen's d_z 2 [1, 3]"
    # p 0.01: inconclusive among null claims, supported among the fixture's discoveries
    # (about half of its claims: 0.01 m / rank stays below 0.05)
    null = hypotheses_table({**run, "latent_claims": _lone_rejection(run["latent_claims"],
                                                                      0.01)})
    assert null.loc[lone.name, "verdict"] == "inconclusive"
    strong = hypotheses_table({**tables, "latent_claims": _lone_rejection(
        tables["latent_claims"], 0.01)})
    assert strong.loc[lone.name, "verdict"] == "supported"


def test_each_robustness_variant_is_a_family_of_its_own(tables):
    run = _null_run(tables)
    lone = {**run, "latent_claims": _lone_rejection(run["latent_claims"], 0.01)}
    with_strong = {**tables, "latent_claims": _lone_rejection(tables["latent_claims"], 0.01)}
    table = hypotheses_table(lone, {"strong": with_strong})
    first_claim = table.index[(table["row"] == "claim") & (table["source"] == "latent_claims")][0]
    assert table.loc[first_claim, "verdict"] == "inconclusive"
    assert table.loc[first_claim, "verdict_strong"] == "supported"


def test_sensitivity_drops_are_decided_as_their_runs(tables):
    from rnn_hypotheses.claims.sensitivity import window_dependence
    from rnn_hypotheses.hypotheses import run_sensitivity

    run = _null_run(tables)
    # p 0.002: among null claims (the run's own drop) inconclusive; at drop 0, where the
    # other latent claims are discoveries, supported
    main = _lone_rejection(run["latent_claims"], 0.002)
    early = _lone_rejection(tables["latent_claims"], 0.002)
    stacked = pd.concat([early.assign(drop_ms=0.0), main.assign(drop_ms=1000.0)],
                        ignore_index=True)
    decided = run_sensitivity({**run, "latent_claims": main}, stacked)
    assert list(decided.columns) == list(stacked.columns) and decided.index.equals(stacked.index)
    first = decided[(decided["key"] == main["key"].iloc[0])
                    & (decided["task"] == main["task"].iloc[0])]
    assert first["verdict"].tolist() == ["supported", "inconclusive"]
    assert first["p_family"].iloc[1].startswith("run with latent_claims at drop 1000 ms: every "
                                                "claim of connectivity_claims, latent_claims")
    # the run's own drop gets the hypotheses table's verdict, for every latent claim
    table = hypotheses_table({**run, "latent_claims": main},
                             window_dependence=window_dependence(decided))
    at_main = decided[decided["drop_ms"] == 1000.0].set_index(["key", "task", "state"])
    claims = table[table["source"] == "latent_claims"].set_index(["key", "task", "state"])
    assert claims["verdict"].equals(at_main.loc[claims.index, "verdict"])
    lone = table[(table["key"] == main["key"].iloc[0]) & (table["task"] == main["task"].iloc[0])]
    assert lone["window_dependent"].item() and lone["notes"].item().endswith(
        "window-dependent (0 ms: supported; 1000 ms: inconclusive)")


def test_equivalent_claims_pass_through_the_table(tables):
    slow = tables["slow_point_claims"]
    counts = slow["key"].isin(["slow_fixed_points_change", "slow_regions_change"])
    slow = _with_verdicts(slow, np.where(counts, "equivalent", slow["verdict"]))
    table = hypotheses_table({**tables, "slow_point_claims": slow})
    rows = table[table["key"].isin(["slow_fixed_points_change", "slow_regions_change"])]
    assert (rows["verdict"] == "equivalent").all() and len(rows) == 4
    assert rows["reason"].str.startswith("equivalence test (TOST) rejects").all()
    page = hypotheses_html(table)
    assert '<td class="no">equivalent</td>' in page
    assert aggregate_verdict(["equivalent"] * 2) == "equivalent"
    assert aggregate_verdict(["equivalent", "reversed", "not supported"]) == "not supported"
    assert aggregate_verdict(["equivalent", "supported"]) == MIXED
    assert aggregate_verdict(["equivalent", "not measurable"]) == "equivalent"


def test_robustness_counts_equivalent_as_against_the_claim():
    moves = [("supported", "equivalent", "flipped"), ("equivalent", "supported", "flipped"),
             ("equivalent", "inconclusive", "weakened"),
             ("not supported", "equivalent", "strengthened"),
             ("reversed", "equivalent", "weakened"), ("equivalent", "equivalent", "held")]
    table = pd.DataFrame({"row": ["claim"] * len(moves), "claim": [f"c{i}" for i in range(6)],
                          "verdict": [m[0] for m in moves], "verdict_a": [m[1] for m in moves]})
    summary = robustness_summary(table).set_index("variant").loc["a"]
    for category in ("flipped", "weakened", "strengthened", "held"):
        assert summary[category] == sum(m[2] == category for m in moves), category


def test_subsample_verdicts_stand_beside_the_runs(tables):
    """The first n networks are a run of their own (own BH family); each claim's verdict
    there and how it moved with all networks stand beside the run's verdict."""
    from rnn_hypotheses.hypotheses import subsample_change

    run = _null_run(tables)
    small = {**run, "latent_claims": _lone_rejection(run["latent_claims"], 1e-6)}
    table = hypotheses_table(tables, subsamples={10: small})
    claims = table[table["row"] == "claim"]
    assert (claims["at_n10"] != "").all()
    # every claim of the fixtures is decided at n = 100; at n = 10 all are inconclusive
    # but the lone rejection
    moved = claims[claims["at_n10"] == "inconclusive"]
    assert set(moved["from_n10"]) <= {"firmed", "stayed inconclusive"}
    assert (moved["from_n10"] == "firmed").sum() == (moved["verdict"] != "inconclusive").sum()
    shown = display_table(table)
    assert list(shown.columns[-4:]) == ["verdict at n = 10", "from n = 10", "verdict", "notes"]
    assert subsample_change("supported", "reversed") == "flipped"
    assert subsample_change("not supported", "reversed") == "firmed"
    assert subsample_change("supported", "inconclusive") == "weakened"
    assert subsample_change("inconclusive", "inconclusive") == "stayed inconclusive"
    assert subsample_change("supported", "supported") == "same"
    assert subsample_change("supported", MIXED) == "changed"
    assert subsample_change("not measurable", "supported") == "unmeasurable"
