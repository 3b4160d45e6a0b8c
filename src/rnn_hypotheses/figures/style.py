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
