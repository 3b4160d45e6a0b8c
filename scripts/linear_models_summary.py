"""Snakemake entry point: question 7 over networks (rule linear_models_summary).

Gathers every network's linear_models_{state}.parquet into the summary per task and state
and the claims table: does the fitted model depart from the Jacobian's map beyond sampling
error, and does the Jacobian's map predict beyond the noise's typical distance
(rnn_hypotheses.analysis.linear_models).
"""

from pathlib import Path

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.linear_models import (
    linear_model_claims,
    linear_model_summary,
    network_statistics,
)
from rnn_hypotheses.analysis.stats import adjust_claims
from rnn_hypotheses.pipeline import end_job, job_log

log = job_log(snakemake.log[0])
params = snakemake.params
columns = ["jacobian_error", "surrogate_error", "eigenvalue_error", "valid_radius",
           "valid_radius_relative", "jacobian_valid_radius", "jacobian_valid_radius_relative",
           "slowest_rate_fit", "slowest_rate_jacobian", "slowest_rate_full", "flipped_units",
           "n_trials"]
parts = [artifacts.read_parquet(path, columns).assign(task=task, net=net, state=state)
         for path, task, net, state in zip(snakemake.input, params.tasks, params.nets,
                                           params.states, strict=True)]
points = pd.concat(parts, ignore_index=True)
# every network analysed, those without a fitted point included (their claims: not measurable)
networks = pd.DataFrame({"task": params.tasks, "net": params.nets, "state": params.states})
margin = params.claims["equivalence_margin"]
summary = linear_model_summary(points, networks, equivalence_margin=margin)
for row in summary.itertuples():
    log(f"{row.task} {row.state}: {row.fitted_points} of {row.stable_points} stable points "
        f"fitted in {row.networks} networks; error {row.jacobian_error:.3g} against the "
        f"Jacobian (sampling alone {row.surrogate_error:.3g}); valid to "
        f"{row.jacobian_valid_radius_relative:.3g} typical distances")
per_network = network_statistics(points, networks)
claims = adjust_claims(
    linear_model_claims(per_network, equivalence_margin=margin),
    "claims table linear_model_claims")
for row in claims.itertuples():
    log(f"{row.verdict:>15}  {row.claim}  (mean {row.mean:.3g}, p {row.p_value:.3g})")
provenance = {"questions_linear_model_claims": params.claims}
tables = {Path(p).stem: Path(p).with_suffix("") for p in snakemake.output}
artifacts.write_table(tables["linear_models_summary"], summary, provenance,
                      title="Linear models near the stable fixed points, per task and state "
                      "(medians over fitted points)")
artifacts.write_table(tables["linear_model_claims"], claims, provenance,
                      title="Is the slow dynamics near the stable points the Jacobian's, and "
                      "how far does it hold?")
end_job()  # skips the interpreter's teardown (pipeline.end_job)
