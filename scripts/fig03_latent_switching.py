"""Snakemake entry point: Figure 3 of one task (rule fig03_latent_switching)."""

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.figures.fig03_latent_switching import latent_switching_figure
from rnn_hypotheses.figures.frames import switching_frames
from rnn_hypotheses.figures.style import save_figure
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
    trajectory, steady = switching_frames(arrays, net, state)
    trajectories.append(trajectory)
    fixed_points.append(steady)
fig = latent_switching_figure(pd.concat(trajectories, ignore_index=True),
                              pd.concat(fixed_points, ignore_index=True),
                              task=task)
save_figure(fig, *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
