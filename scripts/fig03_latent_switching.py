"""Snakemake entry point: Figure 3 of one task (rule fig03_latent_switching)."""

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.figures.fig03_latent_switching import latent_switching_figure
from rnn_hypotheses.figures.style import latent_columns, save_figure
from rnn_hypotheses.pipeline import end_job, job_log

job_log(snakemake.log[0])
task = snakemake.wildcards.task

trajectories, fixed_points = [], []
for path, net, state in zip(snakemake.input.arrays, snakemake.params.nets,
                            snakemake.params.states, strict=True):
    arrays = artifacts.read_npz(path, ["switching", "switching_inputs", "time_ms",
                                       "steady_levels", "steady"])
    if arrays["switching"].shape[1] == 0:
        raise artifacts.ArtifactError(f"{path}: no switching trial "
                                      f"(tasks.{task}.switching_trials)")
    one = arrays["switching"][:, 0]  # the first switching trial, (time, d)
    trajectories.append(pd.DataFrame({
        "net": net, "state": state, "time_ms": arrays["time_ms"],
        "input": arrays["switching_inputs"][:, 0],
        **latent_columns(one, "dc")}))
    steady = arrays["steady"]
    fixed_points.append(pd.DataFrame({
        "net": net, "state": state, "input": arrays["steady_levels"][:, 0],
        **latent_columns(steady, "dc")}))
fig = latent_switching_figure(pd.concat(trajectories, ignore_index=True),
                              pd.concat(fixed_points, ignore_index=True),
                              task=task)
save_figure(fig, *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
