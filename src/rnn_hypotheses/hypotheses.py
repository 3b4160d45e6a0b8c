"""The report's hypotheses and the verdict on each, from the workflow's claims tables.

Section 1 of the report names four headline hypotheses; sections 5.1-5.3 (and the
supplementary analyses) state the claims behind them, and each claims table
(connectivity, latent space, ...) tests some of those claims. This module holds
the one explicit mapping from claim to hypothesis, :data:`CLAIM_HYPOTHESIS`, and
builds the hypotheses table: every claim row, grouped under the hypothesis it
bears on, plus one row per hypothesis whose verdict sums up its claims'.

The claims' verdicts in this table rest on p-values adjusted across every claim
of the run (Benjamini & Hochberg 1995, :func:`.analysis.stats.adjust_claims`): the
family is all the claims tables it gathers, while each claims table, written by its
own job, adjusts over itself. Where the two families give a claim different
verdicts, its notes give the claims table's. A hypothesis takes the verdict its
claims agree on (:func:`aggregate_verdict`: claims that are ``not measurable`` are
set aside; claims that are all against it, some ``reversed``, ``not supported`` or
``equivalent``, make it ``not supported``); otherwise it is ``mixed``. Its notes
count the verdicts.

Robustness variants (other seeds, other gains) produce claims tables of their
own, each variant a run and a family of its own; :func:`hypotheses_table` adds one
column per variant saying whether each row's verdict holds there. The latent
claims' reruns at other drops are runs too (:func:`run_sensitivity`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .analysis.stats import CLAIMS_COLUMNS, VERDICTS, adjust_claims
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
    "run_family",
    "run_sensitivity",
    "variant_verdicts",
]

MIXED = "mixed"
"""The verdict of a hypothesis whose claims' verdicts disagree."""

# "equivalent" answers a claim of change (or of a difference) with "none beyond the
# margin": evidence against the claim, as the other two are
_AGAINST = frozenset({"not supported", "reversed", "equivalent"})


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
    # section 6, question 2 again, along the complexity sweep's input dimensions
    "complexity_fixed_grows": None,
    "complexity_stable_grows": None,
    "complexity_saddle_grows": None,
    "complexity_slow_grows": None,
    # the decision networks' topology (issue 15): two attractors and a saddle
    "topology_bistable": None,
    # section 6, question 7: linear models fitted near the stable points
    "linear_model_departs": None,
    "linear_model_reach": None,
    # section 6, question 5: predictive information of the linearised dynamics
    "predictive_information_consistent": None,
    "predictive_information_orders_dimension": None,
    # section 6, question 4: structured initial networks train faster?
    "init_fewer_steps": None,
    "init_more_stable_points": None,
    # section 6, question 1: are slow regions re-used across tasks?
    "reuse_points_same_init": None,
    "reuse_points_chance": None,
    "reuse_weights_same_init": None,
    "reuse_weights_chance": None,
    "reuse_multitask": None,
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
       reversed, ``"equivalent"`` if every one is equivalent).
    4. ``"not supported"`` if the rest all go against the hypothesis in different
       ways: ``"reversed"``, ``"not supported"`` or ``"equivalent"`` (a claimed change
       shown absent).
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


def run_family(names: Sequence[str], run: str = "run") -> str:
    """The family of a run's BH adjustment, in words: every claim of its claims tables."""
    return f"{run}: every claim of {', '.join(names)}"


def _run_adjusted(rows: pd.DataFrame, family: str) -> pd.DataFrame:
    """Claims rows with their verdicts decided on p-values adjusted over ``family``.

    A claim whose verdict differs from its claims table's (adjusted over that table
    alone) says so in its notes, with the table's family.
    """
    adjusted = adjust_claims(rows, family)
    changed = adjusted["verdict"].to_numpy() != rows["verdict"].to_numpy()
    for k in np.flatnonzero(changed):
        own = (f"verdict in {rows['source'].iat[k]}: {rows['verdict'].iat[k]} "
               f"(family: {rows['p_family'].iat[k]})")
        notes = adjusted["notes"].iat[k]
        adjusted.iat[k, adjusted.columns.get_loc("notes")] = f"{notes}; {own}" if notes else own
    return adjusted


def run_sensitivity(tables: Mapping[str, pd.DataFrame], sensitivity: pd.DataFrame,
                    source: str = "latent_claims") -> pd.DataFrame:
    """The sensitivity reruns' verdicts as the run at each drop would give them.

    Each drop of ``sensitivity`` is the run whose ``source`` claims are that drop's: its
    family for the adjustment is ``tables`` with ``source`` replaced by the drop's
    rows, so that a verdict at the run's own drop is decided as the hypotheses table
    decides it, and window dependence compares like with like.

    Parameters
    ----------
    tables : mapping
        The run's claims tables (as :func:`hypotheses_table` takes them).
    sensitivity : DataFrame
        ``drop_ms`` and :data:`.analysis.stats.CLAIMS_COLUMNS`, one block of ``source``'s
        claims per drop (tables/latent_sensitivity).
    source : str
        The name in ``tables`` that the drops replace.

    Returns
    -------
    ``sensitivity`` (same rows, order and columns) with ``p_adjusted``,
    ``p_equivalence_adjusted``, ``p_family``, ``verdict`` and ``reason`` of the run
    at each drop.
    """
    decided = sensitivity.copy()
    replaced = ["p_adjusted", "p_equivalence_adjusted", "p_family", "verdict", "reason"]
    for drop, part in sensitivity.groupby("drop_ms", sort=True):
        run = {**tables, source: part[list(CLAIMS_COLUMNS)]}
        rows = adjust_claims(_claims_rows(run), run_family(
            list(run), f"run with {source} at drop {drop:g} ms"))
        mine = rows[rows["source"] == source]
        decided.loc[part.index, replaced] = mine[replaced].to_numpy()
    return decided


_FLOATS = ("mean", "ci_low", "ci_high", "effect", "effect_low", "effect_high", "reference",
           "p_value", "p_opposite", "equivalence_margin", "p_equivalence", "p_adjusted",
           "p_equivalence_adjusted")
# a hypothesis row has no estimate, test or p-value of its own
_NO_ESTIMATE = {**dict.fromkeys(_FLOATS, math.nan), "effect_size": "", "test": "",
                "alternative": "", "p_family": "", "reason": ""}


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
            "n": len(verdicts), **_NO_ESTIMATE, "verdict": aggregate_verdict(verdicts),
            "notes": _verdict_notes(mine),
        })
        out += [{"row": "claim", "hypothesis": hyp.label, **r}
                for r in mine.drop(columns=["hypothesis"]).to_dict("records")]
    # findings that bear on no headline hypothesis (the slow-point programme), last
    loose = rows[rows["hypothesis"].isna()]
    out += [{"row": "claim", "hypothesis": "", **r}
            for r in loose.drop(columns=["hypothesis"]).to_dict("records")]
    table = pd.DataFrame(out, columns=["row", "hypothesis", "source", *CLAIMS_COLUMNS])
    return table.astype({"n": "int64", **dict.fromkeys(_FLOATS, "float64")})


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


# how far a verdict leans for (+) or against (-) its claim; "not measurable" has no lean.
# Against it: an interval on the other side (not supported) is weaker than a test
# showing the change absent within its margin (equivalent), which is weaker than a test
# showing the opposite change (reversed).
_LEAN = {"supported": 1, "inconclusive": 0, "not supported": -1, "equivalent": -1.5,
         "reversed": -2}

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

    A verdict that changes between supported and not supported, equivalent or reversed
    flips, far stronger evidence against robustness than one that moves to or from
    inconclusive (a p value crossing alpha with 10 networks), or between two verdicts
    against the claim (not supported < equivalent < reversed in strength).

    Parameters
    ----------
    table : DataFrame
        Output of :func:`hypotheses_table` with ``verdict_<variant>`` columns.

    Returns
    -------
    DataFrame with :data:`ROBUSTNESS_COLUMNS`
        One row per variant: ``variant``, ``claims`` (claim rows), ``held``,
        ``flipped`` (supported <-> not supported, equivalent or reversed),
        ``weakened`` (towards inconclusive: any verdict -> inconclusive, reversed ->
        equivalent or not supported, equivalent -> not supported), ``strengthened``
        (the reverse moves), ``unmeasurable`` (to or from not measurable) and
        ``missing``; the last six sum to ``claims``.
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
        f"(supported against not supported, equivalent or reversed), {r.weakened} weaken, "
        f"{r.strengthened} strengthen"
        + (f", {r.unmeasurable} change to or from not measurable" if r.unmeasurable else "")
        + (f", {r.missing} missing." if r.missing else ".")
        for r in summary.itertuples())


def subsample_change(small: str, large: str) -> str:
    """How a claim's verdict at the first n networks of each task (``small``) moved with
    all of them (``large``): ``"firmed"`` (the same lean, stronger, e.g. inconclusive to
    supported or not supported to reversed), ``"flipped"`` (for the claim at one, against
    it at the other), ``"weakened"``, ``"same"``, ``"stayed inconclusive"``,
    ``"unmeasurable"`` (not measurable at one of them), ``"changed"`` (a hypothesis's
    aggregate verdict, such as mixed, that differs) or ``"missing"``."""
    if small != large and not {small, large} <= {*_LEAN, "not measurable"}:
        return "changed"  # a hypothesis's aggregate, e.g. mixed
    change = _change(small, large)
    if change == "held":
        return "stayed inconclusive" if small == "inconclusive" else "same"
    return {"strengthened": "firmed"}.get(change, change)


def hypotheses_table(
    tables: Mapping[str, pd.DataFrame],
    variants: Mapping[str, Mapping[str, pd.DataFrame]] | None = None,
    window_dependence: pd.DataFrame | None = None,
    subsamples: Mapping[int, Mapping[str, pd.DataFrame]] | None = None,
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
        :func:`.claims.sensitivity.window_dependence` of the latent claims (of
        :func:`run_sensitivity`, so that each drop's verdicts are its run's): ``key``,
        ``task``, ``state``, ``window_dependent``, ``verdicts``.

    Returns
    -------
    DataFrame
        ``row`` (``"hypothesis"`` or ``"claim"``), ``hypothesis`` (``"H1"``... or
        empty for findings that bear on none), ``source`` (the claims table), then
        :data:`.analysis.stats.CLAIMS_COLUMNS` with every claim's verdict decided on
        p-values adjusted across all claims of ``tables`` (:func:`run_family`, stated
        in ``p_family``; a verdict that differs from its claims table's says so in the
        notes), then ``verdict_<variant>`` per variant (its verdict there, adjusted
        across that variant's claims; ``""`` where the variant lacks the row), then, with
        ``window_dependence``, ``window_dependent`` (True for a latent claim whose
        verdict changes with the transient left out; the notes then list its verdict at
        each drop; a hypothesis's notes count such claims), then per subsample n,
        ``at_n<n>`` (the verdict of the claims tables built from the first n networks of
        each task, adjusted across their own claims) and ``from_n<n>``
        (:func:`subsample_change` from that verdict to the run's).
    subsamples : mapping, optional
        n -> the claims tables of the first n networks of each task (same names as
        ``tables``).

    Raises
    ------
    ValueError
        If a claim has no entry in :data:`CLAIM_HYPOTHESIS`, an empty or unknown
        verdict, or appears twice.
    """
    table = _decided(tables, "run")
    # each variant, and the first n networks, are a run of their own: their own family
    for name, variant_tables in (variants or {}).items():
        table[f"verdict_{name}"] = variant_verdicts(table,
                                                    _decided(variant_tables, f"run {name}"))
    if window_dependence is not None:
        table = _mark_window_dependence(table, window_dependence)
    for n, sub_tables in sorted((subsamples or {}).items()):
        table[f"at_n{n}"] = small = variant_verdicts(
            table, _decided(sub_tables, f"first {n} networks"))
        table[f"from_n{n}"] = [subsample_change(a, b) if a else "missing"
                               for a, b in zip(small, table["verdict"], strict=True)]
    return table


def _decided(tables: Mapping[str, pd.DataFrame], run: str) -> pd.DataFrame:
    """The claims of one run's tables, grouped by hypothesis, each verdict decided on
    p-values adjusted across the run (:func:`run_family`, named ``run``)."""
    return _grouped(_run_adjusted(_claims_rows(tables), run_family(list(tables), run)))


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

    The estimate and its interval become one ``mean [95% CI]`` column, the effect
    size one ``effect [95% CI]`` column (``"Cohen's d_z 1.2 [0.6, 2.1]"``); p-values
    get three significant digits, the BH-adjusted one (``p adjusted``) beside the raw
    one in the claimed direction; the notes start with the verdict's reason.

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
    effect = [
        "" if math.isnan(e) else f"{name} {e:.3g} [{lo:.3g}, {hi:.3g}]"
        for name, e, lo, hi in zip(table["effect_size"], table["effect"], table["effect_low"],
                                   table["effect_high"], strict=True)
    ]
    out = pd.DataFrame({
        # a finding outside the four hypotheses (section 6) is marked by a dash
        "H": table["hypothesis"].replace("", "-"),
        "hypothesis or claim": table["claim"],
        "section": table["section"],
        "statistic": table["statistic"],
        "mean [95% CI]": estimate,
        "effect [95% CI]": effect,
        "test": table["test"],
        "p": [_number(p) for p in table["p_value"]],
        "p adjusted": [_number(p) for p in table["p_adjusted"]],
        "n": table["n"].astype(str),
    })
    for column in table.columns:
        if column.startswith("at_n"):
            n = column.removeprefix("at_n")
            out[f"verdict at n = {n}"] = table[column]
            out[f"from n = {n}"] = table[f"from_n{n}"]
    out["verdict"] = table["verdict"]
    for column in table.columns:
        if column.startswith("verdict_"):
            out[column.replace("verdict_", "holds in ")] = [
                holds_text(v, other) for v, other in zip(table["verdict"], table[column],
                                                         strict=True)]
    out["notes"] = ["; ".join(part for part in (reason, notes) if part)
                    for reason, notes in zip(table["reason"], table["notes"],
                                             strict=True)]
    return out


_VERDICT_CLASS = {"supported": "yes", "not supported": "no", "reversed": "no",
                  "equivalent": "no", "inconclusive": "open", "not measurable": "open",
                  MIXED: "mixed"}
"""CSS class of each verdict: for the claim (yes), against it (no; "equivalent" shows a
claimed change absent), undecided (open)."""


def _cell_class(column: str, value: str) -> str:
    """CSS class of a cell: verdicts and robustness flags are coloured."""
    if column == "verdict" or column.startswith("verdict at n = "):
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
