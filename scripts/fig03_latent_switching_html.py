"""Snakemake entry point: the interactive Figure 3 of one task (rule fig03_latent_switching_html).

Draws the frames of the static Figure 3 (rule fig03_latent_switching) with plotly, into
one self-contained HTML page.
"""

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.figures.frames import switching_frames
from rnn_hypotheses.figures.interactive import switching_view, write_html
from rnn_hypotheses.figures.style import task_views
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
fig = switching_view(pd.concat(trajectories, ignore_index=True),
                     pd.concat(fixed_points, ignore_index=True),
                     view=task_views(snakemake.params.task_kinds)[task])
write_html(fig, snakemake.output[0], div_id=f"fig03-{task}-latent")
end_job()  # skips the interpreter's teardown (pipeline.end_job)
