"""Snakemake entry point: what training changed in one network's W_rec (rule connectivity)."""

import numpy as np
import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.connectivity import weight_change_magnitudes
from rnn_hypotheses.analysis.training_change import (
    change_histogram,
    eigenvalue_pairs,
    network_summary,
)
from rnn_hypotheses.pipeline import job_log

log = job_log(snakemake.log[0])
params, task, net = snakemake.params, snakemake.wildcards.task, snakemake.wildcards.net
network = artifacts.read_network(snakemake.input.network)
# only the connectivity values this job uses, so that a change of another reruns it not
provenance = dict(params.provenance, connectivity={"top_fraction": params.top_fraction,
                                                  "energy": params.energy})
W0, W1 = network.W_rec_init, network.W_rec

# the random references of one network are seeded by its own seed, so networks differ
summary = network_summary(W0, W1, top_fraction=params.top_fraction, energy=params.energy,
                          seed=int(network.meta["seed"]))
log(f"{task}/{net}: mean weight {summary['mean_weight_init']:.3g} -> "
    f"{summary['mean_weight_final']:.3g}; |dW|/|W0| {summary['dW_relative_norm']:.3g}; "
    f"Henrici {summary['henrici_init']:.3g} -> {summary['henrici_final']:.3g}")
artifacts.write_parquet(snakemake.output.summary,
                        pd.DataFrame([{"task": task, "net": net, **summary}]), provenance)
artifacts.write_npz(snakemake.output.eigenvalues, eigenvalue_pairs(W0, W1), provenance)
artifacts.write_parquet(snakemake.output.changes, change_histogram(W0, W1), provenance)
log(f"{task}/{net}: largest eigenvalue growth {summary['max_eigenvalue_growth']:.3g} "
    f"(random change of equal norm {summary['max_eigenvalue_growth_random']:.3g}); "
    f"median |dW| {np.median(weight_change_magnitudes(W0, W1)):.3g}")
