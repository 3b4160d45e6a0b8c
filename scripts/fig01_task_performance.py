"""Snakemake entry point: Figure 1 (rule fig01_task_performance)."""

from rnn_hypotheses.figures.fig01_task_performance import task_performance_figure
from rnn_hypotheses.figures.style import save_figure
from rnn_hypotheses.pipeline import gather_parquet, job_log

job_log(snakemake.log[0])

nets = snakemake.params.nets
decision = gather_parquet(snakemake.input.decision, ["decision"] * len(nets), nets,
                          ["difference", "mean_output", "target"])
perception = gather_parquet(snakemake.input.perception, ["perception"] * len(nets), nets,
                            ["input1", "time_ms", "output", "target"])
save_figure(task_performance_figure(decision, perception), *snakemake.output)
