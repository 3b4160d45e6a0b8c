"""Snakemake entry point: the predictive information of the linearised dynamics at each
stable point, one value per network, and the claims of question 5 (rule
predictive_information; the report's section 6, question 5).

Every network of every task, in both states: at each analysed input, the network
linearised at each stable fixed point and stable slow region of the slow-point stage is
an Ornstein-Uhlenbeck process whose predictive information at ``lag_ms`` is computed
analytically (rnn_hypotheses.analysis.linearised_information). Tables: per point, per
network, per task; claims: consistency across the networks of a task, ordering by D
within the complexity sweep's families.
"""

import time
from pathlib import Path

import numpy as np
import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.linearised_information import (
    information_claims,
    network_information,
    network_values,
    task_summary,
)
from rnn_hypotheses.analysis.stats import adjust_claims
from rnn_hypotheses.pipeline import end_job, job_log

log = job_log(snakemake.log[0])
params = snakemake.params
settings = params.settings
lag = float(settings["lag_ms"])
include_autonomous = bool(settings["autonomous"])
held = (None, None)  # (task, net) and its Network: the inputs list a network's states together
tables, n_inputs = [], {}
start = time.process_time()
for network_path, points_path, arrays_path, task, net, state in zip(
        snakemake.input.networks, snakemake.input.points, snakemake.input.arrays,
        params.tasks, params.nets, params.states, strict=True):
    if held[0] != (task, net):
        held = ((task, net), artifacts.read_network(network_path))
    network = held[1]
    points = artifacts.read_parquet(points_path, ["condition", "label", "point", "method",
                                                  "kind", "max_real_eig", "location"])
    arrays = artifacts.read_npz(arrays_path, ["patterns", "condition_autonomous"])
    autonomous = arrays["condition_autonomous"].astype(bool)
    table = network_information(points, arrays["patterns"], autonomous,
                                network.recurrent_weights(state), network.tau, lag,
                                noise=settings["noise"],
                                include_autonomous=include_autonomous)
    n_inputs[task, net, state] = int(autonomous.size if include_autonomous
                                     else (~autonomous).sum())
    tables.append(table.assign(task=task, net=net, state=state))
    log(f"{task}/{net} {state}: {len(table)} stable point(s) at "
        f"{table['condition'].nunique()} of {n_inputs[task, net, state]} input(s); "
        + (f"information {table['information'].min():.3g} to "
           f"{table['information'].max():.3g} nats" if len(table) else "no value"))
points_table = pd.concat(tables, ignore_index=True)
# task, net, state, the inputs (input1, input2, ...; a task with fewer leaves NaN), the rest
inputs = sorted((c for c in points_table.columns if c.startswith("input") and c[5:].isdigit()),
                key=lambda c: int(c[5:]))
front = ["task", "net", "state", *inputs]
points_table = points_table[front + [c for c in points_table.columns if c not in front]]
values = network_values(points_table, n_inputs)
log(f"{len(points_table)} points of {len(values)} network states in "
    f"{time.process_time() - start:.1f} s of CPU")

summary = task_summary(values, params.task_kinds, params.dimensions)
for row in summary.itertuples():
    log(f"{row.task} {row.state}: median {row.median:.3g} nats "
        f"[{row.median_low:.3g}, {row.median_high:.3g}] over {row.networks} networks "
        f"({row.networks_without_value} without a stable point)")
claims = information_claims(values, params.dimensions,
                            n_permutations=int(settings["n_permutations"]))
# BH over this table's claims; the hypotheses table adjusts over the whole run
claims = adjust_claims(claims, "claims table predictive_information_claims")
for row in claims.itertuples():
    log(f"{row.verdict:>14}  {row.claim}  (estimate {row.mean:.3g} "
        f"[{row.ci_low:.3g}, {row.ci_high:.3g}], p {row.p_value:.3g})")

provenance = {"questions_predictive_information": settings,
              "slowpoints": params.slowpoints}
outputs = {Path(p).stem: Path(p).with_suffix("") for p in snakemake.output}
noise = settings["noise"]
artifacts.write_table(outputs["predictive_information"], points_table, provenance,
                      title=f"Predictive information (nats) at {lag:g} ms of the dynamics "
                      f"linearised at each stable point ({noise} noise), per network, state "
                      "and input")
artifacts.write_table(outputs["predictive_information_networks"], values, provenance,
                      title="Predictive information per network and state: the mean over "
                      "inputs of the mean over each input's stable points")
artifacts.write_table(outputs["predictive_information_summary"], summary, provenance,
                      title="Predictive information per task and state: median over "
                      "networks and its 95% bootstrap interval")
artifacts.write_table(outputs["predictive_information_claims"], claims, provenance,
                      title="Is the linearised predictive information a consistent measure "
                      "of task complexity?")
if not np.isfinite(values["information"]).any():
    log("no network has a stable point at an analysed input: every claim is not measurable")
end_job()  # skips the interpreter's teardown (pipeline.end_job)
