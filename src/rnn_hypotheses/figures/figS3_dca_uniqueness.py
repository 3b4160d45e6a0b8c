"""Figure S3: do random DCA starts find the same subspace (the report's fourth hypothesis)?"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import STATE_COLOURS, TaskView


def _colour_ticks(ax: plt.Axes, colours: list[str]) -> None:
    for tick, colour in zip(ax.get_xticklabels(), colours, strict=True):
        tick.set_color(colour)


def dca_uniqueness_figure(restarts: pd.DataFrame, shares: pd.DataFrame,
                          views: Mapping[str, TaskView], *, unique_angle_deg: float,
                          states: tuple[str, ...] = ("untrained", "trained")) -> plt.Figure:
    """Draw Figure S3.

    Parameters
    ----------
    restarts : DataFrame
        task, net, state, restart, pi_gap (PI of the best subspace found minus this
        start's, nats), max_angle (largest principal angle to the best subspace,
        degrees). One row per random start.
    shares : DataFrame
        task, state, share (fraction of all starts, pooled over networks, that
        reached the best subspace), n_networks, n_all (networks where every start did).
    views : mapping
        Task name -> :class:`TaskView`, in config order: the (task, state) groups left
        to right, task names in the task's colour.
    unique_angle_deg : float
        The angle below which a start counts as having found the best subspace.
    states : tuple of str
        The states of each task's groups, left to right.
    """
    groups = [(t, s) for t in views for s in states]
    width = max(9.0, 2 * (1.2 + 0.8 * len(groups)))  # two panels, each of every group
    fig, (left, right) = plt.subplots(1, 2, figsize=(width, 3.8), constrained_layout=True)
    rng = np.random.default_rng(0)  # horizontal jitter only
    for k, (task, state) in enumerate(groups):
        part = restarts[(restarts["task"] == task) & (restarts["state"] == state)]
        x = k + rng.uniform(-0.25, 0.25, len(part))
        colour = STATE_COLOURS[state]
        left.scatter(x, part["max_angle"], s=9, color=colour, alpha=0.6, lw=0)
        # a gap of exactly zero cannot sit on the log axis; the floor marks "same PI"
        right.scatter(x, np.maximum(part["pi_gap"], 1e-6), s=9, color=colour, alpha=0.6, lw=0)
        row = shares[(shares["task"] == task) & (shares["state"] == state)]
        if len(row):
            row = row.iloc[0]
            left.annotate(f"{100 * row['share']:.0f}% on best\n{row['n_all']}/{row['n_networks']}"
                          " nets all", (k, 91), ha="center", va="bottom", fontsize=7)
    labels = [f"{t}\n{s}" for t, s in groups]
    colours = [views[t].colour for t, _ in groups]
    left.axhline(unique_angle_deg, color="0.4", ls="--", lw=1,
                 label=f"same subspace below {unique_angle_deg:g}°")
    left.set_xticks(range(len(groups)), labels)
    _colour_ticks(left, colours)
    left.set(ylabel="largest principal angle to the best subspace found (°)",
             ylim=(-2, 104),
             title="Subspace found by each random start\nagainst the best subspace found")
    left.legend(loc="center right", fontsize=7.5)
    right.set_yscale("log")
    right.axhline(1e-6, color="0.7", lw=0.8, zorder=0)
    right.set_xticks(range(len(groups)), labels)
    _colour_ticks(right, colours)
    right.set(ylabel="PI of the best subspace minus this start's (nats)",
              title="PI lost by each random start\n(floor at 1e-6: same PI)")
    return fig
