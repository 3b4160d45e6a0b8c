"""Figure S2: the training change of W_rec is low rank (Schuessler et al. 2020)."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd

from .style import TaskView


def low_rank_figure(spectra: pd.DataFrame, spectrum_bands: pd.DataFrame,
                    losses: pd.DataFrame, loss_bands: pd.DataFrame,
                    views: Mapping[str, TaskView], n_components: int = 30) -> plt.Figure:
    """Draw Figure S2.

    Parameters
    ----------
    spectra : DataFrame
        task, net, rank (k >= 1), energy_share, energy_share_random: the share of
        ``||dW||_F^2`` in the k-th singular value of dW and of a random matrix of
        equal norm.
    spectrum_bands : DataFrame
        task, source ("dW" or "random"), rank, mean, ci_low, ci_high.
    losses : DataFrame
        task, net, rank, loss, full (bool: the full-rank, i.e. trained, matrix);
        one row per scored truncation.
    loss_bands : DataFrame
        task, rank, mean, ci_low, ci_high.
    views : mapping
        Task name -> :class:`TaskView`, in config order: one curve per task, in its colour.
    n_components : int
        Singular values shown on the left.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6), constrained_layout=True)
    for task, view in views.items():
        colour = view.colour
        for source, ls, label in (("dW", "-", "$dW$"), ("random", ":", "random, same norm")):
            band = spectrum_bands[(spectrum_bands["task"] == task)
                                  & (spectrum_bands["source"] == source)
                                  & (spectrum_bands["rank"] <= n_components)]
            left.fill_between(band["rank"], band["ci_low"], band["ci_high"], color=colour,
                              alpha=0.2, lw=0)
            left.plot(band["rank"], band["mean"], color=colour, ls=ls, lw=1.6, marker=".",
                      ms=3, label=f"{task}, {label}")
    left.set_yscale("log")
    # a change of rank r has N - r singular values at round-off level (1e-30 and below);
    # they would stretch the axis over dozens of decades, so the axis stops well above them
    shown = spectrum_bands.loc[spectrum_bands["rank"] <= n_components, "mean"]
    # (an unchanged W_rec has no positive singular value at all)
    smallest = shown[shown > 0].min() if (shown > 0).any() else 0.0
    left.set_ylim(max(smallest / 3, 1e-6), 1.5)
    left.set(xlabel="singular value index k", ylabel="share of $\\|dW\\|_F^2$",
             title="Singular values of the training change")
    left.legend(loc="lower left", fontsize=7)

    # full rank sits after a gap, at max_rank + 2, so the axis reads 0 .. max_rank, full
    max_rank = int(losses.loc[~losses["full"], "rank"].max())
    x_full = max_rank + 2

    def position(frame: pd.DataFrame) -> pd.Series:
        return frame["rank"].where(~frame["full"], x_full)

    for task, view in views.items():
        colour = view.colour
        one_task = losses[losses["task"] == task]
        for _, one in one_task.groupby("net"):
            part = one[~one["full"]]
            right.plot(part["rank"], part["loss"], color=colour, lw=0.5, alpha=0.45)
            full = one[one["full"]]
            right.plot(position(full).to_numpy(), full["loss"].to_numpy(), color=colour,
                       marker="_", ms=8, lw=0, alpha=0.6)
        band = loss_bands[loss_bands["task"] == task].merge(
            one_task[["rank", "full"]].drop_duplicates(), on="rank")
        part = band[~band["full"]]
        right.fill_between(part["rank"], part["ci_low"], part["ci_high"], color=colour,
                           alpha=0.25, lw=0)
        right.plot(part["rank"], part["mean"], color=colour, lw=2, label=f"{task} (mean)")
        full = band[band["full"]]
        mean = full["mean"].to_numpy()
        right.errorbar(position(full).to_numpy(), mean,
                       yerr=[mean - full["ci_low"].to_numpy(), full["ci_high"].to_numpy() - mean],
                       color=colour, marker="o", ms=5, capsize=3)
    right.set_yscale("log")
    right.set_xticks([*range(0, max_rank + 1, 2), x_full],
                     [*(str(k) for k in range(0, max_rank + 1, 2)), "full"])
    right.set(xlabel="rank k of the truncated change", ylabel="task loss (MSE)",
              title="Loss of $W_{init} + [dW]_k$")
    right.legend(loc="upper right", fontsize=7)
    return fig
