"""Snakemake entry point: rank of the training change and its truncations (rule low_rank)."""

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.training_change import low_rank_table
from rnn_hypotheses.pipeline import job_log, network_task

log = job_log(snakemake.log[0])
params, task, net = snakemake.params, snakemake.wildcards.task, snakemake.wildcards.net
network = artifacts.read_network(snakemake.input.network)
table = low_rank_table(network, network_task(params.provenance), max_rank=params.max_rank,
                       n_trials=params.loss_trials, seed=int(network.meta["seed"]))
scored = table[table["truncated"]]
log(f"{task}/{net}: loss at rank 0 {scored['loss'].iloc[0]:.3g}, rank 1 "
    f"{scored['loss'].iloc[1]:.3g}, full rank {scored['loss'].iloc[-1]:.3g}")
provenance = dict(params.provenance,
                  connectivity={"max_rank": params.max_rank, "loss_trials": params.loss_trials})
artifacts.write_parquet(snakemake.output.table, table, provenance)
