"""Snakemake entry point: tables/latent_sensitivity (rule latent_sensitivity)."""

from pathlib import Path

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.stats import CLAIMS_COLUMNS
from rnn_hypotheses.claims.sensitivity import sensitivity_table, window_dependence
from rnn_hypotheses.pipeline import job_log

log = job_log(snakemake.log[0])
params = snakemake.params
tables = {}
for drop, path in zip(params.drops, snakemake.input.drops, strict=True):
    tables[float(drop)] = artifacts.read_parquet(path, CLAIMS_COLUMNS)
table = sensitivity_table(tables, float(params.main_drop))
for row in window_dependence(table).itertuples():
    if row.window_dependent:
        log(f"window-dependent: {row.key} {row.task} {row.state}: {row.verdicts}")
artifacts.write_table(Path(snakemake.output[0]).with_suffix(""), table,
                      {"main_drop_ms": params.main_drop, "drops_ms": params.drops},
                      title="Latent claims against the transient left out of the fits "
                      "(latent.sensitivity_drop_ms)")
