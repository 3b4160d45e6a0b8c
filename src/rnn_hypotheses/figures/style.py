"""Shared look of the figures and the one place that writes them to disk."""

from __future__ import annotations

import colorsys
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figures are files; no display is needed or assumed

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import colors  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from numpy.typing import ArrayLike  # noqa: E402

from ..artifacts import atomic_path  # noqa: E402
from ..tasks import KINDS  # noqa: E402

# Task colours in config order (ColorBrewer Dark2 without the orange of trained networks).
TASK_PALETTE = ("#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")
STATE_COLOURS = {"untrained": "#999999", "trained": "#d95f02"}
# Conditions of a task with a diverging condition scale (blue below zero, red above).
DIVERGING_CMAP = "coolwarm"

plt.rcParams.update({
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
})


@dataclass(frozen=True)
class TaskView:
    """How figures draw one configured task: its colour and how its kind places conditions.

    Attributes
    ----------
    name, kind : str
    colour : str
        The task's colour, by its position in the config.
    condition_label, condition_scale, performance_view, latent_view
        The kind's (see :class:`rnn_hypotheses.tasks.Task`).
    """

    name: str
    kind: str
    colour: str
    condition_label: str
    condition_scale: str
    performance_view: str
    latent_view: str | None


def task_views(kinds: Mapping[str, str]) -> dict[str, TaskView]:
    """The view of every configured task, in config order.

    Parameters
    ----------
    kinds : mapping
        Task name -> kind, in config order (a rule's ``task_kinds`` param).
    """
    views = {}
    for k, (name, kind) in enumerate(kinds.items()):
        cls = KINDS[kind]
        views[name] = TaskView(name, kind, TASK_PALETTE[k % len(TASK_PALETTE)],
                               cls.condition_label, cls.condition_scale, cls.performance_view,
                               cls.latent_view)
    return views


def condition_value_of(view: TaskView) -> Callable[[ArrayLike], np.ndarray]:
    """The kind's :meth:`~rnn_hypotheses.tasks.Task.condition_value` for one task's view.

    A figure needs only where a kind places each condition, which depends on the
    inputs alone (a static method of the kind).

    Returns
    -------
    callable
        inputs, shape (n, n_inputs) -> ndarray, shape (n,).
    """
    return KINDS[view.kind].condition_value


def panel_grid(n: int, max_cols: int = 4) -> tuple[int, int]:
    """Rows and columns of a grid of ``n`` panels, at most ``max_cols`` to a row."""
    cols = max(1, min(n, max_cols))
    return max(1, math.ceil(n / cols)), cols


def task_state_axes(tasks: Sequence[str], states: Sequence[str], width: float,
                    height: float = 3.0) -> tuple[plt.Figure, np.ndarray]:
    """A grid of panels with shared axes: one row per task, one column per state.

    Returns the figure and its axes, shape (len(tasks), len(states)).
    """
    return plt.subplots(len(tasks), len(states),
                        figsize=(width * len(states), height * len(tasks)), sharex=True,
                        sharey=True, constrained_layout=True, squeeze=False)


def shades(colour: str, n: int) -> list[tuple[float, float, float]]:
    """``n`` shades of one colour from light to dark (one: the colour itself)."""
    h, _, s = colorsys.rgb_to_hls(*colors.to_rgb(colour))
    if n == 1:
        return [colors.to_rgb(colour)]
    return [colorsys.hls_to_rgb(h, light, s) for light in np.linspace(0.7, 0.3, n)]


@dataclass(frozen=True)
class ConditionColours:
    """The colour of each condition of one task, from its condition value.

    A categorical scale gives each of ``levels`` a shade of the task's colour (light:
    lowest); a diverging one places values on :data:`DIVERGING_CMAP` from ``-reach``
    to ``reach``. NaN (no input, u = 0) is black on both.
    """

    view: TaskView
    levels: tuple[float, ...]
    reach: float

    @property
    def categorical(self) -> bool:
        return self.view.condition_scale == "categorical"

    @property
    def norm(self) -> colors.Normalize:
        return colors.Normalize(-self.reach, self.reach)

    def __call__(self, value: float) -> tuple[float, float, float, float]:
        """RGBA of one condition value."""
        if not np.isfinite(value):
            return colors.to_rgba("black")
        if self.categorical:
            if not self.levels:
                return colors.to_rgba(self.view.colour)
            k = int(np.argmin(np.abs(np.asarray(self.levels) - value)))
            return colors.to_rgba(shades(self.view.colour, len(self.levels))[k])
        return tuple(plt.get_cmap(DIVERGING_CMAP)(self.norm(value)))

    @property
    def label(self) -> str:
        """The key's title: task name and what the value measures."""
        return f"{self.view.name}: {self.view.condition_label}"

    def handles(self, **line) -> list[Line2D]:
        """Legend entries of a categorical scale, one per level, labelled with its value
        (none for a diverging scale); :attr:`label` is the legend's title."""
        if not self.categorical:
            return []
        return [Line2D([], [], color=self(v), lw=line.get("lw", 1.5), label=f"{v:g}")
                for v in self.levels]

    def mappable(self) -> plt.cm.ScalarMappable:
        """What a colourbar of a diverging scale draws."""
        return plt.cm.ScalarMappable(norm=self.norm, cmap=plt.get_cmap(DIVERGING_CMAP))

    def add_key(self, ax: plt.Axes, **legend) -> None:
        """Draw the scale into an empty axes: a legend of the levels or a colourbar."""
        ax.set_axis_off()
        if self.categorical:
            ax.legend(handles=self.handles(), title=self.label.replace(": ", ":\n"),
                      loc="center left", **legend)
            return
        cax = ax.inset_axes([0.05, 0.1, 0.1, 0.8])
        ax.figure.colorbar(self.mappable(), cax=cax, label=self.label)


def condition_colours(view: TaskView, values: Iterable[float]) -> ConditionColours:
    """The colours of a task's conditions, scaled to the finite values it draws."""
    v = np.asarray(list(values), dtype=float)
    v = v[np.isfinite(v)]
    levels = tuple(float(x) for x in np.unique(np.round(v, 9)))
    reach = float(np.abs(v).max()) if v.size and np.abs(v).max() > 0 else 1.0
    return ConditionColours(view, levels, reach)


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


def add_latent_axes(parent, *where, dims: int):
    """A panel for latent coordinates: 3-D for three or more dimensions, else 2-D.

    ``where`` is what ``parent.add_subplot`` takes: (nrows, ncols, index) or a
    SubplotSpec.
    """
    return parent.add_subplot(*where, **({"projection": "3d"} if dims >= 3 else {}))


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
