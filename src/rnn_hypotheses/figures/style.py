"""Shared look of the figures and the one place that writes them to disk."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figures are files; no display is needed or assumed

import matplotlib.pyplot as plt  # noqa: E402

from ..artifacts import atomic_path  # noqa: E402

TASK_COLOURS = {"perception": "#1b9e77", "decision": "#7570b3"}
STATE_COLOURS = {"untrained": "#999999", "trained": "#d95f02"}

plt.rcParams.update({
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
})


def save_figure(fig: plt.Figure, *paths: str | os.PathLike) -> None:
    """Write a figure to each path (format from the suffix), atomically, then close it."""
    for path in paths:
        path = Path(path)
        with atomic_path(path, suffix=path.suffix) as tmp:
            fig.savefig(tmp, format=path.suffix.lstrip("."), bbox_inches="tight")
    plt.close(fig)


def style_latent_axes(ax, name: str = "DCA", azim: float = -55.0) -> None:
    """Label a 3-D axis of latent coordinates ``name 1..3`` and set the shared view.

    Coordinates in a DCA basis have arbitrary sign and offset, so no tick values.
    """
    ax.set_xlabel(f"{name} 1", fontsize=7, labelpad=-8)
    ax.set_ylabel(f"{name} 2", fontsize=7, labelpad=-8)
    ax.set_zlabel(f"{name} 3", fontsize=7, labelpad=-8)
    ax.set_xticklabels([])
    ax.set_yticklabels([])
    ax.set_zticklabels([])
    ax.view_init(elev=22, azim=azim)
