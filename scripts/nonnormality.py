"""Snakemake entry point: non-normality of W_rec through training (rule nonnormality)."""

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.training_change import nonnormality_table
from rnn_hypotheses.pipeline import job_log

log = job_log(snakemake.log[0])
params, task, net = snakemake.params, snakemake.wildcards.task, snakemake.wildcards.net
steps, weights = artifacts.read_snapshots(snakemake.input.snapshots)
table = nonnormality_table(steps, weights)
first, last = table.iloc[0], table.iloc[-1]
log(f"{task}/{net}: {len(table)} snapshots; Henrici {first['henrici']:.3g} -> "
    f"{last['henrici']:.3g}; 2-norm {first['spectral']:.3g} -> {last['spectral']:.3g}")
artifacts.write_parquet(snakemake.output.table, table, params.provenance)
