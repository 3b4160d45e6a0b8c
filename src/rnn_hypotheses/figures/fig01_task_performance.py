"""Figure 1: both tasks are performed with low error."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import TASK_COLOURS


def task_performance_figure(decision: pd.DataFrame, perception: pd.DataFrame) -> plt.Figure:
    """Draw Figure 1.

    Parameters
    ----------
    decision : DataFrame
        Decision evaluation conditions of every network: net, difference
        (input1 - input2), mean_output, target.
    perception : DataFrame
        Perception output traces of every network: net, input1, time_ms, output, target.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2), constrained_layout=True)
    colour = TASK_COLOURS["decision"]
    # Conditions with the same difference are pooled: the curve is output against
    # input1 - input2 whatever the absolute levels.
    curves = (decision.assign(difference=decision["difference"].round(6))
              .groupby(["net", "difference"], as_index=False)["mean_output"].mean())
    for _, one in curves.groupby("net"):
        left.plot(one["difference"], one["mean_output"], color=colour, lw=0.6, alpha=0.5)
    mean = curves.groupby("difference")["mean_output"].mean()
    left.plot(mean.index, mean.to_numpy(), color=colour, lw=2.2, label="mean of networks")
    target = (decision.assign(difference=decision["difference"].round(6))
              .groupby("difference")["target"].mean())
    left.step(target.index, target.to_numpy(), where="mid", color="k", ls="--", lw=1,
              label="target (mean)")
    left.axvline(0, color="0.8", lw=0.8, zorder=0)
    left.set(xlabel="relative input difference (input 1 - input 2)", ylabel="network output",
             title=f"Decision ({decision['net'].nunique()} networks)")
    left.legend(loc="upper right")

    colour = TASK_COLOURS["perception"]
    levels = np.sort(perception["input1"].unique())
    styles = ["-", ":", "-.", (0, (5, 1))]
    for k, level in enumerate(levels):
        ls = styles[k % len(styles)]
        at_level = perception[perception["input1"] == level]
        for _, one in at_level.groupby("net"):
            right.plot(one["time_ms"], one["output"], color=colour, lw=0.6, alpha=0.4, ls=ls)
        mean = at_level.groupby("time_ms")["output"].mean()
        right.plot(mean.index, mean.to_numpy(), color=colour, lw=2.2, ls=ls,
                   label=f"input {level:g}")
        tgt = at_level.groupby("time_ms")["target"].first()
        right.plot(tgt.index, tgt.to_numpy(), color="k", lw=1, ls="--")
    right.plot([], [], color="k", lw=1, ls="--", label="targets")
    right.set(xlabel="time (ms)", ylabel="network output",
              title=f"Perception ({perception['net'].nunique()} networks)")
    right.legend(loc="lower right")
    return fig
