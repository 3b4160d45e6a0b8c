"""Snakemake entry point: Figure 4 (rule fig04_mean_weight)."""

from rnn_hypotheses.figures.fig04_mean_weight import mean_weight_figure
from rnn_hypotheses.figures.frames import step_band
from rnn_hypotheses.figures.style import save_figure, task_views
from rnn_hypotheses.pipeline import end_job, gather_parquet, job_log

job_log(snakemake.log[0])

traces = gather_parquet(snakemake.input.histories, snakemake.params.tasks, snakemake.params.nets,
                        ["step", "mean_weight"])
bands = step_band(traces, "mean_weight")
views = task_views(snakemake.params.task_kinds)
save_figure(mean_weight_figure(traces, bands, views), *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
