"""Snakemake entry point: Figure S7 (rule figS7_latent_sensitivity)."""

from rnn_hypotheses import artifacts
from rnn_hypotheses.figures.figS7_latent_sensitivity import latent_sensitivity_figure
from rnn_hypotheses.figures.style import save_figure, task_views
from rnn_hypotheses.pipeline import end_job, job_log

job_log(snakemake.log[0])

table = artifacts.read_parquet(snakemake.input[0], ["drop_ms", "main", "key", "task", "state",
                                                   "claim", "mean", "ci_low", "ci_high",
                                                   "verdict", "window_dependent"])
views = task_views(snakemake.params.task_kinds)
save_figure(latent_sensitivity_figure(table, views), *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
