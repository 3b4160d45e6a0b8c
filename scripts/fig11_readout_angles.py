"""Snakemake entry point: Figure 11 (rule fig11_readout_angles)."""

from rnn_hypotheses.analysis.stats import band
from rnn_hypotheses.figures.fig11_readout_angles import readout_angles_figure
from rnn_hypotheses.figures.style import save_figure, task_views
from rnn_hypotheses.pipeline import end_job, gather_parquet, job_log

job_log(snakemake.log[0])

summary = gather_parquet(snakemake.input.tables, snakemake.params.tasks, snakemake.params.nets,
                         ["state", "readout_dca", "readout_pca", "readout_chance"])
angles = summary.melt(id_vars=["task", "net", "state"], value_vars=["readout_dca", "readout_pca"],
                      var_name="space", value_name="angle")
angles["space"] = angles["space"].str.removeprefix("readout_").str.upper()
bands = band(angles, ["task", "state", "space"], "angle")
chance = summary.groupby("task", as_index=False).agg(angle=("readout_chance", "mean"))
views = task_views(snakemake.params.task_kinds)
save_figure(readout_angles_figure(angles, bands, chance, views), *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
