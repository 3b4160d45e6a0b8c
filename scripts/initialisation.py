"""Snakemake entry point: tables/initialisation and initialisation_claims (rule
initialisation; issue 15, question 4).

Every network of a task whose init transplants structure, and of its baseline (the random
start of the same seeds): how its training ended (network.npz, history.parquet), whether
it meets its task's criterion (the evaluation, scored as tables/task_performance scores
it) and its slow-point counts at initialisation and after training (as
tables/slow_point_networks computes them); then the paired claims
(rnn_hypotheses.analysis.initialisation).
"""

from pathlib import Path

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.initialisation import (
    initialisation_claims,
    initialisation_table,
    training_outcome,
)
from rnn_hypotheses.analysis.slowpoint_analysis import network_statistics
from rnn_hypotheses.analysis.stats import adjust_claims
from rnn_hypotheses.pipeline import end_job, gather_parquet, job_log
from rnn_hypotheses.tasks import make_task

log = job_log(snakemake.log[0])
inputs, params = snakemake.input, snakemake.params
outcomes, performance = [], []
for task, net, network_path, history_path, conditions_path, trace_path in zip(
        params.tasks, params.nets, inputs.networks, inputs.histories, inputs.conditions,
        inputs.traces, strict=True):
    meta = artifacts.read_network(network_path).meta
    outcome = training_outcome(meta, artifacts.read_history(history_path))
    outcomes.append({"task": task, "net": net, **outcome})
    score = make_task(task, params.task_configs[task]).score(
        artifacts.read_parquet(conditions_path), artifacts.read_parquet(trace_path))
    performance.append({"task": task, "net": net, "meets_criterion": score["meets_criterion"]})
    log(f"{task}/{net} ({outcome['init_kind']}): stopped at step {outcome['steps']} "
        f"({meta['stop_reason']}), final loss {outcome['final_loss']:.3g}, criterion "
        f"{'met' if score['meets_criterion'] else 'not met'}")
points = gather_parquet(inputs.points, params.state_tasks, params.state_nets,
                        ["state", "condition", "method", "kind", "n_hits", "max_real_eig",
                         "contraction_rate", "expansion_rate"])
conditions = gather_parquet(inputs.slowpoint_conditions, params.state_tasks, params.state_nets,
                            ["state", "condition", "autonomous", "n_fixed", "n_stable",
                             "n_saddle", "n_undetermined", "dominant_slowest_rate",
                             "dominant_pattern_change", "readout_noise_share",
                             "scan_share_fixed", "scan_share_slow", "scan_fixed_distance"])
table = initialisation_table(pd.DataFrame(outcomes), pd.DataFrame(performance),
                             network_statistics(conditions, points), params.baselines)
for row in table.itertuples():
    log(f"{row.task}/{row.net}: stable points per input {row.stable_init:.3g} at "
        f"initialisation, {row.stable_trained:.3g} trained; saddles {row.saddle_init:.3g}, "
        f"{row.saddle_trained:.3g}")
# BH over this table's claims; the hypotheses table adjusts over the whole run
claims = adjust_claims(initialisation_claims(table), "claims table initialisation_claims")
for row in claims.itertuples():
    log(f"{row.verdict:>13}  {row.claim}  (mean {row.mean:.3g}, p {row.p_value:.3g})")
provenance = {"baselines": params.baselines, "task_configs": params.task_configs,
              "slowpoints": params.slowpoints}
tables = {Path(p).stem: Path(p).with_suffix("") for p in snakemake.output}
artifacts.write_table(tables["initialisation"], table, provenance,
                      title="Training from structured and random initial networks (question 4): "
                      "steps to the loss target, final loss, criterion, and stable points and "
                      "saddles per analysed input at initialisation and after training")
artifacts.write_table(tables["initialisation_claims"], claims, provenance,
                      title="Does a start with the trained slow-point structure train faster? "
                      "(report section 6, question 4)")
end_job()  # skips the interpreter's teardown (pipeline.end_job)
