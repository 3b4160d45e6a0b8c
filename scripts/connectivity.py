"""Snakemake entry point: what training changed in one network's W_rec (rule connectivity).

Four analyses, each written with only the config values it uses (so that its artifacts
hold what a job of its own would):

1. summary, eigenvalue pairs and the histogram of weight changes (Fig. 7);
2. node centrality before and after training (Fig. 8);
3. non-normality of W_rec through training, from its snapshots (Fig. S1; not for an
   external network, which has none);
4. rank of the training change and the task loss of its truncations (Fig. S2).
"""

import numpy as np
import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.centrality import centrality_summary
from rnn_hypotheses.analysis.connectivity import weight_change_magnitudes
from rnn_hypotheses.analysis.training_change import (
    centrality_table,
    change_histogram,
    eigenvalue_pairs,
    low_rank_table,
    network_summary,
    nonnormality_table,
)
from rnn_hypotheses.pipeline import end_job, job_log, network_task

log = job_log(snakemake.log[0])
params, task, net = snakemake.params, snakemake.wildcards.task, snakemake.wildcards.net
output = snakemake.output
network = artifacts.read_network(snakemake.input.network)
W0, W1 = network.W_rec_init, network.W_rec

# --- 1. summary, spectra, weight changes ----------------------------------------------------
# only the connectivity values this part uses, so that its artifacts say what they depend on
provenance = dict(params.provenance, connectivity={"top_fraction": params.top_fraction,
                                                  "energy": params.energy})
# the random references of one network are seeded by its own seed, so networks differ
summary = network_summary(W0, W1, top_fraction=params.top_fraction, energy=params.energy,
                          seed=int(network.meta["seed"]))
log(f"{task}/{net}: mean weight {summary['mean_weight_init']:.3g} -> "
    f"{summary['mean_weight_final']:.3g}; |dW|/|W0| {summary['dW_relative_norm']:.3g}; "
    f"Henrici {summary['henrici_init']:.3g} -> {summary['henrici_final']:.3g}")
artifacts.write_parquet(output.summary,
                        pd.DataFrame([{"task": task, "net": net, **summary}]), provenance)
artifacts.write_npz(output.eigenvalues, eigenvalue_pairs(W0, W1), provenance)
artifacts.write_parquet(output.changes, change_histogram(W0, W1), provenance)
log(f"{task}/{net}: largest eigenvalue growth {summary['max_eigenvalue_growth']:.3g} "
    f"(random change of equal norm {summary['max_eigenvalue_growth_random']:.3g}); "
    f"median |dW| {np.median(weight_change_magnitudes(W0, W1)):.3g}")

# --- 2. centrality ----------------------------------------------------------------------------
measure, top_fraction = params.measure, params.top_fraction
provenance = dict(params.provenance,
                  connectivity={"centrality": measure, "top_fraction": top_fraction})
nodes = centrality_table(W0, W1, measure)
centrality = centrality_summary(nodes["initial"], nodes["final"], top_fraction)
log(f"{task}/{net}: {measure} centrality, Spearman rho {centrality['spearman_rho']:.3g}; "
    f"{centrality['n_top_from_bottom_half']:.0f} of the final top {centrality['n_top']:.0f} "
    "were in the initial bottom half")
artifacts.write_parquet(output.nodes, nodes.assign(measure=measure), provenance)
artifacts.write_parquet(
    output.centrality,
    pd.DataFrame([{"task": task, "net": net, "measure": measure, **centrality}]), provenance)

# --- 3. non-normality through training ------------------------------------------------------
# (not for an external network, trained elsewhere without snapshots: rules/external.smk)
if "snapshots" in snakemake.input.keys():
    steps, weights = artifacts.read_snapshots(snakemake.input.snapshots)
    table = nonnormality_table(steps, weights)
    first, last = table.iloc[0], table.iloc[-1]
    log(f"{task}/{net}: {len(table)} snapshots; Henrici {first['henrici']:.3g} -> "
        f"{last['henrici']:.3g}; 2-norm {first['spectral']:.3g} -> {last['spectral']:.3g}")
    artifacts.write_parquet(output.nonnormality, table, params.provenance)
    del steps, weights

# --- 4. rank of the change --------------------------------------------------------------------
table = low_rank_table(network, network_task(params.provenance), max_rank=params.max_rank,
                       n_trials=params.loss_trials, seed=int(network.meta["seed"]))
scored = table[table["truncated"]]
log(f"{task}/{net}: loss at rank 0 {scored['loss'].iloc[0]:.3g}, rank 1 "
    f"{scored['loss'].iloc[1]:.3g}, full rank {scored['loss'].iloc[-1]:.3g}")
provenance = dict(params.provenance,
                  connectivity={"max_rank": params.max_rank, "loss_trials": params.loss_trials})
artifacts.write_parquet(output.low_rank, table, provenance)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
