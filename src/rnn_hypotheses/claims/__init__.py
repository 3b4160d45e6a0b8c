"""One claim specification type and one evaluator for the claims tables.

A claim is data: which per-network column holds its statistic, how it is tested
(one sample against a reference, paired against another column, or between the
tasks of two kinds), in which direction, and whether it has one row per task or
per task and state. :func:`evaluate_claims` turns specifications and a per-network
table into claims-table rows (:data:`.analysis.stats.CLAIMS_COLUMNS`), each
identified by its ``key``, ``task`` and ``state``. A claim whose statistic rests on a
premise that can fail in a network names a boolean column saying where it holds
(``measurable``); the other networks are left out of its test and counted. A claim
of change whose data can show no change names an equivalence margin
(``equivalence``): its rows are then ``equivalent`` where the TOST shows the change
within the margin (:func:`.analysis.stats.equivalence_test`). The rows' verdicts are not
adjusted for multiple comparisons; :func:`.analysis.stats.adjust_claims` adjusts a
whole table (each claims script) or run (the hypotheses table).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..analysis.stats import Alternative, Kind

__all__ = ["ClaimSpec", "evaluate_claims"]

STATES = ("untrained", "trained")


@dataclass(frozen=True)
class ClaimSpec:
    """One claim, as a test on the columns of a per-network table.

    Attributes
    ----------
    key : str
        Identifier; the hypotheses table joins on it.
    text : str
        The claim in words; the table adds the task (and state) as ``label`` says.
        Between-task claims fill in ``{state}``.
    section : str
        Where the report makes it.
    statistic : str
        The per-network statistic, in words; a between claim's names the two tasks of a
        pair as ``{high}`` (expected larger) and ``{low}``.
    column : str
        Column holding the statistic (the "after" member of a pair); ``{state}`` is
        filled in for per-state claims (as in ``statistic``).
    kind : {"one_sample", "paired", "between"}
    alternative : {"greater", "less", "two-sided"}
        Direction of the claim.
    other : str, optional
        The paired column (``paired``); ``{state}`` is filled in as in ``column``.
    reference : float or str
        Null value: a number, the name of a threshold given to
        :func:`evaluate_claims`, or a column that is constant within a task (a chance
        level that depends only on N).
    sign : float
        Multiplies ``column`` first (-1 turns a change into a decrease).
    groups : tuple of str, optional
        ``between`` only: (kind whose tasks' values should be larger, the other kind).
        Every pair of a task of the first kind and one of the second gets a row.
    dimension_text : str, optional
        ``between`` only: the claim in words for two tasks of one family at consecutive
        input dimensions (the higher D's values should be larger), which then also get
        a row each; ``{state}`` is filled in as in ``text``. Empty: no such rows.
    absolute : bool
        Test ``|column - other|`` against the reference (an equivalence margin).
    states : tuple of str
        One row per state, in this order (e.g. :data:`STATES`), instead of one per task.
    label : {"prefix", "suffix"}
        ``"<task>: <text>"`` (``"<task>, <state>: <text>"``), or ``"<text> (<task>)"``.
    measurable : str, optional
        Boolean column: whether the statistic is measurable in each network (its
        premise holds); ``{state}`` is filled in as in ``column``. Networks where it
        is False are left out and counted, and the verdict is ``"not measurable"``
        when too many are (:func:`.analysis.stats.verdict`). None: every network.
    unmeasurable_reason : str
        Why a network's statistic is not measurable, in words, for the notes.
    equivalence : float or str
        Equivalence margin on the estimate's scale (as ``reference``: a number, a
        threshold's name, or a column constant within a task): where the data show the
        estimate within it of the reference (TOST), a claim of change is
        ``"equivalent"`` rather than ``"inconclusive"``. 0 (the default): only when
        every value equals the reference.
    """

    key: str
    text: str
    section: str
    statistic: str
    column: str
    kind: Kind = "one_sample"
    alternative: Alternative = "greater"
    other: str | None = None
    reference: float | str = 0.0
    sign: float = 1.0
    groups: tuple[str, str] | None = None
    dimension_text: str = ""
    absolute: bool = False
    states: tuple[str, ...] = ()
    label: Literal["prefix", "suffix"] = "prefix"
    measurable: str | None = None
    unmeasurable_reason: str = ""
    equivalence: float | str = 0.0


def _constant(part: pd.DataFrame, column: str) -> float:
    values = part[column].to_numpy(dtype=float)
    if values.size == 0:
        return float("nan")
    if not np.allclose(values, values[0]):
        raise ValueError(f"reference column {column!r} is not constant within a task")
    return float(values[0])


def _resolve(value: float | str, part: pd.DataFrame, thresholds: Mapping[str, float]) -> float:
    """A number, a named threshold, or a column constant within the task's rows."""
    if not isinstance(value, str):
        return float(value)
    if value in thresholds:
        return float(thresholds[value])
    return _constant(part, value)


def _reference(spec: ClaimSpec, part: pd.DataFrame, thresholds: Mapping[str, float]) -> float:
    return _resolve(spec.reference, part, thresholds)


Note = Callable[[pd.DataFrame, ClaimSpec, str | None], str]


def _label(spec: ClaimSpec, task: str, state: str | None) -> str:
    if spec.label == "suffix":
        return f"{spec.text} ({task})"
    return f"{task}, {state}: {spec.text}" if state else f"{task}: {spec.text}"


def _measurable(spec: ClaimSpec, part: pd.DataFrame, state: str | None) -> np.ndarray | None:
    """The claim's measurable mask for one task's networks, or None for every network."""
    if spec.measurable is None:
        return None
    column = spec.measurable.format(state=state)
    if column not in part.columns:
        raise ValueError(f"claim {spec.key!r} needs the measurable column {column!r}")
    mask = part[column].to_numpy()
    if mask.dtype != bool:
        raise ValueError(f"claim {spec.key!r}: measurable column {column!r} is not boolean "
                         f"(dtype {mask.dtype}; a missing network?)")
    return mask


def _between_pairs(spec: ClaimSpec, tasks: Sequence[str], kinds: Mapping[str, str],
                   dimensions: Mapping[str, tuple[str, int]]) -> list[tuple[str, str, str]]:
    """(task expected larger, the other, the claim's text) of every pair a between claim
    compares: the kinds of ``spec.groups``, then each family's consecutive dimensions."""
    pairs = []
    if spec.groups is not None:
        high, low = spec.groups
        pairs += [(a, b, spec.text) for a in tasks if kinds[a] == high
                  for b in tasks if kinds[b] == low]
    if spec.dimension_text:
        swept = [t for t in tasks if t in dimensions]
        for family in sorted({dimensions[t][0] for t in swept}):
            members = sorted((dimensions[t][1], t) for t in swept if dimensions[t][0] == family)
            pairs += [(high, low, spec.dimension_text)
                      for (_, low), (_, high) in zip(members[:-1], members[1:], strict=True)]
    return pairs


def evaluate_claims(
    specs: Sequence[ClaimSpec],
    table: pd.DataFrame,
    *,
    kinds: Mapping[str, str] | None = None,
    dimensions: Mapping[str, tuple[str, int]] | None = None,
    thresholds: Mapping[str, float] | None = None,
    note: Note | None = None,
    alpha: float | None = None,
    n_boot: int = 10_000,
    seed: int = 0,
) -> pd.DataFrame:
    """Test every claim: one row per claim and task (and state, for per-state claims), one
    per between-task claim.

    Parameters
    ----------
    specs : sequence of ClaimSpec
        In the order their rows should appear.
    table : DataFrame
        One row per network: ``task`` and every column the claims name.
    kinds : mapping, optional
        Each task's kind; needed by between-task claims.
    dimensions : mapping, optional
        Task -> (family, input dimension D) for the tasks of a complexity sweep
        (:attr:`.tasks.Task.complexity`); between claims with a ``dimension_text`` also
        compare each family's consecutive dimensions.
    thresholds : mapping, optional
        Named null values that claims refer to by name.
    note : callable (part, spec, state) -> str, optional
        A sentence of context for a row, from the task's rows of ``table`` (a between
        row: the first group's rows, then the second's).
    alpha, n_boot, seed
        Test level (default: :data:`.analysis.stats.ALPHA`), bootstrap resamples and
        seed (:func:`.analysis.stats.claim_row`).

    Returns
    -------
    DataFrame with :data:`.analysis.stats.CLAIMS_COLUMNS`, verdicts unadjusted (``p_family``
    :data:`.analysis.stats.UNADJUSTED`). Rows read as ``spec.label``
    says, tasks in name order. A between-task row reads ``"<text>"`` and has an empty
    task when one pair of tasks is compared; with several, each pair's row reads
    ``"<a> vs <b>: <text>"`` and has task ``"<a> vs <b>"``.
    """
    # scipy.stats is slow to import; only the claims rules need it
    from ..analysis.stats import ALPHA, claim_row, claims_table

    alpha = ALPHA if alpha is None else alpha
    thresholds = thresholds or {}
    options = {"alpha": alpha, "n_boot": n_boot, "seed": seed}
    rows = []
    tasks = sorted(table["task"].unique())
    for spec in specs:
        if spec.kind == "between":
            if kinds is None:
                raise ValueError(f"claim {spec.key!r} compares kinds of task: pass kinds")
            pairs = _between_pairs(spec, tasks, kinds, dimensions or {})
            for high, low, claim_text in pairs:
                first, second = table[table["task"] == high], table[table["task"] == low]
                margin = _resolve(spec.equivalence, pd.concat([first, second]), thresholds)
                pair = f"{high} vs {low}" if len(pairs) > 1 else ""
                for state in spec.states or (None,):
                    column = spec.column.format(state=state)
                    text = claim_text.format(state=state)
                    rows.append(claim_row(
                        f"{pair}: {text}" if pair else text, spec.section,
                        spec.statistic.format(state=state, high=high, low=low),
                        spec.sign * first[column].to_numpy(float), kind="between",
                        other=spec.sign * second[column].to_numpy(float),
                        alternative=spec.alternative,
                        notes=note(pd.concat([first, second]), spec, state) if note else "",
                        key=spec.key, task=pair, state=state or "",
                        measurable=_measurable(spec, first, state),
                        other_measurable=_measurable(spec, second, state),
                        unmeasurable_reason=spec.unmeasurable_reason,
                        equivalence_margin=margin, **options))
            continue
        for task in tasks:
            part = table[table["task"] == task]
            for state in spec.states or (None,):
                x = spec.sign * part[spec.column.format(state=state)].to_numpy(float)
                other = (None if spec.other is None
                         else part[spec.other.format(state=state)].to_numpy(float))
                kind = spec.kind
                if spec.absolute:
                    # an equivalence margin: the size of the change, one value per network
                    x, other, kind = np.abs(x - other), None, "one_sample"
                rows.append(claim_row(
                    _label(spec, task, state), spec.section, spec.statistic, x, kind=kind,
                    other=other, reference=_reference(spec, part, thresholds),
                    alternative=spec.alternative,
                    notes=note(part, spec, state) if note else "", key=spec.key, task=task,
                    state=state or "", measurable=_measurable(spec, part, state),
                    unmeasurable_reason=spec.unmeasurable_reason,
                    equivalence_margin=_resolve(spec.equivalence, part, thresholds),
                    **options))
    return claims_table(rows)
