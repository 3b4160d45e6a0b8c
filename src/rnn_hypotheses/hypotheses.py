"""The report's hypotheses and the verdict on each, from the workflow's claims tables.

Section 1 of the report names four headline hypotheses; sections 5.1-5.3 (and the
supplementary analyses) state the claims behind them, and each claims table
(connectivity, latent space, ...) tests some of those claims. This module holds
the one explicit mapping from claim to hypothesis, :data:`CLAIM_HYPOTHESIS`, and
builds the hypotheses table: every claim row, grouped under the hypothesis it
bears on, plus one row per hypothesis whose verdict sums up its claims'.

A hypothesis takes the verdict its claims agree on (:func:`aggregate_verdict`:
claims that are ``not measurable`` are set aside; claims that are all against it,
some ``reversed`` and some ``not supported``, make it ``not supported``); otherwise
it is ``mixed``. Its notes count the verdicts.

Robustness variants (other seeds, other gains) produce claims tables of their
own; :func:`hypotheses_table` adds one column per variant saying whether each
row's verdict holds there.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .analysis.stats import CLAIMS_COLUMNS, VERDICTS
from .htmlpage import html_page, html_paragraph, html_table

__all__ = [
    "CLAIM_HYPOTHESIS",
    "HYPOTHESES",
    "Hypothesis",
    "MIXED",
    "ROBUSTNESS_COLUMNS",
    "VERDICTS",
    "aggregate_verdict",
    "display_table",
    "hypotheses_html",
    "hypotheses_table",
    "holds_text",
    "robustness_sentence",
    "robustness_summary",
    "variant_verdicts",
]

MIXED = "mixed"
"""The verdict of a hypothesis whose claims' verdicts disagree."""

_AGAINST = frozenset({"not supported", "reversed"})


@dataclass(frozen=True)
class Hypothesis:
    """One headline hypothesis of the report's section 1.

    Attributes
    ----------
    key : str
        Identifier used by :data:`CLAIM_HYPOTHESIS`.
    label : str
        Short label in the table, ``"H1"`` ... ``"H4"`` in the report's order.
    text : str
        The hypothesis in words.
    sections : str
        Where the report gives its evidence.
    """

    key: str
    label: str
    text: str
    sections: str


HYPOTHESES: tuple[Hypothesis, ...] = (
    Hypothesis("nonlinearity", "H1", "Training increases the non-linearity of the dynamics",
               "5.1"),
    Hypothesis("subtle_changes", "H2", "The trained weights differ little from the random "
               "initial ones, but the few differences change relevant measures a lot", "5.2"),
    Hypothesis("away_from_readout", "H3", "The dynamics of the computation move away from the "
               "readout direction", "5.3"),
    Hypothesis("dca_unique", "H4", "Maximally predictive (DCA) latent spaces are mostly unique",
               "S3"),
)
"""The four headline hypotheses, in the report's order."""

CLAIM_HYPOTHESIS: dict[str, str | None] = {
    # section 5.1: the network exploits the ReLU more after training
    "mean_weight_decreases": "nonlinearity",
    "mean_weight_negative": "nonlinearity",
    "decision_decrease_larger": "nonlinearity",
    "pi_relu": "nonlinearity",
    "pi_linear": "nonlinearity",
    "pi_gap_grows": "nonlinearity",
    # section 5.2: small, low-rank change with large effects
    "few_weights_change": "subtle_changes",
    "few_eigenvalues_grow": "subtle_changes",
    "dW_low_rank": "subtle_changes",
    "centrality_reshuffled": "subtle_changes",
    "centrality_l_shape": "subtle_changes",
    "nonnormality_increases_2norm": "subtle_changes",
    "nonnormality_increases_henrici": "subtle_changes",
    "nonnormality_increases_relative": "subtle_changes",
    "prepost_orthogonal": "subtle_changes",
    # the report reads "condition subspaces stay aligned" as part of the same picture:
    # training moved both latent spaces together
    "conditions_unchanged": "subtle_changes",
    # section 5.3
    "readout_dca_away": "away_from_readout",
    "readout_pca_away": "away_from_readout",
    "dca_beyond_pca": "away_from_readout",
    # section 1, fourth hypothesis (tested per state, Figure S3)
    "dca_unique": "dca_unique",
    # section 6: the slow-point programme the report proposes; its questions (task
    # complexity, input modulation, reversibility) are none of the four hypotheses
    "slow_more_fixed_points_decision": None,
    "slow_more_saddles_decision": None,
    "slow_fixed_points_change": None,
    "slow_regions_change": None,
    "slow_inputs_move_slowest_mode": None,
    "slow_slowest_mode_slows": None,
    # the third hypothesis as the report means it: noise at the fixed points is output-null
    "noise_output_null": "away_from_readout",
    "noise_output_null_grows": "away_from_readout",
}
"""Claim key -> the key of the hypothesis it bears on (``None``: a finding of its own).

The single place that decides which hypothesis a claim is evidence for. Claim
keys are the ``key`` column of every claims table (those of
:data:`.analysis.training_change.CLAIMS`, :data:`.analysis.latent.LATENT_CLAIMS`
and :func:`.analysis.slowpoint_analysis.slow_point_claims`); a row whose key is
not here is rejected by :func:`hypotheses_table`.
"""

def aggregate_verdict(verdicts: Sequence[str]) -> str:
    """One verdict from several claims' (each one of :data:`VERDICTS`).

    Rules, in order:

    1. ``"inconclusive"`` for no verdicts at all; ``"not measurable"`` if every
       claim is not measurable.
    2. Claims that are ``"not measurable"`` carry no evidence either way and are set
       aside (the hypothesis's notes still count them).
    3. The common verdict if the rest agree (``"reversed"`` if every one is
       reversed).
    4. ``"not supported"`` if the rest all go against the hypothesis, some
       ``"reversed"`` and some ``"not supported"``.
    5. :data:`MIXED` otherwise.

    Parameters
    ----------
    verdicts : sequence of str

    Returns
    -------
    str
    """
    distinct = set(verdicts)
    if not distinct:
        return "inconclusive"
    if distinct == {"not measurable"}:
        return "not measurable"
    distinct.discard("not measurable")
    if len(distinct) == 1:
        return distinct.pop()
    return "not supported" if distinct <= _AGAINST else MIXED


def _counts(verdicts: Sequence[str]) -> str:
    parts = [f"{sum(v == name for v in verdicts)} {name}" for name in VERDICTS]
    return ", ".join(p for p in parts if not p.startswith("0 "))


def _verdict_notes(claims: pd.DataFrame) -> str:
    """Counts of a hypothesis's verdicts, and per task where its claims span several."""
    if claims.empty:
        return "no claim of this hypothesis was tested"
    text = _counts(list(claims["verdict"]))
    tasks = list(claims["task"])
    if len(set(tasks)) > 1:
        # a mixed verdict often splits along the tasks; say so
        parts = [f"{task or 'between tasks'}: "
                 + _counts([v for v, t in zip(claims["verdict"], tasks, strict=True)
                            if t == task])
                 for task in dict.fromkeys(sorted(tasks, key=lambda t: (t == "", t)))]
        text += " (" + "; ".join(parts) + ")"
    return text


def _claims_rows(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Concatenate claims tables, tagging each row with its source and hypothesis."""
    frames = []
    unknown: list[str] = []
    for name, frame in tables.items():
        missing = [c for c in CLAIMS_COLUMNS if c not in frame.columns]
        if missing:
            raise ValueError(f"claims table {name!r} lacks column(s) {missing}")
        part = frame[list(CLAIMS_COLUMNS)].copy()
        unknown += [f"{name}: {k!r} ({c})" for c, k in zip(part["claim"], part["key"],
                                                         strict=True)
                    if k not in CLAIM_HYPOTHESIS]
        part.insert(0, "source", name)
        frames.append(part)
    if unknown:
        raise ValueError("claims without a hypothesis in rnn_hypotheses.hypotheses."
                         "CLAIM_HYPOTHESIS (add their keys there): " + "; ".join(unknown))
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["source", *CLAIMS_COLUMNS])
    rows["hypothesis"] = [CLAIM_HYPOTHESIS[k] for k in rows["key"]]
    empty = rows["verdict"].isna() | (rows["verdict"].astype(str).str.strip() == "")
    if empty.any():
        raise ValueError("claims with an empty verdict: "
                         + "; ".join(rows.loc[empty, "claim"].astype(str)))
    bad = ~rows["verdict"].isin(VERDICTS)
    if bad.any():
        raise ValueError("claims with a verdict outside "
                         f"{VERDICTS}: " + "; ".join(rows.loc[bad, "claim"].astype(str)))
    twice = rows.duplicated(["key", "task", "state"])
    if twice.any():
        raise ValueError("claims appear twice (same key, task and state): "
                         + "; ".join(rows.loc[twice, "claim"]))
    return rows


def _grouped(rows: pd.DataFrame) -> pd.DataFrame:
    """Hypothesis rows followed by their claims, in the report's order."""
    out = []
    for hyp in HYPOTHESES:
        mine = rows[rows["hypothesis"] == hyp.key]
        verdicts = list(mine["verdict"])
        out.append({
            "row": "hypothesis", "hypothesis": hyp.label, "source": "", "key": hyp.key,
            "task": "", "state": "", "claim": hyp.text,
            "section": f"1 (evidence: {hyp.sections})",
            "statistic": f"agreement of the verdicts of its {len(verdicts)} claims",
            "n": len(verdicts), "mean": math.nan, "ci_low": math.nan, "ci_high": math.nan,
            "test": "", "p_value": math.nan, "verdict": aggregate_verdict(verdicts),
            "notes": _verdict_notes(mine),
        })
        out += [{"row": "claim", "hypothesis": hyp.label, **r}
                for r in mine.drop(columns=["hypothesis"]).to_dict("records")]
    # findings that bear on no headline hypothesis (the slow-point programme), last
    loose = rows[rows["hypothesis"].isna()]
    out += [{"row": "claim", "hypothesis": "", **r}
            for r in loose.drop(columns=["hypothesis"]).to_dict("records")]
    table = pd.DataFrame(out, columns=["row", "hypothesis", "source", *CLAIMS_COLUMNS])
    return table.astype({"n": "int64", "mean": "float64", "ci_low": "float64",
                         "ci_high": "float64", "p_value": "float64"})


def variant_verdicts(main: pd.DataFrame, variant: pd.DataFrame) -> list[str]:
    """The verdict each row of ``main`` has in ``variant``, matched on (``row``, ``key``,
    ``task``, ``state``): a hypothesis by its key, a claim by its key, task and state.

    Parameters
    ----------
    main, variant : DataFrame
        Hypotheses tables without robustness columns.

    Returns
    -------
    list of str
        The variant's verdict, or ``""`` where the variant lacks the row.
    """
    identity = ["row", "key", "task", "state"]
    lookup = dict(zip(map(tuple, variant[identity].to_numpy()), variant["verdict"], strict=True))
    return [lookup.get(tuple(row), "") for row in main[identity].to_numpy()]


def holds_text(verdict: str, variant_verdict: str) -> str:
    """``"yes"`` where the verdicts agree, ``"no (<variant verdict>)"``, or ``"missing"``."""
    if not variant_verdict:
        return "missing"
    return "yes" if variant_verdict == verdict else f"no ({variant_verdict})"


# how far a verdict leans for (+) or against (-) its claim; "not measurable" has no lean
_LEAN = {"supported": 1, "inconclusive": 0, "not supported": -1, "reversed": -2}

ROBUSTNESS_COLUMNS = ("variant", "claims", "held", "flipped", "weakened", "strengthened",
                      "unmeasurable", "missing")
"""Columns of :func:`robustness_summary`."""


def _change(verdict: str, other: str) -> str:
    """The :func:`robustness_summary` category of a verdict that is ``other`` in a variant."""
    if not other:
        return "missing"
    if other == verdict:
        return "held"
    if "not measurable" in (verdict, other):
        return "unmeasurable"
    lean, lean_other = _LEAN[verdict], _LEAN[other]
    if lean * lean_other < 0:
        return "flipped"
    return "weakened" if abs(lean_other) < abs(lean) else "strengthened"


def robustness_summary(table: pd.DataFrame) -> pd.DataFrame:
    """How the claims' verdicts fare in each robustness variant.

    A verdict that changes between supported and not supported or reversed flips,
    far stronger evidence against robustness than one that moves to or from
    inconclusive (a p value crossing alpha with 10 networks), or between not
    supported and reversed.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`hypotheses_table` with ``verdict_<variant>`` columns.

    Returns
    -------
    DataFrame with :data:`ROBUSTNESS_COLUMNS`
        One row per variant: ``variant``, ``claims`` (claim rows), ``held``,
        ``flipped`` (supported <-> not supported or reversed), ``weakened``
        (towards inconclusive: supported, not supported or reversed ->
        inconclusive, reversed -> not supported), ``strengthened`` (the reverse
        moves), ``unmeasurable`` (to or from not measurable) and ``missing``; the
        last six sum to ``claims``.
    """
    claims = table[table["row"] == "claim"]
    out = []
    for column in (c for c in table.columns if c.startswith("verdict_")):
        counts = dict.fromkeys(ROBUSTNESS_COLUMNS[2:], 0)
        for verdict, other in zip(claims["verdict"], claims[column], strict=True):
            counts[_change(verdict, other)] += 1
        out.append({"variant": column.removeprefix("verdict_"), "claims": len(claims),
                    **counts})
    return pd.DataFrame(out, columns=list(ROBUSTNESS_COLUMNS))


def robustness_sentence(summary: pd.DataFrame) -> str:
    """One sentence per variant of :func:`robustness_summary`, for the table's intro."""
    return " ".join(
        f"{r.variant}: {r.held} of {r.claims} claim verdicts hold, {r.flipped} flip "
        f"(supported against not supported or reversed), {r.weakened} weaken, "
        f"{r.strengthened} strengthen"
        + (f", {r.unmeasurable} change to or from not measurable" if r.unmeasurable else "")
        + (f", {r.missing} missing." if r.missing else ".")
        for r in summary.itertuples())


def hypotheses_table(
    tables: Mapping[str, pd.DataFrame],
    variants: Mapping[str, Mapping[str, pd.DataFrame]] | None = None,
    window_dependence: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The hypotheses table: each hypothesis, then the claims bearing on it.

    Parameters
    ----------
    tables : mapping
        Claims table name -> table with :data:`.analysis.stats.CLAIMS_COLUMNS`,
        in the order their rows should appear within a hypothesis.
    variants : mapping, optional
        Robustness variant name -> its claims tables (same names as ``tables``).
    window_dependence : DataFrame, optional
        :func:`.claims.sensitivity.window_dependence` of the latent claims: ``key``,
        ``task``, ``state``, ``window_dependent``, ``verdicts``.

    Returns
    -------
    DataFrame
        ``row`` (``"hypothesis"`` or ``"claim"``), ``hypothesis`` (``"H1"``... or
        empty for findings that bear on none), ``source`` (the claims table), then
        :data:`.analysis.stats.CLAIMS_COLUMNS`, then ``verdict_<variant>`` per variant
        (its verdict there; ``""`` where the variant lacks the row), then, with
        ``window_dependence``, ``window_dependent`` (True for a latent claim whose
        verdict changes with the transient left out; the notes then list its verdict at
        each drop; a hypothesis's notes count such claims).

    Raises
    ------
    ValueError
        If a claim has no entry in :data:`CLAIM_HYPOTHESIS`, an empty or unknown
        verdict, or appears twice.
    """
    table = _grouped(_claims_rows(tables))
    for name, variant_tables in (variants or {}).items():
        other = _grouped(_claims_rows(variant_tables))
        table[f"verdict_{name}"] = variant_verdicts(table, other)
    if window_dependence is not None:
        table = _mark_window_dependence(table, window_dependence)
    return table


def _mark_window_dependence(table: pd.DataFrame, dependence: pd.DataFrame) -> pd.DataFrame:
    keys = ["key", "task", "state"]
    found = table.merge(dependence[[*keys, "window_dependent", "verdicts"]], on=keys,
                        how="left", validate="many_to_one")
    dependent = (table["row"] == "claim") & found["window_dependent"].eq(True)
    table = table.assign(window_dependent=dependent.to_numpy())
    for k in np.flatnonzero(dependent):
        table.loc[k, "notes"] = "; ".join(
            part for part in (table.loc[k, "notes"],
                              f"window-dependent ({found.loc[k, 'verdicts']})") if part)
    counts = table[dependent].groupby("hypothesis").size()
    for k in np.flatnonzero(table["row"] == "hypothesis"):
        count = int(counts.get(table.loc[k, "hypothesis"], 0))
        if count:
            table.loc[k, "notes"] = (f"{table.loc[k, 'notes']}; {count} window-dependent "
                                     "claim(s)")
    return table


# ----------------------------------------------------------------------------- rendering


def _number(x: float) -> str:
    return "" if x is None or not math.isfinite(x) else f"{x:.3g}"


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The hypotheses table as text, for markdown and HTML.

    The estimate and its interval become one ``mean [95% CI]`` column; p-values
    get three significant digits.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`hypotheses_table`.

    Returns
    -------
    DataFrame of strings.
    """
    estimate = [
        "" if not math.isfinite(m) else f"{m:.3g} [{_number(lo)}, {_number(hi)}]"
        for m, lo, hi in zip(table["mean"], table["ci_low"], table["ci_high"], strict=True)
    ]
    out = pd.DataFrame({
        # a finding outside the four hypotheses (section 6) is marked by a dash
        "H": table["hypothesis"].replace("", "-"),
        "hypothesis or claim": table["claim"],
        "section": table["section"],
        "statistic": table["statistic"],
        "mean [95% CI]": estimate,
        "test": table["test"],
        "p": [_number(p) for p in table["p_value"]],
        "n": table["n"].astype(str),
        "verdict": table["verdict"],
    })
    for column in table.columns:
        if column.startswith("verdict_"):
            out[column.replace("verdict_", "holds in ")] = [
                holds_text(v, other) for v, other in zip(table["verdict"], table[column],
                                                         strict=True)]
    out["notes"] = table["notes"]
    return out


_VERDICT_CLASS = {"supported": "yes", "not supported": "no", "reversed": "no",
                  "inconclusive": "open", "not measurable": "open", MIXED: "mixed"}


def _cell_class(column: str, value: str) -> str:
    """CSS class of a cell: verdicts and robustness flags are coloured."""
    if column == "verdict":
        return _VERDICT_CLASS.get(value, "")
    if column.startswith("holds in "):
        return {"yes": "yes", "missing": "open"}.get(value, "no")
    return ""


def hypotheses_html(table: pd.DataFrame, title: str = "Hypotheses and verdicts",
                    intro: str = "") -> str:
    """A self-contained HTML page of the hypotheses table (for the Snakemake report).

    Parameters
    ----------
    table : DataFrame
        Output of :func:`hypotheses_table`.
    title : str
    intro : str
        A paragraph of plain text above the table.

    Returns
    -------
    str
    """
    shown = display_table(table)
    body = html_table(shown, row_classes=list(table["row"]), cell_class=_cell_class)
    return html_page(title, [html_paragraph(intro), body] if intro else [body])
