"""Snakemake entry point: Figure S3 (rule figS3_dca_uniqueness)."""

from rnn_hypotheses.figures.figS3_dca_uniqueness import dca_uniqueness_figure
from rnn_hypotheses.figures.style import save_figure, task_views
from rnn_hypotheses.pipeline import end_job, gather_parquet, job_log

job_log(snakemake.log[0])

restarts = gather_parquet(snakemake.input.restarts, snakemake.params.tasks,
                          snakemake.params.nets,
                          ["state", "restart", "pi_gap", "max_angle", "same_as_best"])
per_net = restarts.groupby(["task", "state", "net"], as_index=False)["same_as_best"].mean()
shares = (per_net.assign(all_same=per_net["same_as_best"] >= 1.0)
          .groupby(["task", "state"], as_index=False)
          .agg(share=("same_as_best", "mean"), n_networks=("net", "size"),
               n_all=("all_same", "sum")))
views = task_views(snakemake.params.task_kinds)
fig = dca_uniqueness_figure(restarts, shares, views,
                            unique_angle_deg=snakemake.params.unique_angle_deg)
save_figure(fig, *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
