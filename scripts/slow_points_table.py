"""Snakemake entry point: tables/slow_points and slow_point_claims (rule slow_points_table)."""

from pathlib import Path

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.slowpoint_analysis import (
    network_statistics,
    slow_point_claims,
    slow_point_counts,
)
from rnn_hypotheses.analysis.stats import adjust_claims
from rnn_hypotheses.pipeline import gather_parquet, job_log

log = job_log(snakemake.log[0])
params = snakemake.params
points = gather_parquet(snakemake.input.points, params.tasks, params.nets,
                        ["state", "condition", "method", "kind", "n_hits", "max_real_eig",
                         "contraction_rate", "expansion_rate"])
conditions = gather_parquet(snakemake.input.conditions, params.tasks, params.nets,
                            ["state", "condition", "autonomous", "n_fixed", "n_stable",
                             "n_saddle", "n_undetermined", "dominant_slowest_rate",
                             "dominant_pattern_change", "readout_noise_share",
                             "scan_share_fixed", "scan_share_slow", "scan_fixed_distance"])
stats = network_statistics(conditions, points)
counts = slow_point_counts(stats)
# BH over this table's claims; the hypotheses table adjusts over the whole run
claims = adjust_claims(slow_point_claims(stats, params.task_kinds, params.task_dimensions),
                       "claims table slow_point_claims")
for row in counts.itertuples():
    log(f"{row.task:>10} {row.state:>9}  {row.quantity}: {row.mean:.4g} "
        f"[{row.ci_low:.4g}, {row.ci_high:.4g}] {row.unit}")
for row in claims.itertuples():
    log(f"{row.verdict:>13}  {row.claim}  (mean {row.mean:.3g}, p {row.p_value:.3g}, "
        f"adjusted {row.p_adjusted:.3g})")
provenance = {"slowpoints": params.slowpoints, "simulation": params.simulation,
              "networks_per_task": params.networks_per_task}
tables = {Path(p).stem: Path(p).with_suffix("") for p in snakemake.output}
artifacts.write_table(tables["slow_points"], counts, provenance,
                      title="Fixed points, slow regions and linearisation spectra of the "
                      "report's section 6 (mean and 95% bootstrap interval over networks)")
artifacts.write_table(tables["slow_point_networks"], stats, provenance,
                      title="Per-network slow-point statistics behind tables/slow_points "
                      "(one row per task, network and state)")
artifacts.write_table(tables["slow_point_claims"], claims, provenance,
                      title="Slow-point claims of the report's section 6 (questions 2, 3, 6)")
