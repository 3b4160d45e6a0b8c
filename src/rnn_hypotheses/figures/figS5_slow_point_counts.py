"""Figure S5: how many fixed points, saddles and slow regions, and how inputs move the spectrum."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import colors

from ..analysis.slowpoint_analysis import COUNT_QUANTITIES
from .style import STATE_COLOURS, TASK_COLOURS

_GROUPS = [("perception", "untrained"), ("perception", "trained"),
           ("decision", "untrained"), ("decision", "trained")]
# Strip panels of the first row: statistic, title, axis label. Their intervals come
# from the counts table's rows of the same statistic.
_STRIP_PANELS = {
    0: ("fixed", "Q2: fixed points", "fixed points per input condition"),
    2: ("slow", "slow regions (report 6.1.2)", "slow regions per input condition"),
    3: ("slowest_rate_range", "Q3: input modulation of the slowest mode",
        "range of the slowest rate\nover inputs (1/s)"),
}
_KIND_COLOURS = {"n_stable": "#1f78b4", "n_saddle": "#e31a1c"}
_QUANTITY = {q.key: q.label for q in COUNT_QUANTITIES}


def _strip(ax: plt.Axes, stats: pd.DataFrame, counts: pd.DataFrame, key: str, quantity: str,
           ylabel: str) -> None:
    """Networks as dots per (task, state), with the counts table's mean and 95% interval."""
    rng = np.random.default_rng(0)  # jitter only; fixed so the figure is reproducible
    for x, (task, state) in enumerate(_GROUPS):
        values = stats.loc[(stats["task"] == task) & (stats["state"] == state), key]
        values = values[np.isfinite(values)]
        ax.scatter(x + rng.uniform(-0.15, 0.15, values.size), values, s=14,
                   color=STATE_COLOURS[state], alpha=0.8, lw=0, zorder=2)
        row = counts[(counts["task"] == task) & (counts["state"] == state)
                     & (counts["quantity"] == quantity)]
        if len(row) and np.isfinite(row["mean"].iloc[0]):
            mean, low, high = row[["mean", "ci_low", "ci_high"]].iloc[0]
            ax.errorbar(x + 0.3, mean, yerr=[[mean - low], [high - mean]], fmt="o", ms=4,
                        color="k", capsize=2, lw=1, zorder=3)
    ax.set_xticks(range(len(_GROUPS)),
                  [f"{t[:4]}.\n{s}" for t, s in _GROUPS], fontsize=7)
    for tick, (task, _) in zip(ax.get_xticklabels(), _GROUPS, strict=True):
        tick.set_color(TASK_COLOURS[task])
    ax.set_xlim(-0.5, len(_GROUPS) - 0.3)
    ax.set_ylabel(ylabel)
    ax.axvline(1.65, color="0.85", lw=0.8, zorder=0)


def _by_input(ax: plt.Axes, per_condition: pd.DataFrame) -> None:
    """Decision networks' stable points and saddles at each input, mean over networks."""
    order = (per_condition[["condition", "label"]].drop_duplicates()
             .sort_values("condition"))
    x = np.arange(len(order))
    for state, ls, alpha in (("untrained", "--", 0.6), ("trained", "-", 1.0)):
        one = per_condition[per_condition["state"] == state]
        for key, name in (("n_stable", "stable"), ("n_saddle", "saddles")):
            mean = one.groupby("condition")[key].mean().reindex(order["condition"])
            ax.plot(x, mean.to_numpy(), ls=ls, marker="o", ms=3, color=_KIND_COLOURS[key],
                    alpha=alpha, label=f"{name}, {state}")
    ax.set_xticks(x, [label.removeprefix("u=") for label in order["label"]], fontsize=7,
                  rotation=30)
    ax.set(xlabel="decision input (input 1, input 2)",
           ylabel="points per network (mean)")
    ax.set_title("Q2: where the decision networks' points are", loc="left")
    ax.legend(fontsize=7)


def slow_point_counts_figure(
    stats: pd.DataFrame,
    counts: pd.DataFrame,
    spectra: pd.DataFrame,
    rates: pd.DataFrame,
    per_condition: pd.DataFrame,
    *,
    net: str,
    spectrum_margin: float = 3.0,
) -> plt.Figure:
    """Draw Figure S5.

    Parameters
    ----------
    stats : DataFrame
        One row per (task, net, state): ``fixed`` and ``slow`` (per input
        condition) and ``slowest_rate_range`` (1/s).
    counts : DataFrame
        The counts table (``task``, ``state``, ``quantity``, ``mean``,
        ``ci_low``, ``ci_high``).
    spectra : DataFrame
        Eigenvalues at the dominant stable point of each condition of the
        example decision network: ``state``, ``autonomous``, ``value``
        (input1 - input2), ``re``, ``im`` (1/s).
    rates : DataFrame
        ``task``, ``net``, ``state``, ``value`` (level or input1 - input2),
        ``rate`` (largest real eigenvalue at the dominant stable point, 1/s),
        input conditions only.
    per_condition : DataFrame
        Decision networks' counts per input condition: ``net``, ``state``,
        ``condition``, ``label``, ``n_stable``, ``n_saddle``.
    net : str
        The example network, for the titles.
    spectrum_margin : float
        The spectrum is drawn from this far (1/s) left of the slowest
        condition's leading eigenvalue to just right of 0.
    """
    fig, axes = plt.subplots(2, 4, figsize=(14, 7.2), constrained_layout=True)
    for k, (key, title, ylabel) in _STRIP_PANELS.items():
        _strip(axes[0, k], stats, counts, key, _QUANTITY[key], ylabel)
        axes[0, k].set_title(title, loc="left")
    _by_input(axes[0, 1], per_condition)

    diffs = spectra["value"].abs()
    reach = float(diffs.max()) if diffs.notna().any() and diffs.max() > 0 else 1.0
    norm = colors.Normalize(-reach, reach)
    cmap = plt.get_cmap("coolwarm")
    for ax, state in zip(axes[1, :2], ("untrained", "trained"), strict=True):
        one = spectra[spectra["state"] == state]
        leading = []
        for _, cond in one.groupby("condition", sort=True):
            auto = bool(cond["autonomous"].iloc[0])
            colour = "black" if auto else cmap(norm(cond["value"].iloc[0]))
            ax.scatter(cond["re"], cond["im"], s=10 if auto else 7, color=colour,
                       marker="x" if auto else "o", lw=0.8 if auto else 0, alpha=0.8,
                       zorder=3 if auto else 2)
            # the slowest mode of each input, enlarged
            top_row = cond.loc[cond["re"].idxmax()]
            leading.append(float(top_row["re"]))
            ax.scatter([top_row["re"]], [top_row["im"]], s=60 if auto else 45, color=colour,
                       marker="X" if auto else "o", edgecolors="k", lw=0.6, zorder=4)
        ax.axvline(0, color="0.6", lw=0.8, zorder=0)
        # The bulk of the spectrum (inactive units at -1/tau, fast active modes) barely
        # moves; the window runs from a little left of the slowest modes to 0.
        left = min(leading) - spectrum_margin if leading else -10.0
        right = max(max(leading) + 1.0, 0.5) if leading else 1.0
        window = one[(one["re"] >= left) & (one["re"] <= right)]
        top = float(window["im"].abs().max()) * 1.1 + 0.2 if len(window) else 1.0
        ax.set(xlim=(left, right), ylim=(-top, top),
               xlabel="Re eigenvalue (1/s)", ylabel="Im eigenvalue (1/s)",
               title=f"decision {net}, {state}: slow end of the\nspectrum at the dominant "
               "stable point")
    mappable = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(mappable, ax=axes[1, :2], location="bottom", shrink=0.5, aspect=40,
                 label="input 1 - input 2 (crosses: u = 0; large: each input's slowest mode)")

    for ax, task in zip(axes[1, 2:], ("decision", "perception"), strict=True):
        one = rates[rates["task"] == task]
        for (_, state), line in one.groupby(["net", "state"], sort=True):
            line = line.sort_values("value")
            ax.plot(line["value"], line["rate"], color=STATE_COLOURS[state], lw=0.7,
                    alpha=0.5, marker="o", ms=2)
        for state in ("untrained", "trained"):
            mean = one[one["state"] == state].groupby("value")["rate"].mean()
            ax.plot(mean.index, mean.to_numpy(), color=STATE_COLOURS[state], lw=2.2,
                    label=f"{state} (mean)")
        ax.axhline(0, color="0.6", lw=0.8, zorder=0)
        ax.set(xlabel="input 1 - input 2" if task == "decision" else "input level",
               ylabel="slowest rate at the dominant\nstable point (1/s)",
               title=f"{task}: slowest mode against the input")
        ax.legend(fontsize=7, loc="lower right")
    for ax in axes[1, 2:]:
        ax.title.set_color(TASK_COLOURS[ax.get_title().split(":")[0]])
    return fig
