"""Figure 11: angles between the readout vector and the DCA and PCA latent spaces."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import STATE_COLOURS, TaskView, task_state_axes


def readout_angles_figure(angles: pd.DataFrame, bands: pd.DataFrame, chance: pd.DataFrame,
                          views: Mapping[str, TaskView], *,
                          states: tuple[str, ...] = ("trained", "untrained")) -> plt.Figure:
    """Draw Figure 11, every panel on the same axes.

    Parameters
    ----------
    angles : DataFrame
        task, net, state, space ("DCA" or "PCA"), angle (degrees between W_out and
        the network's d-dim subspace).
    bands : DataFrame
        task, state, space, mean, ci_low, ci_high, n.
    chance : DataFrame
        task, angle: the angle between a fixed vector and a random subspace of
        the same dimensions.
    views : mapping
        Task name -> :class:`TaskView`, in config order: one row per task, top to
        bottom, titled in the task's colour.
    states : tuple of str
        Columns left to right (the report: trained left).
    """
    tasks = list(views)
    spaces = ("DCA", "PCA")
    fig, axes = task_state_axes(tasks, states, width=3.3)
    for i, task in enumerate(tasks):
        for j, state in enumerate(states):
            ax = axes[i, j]
            colour = STATE_COLOURS[state]
            part = angles[(angles["task"] == task) & (angles["state"] == state)]
            wide = part.pivot_table(index="net", columns="space", values="angle")
            for _, row in wide.iterrows():  # one line per network joins its DCA and PCA angle
                ax.plot(range(len(spaces)), [row.get(s, np.nan) for s in spaces], color=colour,
                        lw=0.7, alpha=0.5, marker="o", ms=3)
            b = bands[(bands["task"] == task) & (bands["state"] == state)]
            b = b.set_index("space").reindex(list(spaces))
            ax.errorbar(np.arange(len(spaces)) + 0.12, b["mean"],
                        yerr=[b["mean"] - b["ci_low"], b["ci_high"] - b["mean"]], color="k",
                        lw=0, elinewidth=1.8, marker="s", ms=5, capsize=3,
                        label="mean over networks, 95% interval")
            level = chance.loc[chance["task"] == task, "angle"]
            if len(level):
                ax.axhline(level.iloc[0], color="0.5", ls="--", lw=1,
                           label="random subspace of the same dimensions")
                ax.annotate(f"{level.iloc[0]:.0f}°", (len(spaces) - 0.6, level.iloc[0]),
                            xytext=(-2, 2), textcoords="offset points", ha="right",
                            va="bottom", fontsize=7, color="0.4")
            ax.set_title(f"{task}, {state}", fontsize=9, color=views[task].colour)
            ax.set_xticks(range(len(spaces)), spaces)
            ax.set_xlim(-0.4, len(spaces) - 0.6)
            if j == 0:
                ax.set_ylabel("angle between $W_{out}$ and subspace (°)")
    # one legend for all panels, above them, where it hides no network
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=2, fontsize=7.5)
    return fig
