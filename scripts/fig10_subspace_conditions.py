"""Snakemake entry point: Figure 10 (rule fig10_subspace_conditions)."""

from rnn_hypotheses.analysis.stats import band
from rnn_hypotheses.figures.fig10_subspace_conditions import subspace_conditions_figure
from rnn_hypotheses.figures.style import save_figure, task_views
from rnn_hypotheses.pipeline import end_job, gather_parquet, job_log

job_log(snakemake.log[0])

summary = gather_parquet(snakemake.input.tables, snakemake.params.tasks, snakemake.params.nets,
                         ["state", "condition_a", "condition_b", "condition_angle_1"])
columns = sorted((c for c in summary.columns if c.startswith("condition_angle_")
                  and c.removeprefix("condition_angle_").isdigit()),
                 key=lambda c: int(c.removeprefix("condition_angle_")))
summary["conditions"] = summary["condition_a"] + " vs " + summary["condition_b"]
angles = summary.melt(id_vars=["task", "net", "state", "conditions"], value_vars=columns,
                      var_name="dim", value_name="angle")
angles["dim"] = angles["dim"].str.removeprefix("condition_angle_").astype(int)
bands = band(angles, ["task", "state", "dim"], "angle")
views = task_views(snakemake.params.task_kinds)
save_figure(subspace_conditions_figure(angles, bands, views), *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
