"""Figure 8: training reshuffles which nodes are central."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd

from .style import TaskView

MEASURE_LABELS = {
    "eigenvector": "eigenvector centrality",
    "pagerank": "PageRank",
    "in_strength": "in-strength",
    "out_strength": "out-strength",
}


def centrality_figure(nodes: pd.DataFrame, summary: pd.DataFrame, highlight: dict[str, str],
                      views: Mapping[str, TaskView], *, top_fraction: float = 0.1
                      ) -> plt.Figure:
    """Draw Figure 8: initial against final centrality of every node.

    Parameters
    ----------
    nodes : DataFrame
        One row per node of every network: task, net, node, initial, final, measure.
    summary : DataFrame
        One row per network: task, net, spearman_rho, fraction_top_from_bottom_half,
        fraction_chance.
    highlight : dict
        Task -> the network drawn on top of the pooled cloud (the one of median
        Spearman correlation, as the label says).
    views : mapping
        Task name -> :class:`TaskView`, in config order: one panel per task, top to
        bottom, in the task's colour.
    top_fraction : float
        Size of the final top set behind ``fraction_top_from_bottom_half`` (for the label).
    """
    measure = str(nodes["measure"].iloc[0])
    label = MEASURE_LABELS.get(measure, measure)
    fig, axes = plt.subplots(len(views), 1, figsize=(4.6, 4.2 * len(views)),
                             constrained_layout=True, squeeze=False)
    for ax, (task, view) in zip(axes[:, 0], views.items(), strict=True):
        colour = view.colour
        pooled = nodes[nodes["task"] == task]
        one = pooled[pooled["net"] == highlight[task]]
        s = summary[summary["task"] == task]
        ax.scatter(pooled["initial"], pooled["final"], s=5, color=colour, alpha=0.35, lw=0,
                   label=f"all {pooled['net'].nunique()} networks")
        ax.scatter(one["initial"], one["final"], s=9, color="k", lw=0,
                   label=f"{highlight[task]} alone (median $\\rho$)")
        low = min(pooled["initial"].min(), pooled["final"].min())
        high = max(pooled["initial"].max(), pooled["final"].max())
        ax.plot([low, high], [low, high], color="0.6", ls="--", lw=0.8, zorder=0)
        ax.set(xlabel=f"initial {label}", ylabel=f"final {label}")
        ax.set_title(f"{task} task", color=colour)
        rho = s["spearman_rho"].median()
        frac = s["fraction_top_from_bottom_half"].mean()
        chance = s["fraction_chance"].mean()
        ax.text(0.98, 0.03, f"median Spearman $\\rho$ = {rho:.2f}\n"
                f"final top {100 * top_fraction:g}% from initial bottom half:\n{100 * frac:.0f}% "
                f"(chance {100 * chance:.0f}%)",
                transform=ax.transAxes, ha="right", va="bottom", fontsize=7.5)
        ax.legend(loc="center right", markerscale=2)
    return fig
