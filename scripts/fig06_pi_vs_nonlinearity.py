"""Snakemake entry point: Figure 6 (rule fig06_pi_vs_nonlinearity)."""

from rnn_hypotheses.analysis.stats import band
from rnn_hypotheses.figures.fig06_pi_vs_nonlinearity import pi_vs_nonlinearity_figure
from rnn_hypotheses.figures.style import save_figure, task_views
from rnn_hypotheses.pipeline import end_job, gather_parquet, job_log

job_log(snakemake.log[0])

table = gather_parquet(snakemake.input.tables, snakemake.params.tasks, snakemake.params.nets,
                       ["state", "theta", "pi"])
bands = band(table, ["task", "state", "theta"], "pi")
views = task_views(snakemake.params.task_kinds)
save_figure(pi_vs_nonlinearity_figure(table, bands, views), *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
