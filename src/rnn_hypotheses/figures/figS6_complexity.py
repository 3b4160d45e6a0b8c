"""Figure S6: fixed points, saddles and slow regions per input against the task's dimension."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..analysis.complexity import QUANTITIES
from .style import STATE_COLOURS

STATES = ("untrained", "trained")
# the quantities drawn, one panel row each; "fixed" is their sum
ROWS = ("stable", "saddle", "slow")


def _fitted(row: pd.Series, dimension: np.ndarray) -> np.ndarray:
    """The growth table row's chosen model at ``dimension``."""
    if row["model"] == "exponential":
        return row["intercept"] * np.exp(row["rate"] * dimension)
    return row["intercept"] + row["rate"] * dimension


def _rate_text(row: pd.Series) -> str:
    if row["model"] == "exponential":
        factor = np.exp([row["rate"], row["rate_low"], row["rate_high"]])
        return f"x{factor[0]:.2f} per D [{factor[1]:.2f}, {factor[2]:.2f}]"
    return f"{row['rate']:+.2f} per D [{row['rate_low']:+.2f}, {row['rate_high']:+.2f}]"


def complexity_figure(counts: pd.DataFrame, summary: pd.DataFrame, growth: pd.DataFrame
                      ) -> plt.Figure:
    """Draw Figure S6: one column per task family, one row per quantity.

    Each panel shows every network's count (dots, jittered), the mean and its 95%
    interval at each D, and the chosen growth model's curve with its rate and
    interval in the legend, untrained in grey and trained in colour.

    Parameters
    ----------
    counts : DataFrame
        :func:`~rnn_hypotheses.analysis.complexity.counts_by_dimension`'s output.
    summary : DataFrame
        :func:`~rnn_hypotheses.analysis.complexity.dimension_summary`'s output.
    growth : DataFrame
        :func:`~rnn_hypotheses.analysis.complexity.growth_table`'s output.
    """
    families = sorted(summary["family"].unique())
    fig, axes = plt.subplots(len(ROWS), len(families), squeeze=False, sharex="col",
                             figsize=(4.2 * len(families) + 0.6, 2.6 * len(ROWS)),
                             layout="constrained")
    rng = np.random.default_rng(0)  # jitter only; fixed so the figure is reproducible
    for column, family in enumerate(families):
        for row_index, quantity in enumerate(ROWS):
            ax = axes[row_index, column]
            for offset, state in zip((-0.12, 0.12), STATES, strict=True):
                colour = STATE_COLOURS[state]
                points = counts[(counts["family"] == family) & (counts["quantity"] == quantity)
                                & (counts["state"] == state)]
                x = points["dimension"].to_numpy(dtype=float) + offset
                ax.scatter(x + rng.uniform(-0.05, 0.05, x.size), points["count"], s=8,
                           color=colour, alpha=0.45, lw=0)
                means = summary[(summary["family"] == family)
                                & (summary["quantity"] == quantity)
                                & (summary["state"] == state)].sort_values("dimension")
                d = means["dimension"].to_numpy(dtype=float)
                ax.errorbar(d + offset, means["mean"],
                            yerr=[means["mean"] - means["ci_low"],
                                  means["ci_high"] - means["mean"]],
                            fmt="o", ms=4, color=colour, capsize=2, lw=1)
                fit = growth[(growth["family"] == family) & (growth["quantity"] == quantity)
                             & (growth["state"] == state)]
                if len(fit) and len(d):
                    grid = np.linspace(d.min(), d.max(), 50)
                    ax.plot(grid, _fitted(fit.iloc[0], grid), color=colour, lw=1.2,
                            label=f"{state}: {fit.iloc[0]['model']}, {_rate_text(fit.iloc[0])}")
            ax.set_ylabel(f"{QUANTITIES[quantity]}\nper analysed input")
            ax.legend(fontsize=6.5, loc="upper left")
            if row_index == 0:
                ax.set_title(f"{family}: Q2, growth with the input dimension", loc="left")
            if row_index == len(ROWS) - 1:
                dims = sorted(summary.loc[summary["family"] == family, "dimension"].unique())
                ax.set_xticks(dims)
                ax.set_xlabel("input dimension D")
    return fig
