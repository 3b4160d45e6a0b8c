"""Snakemake entry point: Figure S5 (rule figS5_slow_point_counts)."""

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.slowpoint_analysis import COUNT_QUANTITIES, PER_SECOND
from rnn_hypotheses.figures.figS5_slow_point_counts import slow_point_counts_figure
from rnn_hypotheses.figures.frames import spectrum_frame, with_condition_values
from rnn_hypotheses.figures.style import condition_value_of, save_figure, task_views
from rnn_hypotheses.pipeline import end_job, gather_parquet, job_log

job_log(snakemake.log[0])

inputs, params = snakemake.input, snakemake.params
views = task_views(params.task_kinds)
values = {task: condition_value_of(view) for task, view in views.items()}
example = params.example_task
stats = artifacts.read_parquet(inputs.networks, ["task", "net", "state",
                                                *(q.key for q in COUNT_QUANTITIES)])
counts = artifacts.read_parquet(inputs.counts, ["task", "state", "quantity", "mean", "ci_low",
                                                "ci_high"])
conditions = gather_parquet(inputs.conditions, params.tasks, params.nets,
                            ["state", "condition", "label", "autonomous", "n_stable",
                             "n_saddle", "dominant_slowest_rate"])

spectra = []
for points_path, arrays_path, state in zip(inputs.points, inputs.example, params.example_states,
                                           strict=True):
    arrays = artifacts.read_npz(arrays_path, ["eigenvalues", "condition_autonomous"])
    mine = artifacts.read_parquet(points_path, ["state", "condition", "method", "kind",
                                                "n_hits", "location"]).drop(
        columns=["task", "net"])
    spectra.append(spectrum_frame(arrays, mine, example, state,
                                  condition_value=values[example]))

held = with_condition_values(conditions[~conditions["autonomous"].astype(bool)], values)
rates = held[["task", "net", "state", "value"]].assign(
    rate=held["dominant_slowest_rate"] * PER_SECOND)
per_condition = conditions.loc[conditions["task"] == example,
                               ["net", "state", "condition", "label", "n_stable", "n_saddle"]]
fig = slow_point_counts_figure(stats, counts, pd.concat(spectra, ignore_index=True), rates,
                               per_condition, views, example_task=example, net=params.net)
save_figure(fig, *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
