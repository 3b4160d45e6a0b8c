"""Figure S7: each latent claim's estimate and verdict against the transient left out."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from .style import TaskView, panel_grid

# Marker of each verdict: filled where the data decide, open where they do not.
VERDICT_MARKERS = {
    "supported": ("o", True),
    "reversed": ("v", True),
    "not supported": ("X", True),
    "equivalent": ("D", True),
    "inconclusive": ("o", False),
    "not measurable": ("s", False),
}
STATE_LINES = {"": "-", "untrained": ":", "trained": "-"}


def latent_sensitivity_figure(table: pd.DataFrame, views: Mapping[str, TaskView]
                              ) -> plt.Figure:
    """Draw Figure S7: one panel per latent claim.

    Parameters
    ----------
    table : DataFrame
        tables/latent_sensitivity: ``drop_ms``, ``main``, ``key``, ``task``, ``state``,
        ``claim``, ``mean``, ``ci_low``, ``ci_high``, ``verdict``, ``window_dependent``.
    views : mapping
        Task name -> TaskView, in config order.

    Each panel draws the claim's estimate (mean over networks, 95% interval) against
    the time left out after the input's onset, a line per task (and state); the marker
    gives the verdict at that drop, a grey band the run's own drop, and a panel title in
    red a claim whose verdict depends on the drop.
    """
    keys = list(dict.fromkeys(table["key"]))
    rows, cols = panel_grid(len(keys), 4)
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.9 * rows),
                             constrained_layout=True, squeeze=False)
    main = table.loc[table["main"], "drop_ms"]
    drops = np.sort(table["drop_ms"].unique())
    spread = float(drops.max() - drops.min()) or 1.0
    for ax, key in zip(axes.ravel(), keys, strict=False):
        part = table[table["key"] == key]
        for (task, state), line in part.groupby(["task", "state"], sort=False):
            line = line.sort_values("drop_ms")
            colour = views[task].colour if task in views else "k"
            offset = 0.01 * spread * (list(views).index(task) if task in views else 0)
            x = line["drop_ms"].to_numpy() + offset
            ax.errorbar(x, line["mean"], yerr=[line["mean"] - line["ci_low"],
                                               line["ci_high"] - line["mean"]],
                        color=colour, ls=STATE_LINES.get(state, "-"), lw=1, capsize=2)
            for xi, yi, verdict in zip(x, line["mean"], line["verdict"], strict=True):
                marker, filled = VERDICT_MARKERS.get(verdict, ("o", False))
                ax.plot(xi, yi, marker=marker, ms=6, color=colour,
                        mfc=colour if filled else "white", zorder=3)
        if len(main):
            ax.axvspan(main.iloc[0] - 0.02 * spread, main.iloc[0] + 0.02 * spread,
                       color="0.9", zorder=0)
        dependent = bool(part["window_dependent"].any())
        text = part["claim"].iloc[0].split(": ", 1)[-1]
        ax.set_title(textwrap.fill(text, 48), fontsize=8,
                     color="#c0392b" if dependent else "k", loc="left")
        ax.set_xticks(drops)
        ax.set_xlabel("left out after the input's onset (ms)", fontsize=8)
        ax.set_ylabel("estimate", fontsize=8)
    for ax in axes.ravel()[len(keys):]:
        ax.set_visible(False)
    handles = [Line2D([], [], color=view.colour, lw=1.5, label=name)
               for name, view in views.items()]
    handles += [Line2D([], [], color="k", ls=ls, label=state)
                for state, ls in STATE_LINES.items() if state]
    handles += [Line2D([], [], ls="", marker=marker, color="k",
                       mfc="k" if filled else "white", label=verdict)
                for verdict, (marker, filled) in VERDICT_MARKERS.items()]
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 6),
               fontsize=8)
    return fig
