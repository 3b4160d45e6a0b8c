"""Figure S4: fixed points, slow regions and unstable modes over the trajectories (3-D).

With a 2-D latent subspace the panels are 2-D; with 1-D, the coordinate is drawn
against time and the points at the end of the trial, where the trajectories settle.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import colors
from matplotlib.lines import Line2D

from .style import (
    TASK_COLOURS,
    add_latent_axes,
    depth_kwargs,
    latent_dims,
    latent_xyz,
    style_latent_axes,
)

# Perception's two levels in two shades of the task colour; decision's input
# difference on a diverging scale (blue: input 2 larger, red: input 1 larger).
_DECISION_CMAP = plt.get_cmap("coolwarm")
_PERCEPTION_SHADES = ("#1b9e77", "#a6761d")


def _colour(task: str, value: float, levels: Sequence[float],
            norm: colors.Normalize) -> tuple[float, float, float, float]:
    """RGBA of a condition: black for u = 0 (NaN value), else by level or input difference."""
    if not np.isfinite(value):
        return colors.to_rgba("black")
    if task == "perception":
        k = int(np.argmin(np.abs(np.asarray(levels) - value)))
        return colors.to_rgba(_PERCEPTION_SHADES[k % len(_PERCEPTION_SHADES)])
    return tuple(_DECISION_CMAP(norm(value)))


def fixed_points_figure(
    trajectories: pd.DataFrame,
    points: pd.DataFrame,
    modes: pd.DataFrame,
    *,
    net: str,
    axis_name: str = "DC",
) -> plt.Figure:
    """Draw Figure S4: one panel per task (rows) and state (columns).

    Coordinate columns ``c3`` (``a3``, ``b3``), or also ``c2``, are absent for a 2-D or
    1-D latent subspace; the panels are then 2-D.

    Parameters
    ----------
    trajectories : DataFrame
        ``task``, ``state``, ``trial``, ``time_ms``, ``c1``..``c3`` (latent
        coordinates, rate units), ``value`` (input level or input1 - input2;
        NaN for switching trials), ``kind``.
    points : DataFrame
        ``task``, ``state``, ``method`` ("exact", "slow", "adam"), ``kind``,
        ``value`` (NaN for u = 0), ``c1``..``c3``.
    modes : DataFrame
        Unstable modes as segments: ``task``, ``state``, ``value``, ``a1``..``a3``
        (start), ``b1``..``b3`` (end).
    net : str
        The network drawn, for the titles.
    axis_name : str
        Axis label prefix: "DC" for a DCA basis, "PC" for PCA.
    """
    tasks = [t for t in ("perception", "decision") if t in set(trajectories["task"])]
    states = [s for s in ("untrained", "trained") if s in set(trajectories["state"])]
    fig = plt.figure(figsize=(4.6 * len(states), 4.4 * len(tasks)))
    diffs = trajectories.loc[trajectories["task"] == "decision", "value"].abs()
    reach = float(diffs.max()) if diffs.notna().any() and diffs.max() > 0 else 1.0
    norm = colors.Normalize(-reach, reach)
    dims = latent_dims(trajectories, "c")
    end_ms = float(trajectories["time_ms"].max()) if len(trajectories) else 0.0
    depth = depth_kwargs(dims)
    input_levels = {task: np.sort(trajectories.loc[(trajectories["task"] == task)
                                                   & trajectories["value"].notna(),
                                                   "value"].unique()) for task in tasks}
    for i, task in enumerate(tasks):
        levels = input_levels[task]
        for j, state in enumerate(states):
            ax = add_latent_axes(fig, len(tasks), len(states), i * len(states) + j + 1, dims)
            sel = (trajectories["task"] == task) & (trajectories["state"] == state)
            for _, one in trajectories[sel].groupby("trial", sort=True):
                one = one.sort_values("time_ms")
                value = float(one["value"].iloc[0])
                switching = one["kind"].iloc[0] == "switching"
                ax.plot(*latent_xyz(one, "c", dims, "time_ms"), lw=0.6, alpha=0.45,
                        color="0.5" if switching else _colour(task, value, levels, norm),
                        ls="--" if switching else "-")
            here = points[(points["task"] == task) & (points["state"] == state)]
            seg = modes[(modes["task"] == task) & (modes["state"] == state)]
            for row in seg.itertuples():
                ends = pd.DataFrame({f"c{k}": [getattr(row, f"a{k}"), getattr(row, f"b{k}")]
                                     for k in range(1, dims + 1)})
                ax.plot(*latent_xyz(ends, "c", dims, np.full(2, end_ms)), color="k", lw=1.6,
                        zorder=5)
            slow = here[here["method"] == "slow"]
            ax.scatter(*latent_xyz(slow, "c", dims, np.full(len(slow), end_ms)), marker="^",
                       s=30, facecolors="none", edgecolors="0.3", linewidths=0.8, **depth)
            exact = here[here["method"] == "exact"]
            for kind, marker, size in (("stable", "o", 55), ("saddle", "D", 45),
                                       ("unstable", "s", 45)):
                one = exact[exact["kind"] == kind]
                if one.empty:
                    continue
                # Shape tells the kind, fill the input; saddles get a heavier edge so that
                # one at a near-zero input difference (a pale fill) still stands out.
                fill = [_colour(task, v, levels, norm) for v in one["value"]]
                ax.scatter(*latent_xyz(one, "c", dims, np.full(len(one), end_ms)),
                           marker=marker, s=size, c=fill, edgecolors="k",
                           linewidths=0.8 if kind == "stable" else 1.6, zorder=6, **depth)
            n_stable = int((exact["kind"] == "stable").sum())
            n_saddle = int((exact["kind"] == "saddle").sum())
            ax.set_title(f"{task}, {state} ({net})\n{n_stable} stable, {n_saddle} saddle(s), "
                         f"{len(slow)} slow region(s) over {here['condition'].nunique()} "
                         f"inputs", color=TASK_COLOURS.get(task, "k"))
            style_latent_axes(ax, axis_name, azim=-58, dims=dims, along_label="time (ms)")

    handles = [
        Line2D([], [], marker="o", ls="", markerfacecolor="0.6", markeredgecolor="k",
               label="stable fixed point"),
        Line2D([], [], marker="D", ls="", markerfacecolor="0.6", markeredgecolor="k",
               markeredgewidth=1.6, label="saddle"),
        Line2D([], [], marker="^", ls="", markerfacecolor="none", markeredgecolor="0.3",
               label="slow region (q > 0 minimum)"),
        Line2D([], [], color="k", lw=1.6, label="unstable mode"),
        Line2D([], [], color="0.5", ls="--", lw=0.8, label="switching trial"),
    ]
    if "perception" in tasks:
        handles += [Line2D([], [], color=_PERCEPTION_SHADES[k % 2], lw=1.5,
                           label=f"perception input {v:g}")
                    for k, v in enumerate(input_levels["perception"])]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8,
               bbox_to_anchor=(0.5, -0.01))
    if "decision" in tasks:
        mappable = plt.cm.ScalarMappable(norm=norm, cmap=_DECISION_CMAP)
        cax = fig.add_axes([0.95, 0.14 if len(tasks) > 1 else 0.3, 0.012, 0.3])
        fig.colorbar(mappable, cax=cax, label="decision input 1 - input 2")
    # 2-D panels carry tick labels and an axis title, so they need more room between rows
    fig.subplots_adjust(left=0.02 if dims >= 3 else 0.06, right=0.9, bottom=0.08, top=0.93,
                        wspace=0.12, hspace=0.12 if dims >= 3 else 0.35)
    return fig
