"""Figure 9: principal angles between the DCA subspaces before and after training."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import TaskView, panel_grid


def subspace_pre_post_figure(angles: pd.DataFrame, bands: pd.DataFrame,
                             views: Mapping[str, TaskView], *,
                             orthogonal_deg: float | None = None) -> plt.Figure:
    """Draw Figure 9.

    Parameters
    ----------
    angles : DataFrame
        task, net, dim (1 = smallest principal angle), angle_dca (degrees, between
        the untrained and the trained DCA subspace), chance (mean angle of that rank
        between two random subspaces of the same dimensions).
    bands : DataFrame
        task, dim, mean, ci_low, ci_high, n: mean of angle_dca over networks.
    views : mapping
        Task name -> :class:`TaskView`, in config order: one panel per task, left to
        right (four to a row), in the task's colour.
    orthogonal_deg : float, optional
        The claims table's "nearly orthogonal" threshold, drawn as a line.
    """
    nrows, ncols = panel_grid(len(views))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 3.5 * nrows), sharey=True,
                             constrained_layout=True, squeeze=False)
    for ax in axes.flat[len(views):]:
        ax.set_visible(False)
    rng = np.random.default_rng(0)  # horizontal jitter only, so that points do not overlap
    for ax, (task, view) in zip(axes.flat, views.items(), strict=False):
        colour = view.colour
        part = angles[angles["task"] == task]
        for _, one in part.groupby("net"):
            one = one.sort_values("dim")
            jitter = rng.uniform(-0.08, 0.08)
            ax.plot(one["dim"] + jitter, one["angle_dca"], color=colour, lw=0.6, alpha=0.4,
                    marker="o", ms=2.5)
        b = bands[bands["task"] == task].sort_values("dim")
        ax.errorbar(b["dim"], b["mean"], yerr=[b["mean"] - b["ci_low"], b["ci_high"] - b["mean"]],
                    color="k", lw=1.8, marker="s", ms=5, capsize=3,
                    label=f"mean of {int(b['n'].max())} networks, 95% interval")
        chance = part.groupby("dim")["chance"].mean()
        ax.plot(chance.index, chance.to_numpy(), color="0.5", ls="--", lw=1.2,
                label="two random subspaces")
        if orthogonal_deg is not None:
            ax.axhline(orthogonal_deg, color="0.5", ls=":", lw=1,
                       label=f"'nearly orthogonal' threshold ({orthogonal_deg:g}°)")
        dims = np.sort(part["dim"].unique())
        ax.set_xticks(dims)
        ax.set(xlabel="principal angle (1 = smallest)", ylim=(0, 92))
        ax.set_title(task, color=colour)
        ax.legend(loc="lower right", fontsize=7.5)
    for ax in axes[:, 0]:
        ax.set_ylabel("untrained vs trained DCA subspace (degrees)")
    return fig
