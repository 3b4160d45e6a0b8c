"""Figure 3: one task's trajectory with the input switching, in a 3-D DCA projection
(2-D for a 2-D subspace; a 1-D one against time).

Drawn for every task whose kind's latent view is "switching" (the report's perception
task).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import add_latent_axes, latent_dims, latent_xyz, style_latent_axes

LEVEL_COLOURS = ("#1f5fbf", "#d62728")  # lower and higher level the trial switches between
OTHER_LEVEL = "0.6"  # steady states of levels the switching trial never receives


def _nearest(values: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Index of the level nearest to each (noisy) input value."""
    return np.abs(np.asarray(values, float)[:, None] - levels[None, :]).argmin(1)


def latent_switching_figure(trajectories: pd.DataFrame, fixed_points: pd.DataFrame, *,
                            task: str) -> plt.Figure:
    """Draw Figure 3 of one task.

    Parameters
    ----------
    trajectories : DataFrame
        net, state, time_ms, input, dc1, dc2, dc3: one switching trial of each
        network and state in the coordinates of its DCA subspace, one row per step.
    fixed_points : DataFrame
        net, state, input, dc1, dc2, dc3: steady states of the held trials at
        each input level in the same coordinates. With fewer latent dimensions the
        missing columns are absent; one dimension is drawn against time, steady
        states at the end of the trial.
    task : str
        The task's name, for the titles.

    Rows: untrained (top), trained (bottom). Columns: networks.
    """
    nets = sorted(trajectories["net"].unique())
    dims = latent_dims(trajectories, "dc")
    end_ms = float(trajectories["time_ms"].max())
    levels = np.sort(fixed_points["input"].unique())
    # the levels the switching trial alternates between, in their colours; any other
    # level's steady state is grey
    switching = np.unique(_nearest(trajectories["input"], levels))
    colours = {int(k): LEVEL_COLOURS[i % len(LEVEL_COLOURS)] for i, k in enumerate(switching)}
    states = ("untrained", "trained")
    fig = plt.figure(figsize=(3.4 * len(nets), 3.5 * len(states)), constrained_layout=True)
    subfigs = fig.subfigures(len(states), 1)
    for subfig, state in zip(subfigs, states, strict=True):
        subfig.suptitle(f"{task}, {state} networks: input switching between "
                        + " and ".join(f"{v:g}" for v in levels[switching]), fontsize=9.5)
        for j, net in enumerate(nets):
            ax = add_latent_axes(subfig, 1, len(nets), j + 1, dims=dims)
            traj = trajectories[(trajectories["net"] == net) & (trajectories["state"] == state)]
            traj = traj.sort_values("time_ms")
            # with one latent dimension it is drawn against time
            xyz = np.column_stack(latent_xyz(traj, "dc", dims, "time_ms"))
            level_index = _nearest(traj["input"], levels)
            # draw step by step so that each segment takes the colour of its input
            for t in range(1, len(xyz)):
                ax.plot(*xyz[t - 1 : t + 1].T, color=colours[int(level_index[t])], lw=1.0)
            ax.scatter(*xyz[0], color="k", s=18, marker="^", label="start (r = 0 at t = 0)")
            fp = fixed_points[(fixed_points["net"] == net) & (fixed_points["state"] == state)]
            for k, level in enumerate(levels):
                point = fp[np.isclose(fp["input"], level)]
                ax.scatter(*latent_xyz(point, "dc", dims, np.full(len(point), end_ms)), s=60,
                           marker="*",
                           color=colours.get(k, OTHER_LEVEL), edgecolor="k", lw=0.5,
                           label=f"steady state, input {level:g}")
            ax.set_title(net, fontsize=9)
            style_latent_axes(ax, dims=dims, along_label="time (ms)")
            if j == 0:
                ax.legend(loc="upper left", fontsize=6.5)
    return fig
