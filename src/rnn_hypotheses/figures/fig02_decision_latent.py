"""Figure 2: decision steady states in a 3-D DCA projection, as input isocontours."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import style_latent_axes

ALTERNATING = ("#1f5fbf", "#d62728")  # blue, red: interior isocontours in turn


def _isocontours(ax, part: pd.DataFrame, varying: str, fixed: str) -> None:
    """One line per value of ``fixed`` through the steady states ordered by ``varying``."""
    values = np.sort(part[fixed].unique())
    for k, value in enumerate(values):
        line = part[np.isclose(part[fixed], value)].sort_values(varying)
        extreme = k in (0, len(values) - 1)
        colour = "k" if extreme else ALTERNATING[(k - 1) % 2]
        ax.plot(line["dc1"], line["dc2"], line["dc3"], color=colour, lw=1.6 if extreme else 1.1,
                marker="o", ms=2.5)
    # where the answer flips: the equal-input states sit between the two layers
    equal = part[np.isclose(part["input1"], part["input2"])]
    ax.scatter(equal["dc1"], equal["dc2"], equal["dc3"], s=40, facecolor="none",
               edgecolor="k", lw=0.9)


def decision_latent_figure(steady: pd.DataFrame) -> plt.Figure:
    """Draw Figure 2.

    Parameters
    ----------
    steady : DataFrame
        net, state, input1, input2, dc1, dc2, dc3: the steady state of each held
        decision condition in the coordinates of its network's (and state's) DCA
        subspace (arbitrary orientation and sign; units of rate).

    Rows: input-1 isocontours of the trained networks (input 1 varies along a
    line, input 2 is fixed per line), input-2 isocontours of the trained
    networks, input-1 isocontours of the untrained networks. Columns: networks.
    """
    nets = sorted(steady["net"].unique())
    rows = [("trained", "input1", "input2", "Trained: input 1 varies along each line"),
            ("trained", "input2", "input1", "Trained: input 2 varies along each line"),
            ("untrained", "input1", "input2", "Untrained: input 1 varies along each line")]
    fig = plt.figure(figsize=(3.3 * len(nets), 3.3 * len(rows)), constrained_layout=True)
    subfigs = fig.subfigures(len(rows), 1)
    for subfig, (state, varying, fixed, title) in zip(subfigs, rows, strict=True):
        subfig.suptitle(f"{title}\nblack: the fixed input at its smallest or largest value; "
                        "open circles: equal inputs", fontsize=9.5)
        for j, net in enumerate(nets):
            ax = subfig.add_subplot(1, len(nets), j + 1, projection="3d")
            part = steady[(steady["net"] == net) & (steady["state"] == state)]
            _isocontours(ax, part, varying, fixed)
            ax.set_title(net, fontsize=9)
            style_latent_axes(ax)
    return fig
