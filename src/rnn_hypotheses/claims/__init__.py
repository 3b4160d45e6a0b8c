"""One claim specification type and one evaluator for the claims tables.

A claim is data: which per-network column holds its statistic, how it is tested
(one sample against a reference, paired against another column, or between two
tasks), in which direction, and whether it has one row per task or per task and
state. :func:`evaluate_claims` turns specifications and a per-network table into
claims-table rows (:data:`.analysis.stats.CLAIMS_COLUMNS`), each identified by its
``key``, ``task`` and ``state``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
        The claim in words (the table prefixes the task, and the state).
    section : str
        Where the report makes it.
    statistic : str
        The per-network statistic, in words.
    column : str
        Column holding the statistic (the "after" member of a pair); ``{state}`` is
        filled in for per-state claims.
    kind : {"one_sample", "paired", "between"}
    alternative : {"greater", "less", "two-sided"}
        Direction of the claim.
    other : str, optional
        The paired column (``paired``).
    reference : float or str
        Null value: a number, the name of a threshold given to
        :func:`evaluate_claims`, or a column that is constant within a task (a chance
        level that depends only on N).
    sign : float
        Multiplies ``column`` first (-1 turns a change into a decrease).
    groups : tuple of str, optional
        ``between`` only: (task whose values should be larger, the other task).
    absolute : bool
        Test ``|column - other|`` against the reference (an equivalence margin).
    per_state : bool
        One row per state (untrained, trained) instead of one per task.
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
    absolute: bool = False
    per_state: bool = False


def _constant(part: pd.DataFrame, column: str) -> float:
    values = part[column].to_numpy(dtype=float)
    if values.size == 0:
        return float("nan")
    if not np.allclose(values, values[0]):
        raise ValueError(f"reference column {column!r} is not constant within a task")
    return float(values[0])


def _reference(spec: ClaimSpec, part: pd.DataFrame, thresholds: Mapping[str, float]) -> float:
    if not isinstance(spec.reference, str):
        return float(spec.reference)
    if spec.reference in thresholds:
        return float(thresholds[spec.reference])
    return _constant(part, spec.reference)


Note = Callable[[pd.DataFrame, ClaimSpec, str | None], str]


def evaluate_claims(
    specs: Sequence[ClaimSpec],
    table: pd.DataFrame,
    *,
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
    thresholds : mapping, optional
        Named null values that claims refer to by name.
    note : callable (part, spec, state) -> str, optional
        A sentence of context for a row, from the task's rows of ``table``.
    alpha, n_boot, seed
        Test level (default: :data:`.analysis.stats.ALPHA`), bootstrap resamples and
        seed (:func:`.analysis.stats.claim_row`).

    Returns
    -------
    DataFrame with :data:`.analysis.stats.CLAIMS_COLUMNS`. Rows read
    ``"<task>: <text>"`` (``"<task>, <state>: <text>"`` per state), tasks in name order;
    a between-task row reads ``"<text>"`` and has an empty task.
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
            high, low = spec.groups
            x = spec.sign * table.loc[table["task"] == high, spec.column].to_numpy(float)
            y = spec.sign * table.loc[table["task"] == low, spec.column].to_numpy(float)
            rows.append(claim_row(spec.text, spec.section, spec.statistic, x, kind="between",
                                  other=y, alternative=spec.alternative, key=spec.key,
                                  **options))
            continue
        for task in tasks:
            part = table[table["task"] == task]
            for state in STATES if spec.per_state else (None,):
                x = spec.sign * part[spec.column.format(state=state)].to_numpy(float)
                other = None if spec.other is None else part[spec.other].to_numpy(float)
                kind = spec.kind
                if spec.absolute:
                    # an equivalence margin: the size of the change, one value per network
                    x, other, kind = np.abs(x - other), None, "one_sample"
                label = f"{task}, {state}" if state else task
                rows.append(claim_row(
                    f"{label}: {spec.text}", spec.section, spec.statistic, x, kind=kind,
                    other=other, reference=_reference(spec, part, thresholds),
                    alternative=spec.alternative,
                    notes=note(part, spec, state) if note else "", key=spec.key, task=task,
                    state=state or "", **options))
    return claims_table(rows)
