"""Snakemake entry point: tables/topology and topology_counts (rule topology; issue 15).

Each network of a binary-decision task, in both states, labelled bistable, line attractor
or other from its fixed points, slow regions and spectra
(rnn_hypotheses.analysis.topology); the untrained state is the control.
"""

from pathlib import Path

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.stats import adjust_claims
from rnn_hypotheses.analysis.topology import (
    TopologyCriteria,
    classify_network,
    topology_claims,
    topology_counts,
)
from rnn_hypotheses.pipeline import end_job, job_log
from rnn_hypotheses.tasks import KINDS

log = job_log(snakemake.log[0])
params = snakemake.params
criteria = TopologyCriteria.from_config(params.criteria)
rows = []
for points_path, conditions_path, arrays_path, task, net, state in zip(
        snakemake.input.points, snakemake.input.conditions, snakemake.input.arrays,
        params.tasks, params.nets, params.states, strict=True):
    points = artifacts.read_parquet(points_path, ["condition", "method", "kind", "n_unstable",
                                                  "max_real_eig", "location"])
    conditions = artifacts.read_parquet(conditions_path, ["condition", "autonomous"])
    locations = artifacts.read_npz(arrays_path, ["locations"])["locations"]
    kind = KINDS[params.task_kinds[task]]
    found = classify_network(points, conditions, locations, kind.condition_value, criteria)
    rows.append({"task": task, "net": net, "state": state, **found})
    log(f"{task}/{net} {state}: {found['label']} ({found['n_ambiguous']} ambiguous input(s), "
        f"at most {found['ambiguous_stable']:.0f} stable and "
        f"{found['ambiguous_separatrices']:.0f} one-unstable saddle(s) there; at most "
        f"{found['line_points']:.0f} point(s) within {criteria.line_rate:g}/s of zero at one "
        f"input; rate nearest zero {found['slowest_rate']:.3g}/s)")
labels = pd.DataFrame(rows)
counts = topology_counts(labels)
for row in counts.to_dict("records"):
    log(f"{row['task']} {row['state']}: {row['networks']} networks, {row['bistable']} "
        f"bistable, {row['line attractor']} line attractor(s), {row['other']} other; "
        f"{row['no_ambiguous_input']} analysed at no ambiguous input")
provenance = {"questions_topology": params.criteria, "slowpoints": params.slowpoints}
tables = {Path(p).stem: Path(p).with_suffix("") for p in snakemake.output}
artifacts.write_table(tables["topology"], labels, provenance,
                      title="Topology of each binary-decision network (bistable: two "
                      "attractors and a saddle at an ambiguous input; line attractor: "
                      "collinear slow points; other)")
artifacts.write_table(tables["topology_counts"], counts, provenance,
                      title="Networks per topology label, per task and state")
# BH over this table's claims; the hypotheses table adjusts over the whole run
claims = adjust_claims(topology_claims(labels), "claims table topology_claims")
for row in claims.itertuples():
    log(f"{row.verdict:>13}  {row.claim}  (mean {row.mean:.3g}, p {row.p_value:.3g})")
artifacts.write_table(tables["topology_claims"], claims, provenance,
                      title="Does training make the decision networks bistable?")
end_job()  # skips the interpreter's teardown (pipeline.end_job)
