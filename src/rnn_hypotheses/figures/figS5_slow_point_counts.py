"""Figure S5: how many fixed points, saddles and slow regions, and how inputs move the spectrum."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..analysis.slowpoint_analysis import COUNT_QUANTITIES
from .style import STATE_COLOURS, TaskView, condition_colours

STATES = ("untrained", "trained")
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
           ylabel: str, views: Mapping[str, TaskView]) -> None:
    """Networks as dots per (task, state), with the counts table's mean and 95% interval.

    Groups run task by task in the order of ``views``, each task's states side by side
    above its name in the task's colour.
    """
    groups = [(task, state) for task in views for state in STATES]
    rng = np.random.default_rng(0)  # jitter only; fixed so the figure is reproducible
    for x, (task, state) in enumerate(groups):
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
    ax.set_xticks(range(len(groups)), [state for _, state in groups], fontsize=6.5)
    for k, (task, view) in enumerate(views.items()):
        centre = k * len(STATES) + (len(STATES) - 1) / 2
        ax.annotate(task, (centre, 0), xycoords=("data", "axes fraction"), xytext=(0, -20),
                    textcoords="offset points", ha="center", va="top", fontsize=7.5,
                    color=view.colour)
        if k:
            ax.axvline(k * len(STATES) - 0.35, color="0.85", lw=0.8, zorder=0)
    ax.set_xlim(-0.5, len(groups) - 0.3)
    ax.set_ylabel(ylabel)


def _by_input(ax: plt.Axes, per_condition: pd.DataFrame, view: TaskView) -> None:
    """One task's stable points and saddles at each analysed input, mean over networks."""
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
    ax.set(xlabel=f"{view.name} input", ylabel="points per network (mean)")
    ax.set_title(f"Q2: where the {view.name} networks' points are", loc="left",
                 color=view.colour)
    ax.legend(fontsize=7)


def _spectra(axes, spectra: pd.DataFrame, view: TaskView, net: str,
             spectrum_margin: float) -> None:
    """The slow end of the example network's spectrum per input, untrained and trained."""
    colour_of = condition_colours(view, spectra["value"])
    for ax, state in zip(axes, STATES, strict=True):
        one = spectra[spectra["state"] == state]
        leading = []
        for _, cond in one.groupby("condition", sort=True):
            auto = bool(cond["autonomous"].iloc[0])
            colour = colour_of(float(cond["value"].iloc[0]))
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
               xlabel="Re eigenvalue (1/s)", ylabel="Im eigenvalue (1/s)")
        ax.set_title(f"{view.name} {net}, {state}: slow end of the\nspectrum at the dominant "
                     "stable point", color=view.colour)
    note = "crosses: u = 0; large: each input's slowest mode"
    figure = axes[0].figure
    if colour_of.categorical:
        figure.legend(handles=colour_of.handles(), loc="outside lower left", ncols=4,
                      fontsize=7, title=f"{colour_of.label} ({note})", title_fontsize=7.5)
    else:
        figure.colorbar(colour_of.mappable(), ax=list(axes), location="bottom", shrink=0.5,
                        aspect=40, label=f"{colour_of.label} ({note})")


def _rates(ax: plt.Axes, rates: pd.DataFrame, view: TaskView) -> None:
    """One task's slowest rate at the dominant stable point against the condition value."""
    for (_, state), line in rates.groupby(["net", "state"], sort=True):
        line = line.sort_values("value")
        ax.plot(line["value"], line["rate"], color=STATE_COLOURS[state], lw=0.7,
                alpha=0.5, marker="o", ms=2)
    for state in STATES:
        mean = rates[rates["state"] == state].groupby("value")["rate"].mean()
        ax.plot(mean.index, mean.to_numpy(), color=STATE_COLOURS[state], lw=2.2,
                label=f"{state} (mean)")
    ax.axhline(0, color="0.6", lw=0.8, zorder=0)
    ax.set(xlabel=view.condition_label,
           ylabel="slowest rate at the dominant\nstable point (1/s)")
    ax.set_title(f"{view.name}: slowest mode against the input", color=view.colour)
    ax.legend(fontsize=7, loc="lower right")


def slow_point_counts_figure(
    stats: pd.DataFrame,
    counts: pd.DataFrame,
    spectra: pd.DataFrame,
    rates: pd.DataFrame,
    per_condition: pd.DataFrame,
    views: Mapping[str, TaskView],
    *,
    example_task: str,
    net: str,
    spectrum_margin: float = 3.0,
) -> plt.Figure:
    """Draw Figure S5.

    Top row: the strip panels over every (task, state) and the example task's points
    per input. Bottom row: the example network's spectra, untrained and trained, then
    one panel per task of its slowest rate against the input.

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
        example network of ``example_task``: ``state``, ``condition``,
        ``autonomous``, ``value`` (condition value), ``re``, ``im`` (1/s).
    rates : DataFrame
        ``task``, ``net``, ``state``, ``value`` (the condition value of the task's
        kind), ``rate`` (largest real eigenvalue at the dominant stable point, 1/s),
        input conditions only.
    per_condition : DataFrame
        The example task's networks' counts per input condition: ``net``, ``state``,
        ``condition``, ``label``, ``n_stable``, ``n_saddle``.
    views : mapping
        Task name -> :class:`TaskView`, in config order.
    example_task : str
        The task of ``spectra`` and ``per_condition``.
    net : str
        The example network, for the titles.
    spectrum_margin : float
        The spectrum is drawn from this far (1/s) left of the slowest
        condition's leading eigenvalue to just right of 0.
    """
    n_bottom = 2 + len(views)
    # strip panels widen with the number of (task, state) groups
    strip_width = max(3.5, 0.9 * len(STATES) * len(views))
    width = max(14.0, 3 * strip_width + 3.5, 3.5 * n_bottom)
    fig = plt.figure(figsize=(width, 7.6), layout="constrained")
    upper, lower = fig.subfigures(2, 1)
    top = upper.subplots(1, 4, width_ratios=[strip_width, 3.5, strip_width, strip_width])
    for k, (key, title, ylabel) in _STRIP_PANELS.items():
        _strip(top[k], stats, counts, key, _QUANTITY[key], ylabel, views)
        top[k].set_title(title, loc="left")
    example = views[example_task]
    _by_input(top[1], per_condition, example)

    bottom = lower.subplots(1, n_bottom)
    _spectra(bottom[:2], spectra, example, net, spectrum_margin)
    for ax, (task, view) in zip(bottom[2:], views.items(), strict=True):
        _rates(ax, rates[rates["task"] == task], view)
    return fig
