"""How a claims table depends on an analysis choice: the same claims under several settings.

The latent claims are tested on the part of each held trial after ``latent.drop_ms``;
:func:`sensitivity_table` stacks the claims tables obtained with several drops (each
from the same analysis, differing only in the drop), and :func:`window_dependence`
says which claims change their verdict across them. Each drop's claims table adjusts its
p-values over its own claims (Benjamini-Hochberg, ``p_family``), as the main latent claims
table does; the stacked rows keep them. The hypotheses table instead decides every drop
over the whole run with that drop's latent claims
(:func:`rnn_hypotheses.hypotheses.run_sensitivity`) before asking for window dependence.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["IDENTITY", "sensitivity_table", "window_dependence"]

IDENTITY = ["key", "task", "state"]
"""The columns that identify a claim's row in every claims table."""


def sensitivity_table(tables: Mapping[float, pd.DataFrame], main: float) -> pd.DataFrame:
    """Claims tables of several drops, stacked.

    Parameters
    ----------
    tables : mapping drop (ms) -> claims table
        Each with the claims columns (:data:`.analysis.stats.CLAIMS_COLUMNS`); the same
        claims in each.
    main : float
        The run's own drop (``latent.drop_ms``), flagged in the ``main`` column.

    Returns
    -------
    DataFrame: ``drop_ms``, ``main`` (the run's own drop), the claims columns, and
    ``window_dependent`` (the claim's verdict is not the same at every drop); rows by
    claim, in the order of the main drop's table (else the first table's), then drop.

    Raises
    ------
    ValueError
        When there is no table, or the tables hold different claims.
    """
    if not tables:
        raise ValueError("no claims table to compare")
    first = tables[main] if main in tables else next(iter(tables.values()))
    order = first[IDENTITY].apply(tuple, axis=1).tolist()
    for drop, table in tables.items():
        rows = table[IDENTITY].apply(tuple, axis=1).tolist()
        if sorted(rows) != sorted(order):
            raise ValueError(f"the claims table of drop {drop} ms holds other claims than "
                             "the others")
    stacked = pd.concat([table.assign(drop_ms=float(drop), main=drop == main)
                         for drop, table in tables.items()], ignore_index=True)
    rank = {row: k for k, row in enumerate(order)}
    stacked["_order"] = stacked[IDENTITY].apply(tuple, axis=1).map(rank)
    stacked = stacked.sort_values(["_order", "drop_ms"], kind="stable").drop(columns="_order")
    dependent = window_dependence(stacked)
    stacked = stacked.merge(dependent[[*IDENTITY, "window_dependent"]], on=IDENTITY,
                            how="left", validate="many_to_one")
    columns = ["drop_ms", "main", *first.columns, "window_dependent"]
    return stacked[columns].reset_index(drop=True)


def window_dependence(stacked: pd.DataFrame) -> pd.DataFrame:
    """Per claim: whether its verdict changes across drops, and the verdicts in drop order.

    Parameters
    ----------
    stacked : DataFrame
        ``drop_ms``, ``verdict`` and :data:`IDENTITY` columns.

    Returns
    -------
    DataFrame: :data:`IDENTITY`, ``window_dependent`` (bool), ``verdicts`` (text such as
    ``"0 ms: supported; 300 ms: inconclusive"``).
    """
    rows = []
    for identity, part in stacked.sort_values("drop_ms").groupby(IDENTITY, sort=False):
        rows.append({
            **dict(zip(IDENTITY, identity, strict=True)),
            "window_dependent": part["verdict"].nunique() > 1,
            "verdicts": "; ".join(f"{drop:g} ms: {verdict}" for drop, verdict
                                  in zip(part["drop_ms"], part["verdict"], strict=True)),
        })
    return pd.DataFrame(rows, columns=[*IDENTITY, "window_dependent", "verdicts"])
