"""Figure 6: maximal predictive information against the nonlinearity, trained vs untrained."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .fig05_leaky_relu import theta_label
from .style import STATE_COLOURS, TaskView, panel_grid


def pi_vs_nonlinearity_figure(per_network: pd.DataFrame, bands: pd.DataFrame,
                              views: Mapping[str, TaskView]) -> plt.Figure:
    """Draw Figure 6.

    Parameters
    ----------
    per_network : DataFrame
        task, net, state, theta (radians), pi (nats): the maximal PI of a d-dim
        DCA projection of each network at each leaky-ReLU angle.
    bands : DataFrame
        task, state, theta, mean, ci_low, ci_high, n: mean over networks and its
        95% bootstrap interval.
    views : mapping
        Task name -> :class:`TaskView`, in config order: one panel per task, left to
        right (four to a row), titled in the task's colour.
    """
    nrows, ncols = panel_grid(len(views))
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.6 * nrows),
                             constrained_layout=True, squeeze=False)
    for ax in axes.flat[len(views):]:
        ax.set_visible(False)
    thetas = np.sort(per_network["theta"].unique())
    for ax, (task, view) in zip(axes.flat, views.items(), strict=False):
        for state in ("untrained", "trained"):
            colour = STATE_COLOURS[state]
            nets = per_network[(per_network["task"] == task) & (per_network["state"] == state)]
            for _, one in nets.groupby("net"):
                one = one.sort_values("theta")
                ax.plot(one["theta"], one["pi"], color=colour, lw=0.6, alpha=0.35)
            b = bands[(bands["task"] == task) & (bands["state"] == state)].sort_values("theta")
            ax.fill_between(b["theta"], b["ci_low"], b["ci_high"], color=colour, alpha=0.25, lw=0)
            n = int(b["n"].max()) if len(b) else 0
            ax.plot(b["theta"], b["mean"], color=colour, lw=2.2, marker="o", ms=3.5,
                    label=f"{state} (mean of {n}, 95% interval)")
        ax.set_xticks(thetas, [theta_label(t) for t in thetas])
        ax.set(xlabel="leaky-ReLU angle θ (0: ReLU, π/4: linear)",
               ylabel="maximal PI of the DCA projection (nats)")
        ax.set_title(task, color=view.colour)
        ax.legend(loc="upper left")
    return fig
