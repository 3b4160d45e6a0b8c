"""Figure S1 (omitted from the report): non-normality of W_rec through training."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd

from .style import TaskView

NORMS = {
    "henrici": "Frobenius norm $\\|U\\|_F$ (Henrici's departure)",
    "spectral": "2-norm $\\|U\\|_2$ (the report's measure)",
    "frobenius": "$\\|W_{rec}\\|_F$ (for comparison)",
}
"""The quantities drawn, one panel each: column -> axis label (its title is the part before
" (")."""


def nonnormality_figure(traces: pd.DataFrame, bands: pd.DataFrame,
                        views: Mapping[str, TaskView],
                        report: tuple[float, float] = (16.5, 17.5)) -> plt.Figure:
    """Draw Figure S1: one panel per norm of the strictly upper Schur part U.

    Parameters
    ----------
    traces : DataFrame
        One row per snapshot of every network: task, net, step and the columns of
        :data:`NORMS` (henrici, spectral, frobenius).
    bands : DataFrame
        task, norm (a key of :data:`NORMS`), step, mean, ci_low, ci_high.
    views : mapping
        Task name -> :class:`TaskView`, in config order: one curve per task, in its colour.
    report : (float, float)
        The values the report quotes (start and end of training), written in each panel.
    """
    fig, axes = plt.subplots(1, len(NORMS), figsize=(12, 3.6), constrained_layout=True)
    for ax, (norm, label) in zip(axes, NORMS.items(), strict=True):
        for task, view in views.items():
            colour = view.colour
            one_task = traces[traces["task"] == task]
            for _, one in one_task.groupby("net"):
                ax.plot(one["step"], one[norm], color=colour, lw=0.5, alpha=0.45)
            band = bands[(bands["task"] == task) & (bands["norm"] == norm)]
            ax.fill_between(band["step"], band["ci_low"], band["ci_high"], color=colour,
                            alpha=0.25, lw=0)
            first, last = band["mean"].iloc[0], band["mean"].iloc[-1]
            ax.plot(band["step"], band["mean"], color=colour, lw=2.0,
                    label=f"{task}: {first:.3g} $\\to$ {last:.3g}")
        ax.set(xlabel="training step", ylabel=label, title=label.split(" (")[0])
        # the legend goes where the curves are not: the report's 2-norm of the larger
        # networks climbs through the middle of its panel, the other quantities stay level
        ax.legend(loc="upper left" if norm == "spectral" else "center left", fontsize=7.5,
                  title_fontsize=7.5,
                  title=f"mean of networks (report: about {report[0]:g} $\\to$ {report[1]:g})")
    fig.suptitle("Departure from normality of $W_{rec}$ (Schur form $W = Q(D + U)Q^*$)")
    return fig
