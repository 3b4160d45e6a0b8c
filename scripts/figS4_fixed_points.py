"""Snakemake entry point: Figure S4 (rule figS4_fixed_points).

Each panel uses the first (up to three) dimensions of its network's own DCA subspace of
that state (latent_{state}.npz, the projection of Figures 2 and 3).
"""

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.figures.figS4_fixed_points import fixed_points_figure
from rnn_hypotheses.figures.frames import latent_view
from rnn_hypotheses.figures.style import condition_value_of, save_figure, task_views
from rnn_hypotheses.pipeline import end_job, job_log
from rnn_hypotheses.simulate import input_onset

job_log(snakemake.log[0])

inputs, params = snakemake.input, snakemake.params
views = task_views(params.task_kinds)
frames: list[list[pd.DataFrame]] = [[], [], []]
for k, (task, state) in enumerate(zip(params.tasks, params.states, strict=True)):
    sim = dict(artifacts.read_npz(inputs.simulations[k], ["r", "conditions", "kind", "time_ms"]))
    # the trajectories from the input's onset: a baseline at u = 0 is not drawn
    onset = input_onset(sim["time_ms"])
    sim["r"], sim["time_ms"] = sim["r"][onset:], sim["time_ms"][onset:]
    latent = artifacts.read_npz(inputs.latent[k], ["coef", "mean"])
    arrays = artifacts.read_npz(inputs.arrays[k], ["locations", "unstable_vectors",
                                                   "condition_autonomous"])
    points = artifacts.read_parquet(inputs.points[k], ["location", "method", "kind",
                                                       "condition", "label", "n_unstable"])
    # u = 0 is left out: no simulated trial runs without input, so its points lie
    # away from the trajectories this figure is about (Figure S5 shows them).
    parts = latent_view(task, state, sim, latent["coef"], latent["mean"], arrays, points,
                        include_autonomous=False,
                        condition_value=condition_value_of(views[task]))
    for frame, part in zip(frames, parts, strict=True):
        frame.append(part)
trajectories, points, modes = (pd.concat(f, ignore_index=True) for f in frames)
save_figure(fixed_points_figure(trajectories, points, modes, views, net=params.net,
                                axis_name="DC"), *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
