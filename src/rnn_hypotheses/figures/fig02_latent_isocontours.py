"""Figure 2: one task's steady states in a 3-D DCA projection, as input isocontours.

Drawn for every task whose kind's latent view is "isocontours" (the report's decision
task). With a 2-D DCA subspace the panels are 2-D; with 1-D, the one coordinate is
drawn against the input that varies along each line.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .frames import input_columns
from .style import add_latent_axes, latent_dims, latent_xyz, style_latent_axes

ALTERNATING = ("#1f5fbf", "#d62728")  # blue, red: interior isocontours in turn


def _isocontours(ax, part: pd.DataFrame, varying: str, fixed: list[str], dims: int) -> None:
    """One line per value of the ``fixed`` inputs through the steady states ordered by
    ``varying``."""
    lines = [line for _, line in part.groupby(fixed, sort=True)] if fixed else [part]
    for k, line in enumerate(lines):
        line = line.sort_values(varying)
        extreme = k in (0, len(lines) - 1)
        colour = "k" if extreme else ALTERNATING[(k - 1) % 2]
        ax.plot(*latent_xyz(line, "dc", dims, varying), color=colour,
                lw=1.6 if extreme else 1.1, marker="o", ms=2.5)
    if not fixed:
        return
    # where the answer flips: the equal-input states sit between the two layers
    inputs = part[[varying, *fixed]].to_numpy(float)
    equal = part[np.isclose(inputs, inputs[:, :1]).all(axis=1)]
    ax.scatter(*latent_xyz(equal, "dc", dims, varying), s=40, facecolor="none",
               edgecolor="k", lw=0.9)


def _input_name(column: str) -> str:
    return column.replace("input", "input ")


def latent_isocontours_figure(steady: pd.DataFrame, *, task: str) -> plt.Figure:
    """Draw Figure 2 of one task.

    Parameters
    ----------
    steady : DataFrame
        net, state, input1, input2, ..., dc1, dc2, dc3: the steady state of each held
        condition in the coordinates of its network's (and state's) DCA subspace
        (arbitrary orientation and sign; units of rate). dc3, or dc2 and dc3, are
        absent when the subspace has fewer dimensions.
    task : str
        The task's name, for the titles.

    Rows: for each input, the trained networks' isocontours along which it varies
    (the other inputs fixed per line); then the untrained networks' isocontours of
    input 1. Columns: networks.
    """
    nets = sorted(steady["net"].unique())
    dims = latent_dims(steady, "dc")
    inputs = input_columns(steady)
    rows = [("trained", varying, [c for c in inputs if c != varying]) for varying in inputs]
    rows.append(("untrained", inputs[0], inputs[1:]))
    fig = plt.figure(figsize=(3.3 * len(nets), 3.3 * len(rows)), constrained_layout=True)
    subfigs = np.atleast_1d(fig.subfigures(len(rows), 1))
    for subfig, (state, varying, fixed) in zip(subfigs, rows, strict=True):
        subfig.suptitle(f"{task}, {state}: {_input_name(varying)} varies along each line\n"
                        "black: the fixed input at its smallest or largest value; "
                        "open circles: equal inputs", fontsize=9.5)
        for j, net in enumerate(nets):
            ax = add_latent_axes(subfig, 1, len(nets), j + 1, dims=dims)
            part = steady[(steady["net"] == net) & (steady["state"] == state)]
            _isocontours(ax, part, varying, fixed, dims)
            ax.set_title(net, fontsize=9)
            style_latent_axes(ax, dims=dims, along_label=_input_name(varying))
    return fig
