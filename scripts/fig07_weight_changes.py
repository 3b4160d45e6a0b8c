"""Snakemake entry point: Figure 7 (rule fig07_weight_changes)."""

from rnn_hypotheses import artifacts
from rnn_hypotheses.figures.fig07_weight_changes import weight_changes_figure
from rnn_hypotheses.figures.frames import eigenvalue_frame, pooled_histogram
from rnn_hypotheses.figures.style import save_figure, task_views
from rnn_hypotheses.pipeline import end_job, gather_parquet, job_log

job_log(snakemake.log[0])

tasks, nets = snakemake.params.tasks, snakemake.params.nets
histogram = pooled_histogram(gather_parquet(snakemake.input.changes, tasks, nets,
                                            ["bin_low", "bin_high", "count"]))
summary = gather_parquet(snakemake.input.summaries, tasks, nets,
                         ["weight_std_init", "change_top_share", "change_top_share_gaussian"])
pairs = [artifacts.read_npz(p, ["eig_init", "eig_final", "magnitude_change", "growth_rank"])
         for p in snakemake.input.eigenvalues]
eigenvalues = eigenvalue_frame(tasks, nets, pairs, marked=snakemake.params.marked)
views = task_views(snakemake.params.task_kinds)
save_figure(weight_changes_figure(histogram, eigenvalues, summary, views,
                                  top_fraction=snakemake.params.top_fraction),
            *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
