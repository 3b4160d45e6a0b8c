"""Snakemake entry point: the complexity sweep's tables (rule complexity).

tables/complexity (the growth rate of each count with the input dimension),
tables/complexity_tasks (every task's counts, swept or not, and the sine generators'
rotation ratio), tables/complexity_oscillation (that ratio per network and input) and
tables/complexity_claims ("the count grows with complexity").
"""

from pathlib import Path

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.complexity import (
    OSCILLATION_COLUMNS,
    counts_by_dimension,
    dimension_summary,
    growth_claims,
    growth_table,
    oscillation_ratios,
    task_summary,
)
from rnn_hypotheses.analysis.stats import adjust_claims
from rnn_hypotheses.pipeline import gather_parquet, job_log
from rnn_hypotheses.tasks import KINDS

log = job_log(snakemake.log[0])
params = snakemake.params
dimensions = {task: tuple(value) for task, value in params.dimensions.items()}
networks = artifacts.read_parquet(snakemake.input.networks, ["task", "net", "state", "fixed",
                                                             "stable", "saddle", "slow"])

counts = counts_by_dimension(networks, dimensions)
growth = growth_table(counts)
claims = adjust_claims(growth_claims(counts), "claims table complexity_claims")
per_dimension = dimension_summary(counts)
oscillating = list(params.oscillating)
if oscillating:
    points = gather_parquet(snakemake.input.points, params.point_tasks, params.point_nets,
                            ["state", "condition", "method", "kind", "max_real_eig",
                             "leading_imag"])
    frequency = {task: KINDS[params.task_kinds[task]].condition_value for task in oscillating}
    rotation = oscillation_ratios(points, frequency)
else:
    rotation = pd.DataFrame(columns=list(OSCILLATION_COLUMNS))
tasks = task_summary(networks, params.task_kinds, dimensions, rotation)

for row in growth.itertuples():
    log(f"{row.family:>10} {row.state:>9} {row.quantity:>7}: {row.model} rate {row.rate:+.3g} "
        f"[{row.rate_low:+.3g}, {row.rate_high:+.3g}] per dimension ({row.networks} networks)")
for row in claims.itertuples():
    log(f"{row.verdict:>13}  {row.claim}  (p {row.p_value:.3g}, adjusted {row.p_adjusted:.3g})")
for row in tasks[tasks["quantity"] == "rotation_ratio"].itertuples():
    log(f"{row.task} {row.state}: rotation at the fixed points / output frequency "
        f"{row.mean:.3g} [{row.ci_low:.3g}, {row.ci_high:.3g}]")

provenance = {"dimensions": params.dimensions, "networks_per_task": params.networks_per_task,
              "slowpoints": params.slowpoints}
outputs = {Path(p).stem: Path(p).with_suffix("") for p in snakemake.output}
artifacts.write_table(outputs["complexity"], growth, provenance,
                      title="Growth of the points per analysed input with the input dimension "
                      "D (report section 6, question 2): least-squares linear or exponential "
                      "model, whichever fits better; rate with its 95% bootstrap interval")
artifacts.write_table(outputs["complexity_counts"], per_dimension, provenance,
                      title="Points per analysed input at each input dimension (mean and 95% "
                      "BCa interval over networks)")
artifacts.write_table(outputs["complexity_tasks"], tasks, provenance,
                      title="Points per analysed input of every task, and the sine "
                      "generators' rotation at the fixed points over the output frequency")
artifacts.write_table(outputs["complexity_oscillation"], rotation, provenance,
                      title="Rotation of the linearised dynamics at each input's fixed point "
                      "(|Im lambda| / 2 pi, Hz) against the frequency the output should have")
artifacts.write_table(outputs["complexity_claims"], claims, provenance,
                      title="Does the count grow with complexity? (report section 6, "
                      "question 2)")
