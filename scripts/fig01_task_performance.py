"""Snakemake entry point: Figure 1 (rule fig01_task_performance)."""

from rnn_hypotheses.figures.fig01_task_performance import task_performance_figure
from rnn_hypotheses.figures.frames import with_condition_values
from rnn_hypotheses.figures.style import condition_value_of, save_figure, task_views
from rnn_hypotheses.pipeline import end_job, gather_parquet, job_log

job_log(snakemake.log[0])

params = snakemake.params
views = task_views(params.task_kinds)
values = {task: condition_value_of(view) for task, view in views.items()}
conditions = gather_parquet(snakemake.input.conditions, params.tasks, params.nets,
                            ["input1", "mean_output", "target"])
traces = gather_parquet(snakemake.input.traces, params.tasks, params.nets,
                        ["input1", "time_ms", "output", "target"])
fig = task_performance_figure(with_condition_values(conditions, values),
                              with_condition_values(traces, values), views)
save_figure(fig, *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
