"""Figure S4: fixed points, slow regions and unstable modes over the trajectories (3-D).

With a 2-D latent subspace the panels are 2-D; with 1-D, the coordinate is drawn
against time and the points at the end of the trial, where the trajectories settle.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from ..analysis.slowpoints import UNDETERMINED
from .style import (
    TaskView,
    add_latent_axes,
    condition_colours,
    depth_kwargs,
    latent_dims,
    latent_xyz,
    style_latent_axes,
)


def fixed_points_figure(
    trajectories: pd.DataFrame,
    points: pd.DataFrame,
    modes: pd.DataFrame,
    views: Mapping[str, TaskView],
    *,
    net: str,
    axis_name: str = "DC",
    topology: Mapping[tuple[str, str], str] | None = None,
) -> plt.Figure:
    """Draw Figure S4: one panel per task (rows) and state (columns).

    Each row ends in its task's colour key: trials and points are coloured by their
    condition value, a shade of the task's colour per level on a categorical scale, a
    colourbar on a diverging one; black is u = 0.

    Coordinate columns ``c3`` (``a3``, ``b3``), or also ``c2``, are absent for a 2-D or
    1-D latent subspace; the panels are then 2-D.

    Parameters
    ----------
    trajectories : DataFrame
        ``task``, ``state``, ``trial``, ``time_ms``, ``c1``..``c3`` (latent
        coordinates, rate units), ``value`` (the condition value of the task's
        kind; NaN for trials whose input changes), ``kind`` ("held" or the kind of
        changing trial, drawn grey and dashed).
    points : DataFrame
        ``task``, ``state``, ``method`` ("exact", "slow", "adam"), ``kind``
        ("stable", "saddle", "unstable", "undetermined"), ``value`` (NaN for u = 0),
        ``c1``..``c3``. Exact fixed points: shape by kind (circle, diamond, square,
        X for undetermined), filled by input; slow regions: open triangles, an open
        X where undetermined.
    modes : DataFrame
        Unstable modes as segments: ``task``, ``state``, ``value``, ``a1``..``a3``
        (start), ``b1``..``b3`` (end).
    views : mapping
        Task name -> :class:`TaskView`, in config order: the rows, top to bottom.
    net : str
        The network drawn, for the titles.
    topology : mapping, optional
        (task, state) -> the network's topology label (bistable, line attractor, other;
        :mod:`..analysis.topology`), added to the panel's title where given.
    axis_name : str
        Axis label prefix: "DC" for a DCA basis, "PC" for PCA.
    """
    tasks = [t for t in views if t in set(trajectories["task"])]
    states = [s for s in ("untrained", "trained") if s in set(trajectories["state"])]
    dims = latent_dims(trajectories, "c")
    height = 4.4 * len(tasks)
    fig = plt.figure(figsize=(4.6 * len(states) + 1.6, height))
    # the last column holds each row's colour key
    grid = fig.add_gridspec(len(tasks), len(states) + 1,
                            width_ratios=[*[1.0] * len(states), 0.3])
    end_ms = float(trajectories["time_ms"].max()) if len(trajectories) else 0.0
    depth = depth_kwargs(dims)
    changing_kinds = sorted(set(trajectories["kind"]) - {"held"})
    for i, task in enumerate(tasks):
        view = views[task]
        colour_of = condition_colours(view, [
            *trajectories.loc[trajectories["task"] == task, "value"],
            *points.loc[points["task"] == task, "value"]])
        for j, state in enumerate(states):
            ax = add_latent_axes(fig, grid[i, j], dims=dims)
            sel = (trajectories["task"] == task) & (trajectories["state"] == state)
            for _, one in trajectories[sel].groupby("trial", sort=True):
                one = one.sort_values("time_ms")
                changing = one["kind"].iloc[0] != "held"
                ax.plot(*latent_xyz(one, "c", dims, "time_ms"), lw=0.6, alpha=0.45,
                        color="0.5" if changing else colour_of(float(one["value"].iloc[0])),
                        ls="--" if changing else "-")
            here = points[(points["task"] == task) & (points["state"] == state)]
            seg = modes[(modes["task"] == task) & (modes["state"] == state)]
            for row in seg.itertuples():
                ends = pd.DataFrame({f"c{k}": [getattr(row, f"a{k}"), getattr(row, f"b{k}")]
                                     for k in range(1, dims + 1)})
                ax.plot(*latent_xyz(ends, "c", dims, np.full(2, end_ms)), color="k", lw=1.6,
                        zorder=5)
            slow = here[here["method"] == "slow"]
            # open triangles; an open X where the sides of its kinks disagree on stability
            undetermined_slow = slow["kind"] == UNDETERMINED
            for part, marker, size in ((slow[~undetermined_slow], "^", 30),
                                       (slow[undetermined_slow], "X", 40)):
                ax.scatter(*latent_xyz(part, "c", dims, np.full(len(part), end_ms)),
                           marker=marker, s=size, facecolors="none", edgecolors="0.3",
                           linewidths=0.8, **depth)
            exact = here[here["method"] == "exact"]
            for kind, marker, size in (("stable", "o", 55), ("saddle", "D", 45),
                                       ("unstable", "s", 45), (UNDETERMINED, "X", 70)):
                one = exact[exact["kind"] == kind]
                if one.empty:
                    continue
                # Shape tells the kind, fill the input; saddles get a heavier edge so that
                # one at a value near the middle of a diverging scale (a pale fill) still
                # stands out.
                fill = [colour_of(v) for v in one["value"]]
                ax.scatter(*latent_xyz(one, "c", dims, np.full(len(one), end_ms)),
                           marker=marker, s=size, c=fill, edgecolors="k",
                           linewidths=0.8 if kind == "stable" else 1.6, zorder=6, **depth)
            n_stable = int((exact["kind"] == "stable").sum())
            n_saddle = int((exact["kind"] == "saddle").sum())
            n_undetermined = int((exact["kind"] == UNDETERMINED).sum())
            undetermined = f", {n_undetermined} undetermined" if n_undetermined else ""
            label = (topology or {}).get((task, state))
            named = f"{net}: {label}" if label else net
            ax.set_title(f"{task}, {state} ({named}), {here['condition'].nunique()} inputs\n"
                         f"{n_stable} stable, {n_saddle} saddle(s){undetermined}, "
                         f"{len(slow)} slow region(s)", color=view.colour)
            style_latent_axes(ax, axis_name, azim=-58, dims=dims, along_label="time (ms)")
        colour_of.add_key(fig.add_subplot(grid[i, -1]), fontsize=7.5, title_fontsize=8)

    handles = [
        Line2D([], [], marker="o", ls="", markerfacecolor="0.6", markeredgecolor="k",
               label="stable fixed point"),
        Line2D([], [], marker="D", ls="", markerfacecolor="0.6", markeredgecolor="k",
               markeredgewidth=1.6, label="saddle"),
        Line2D([], [], marker="X", ls="", markersize=8, markerfacecolor="0.6",
               markeredgecolor="k", markeredgewidth=1.6,
               label="undetermined (on a ReLU kink, sides disagree)"),
        Line2D([], [], marker="^", ls="", markerfacecolor="none", markeredgecolor="0.3",
               label="slow region (q > 0 minimum)"),
        Line2D([], [], marker="X", ls="", markerfacecolor="none", markeredgecolor="0.3",
               label="slow region, undetermined stability"),
        Line2D([], [], color="k", lw=1.6, label="unstable mode"),
        *(Line2D([], [], color="0.5", ls="--", lw=0.8, label=f"{kind} trial")
          for kind in changing_kinds),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8,
               bbox_to_anchor=(0.5, -0.01))
    # 2-D panels carry tick labels and an axis title, so they need more room between rows
    # (the legend and the titles keep the same room in inches however many rows there are)
    fig.subplots_adjust(left=0.02 if dims >= 3 else 0.06, right=0.98, bottom=0.7 / height,
                        top=1 - 0.6 / height, wspace=0.12, hspace=0.12 if dims >= 3 else 0.35)
    return fig
