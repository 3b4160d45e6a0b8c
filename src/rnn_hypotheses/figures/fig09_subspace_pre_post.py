"""Figure 9: principal angles between the DCA subspaces before and after training."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import TASK_COLOURS


def subspace_pre_post_figure(angles: pd.DataFrame, bands: pd.DataFrame, *,
                             orthogonal_deg: float | None = None,
                             tasks: tuple[str, ...] = ("decision", "perception")
                             ) -> plt.Figure:
    """Draw Figure 9.

    Parameters
    ----------
    angles : DataFrame
        task, net, dim (1 = smallest principal angle), angle_dca (degrees, between
        the untrained and the trained DCA subspace), chance (mean angle of that rank
        between two random subspaces of the same dimensions).
    bands : DataFrame
        task, dim, mean, ci_low, ci_high, n: mean of angle_dca over networks.
    orthogonal_deg : float, optional
        The claims table's "nearly orthogonal" threshold, drawn as a line.
    tasks : tuple of str
        Panels left to right (the report: decision, perception).
    """
    fig, axes = plt.subplots(1, len(tasks), figsize=(3.6 * len(tasks), 3.5), sharey=True,
                             constrained_layout=True, squeeze=False)
    rng = np.random.default_rng(0)  # horizontal jitter only, so that points do not overlap
    for ax, task in zip(axes[0], tasks, strict=True):
        colour = TASK_COLOURS.get(task, "k")
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
        ax.set(xlabel="principal angle (1 = smallest)", ylim=(0, 92), title=task.capitalize())
        ax.legend(loc="lower right", fontsize=7.5)
    axes[0, 0].set_ylabel("untrained vs trained DCA subspace (degrees)")
    return fig
