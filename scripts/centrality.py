"""Snakemake entry point: node centrality before and after training (rule centrality)."""

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.centrality import centrality_summary
from rnn_hypotheses.analysis.training_change import centrality_table
from rnn_hypotheses.pipeline import job_log

log = job_log(snakemake.log[0])
params, task, net = snakemake.params, snakemake.wildcards.task, snakemake.wildcards.net
measure, top_fraction = params.measure, params.top_fraction
network = artifacts.read_network(snakemake.input.network)
provenance = dict(params.provenance,
                  connectivity={"centrality": measure, "top_fraction": top_fraction})

nodes = centrality_table(network.W_rec_init, network.W_rec, measure)
summary = centrality_summary(nodes["initial"], nodes["final"], top_fraction)
log(f"{task}/{net}: {measure} centrality, Spearman rho {summary['spearman_rho']:.3g}; "
    f"{summary['n_top_from_bottom_half']:.0f} of the final top {summary['n_top']:.0f} were in "
    "the initial bottom half")
artifacts.write_parquet(snakemake.output.nodes, nodes.assign(measure=measure), provenance)
artifacts.write_parquet(snakemake.output.summary,
                        pd.DataFrame([{"task": task, "net": net, "measure": measure, **summary}]),
                        provenance)
