"""Snakemake entry point: tables/reuse, reuse_multitask, reuse_multitask_counts and
reuse_claims (rule reuse; issue 15, question 1).

Same-initialisation pairs of tasks (questions.reuse.pairs): each network's trained fixed
points and slow regions, and its weight change, against the other task's network of the
same seed, with networks of other seeds as the control and random subspaces as chance.
Multitask networks (questions.reuse.multitask): each network's points under each context,
labelled shared, moved or disjoint (rnn_hypotheses.analysis.reuse).
"""

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.reuse import (
    ReuseCriteria,
    context_comparison,
    multitask_counts,
    pair_table,
    reuse_claims,
    slow_point_set,
)
from rnn_hypotheses.analysis.stats import adjust_claims
from rnn_hypotheses.pipeline import end_job, job_log
from rnn_hypotheses.tasks import make_task

POINT_ARRAYS = ["locations", "point_condition", "point_method", "condition_inputs",
                "condition_autonomous"]

log = job_log(snakemake.log[0])
params, inputs = snakemake.params, snakemake.input
criteria = ReuseCriteria.from_config(params.criteria)
nets, states = list(params.nets), list(params.states)

# the inputs come task by task, network by network (and state by state), as the rule lists them
networks = {(t, n): path for (t, n), path in zip(
    [(t, n) for t in params.pair_tasks for n in nets], inputs.networks, strict=True)}
points = {(t, n, s): path for (t, n, s), path in zip(
    [(t, n, s) for t in params.pair_tasks for n in nets for s in states], inputs.points,
    strict=True)}


# a task in several pairs is read once
@cache
def pair_network(task: str, net: str) -> dict:
    """What pair_table needs of one network: its points trained and at initialisation, and
    its recurrent weights before and after training."""
    weights = artifacts.read_npz(networks[task, net], ["W_rec", "W_rec_init"])
    found = {s: slow_point_set(artifacts.read_npz(points[task, net, s], POINT_ARRAYS))[0]
             for s in states}
    return {"points": found["trained"], "initial_points": found.get("untrained"),
            "W_rec": weights["W_rec"], "W_rec_init": weights["W_rec_init"]}


pair_rows = []
for first, second in params.pairs:
    table = pair_table([pair_network(first, n) for n in nets],
                       [pair_network(second, n) for n in nets], pair=f"{first} vs {second}",
                       nets=nets, k=criteria.k, chance_draws=criteria.chance_draws)
    pair_rows.append(table)
    log(f"{first} vs {second}: point overlap {table['points_overlap'].mean():.3g} same "
        f"initialisation, {table['points_control'].mean():.3g} different seeds, "
        f"{table['points_overlap_initial'].mean():.3g} at initialisation; weight-change "
        f"overlap {table['weights_overlap'].mean():.3g} vs "
        f"{table['weights_control'].mean():.3g}; chance {table['chance'].iloc[0]:.3g} (mean "
        f"angle {table['chance_angle'].iloc[0]:.1f} deg)")
pairs = pd.concat(pair_rows, ignore_index=True) if pair_rows else pd.DataFrame(
    columns=["task", "net"])

multitask_rows = []
multitask_paths = iter(inputs.multitask)
for task_name in params.multitask:
    task = make_task(task_name, params.task_configs[task_name])
    names = task.subtask_names
    for net in nets:
        compared = {}
        for state in states:
            found, at = slow_point_set(artifacts.read_npz(next(multitask_paths), POINT_ARRAYS))
            compared[state] = {(r["context_first"], r["context_second"]): r
                               for r in context_comparison(found, task.context_of(at), criteria)}
        for pair, row in compared["trained"].items():
            # the initial network under the two contexts: what training made of them
            initial = compared["untrained"].get(pair, {})
            multitask_rows.append({
                "task": task_name, "net": net,
                "contexts": f"{names[row['context_first']]} vs {names[row['context_second']]}",
                **row,
                **{f"{key}_initial": initial.get(key, np.nan)
                   for key in ("overlap", "distance_ratio", "label")}})
            log(f"{task_name}/{net} {multitask_rows[-1]['contexts']}: {row['label']} (overlap "
                f"{row['overlap']:.3g}, distance {row['distance_ratio']:.3g} x spread, "
                f"{row['n_points_first']} and {row['n_points_second']} points; initially "
                f"{initial.get('label', 'not found')})")
multitask = pd.DataFrame(multitask_rows, columns=[
    "task", "net", "contexts", "context_first", "context_second", "n_points_first",
    "n_points_second", "overlap", "angle", "nearest_distance", "spread", "distance_ratio",
    "centre_shift", "label", "overlap_initial", "distance_ratio_initial", "label_initial"])
counts = multitask_counts(multitask)
for row in counts.to_dict("records"):
    log(f"{row['task']} ({row['contexts']}): {row['networks']} networks, {row['shared']} "
        f"shared, {row['moved']} moved, {row['disjoint']} disjoint, {row['not measurable']} "
        "not measurable")

provenance = {"questions_reuse": params.criteria, "slowpoints": params.slowpoints}
tables = {Path(p).stem: Path(p).with_suffix("") for p in snakemake.output}
artifacts.write_table(tables["reuse"], pairs, provenance,
                      title="Same-initialisation networks of two tasks: overlap (mean squared "
                      "cosine of the principal angles) of their point subspaces and weight "
                      "changes, against networks of other seeds (control) and random "
                      "subspaces (chance)")
artifacts.write_table(tables["reuse_multitask"], multitask, provenance,
                      title="Multitask networks: each pair of contexts' fixed points and slow "
                      "regions, shared, moved or disjoint")
artifacts.write_table(tables["reuse_multitask_counts"], counts, provenance,
                      title="Multitask networks per label")
# BH over this table's claims; the hypotheses table adjusts over the whole run
claims = adjust_claims(reuse_claims(pairs if len(pairs) else None,
                                    multitask if len(multitask) else None),
                       "claims table reuse_claims")
for row in claims.itertuples():
    log(f"{row.verdict:>13}  {row.claim}  (mean {row.mean:.3g}, p {row.p_value:.3g})")
artifacts.write_table(tables["reuse_claims"], claims, provenance,
                      title="Are slow regions re-used across tasks of the same complexity?")
end_job()  # skips the interpreter's teardown (pipeline.end_job)
