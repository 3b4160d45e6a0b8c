"""Figure 2: decision steady states in a 3-D DCA projection, as input isocontours.

With a 2-D DCA subspace the panels are 2-D; with 1-D, the one coordinate is drawn
against the input that varies along each line.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import add_latent_axes, latent_dims, latent_xyz, style_latent_axes

ALTERNATING = ("#1f5fbf", "#d62728")  # blue, red: interior isocontours in turn


def _isocontours(ax, part: pd.DataFrame, varying: str, fixed: str, dims: int) -> None:
    """One line per value of ``fixed`` through the steady states ordered by ``varying``."""
    values = np.sort(part[fixed].unique())
    for k, value in enumerate(values):
        line = part[np.isclose(part[fixed], value)].sort_values(varying)
        extreme = k in (0, len(values) - 1)
        colour = "k" if extreme else ALTERNATING[(k - 1) % 2]
        ax.plot(*latent_xyz(line, "dc", dims, varying), color=colour,
                lw=1.6 if extreme else 1.1, marker="o", ms=2.5)
    # where the answer flips: the equal-input states sit between the two layers
    equal = part[np.isclose(part["input1"], part["input2"])]
    ax.scatter(*latent_xyz(equal, "dc", dims, varying), s=40, facecolor="none",
               edgecolor="k", lw=0.9)


def decision_latent_figure(steady: pd.DataFrame) -> plt.Figure:
    """Draw Figure 2.

    Parameters
    ----------
    steady : DataFrame
        net, state, input1, input2, dc1, dc2, dc3: the steady state of each held
        decision condition in the coordinates of its network's (and state's) DCA
        subspace (arbitrary orientation and sign; units of rate). dc3, or dc2 and
        dc3, are absent when the subspace has fewer dimensions.

    Rows: input-1 isocontours of the trained networks (input 1 varies along a
    line, input 2 is fixed per line), input-2 isocontours of the trained
    networks, input-1 isocontours of the untrained networks. Columns: networks.
    """
    nets = sorted(steady["net"].unique())
    dims = latent_dims(steady, "dc")
    rows = [("trained", "input1", "input2", "Trained: input 1 varies along each line"),
            ("trained", "input2", "input1", "Trained: input 2 varies along each line"),
            ("untrained", "input1", "input2", "Untrained: input 1 varies along each line")]
    fig = plt.figure(figsize=(3.3 * len(nets), 3.3 * len(rows)), constrained_layout=True)
    subfigs = fig.subfigures(len(rows), 1)
    for subfig, (state, varying, fixed, title) in zip(subfigs, rows, strict=True):
        subfig.suptitle(f"{title}\nblack: the fixed input at its smallest or largest value; "
                        "open circles: equal inputs", fontsize=9.5)
        for j, net in enumerate(nets):
            ax = add_latent_axes(subfig, 1, len(nets), j + 1, dims)
            part = steady[(steady["net"] == net) & (steady["state"] == state)]
            _isocontours(ax, part, varying, fixed, dims)
            ax.set_title(net, fontsize=9)
            style_latent_axes(ax, dims=dims, along_label=varying.replace("input", "input "))
    return fig
