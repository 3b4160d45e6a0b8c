"""Snakemake entry point: Figure 9 (rule fig09_subspace_pre_post)."""

from rnn_hypotheses.analysis.stats import band
from rnn_hypotheses.figures.fig09_subspace_pre_post import subspace_pre_post_figure
from rnn_hypotheses.figures.style import save_figure, task_views
from rnn_hypotheses.pipeline import end_job, gather_parquet, job_log

job_log(snakemake.log[0])

angles = gather_parquet(snakemake.input.tables, snakemake.params.tasks, snakemake.params.nets,
                        ["dim", "angle_dca", "chance"])
bands = band(angles, ["task", "dim"], "angle_dca")
views = task_views(snakemake.params.task_kinds)
fig = subspace_pre_post_figure(angles, bands, views,
                               orthogonal_deg=snakemake.params.orthogonal_deg)
save_figure(fig, *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
