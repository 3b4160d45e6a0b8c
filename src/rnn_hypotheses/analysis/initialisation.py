"""Question 4 of the report's section 6: does a start that already has the slow-point
structure a trained network ends with make training easier?

A task whose ``init`` transplants (README, "Structured initial networks") starts from its
``like`` task's random draw for the same seed plus structure taken from another seed's
trained network: the rank-r part of that network's training change (``low_rank``) or its
whole trained W_rec (``trained``). Its baseline is the ``like`` task itself: the same
task, the same seed and so the same random part, trained from the random draw alone.
Each structured network is paired with the baseline network of the same name (seed):

- **steps to criterion**: the step at which training stopped, at its loss target or at
  ``training.max_steps`` (a network that never reached the target counts as max_steps, a
  lower bound of its steps, which only weakens a claim of fewer steps);
- **stable fixed points at initialisation**: the mean count per analysed input of the
  untrained (initial) network's stable fixed points (the slow-point stage), so a reader
  sees whether the transplanted structure was there before any training.

The table also holds whether the loss target was reached, the final loss, whether the
trained network meets its task's criterion (the evaluation), and the fixed-point,
stable-point and saddle counts at initialisation and after training.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..claims import ClaimSpec, evaluate_claims

__all__ = [
    "INITIALISATION_CLAIMS",
    "INITIALISATION_COLUMNS",
    "initialisation_claims",
    "initialisation_table",
    "paired_with_baseline",
    "training_outcome",
]

RANDOM = "random"
"""The init kind of a baseline network: its task's own random draw."""

COUNTS = ("fixed", "stable", "saddle")
"""Slow-point counts per analysed input (the slow-point stage's ``slow_point_networks``)."""

INITIALISATION_COLUMNS = (
    "task", "net", "baseline_task", "init_kind", "source_task", "source_net", "rank",
    "steps", "reached_loss_target", "final_loss", "meets_criterion",
    *(f"{count}_{when}" for when in ("init", "trained") for count in COUNTS),
)
"""The columns of tables/initialisation, in order."""


def training_outcome(meta: Mapping, history: pd.DataFrame) -> dict:
    """How one network's training ended, from its network.npz meta and history.parquet.

    Parameters
    ----------
    meta : mapping
        The trained network's meta: ``steps`` (the step training stopped at) and
        ``stop_reason`` (``"loss_target"`` or ``"max_steps"``); for a structured start also
        ``init_kind``, ``init_like``, ``init_source``, ``init_source_net``, ``init_rank``.
    history : DataFrame
        ``step`` and ``loss`` of the logged steps; its last row is the final state.

    Returns
    -------
    dict: steps, reached_loss_target (bool), final_loss (the loss of the last logged step,
    the trained network's), init_kind (``"random"`` for the task's own draw), source_task,
    source_net (``""`` without a transplant) and rank (NaN without a low-rank one).
    """
    last = history.sort_values("step").iloc[-1]
    return {
        "steps": int(meta["steps"]),
        "reached_loss_target": meta["stop_reason"] == "loss_target",
        "final_loss": float(last["loss"]),
        "init_kind": str(meta.get("init_kind", RANDOM)),
        "source_task": str(meta.get("init_source", "")),
        "source_net": str(meta.get("init_source_net", "")),
        "rank": float(meta.get("init_rank", np.nan)),
    }


def initialisation_table(outcomes: pd.DataFrame, performance: pd.DataFrame,
                         counts: pd.DataFrame, baselines: Mapping[str, str]) -> pd.DataFrame:
    """One row per network of a structured task or its baseline: :data:`INITIALISATION_COLUMNS`.

    Parameters
    ----------
    outcomes : DataFrame
        ``task``, ``net`` and :func:`training_outcome`'s keys.
    performance : DataFrame
        ``task``, ``net``, ``meets_criterion`` (the kind's score of the evaluation).
    counts : DataFrame
        ``task``, ``net``, ``state`` (``"untrained"``: the initial network; ``"trained"``)
        and the :data:`COUNTS` columns (per analysed input, the slow-point stage's
        ``network_statistics``).
    baselines : mapping
        Structured task -> its baseline task (its init's ``like``). A baseline's own rows
        get ``baseline_task`` ``""``.

    Returns
    -------
    DataFrame ordered by task then net.
    """
    keys = ["task", "net"]
    table = outcomes.merge(performance[[*keys, "meets_criterion"]], on=keys, how="left",
                           validate="one_to_one")
    for state, when in (("untrained", "init"), ("trained", "trained")):
        part = counts[counts["state"] == state][[*keys, *COUNTS]].rename(
            columns={count: f"{count}_{when}" for count in COUNTS})
        table = table.merge(part, on=keys, how="left", validate="one_to_one")
    table["baseline_task"] = table["task"].map(lambda t: baselines.get(t, ""))
    table["meets_criterion"] = table["meets_criterion"].astype(bool)
    return (table[list(INITIALISATION_COLUMNS)].sort_values(keys, kind="stable")
            .reset_index(drop=True))


def paired_with_baseline(table: pd.DataFrame) -> pd.DataFrame:
    """Each structured network beside the baseline network of the same name (seed).

    Parameters
    ----------
    table : DataFrame
        :func:`initialisation_table`'s output.

    Returns
    -------
    DataFrame: the structured rows (non-empty ``baseline_task``) with every column, and the
    baseline's ``steps``, ``reached_loss_target``, ``final_loss``, ``stable_init`` and
    ``stable_trained`` as ``baseline_<column>``.

    Raises
    ------
    ValueError
        When a structured network has no baseline network of its name.
    """
    # several structured tasks may share one baseline: each of their networks pairs with it
    structured = table[table["baseline_task"] != ""]
    columns = ["steps", "reached_loss_target", "final_loss", "stable_init", "stable_trained"]
    baseline = table[["task", "net", *columns]].rename(
        columns={"task": "baseline_task", **{c: f"baseline_{c}" for c in columns}})
    paired = structured.merge(baseline, on=["baseline_task", "net"], how="left",
                              validate="many_to_one", indicator=True)
    missing = paired[paired["_merge"] != "both"]
    if len(missing):
        row = missing.iloc[0]
        raise ValueError(f"{row['task']}/{row['net']}: no network {row['net']} of its "
                         f"baseline task {row['baseline_task']}")
    return paired.drop(columns="_merge").reset_index(drop=True)


INITIALISATION_CLAIMS = (
    ClaimSpec("init_fewer_steps", "a structured start reaches the loss target in fewer steps "
              "than the random one", "6 (question 4)",
              "training steps to the loss target (training.max_steps where not reached), "
              "structured minus random start of the same seed", "steps", kind="paired",
              other="baseline_steps", alternative="less"),
    ClaimSpec("init_more_stable_points", "a structured start has more stable fixed points at "
              "initialisation than the random one", "6 (question 4)",
              "stable fixed points per analysed input of the initial network, structured "
              "minus random start of the same seed", "stable_init", kind="paired",
              other="baseline_stable_init", alternative="greater"),
)
"""Question 4's claims, one row per structured task: paired by seed against its baseline
(the ``like`` task: the same random part without the structure). The first is the
question; the second shows that the structure was there at initialisation. "reversed":
the structured start took more steps (has fewer stable points)."""


def _note(part: pd.DataFrame, spec: ClaimSpec, state: str | None) -> str:
    """The baseline, the init, and the numbers the paired difference hides."""
    baseline = ", ".join(sorted(set(part["baseline_task"])))
    kinds = ", ".join(sorted(set(part["init_kind"])))
    ranks = part["rank"].dropna().unique()
    init = f"{kinds} (rank {', '.join(f'{r:g}' for r in ranks)})" if len(ranks) else kinds
    head = f"vs {baseline} (random start), paired by seed; init {init}"
    if spec.key == "init_fewer_steps":
        return (f"{head}; reached the loss target: {int(part['reached_loss_target'].sum())} of "
                f"{len(part)} structured, {int(part['baseline_reached_loss_target'].sum())} "
                f"random; mean steps {part['steps'].mean():.4g} vs "
                f"{part['baseline_steps'].mean():.4g}; mean final loss "
                f"{part['final_loss'].mean():.3g} vs {part['baseline_final_loss'].mean():.3g}")
    return (f"{head}; mean stable points per input at initialisation "
            f"{part['stable_init'].mean():.3g} vs {part['baseline_stable_init'].mean():.3g}, "
            f"after training {part['stable_trained'].mean():.3g} vs "
            f"{part['baseline_stable_trained'].mean():.3g}")


def initialisation_claims(table: pd.DataFrame, *, n_boot: int = 10_000, seed: int = 0
                          ) -> pd.DataFrame:
    """The claims of :data:`INITIALISATION_CLAIMS` (verdicts unadjusted).

    Parameters
    ----------
    table : DataFrame
        :func:`initialisation_table`'s output.
    """
    paired = paired_with_baseline(table)
    return evaluate_claims(INITIALISATION_CLAIMS, paired, note=_note, n_boot=n_boot, seed=seed)
