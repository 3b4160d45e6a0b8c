"""Snakemake entry point: tables/latent_claims (rule latent_claims)."""

from pathlib import Path

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.latent import latent_claims, network_table
from rnn_hypotheses.analysis.stats import adjust_claims
from rnn_hypotheses.pipeline import gather_parquet, job_log

log = job_log(snakemake.log[0])
params = snakemake.params
latent = gather_parquet(snakemake.input.latent, params.state_tasks, params.state_nets)
pi_theta = gather_parquet(snakemake.input.pi_theta, params.state_tasks, params.state_nets,
                          ["state", "theta", "pi", "max_rate"])
change = gather_parquet(snakemake.input.change, params.tasks, params.nets, ["dim", "angle_dca"])
cfg = params.latent
table = latent_claims(network_table(latent, pi_theta, change),
                      orthogonal_deg=cfg["orthogonal_deg"],
                      unchanged_margin_deg=cfg["unchanged_margin_deg"])
# BH over this table's claims (the main table, or one sensitivity drop's: each a family
# of its own); the hypotheses table adjusts over the whole run
table = adjust_claims(table, f"claims table {Path(snakemake.output[0]).stem}")
for row in table.itertuples():
    log(f"{row.verdict:>13}  {row.claim}  (mean {row.mean:.3g}, p {row.p_value:.3g}, "
        f"adjusted {row.p_adjusted:.3g})")
artifacts.write_table(Path(snakemake.output[0]).with_suffix(""), table,
                      {"latent": cfg, "simulation": params.simulation,
                       "networks_per_task": params.networks_per_task},
                      title="Latent-space claims of the report's sections 5.1-5.3")
