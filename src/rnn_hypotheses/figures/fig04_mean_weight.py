"""Figure 4: the mean recurrent weight falls during training."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd

from .style import TaskView


def mean_weight_figure(traces: pd.DataFrame, bands: pd.DataFrame,
                       views: Mapping[str, TaskView]) -> plt.Figure:
    """Draw Figure 4.

    Parameters
    ----------
    traces : DataFrame
        One row per logged step of every network: task, net, step, mean_weight
        (mean off-diagonal W_rec, dimensionless).
    bands : DataFrame
        Per task and step: task, step, mean, ci_low, ci_high (mean over networks and
        its 95% interval).
    views : mapping
        Task name -> :class:`TaskView`, in config order: one curve per task, in its colour.
    """
    fig, ax = plt.subplots(figsize=(5.5, 3.4), constrained_layout=True)
    ax.axhline(0.0, color="0.6", lw=0.8, zorder=0)
    for task, view in views.items():
        colour = view.colour
        one_task = traces[traces["task"] == task]
        for _, one in one_task.groupby("net"):
            ax.plot(one["step"], one["mean_weight"], color=colour, lw=0.5, alpha=0.45)
        band = bands[bands["task"] == task]
        ax.fill_between(band["step"], band["ci_low"], band["ci_high"], color=colour, alpha=0.25,
                        lw=0)
        ax.plot(band["step"], band["mean"], color=colour, lw=2.0,
                label=f"{task} (mean of {one_task['net'].nunique()}, 95% interval)")
    ax.set(xlabel="training step", ylabel="mean off-diagonal weight of $W_{rec}$",
           title="Mean recurrent weight during training")
    ax.ticklabel_format(axis="y", style="sci", scilimits=(-2, 2))
    ax.legend(loc="best")
    return fig
