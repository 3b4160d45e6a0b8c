"""Figure 7: few weights and few eigenvalues of W_rec change much during training."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import STATE_COLOURS, TaskView


def weight_changes_figure(histogram: pd.DataFrame, eigenvalues: pd.DataFrame,
                          summary: pd.DataFrame, views: Mapping[str, TaskView], *,
                          top_fraction: float = 0.1) -> plt.Figure:
    """Draw Figure 7.

    Parameters
    ----------
    histogram : DataFrame
        Pooled histogram of |W_trained - W_init| per task: task, bin_low, bin_high,
        fraction (of the task's off-diagonal weights); the row with bin_low = 0 counts
        the unchanged weights.
    eigenvalues : DataFrame
        Paired eigenvalues of every network: task, net, re_init, im_init, re_final,
        im_final, marked (bool: among the network's largest growths).
    summary : DataFrame
        One row per network: task, net, weight_std_init, change_top_share,
        change_top_share_gaussian.
    views : mapping
        Task name -> :class:`TaskView`, in config order: one histogram per task in its
        colour, and one eigenvalue panel per task, top to bottom.
    top_fraction : float
        The fraction of weights behind ``change_top_share`` (for the label).
    """
    n = len(views)
    fig, axes = plt.subplots(1 + n, 1, figsize=(5.6, 4.3 * (0.75 + n)), layout="constrained",
                             gridspec_kw={"height_ratios": [0.75, *[1] * n]})
    top = axes[0]
    for task, view in views.items():
        colour = view.colour
        h = histogram[histogram["task"] == task]
        # the bin starting at 0 (unchanged weights) cannot sit on a log axis: it goes in the label
        unchanged = h.loc[h["bin_low"] == 0, "fraction"].sum()
        h = h[h["bin_low"] > 0]
        edges = np.append(h["bin_low"].to_numpy(), h["bin_high"].to_numpy()[-1])
        s = summary[summary["task"] == task]
        share = 100 * s["change_top_share"].mean()
        carried = (f"top {100 * top_fraction:g}% of weights carry {share:.0f}% of $\\sum dW^2$"
                   if np.isfinite(share) else "training changed no weight")
        top.stairs(h["fraction"].to_numpy(), edges, color=colour, lw=1.6,
                   label=f"{task}: {carried};\n{100 * unchanged:.0f}% of weights unchanged "
                         f"($|dW| < 10^{{{np.log10(h['bin_low'].min()):.0f}}}$)")
        top.axvline(s["weight_std_init"].mean(), color=colour, ls="--", lw=1)
    top.plot([], [], color="0.3", ls="--", lw=1, label="s.d. of the initial weights")
    gauss = 100 * summary["change_top_share_gaussian"].mean()
    occupied = histogram.loc[(histogram["fraction"] > 0) & (histogram["bin_low"] > 0)]
    top.set_xscale("log")
    # where training changed no weight at all, the axis spans the initial weights alone
    top.set_xlim(np.nanmin([occupied["bin_low"].min(), summary["weight_std_init"].min()]) / 1.5,
                 np.nanmax([occupied["bin_high"].max(), summary["weight_std_init"].max()]) * 1.5)
    highest = histogram.loc[histogram["bin_low"] > 0, "fraction"].max()
    top.set_ylim(0, 1.05 * highest if highest > 0 else 1.0)
    top.set(xlabel="$|W_{trained} - W_{init}|$", ylabel="fraction of weights per bin",
            title="Size of the weight changes (all networks)")
    top.legend(loc="upper left", fontsize=7,
               title=f"i.i.d. Gaussian changes: top {100 * top_fraction:g}% carry {gauss:.0f}%",
               title_fontsize=7)

    circle = np.exp(1j * np.linspace(0, 2 * np.pi, 400))
    for ax, (task, view) in zip(axes[1:], views.items(), strict=True):
        e = eigenvalues[eigenvalues["task"] == task]
        ax.plot(circle.real, circle.imag, color="0.6", lw=0.8, ls=":", zorder=0)
        ax.scatter(e["re_init"], e["im_init"], s=3, color=STATE_COLOURS["untrained"],
                   alpha=0.6, lw=0, label="before training")
        ax.scatter(e["re_final"], e["im_final"], s=3, color=STATE_COLOURS["trained"], alpha=0.5,
                   lw=0, label="after training")
        m = e[e["marked"]]
        for row in m.itertuples():
            ax.annotate("", xy=(row.re_final, row.im_final), xytext=(row.re_init, row.im_init),
                        arrowprops={"arrowstyle": "->", "color": "k", "lw": 0.7,
                                    "shrinkA": 0, "shrinkB": 0})
        per_net = int(m.groupby("net").size().max()) if len(m) else 0
        ax.scatter(m["re_final"], m["im_final"], s=18, facecolor="none", edgecolor="k", lw=0.8,
                   label=f"the {per_net} that grew most per network (arrow: from before)")
        ax.set_aspect("equal")
        ax.set(xlabel="real part", ylabel="imaginary part")
        ax.set_title(f"{task}: eigenvalues of $W_{{rec}}$ ({e['net'].nunique()} networks)",
                     color=view.colour)
    handles, labels = axes[-1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=2, fontsize=7.5, markerscale=2.5)
    return fig
