"""Snakemake entry point: Figure S4 (rule figS4_fixed_points).

Each panel uses the first (up to three) dimensions of its network's own DCA subspace of
that state (latent_{state}.npz, the projection of Figures 2 and 3).
"""

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.figures.figS4_fixed_points import fixed_points_figure
from rnn_hypotheses.figures.frames import latent_view
from rnn_hypotheses.figures.readers import read_fixed_point_panels
from rnn_hypotheses.figures.style import condition_value_of, save_figure, task_views
from rnn_hypotheses.pipeline import end_job, job_log

job_log(snakemake.log[0])

params = snakemake.params
views = task_views(params.task_kinds)
frames: list[list[pd.DataFrame]] = [[], [], []]
for panel in read_fixed_point_panels(snakemake.input, params.tasks, params.states):
    # u = 0 is left out: no simulated trial runs without input, so its points lie
    # away from the trajectories this figure is about (Figure S5 shows them).
    parts = latent_view(panel.task, panel.state, panel.sim, panel.coef, panel.mean,
                        panel.arrays, panel.points, include_autonomous=False,
                        condition_value=condition_value_of(views[panel.task]))
    for frame, part in zip(frames, parts, strict=True):
        frame.append(part)
trajectories, points, modes = (pd.concat(f, ignore_index=True) for f in frames)
# the drawn network's topology label per (task, state), where its task is a binary choice;
# a named input of one file reads as that path, of none as an empty list
topology = {}
if snakemake.input.topology:
    labels = artifacts.read_parquet(str(snakemake.input.topology),
                                    ["task", "net", "state", "label"])
    mine = labels[labels["net"] == params.net]
    topology = dict(zip(zip(mine["task"], mine["state"], strict=True), mine["label"],
                        strict=True))
save_figure(fixed_points_figure(trajectories, points, modes, views, net=params.net,
                                axis_name="DC", topology=topology), *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
