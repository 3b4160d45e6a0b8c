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


def latent_columns(coords, prefix: str) -> dict:
    """``{prefix1: coords[:, 0], ...}`` for the first three columns of (n, d) coordinates."""
    return {f"{prefix}{k + 1}": coords[:, k] for k in range(min(3, coords.shape[1]))}


def latent_dims(frame, prefix: str) -> int:
    """How many latent coordinates ``prefix1``, ``prefix2``, ... a frame holds (at most 3)."""
    return next((k for k in range(3) if f"{prefix}{k + 1}" not in frame.columns), 3)


def add_latent_axes(parent, nrows: int, ncols: int, index: int, dims: int):
    """A panel for latent coordinates: 3-D for three or more dimensions, else 2-D."""
    return parent.add_subplot(nrows, ncols, index, **({"projection": "3d"} if dims >= 3 else {}))


def latent_xyz(frame, prefix: str, dims: int, along=None) -> list:
    """The coordinates to draw of each row of ``frame``.

    Three latent dimensions or more: the first three; two: both. One dimension is
    drawn against ``along`` (a column name or values: time for a trajectory, the
    varying input for a line of steady states), which becomes the horizontal axis.
    """
    if dims >= 3:
        return [frame[f"{prefix}{k}"] for k in (1, 2, 3)]
    if dims == 2:
        return [frame[f"{prefix}1"], frame[f"{prefix}2"]]
    x = frame[along] if isinstance(along, str) else along
    return [x, frame[f"{prefix}1"]]


def depth_kwargs(dims: int) -> dict:
    """Scatter options that exist only on 3-D axes."""
    return {"depthshade": False} if dims >= 3 else {}


def style_latent_axes(ax, name: str = "DCA", azim: float = -55.0, dims: int = 3,
                      along_label: str = "") -> None:
    """Label latent axes ``name 1..3`` (3-D: also set the shared view).

    Coordinates in a DCA basis have arbitrary sign and offset, so no tick values;
    with one latent dimension, the horizontal axis is ``along_label`` and keeps its ticks.
    """
    if dims >= 3:
        ax.set_xlabel(f"{name} 1", fontsize=7, labelpad=-8)
        ax.set_ylabel(f"{name} 2", fontsize=7, labelpad=-8)
        ax.set_zlabel(f"{name} 3", fontsize=7, labelpad=-8)
        ax.set_xticklabels([])
        ax.set_yticklabels([])
        ax.set_zticklabels([])
        ax.view_init(elev=22, azim=azim)
        return
    if dims == 2:
        ax.set_xlabel(f"{name} 1", fontsize=7)
        ax.set_xticklabels([])
        ax.set_ylabel(f"{name} 2", fontsize=7)
    else:
        ax.set_xlabel(along_label, fontsize=7)
        ax.set_ylabel(f"{name} 1", fontsize=7)
    ax.set_yticklabels([])
