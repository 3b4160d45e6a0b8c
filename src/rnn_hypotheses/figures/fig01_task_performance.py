"""Figure 1: every task is performed with low error, one panel per configured task."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import TaskView, panel_grid

LINE_STYLES = ["-", ":", "-.", (0, (5, 1))]
# a legend over the curves of untrained networks stays readable
LEGEND = {"loc": "best", "fontsize": 7.5, "frameon": True, "framealpha": 0.8,
          "edgecolor": "none"}


def _by_condition(ax: plt.Axes, conditions: pd.DataFrame, view: TaskView) -> None:
    """The trial's mean output against the condition value, each network and their mean.

    Conditions with the same value are pooled: the curve is the output against, e.g.,
    input1 - input2 whatever the absolute levels.
    """
    pooled = conditions.assign(value=conditions["value"].round(6))
    curves = pooled.groupby(["net", "value"], as_index=False)["mean_output"].mean()
    for _, one in curves.groupby("net"):
        ax.plot(one["value"], one["mean_output"], color=view.colour, lw=0.6, alpha=0.5)
    mean = curves.groupby("value")["mean_output"].mean()
    ax.plot(mean.index, mean.to_numpy(), color=view.colour, lw=2.2, label="mean of networks")
    target = pooled.groupby("value")["target"].mean()
    ax.step(target.index, target.to_numpy(), where="mid", color="k", ls="--", lw=1,
            label="target (mean)")
    if view.condition_scale == "diverging":
        ax.axvline(0, color="0.8", lw=0.8, zorder=0)
    ax.set(xlabel=view.condition_label, ylabel="network output")
    ax.legend(**LEGEND)


def _over_time(ax: plt.Axes, traces: pd.DataFrame, view: TaskView) -> None:
    """The trial-averaged output over time per condition value, each network and their mean."""
    traces = traces.assign(value=traces["value"].round(6))
    for k, value in enumerate(np.sort(traces["value"].unique())):
        ls = LINE_STYLES[k % len(LINE_STYLES)]
        at_value = traces[traces["value"] == value]
        per_net = at_value.groupby(["net", "time_ms"], as_index=False)[["output", "target"]].mean()
        for _, one in per_net.groupby("net"):
            ax.plot(one["time_ms"], one["output"], color=view.colour, lw=0.6, alpha=0.4, ls=ls)
        mean = per_net.groupby("time_ms")["output"].mean()
        ax.plot(mean.index, mean.to_numpy(), color=view.colour, lw=2.2, ls=ls,
                label=f"{view.condition_label} {value:g}")
        target = per_net.groupby("time_ms")["target"].mean()
        ax.plot(target.index, target.to_numpy(), color="k", lw=1, ls="--")
    ax.plot([], [], color="k", lw=1, ls="--", label="targets")
    ax.set(xlabel="time (ms)", ylabel="network output")
    ax.legend(**LEGEND)


PANELS = {"by_condition": _by_condition, "over_time": _over_time}
"""Figure 1's panel of each performance view (:attr:`TaskView.performance_view`)."""


def task_performance_figure(conditions: pd.DataFrame, traces: pd.DataFrame,
                            views: Mapping[str, TaskView]) -> plt.Figure:
    """Draw Figure 1: one panel per task, in the order of ``views``.

    Parameters
    ----------
    conditions : DataFrame
        Evaluation conditions of every network: task, net, value (the condition value
        of the task's kind), mean_output (trial mean over the second half of the
        trial), target. Drawn for views whose performance_view is "by_condition".
    traces : DataFrame
        Trial-averaged output over time of every network and condition: task, net,
        value, time_ms, output, target. Drawn for views whose performance_view is
        "over_time".
    views : mapping
        Task name -> :class:`TaskView`, in config order.
    """
    nrows, ncols = panel_grid(len(views), max_cols=3)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.3 * nrows),
                             constrained_layout=True, squeeze=False)
    for ax in axes.flat[len(views):]:
        ax.set_visible(False)
    for ax, (task, view) in zip(axes.flat, views.items(), strict=False):
        frame = conditions if view.performance_view == "by_condition" else traces
        part = frame[frame["task"] == task]
        PANELS[view.performance_view](ax, part, view)
        ax.set_title(f"{task} ({part['net'].nunique()} networks)", color=view.colour)
    return fig
