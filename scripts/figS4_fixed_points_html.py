"""Snakemake entry point: the interactive Figure S4 (rule figS4_fixed_points_html).

The frames of the static Figure S4 (rule figS4_fixed_points, the same projection: each
panel in its network's own DCA subspace of that state), with each trial's inputs and
each point's and unstable mode's eigenvalue added for the hover text, drawn with plotly
into one self-contained HTML page.
"""

import pandas as pd

from rnn_hypotheses.figures.frames import latent_view
from rnn_hypotheses.figures.interactive import (
    fixed_points_view,
    with_eigenvalues,
    with_trial_inputs,
    write_html,
)
from rnn_hypotheses.figures.readers import read_fixed_point_panels
from rnn_hypotheses.figures.style import condition_value_of, task_views
from rnn_hypotheses.pipeline import end_job, job_log

job_log(snakemake.log[0])

params = snakemake.params
views = task_views(params.task_kinds)
frames: list[list[pd.DataFrame]] = [[], [], []]
for panel in read_fixed_point_panels(snakemake.input, params.tasks, params.states,
                                     array_fields=["eigenvalues"]):
    # u = 0 left out, as in the static figure: no simulated trial runs without input
    trajectories, located, modes = latent_view(
        panel.task, panel.state, panel.sim, panel.coef, panel.mean, panel.arrays,
        panel.points, include_autonomous=False,
        condition_value=condition_value_of(views[panel.task]))
    located, modes = with_eigenvalues(located, modes, panel.arrays["eigenvalues"])
    for frame, part in zip(frames, (with_trial_inputs(trajectories, panel.sim["conditions"]),
                                    located, modes), strict=True):
        frame.append(part)
trajectories, points, modes = (pd.concat(f, ignore_index=True) for f in frames)
write_html(fixed_points_view(trajectories, points, modes, views, net=params.net,
                             axis_name="DC"), snakemake.output[0], div_id="figS4-fixed-points")
end_job()  # skips the interpreter's teardown (pipeline.end_job)
