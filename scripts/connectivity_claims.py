"""Snakemake entry point: tables/connectivity_claims (rule connectivity_claims)."""

from pathlib import Path

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.stats import adjust_claims
from rnn_hypotheses.analysis.training_change import connectivity_claims
from rnn_hypotheses.pipeline import gather_parquet, job_log

log = job_log(snakemake.log[0])
params = snakemake.params
tasks, nets = params.tasks, params.nets
connectivity = gather_parquet(snakemake.input.connectivity, tasks, nets)
centrality = gather_parquet(snakemake.input.centrality, tasks, nets)
# both per-network tables carry task and net; keep one copy of each
summary = connectivity.merge(centrality.drop(columns=["n_nodes"]), on=["task", "net"],
                             validate="one_to_one")
# BH over this table's claims; the hypotheses table adjusts over the whole run
name = Path(snakemake.output[0]).stem
claims = connectivity_claims(summary, params.task_kinds, params.task_dimensions)
table = adjust_claims(claims, f"claims table {name}")
for row in table.itertuples():
    log(f"{row.verdict:>13}  {row.claim}  (mean {row.mean:.3g}, p {row.p_value:.3g}, "
        f"adjusted {row.p_adjusted:.3g})")
artifacts.write_table(Path(snakemake.output[0]).with_suffix(""), table,
                      {"connectivity": params.connectivity,
                       "networks_per_task": params.networks_per_task},
                      title="Connectivity claims of the report's sections 5.1-5.2")
