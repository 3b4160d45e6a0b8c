"""Figure 10: angles between the DCA subspaces of the two input conditions."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import STATE_COLOURS, TaskView, task_state_axes


def subspace_conditions_figure(angles: pd.DataFrame, bands: pd.DataFrame,
                               views: Mapping[str, TaskView], *,
                               states: tuple[str, ...] = ("trained", "untrained")
                               ) -> plt.Figure:
    """Draw Figure 10.

    Parameters
    ----------
    angles : DataFrame
        task, net, state, dim (1 = smallest), angle (degrees between the DCA
        subspaces of the task's two input conditions), conditions (the two
        condition labels, e.g. "input 0.5 vs input 0.8").
    bands : DataFrame
        task, state, dim, mean, ci_low, ci_high, n.
    views : mapping
        Task name -> :class:`TaskView`, in config order: one row per task, top to
        bottom, titled in the task's colour.
    states : tuple of str
        Columns left to right (the report: trained left).
    """
    tasks = list(views)
    fig, axes = task_state_axes(tasks, states, width=3.4)
    rng = np.random.default_rng(0)  # horizontal jitter only
    for i, task in enumerate(tasks):
        for j, state in enumerate(states):
            ax = axes[i, j]
            colour = STATE_COLOURS[state]
            part = angles[(angles["task"] == task) & (angles["state"] == state)]
            for _, one in part.groupby("net"):
                one = one.sort_values("dim")
                ax.plot(one["dim"] + rng.uniform(-0.08, 0.08), one["angle"], color=colour,
                        lw=0.6, alpha=0.45, marker="o", ms=2.5)
            b = bands[(bands["task"] == task) & (bands["state"] == state)].sort_values("dim")
            ax.errorbar(b["dim"], b["mean"], yerr=[b["mean"] - b["ci_low"],
                        b["ci_high"] - b["mean"]], color="k", lw=1.8, marker="s", ms=5,
                        capsize=3, label="mean, 95% interval")
            conditions = part["conditions"].iloc[0] if len(part) else ""
            ax.set_title(f"{task}, {state}\n{conditions}", fontsize=9,
                         color=views[task].colour)
            ax.set_xticks(np.sort(part["dim"].unique()) if len(part) else [])
            if i == len(tasks) - 1:
                ax.set_xlabel("principal angle (1 = smallest)")
            if j == 0:
                ax.set_ylabel("angle between condition subspaces (°)")
    axes[0, 0].set_ylim(0, 92)
    axes[0, 0].legend(loc="lower right", fontsize=7.5)
    return fig
