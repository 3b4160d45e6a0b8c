"""Interactive views of Figures 2, 3 and S4: the static figures' frames, drawn with plotly.

Each ``*_view`` function takes the frames its static figure draws (built by the same
helpers of :mod:`.frames`) and returns a :class:`plotly.graph_objects.Figure` with
one panel per network or task and state, laid out as the static figure; only
:func:`write_html` touches the disk. A reader can turn and zoom each 3-D panel,
switch the networks on and off with the buttons above the panels, show or hide a
condition (every trace of it, in every panel) by clicking its legend entry, and
hover over any point for its network, state, input condition (the kind's condition
value) and, for fixed and slow points, kind and eigenvalues.

A latent subspace of three or more dimensions gives 3-D panels (its first three
axes); two give 2-D panels; one is drawn against what varies along each line (time,
or the varying input), as in the static figures. Each 3-D panel is a WebGL scene of
its own, and browsers keep about 16 alive per page, which a figure of up to five
networks by three rows stays within.

Every trace carries ``meta``: ``{"role", "task", "net", "state", "key"}``, which says
what it draws (tests count traces and points by it).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..analysis.slowpoint_analysis import PER_SECOND
from ..analysis.slowpoints import UNDETERMINED
from ..artifacts import atomic_path
from .fig02_latent_isocontours import ALTERNATING
from .fig03_latent_switching import LEVEL_COLOURS, _nearest  # the static figure's level rule
from .frames import input_columns
from .style import TaskView, condition_colours, condition_value_of, latent_dims

PANEL_WIDTH_PX = 430
PANEL_HEIGHT_PX = 400
# room for the title (up to three lines) and, below it, the network buttons
TOP_MARGIN_PX = 140
# the static figures' viewpoint: elevation 22 degrees, azimuth -55 (S4: -58)
CAMERA_ELEVATION_DEG = 22.0
CAMERA_DISTANCE = 2.2
OTHER_LEVEL = "rgb(153,153,153)"  # steady states of levels the switching trial never receives
CHANGING_TRIAL = "rgb(128,128,128)"

# Marker of each point class of Figure S4: symbols that plotly draws in 3-D and in 2-D
# (3-D has no triangle, so slow regions are open circles here).
POINT_STYLES = {
    ("exact", "stable"): ("circle", 6, "stable fixed point (exact)"),
    ("exact", "saddle"): ("diamond", 6, "saddle (exact fixed point)"),
    ("exact", "unstable"): ("square", 6, "unstable fixed point (exact)"),
    ("exact", UNDETERMINED): ("x", 7, "exact fixed point of undetermined stability "
                                      "(on a ReLU kink whose sides disagree)"),
    ("slow", "determined"): ("circle-open", 7, "slow region (q > 0 minimum)"),
    ("slow", UNDETERMINED): ("cross", 7, "slow region of undetermined stability"),
}
"""(method, kind) -> (plotly symbol, size in px, what the hover says it is); a slow
region's own kind (stable, saddle, unstable) is added to its hover text."""


# ----------------------------------------------------------------------------- helpers


def rgb(colour: Sequence[float]) -> str:
    """An ``rgb(...)`` string of plotly from an RGB(A) tuple of floats in [0, 1]."""
    r, g, b = (round(255 * float(c)) for c in colour[:3])
    return f"rgb({r},{g},{b})"


def format_eigenvalue(re: float, im: float) -> str:
    """An eigenvalue as hover text, e.g. ``-6.5 ± 2.1i /s`` (a complex pair) or ``-6.5 /s``."""
    if not np.isfinite(re):
        return "none"
    if abs(im) > 0:
        return f"{re:.3g} ± {abs(im):.3g}i /s"
    return f"{re:.3g} /s"


def format_inputs(inputs: Sequence[float]) -> str:
    """``u = (0.2, 0.6)``: a condition by its inputs."""
    return "u = (" + ", ".join(f"{float(u):g}" for u in inputs) + ")"


def _coordinates(frame: pd.DataFrame, prefix: str, dims: int, along=None) -> dict:
    """x, y (and z) of each row: as :func:`.style.latent_xyz`, keyed for a plotly trace."""
    if dims >= 3:
        return {axis: frame[f"{prefix}{k + 1}"].to_numpy(float) for k, axis in enumerate("xyz")}
    if dims == 2:
        return {"x": frame[f"{prefix}1"].to_numpy(float), "y": frame[f"{prefix}2"].to_numpy(float)}
    x = frame[along] if isinstance(along, str) else along
    return {"x": np.asarray(x, float), "y": frame[f"{prefix}1"].to_numpy(float)}


def _trace(dims: int, **kwargs) -> go.Scatter3d | go.Scatter:
    """A 3-D scatter for three latent dimensions, else a 2-D one (markers in px either way)."""
    if dims >= 3:
        return go.Scatter3d(**kwargs)
    kwargs.pop("z", None)
    return go.Scatter(**kwargs)


def _panels(rows: int, cols: int, dims: int, titles: Sequence[str]) -> go.Figure:
    """A grid of empty panels: 3-D scenes, or 2-D axes for fewer latent dimensions."""
    kind = "scene" if dims >= 3 else "xy"
    fig = make_subplots(rows=rows, cols=cols, specs=[[{"type": kind}] * cols] * rows,
                        subplot_titles=list(titles), horizontal_spacing=0.02 if dims >= 3
                        else 0.06, vertical_spacing=0.06 if rows > 1 else 0.0)
    fig.update_annotations(font_size=12)
    return fig


def _style_panels(fig: go.Figure, dims: int, axis_name: str, along_label: str,
                  azimuth_deg: float, rows: int, cols: int) -> None:
    """Axis titles, no tick values (a DCA basis has arbitrary sign and offset), the static
    figures' viewpoint, and the page's size."""
    if dims >= 3:
        azimuth = math.radians(azimuth_deg)
        elevation = math.radians(CAMERA_ELEVATION_DEG)
        eye = {"x": CAMERA_DISTANCE * math.cos(elevation) * math.cos(azimuth),
               "y": CAMERA_DISTANCE * math.cos(elevation) * math.sin(azimuth),
               "z": CAMERA_DISTANCE * math.sin(elevation)}
        axis = {"showticklabels": False, "showspikes": False}
        fig.update_scenes(xaxis={**axis, "title": f"{axis_name} 1"},
                          yaxis={**axis, "title": f"{axis_name} 2"},
                          zaxis={**axis, "title": f"{axis_name} 3"},
                          camera={"eye": eye}, aspectmode="cube")
    elif dims == 2:
        fig.update_xaxes(title=f"{axis_name} 1", showticklabels=False)
        fig.update_yaxes(title=f"{axis_name} 2", showticklabels=False)
    else:
        fig.update_xaxes(title=along_label)
        fig.update_yaxes(title=f"{axis_name} 1", showticklabels=False)
    fig.update_layout(height=PANEL_HEIGHT_PX * rows + TOP_MARGIN_PX + 20,
                      width=PANEL_WIDTH_PX * cols + 300,
                      hoverlabel={"align": "left"}, legend={"itemsizing": "constant"},
                      margin={"l": 40, "r": 20, "t": TOP_MARGIN_PX, "b": 20})


def _title(fig: go.Figure, text: str) -> None:
    """The page's title, at the top left above the network buttons."""
    fig.update_layout(title={"text": text, "font_size": 14, "x": 0.01, "xanchor": "left",
                             "xref": "container", "y": 1.0, "yanchor": "top",
                             "yref": "container", "pad": {"t": 10}})


def _add(fig: go.Figure, trace, row: int, col: int, *, meta: dict,
         shown_groups: set[str], rank: int | None = None) -> None:
    """Add a trace to one panel; a legend group's first trace is its legend entry, placed
    by ``rank`` (plotly's legendrank: lower first; else in the order added)."""
    group = trace.legendgroup
    trace.update(meta=meta, showlegend=group not in shown_groups)
    if rank is not None:
        trace.update(legendrank=rank)
    shown_groups.add(group)
    fig.add_trace(trace, row=row, col=col)


def _network_buttons(fig: go.Figure, nets: Sequence[str]) -> None:
    """Buttons above the panels that show every network or one of them (by ``meta``)."""
    of_trace = [trace.meta["net"] for trace in fig.data]
    buttons = [{"label": "all networks", "method": "restyle",
                "args": [{"visible": [True] * len(of_trace)}]}]
    buttons += [{"label": net, "method": "restyle",
                 "args": [{"visible": [n == net for n in of_trace]}]} for net in nets]
    fig.update_layout(updatemenus=[{"type": "buttons", "direction": "right", "x": 0.0,
                                    "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                                    "pad": {"b": 35}, "showactive": True,
                                    "buttons": buttons}])


# ----------------------------------------------------------------------------- Figure 2


def isocontours_view(steady: pd.DataFrame, *, view: TaskView,
                     axis_name: str = "DC") -> go.Figure:
    """Figure 2 of one task as an interactive figure.

    Parameters
    ----------
    steady : DataFrame
        :func:`.frames.steady_state_frame` of each drawn network and state: ``net``,
        ``state``, ``input1``..., ``dc1``..``dc3`` (rates; ``dc3``, or ``dc2`` and
        ``dc3``, absent for a smaller subspace).
    view : TaskView
        The task's view: its name, kind (condition value) and condition label.
    axis_name : str
        Axis label prefix.

    Returns
    -------
    Figure with the static figure's panels (rows: for each input, the trained networks'
    lines along which it varies; then the untrained networks' lines of input 1;
    columns: networks). Traces, in order per panel: one per line (its points: the
    steady states with the other inputs at one value, ordered by the varying input,
    ``meta.role`` "isocontour"), then one of the states with equal inputs where the
    task has several inputs and any such state (role "equal inputs"). A line's legend
    entry (its fixed inputs) shows or hides it in every panel.
    """
    nets = sorted(steady["net"].unique())
    dims = latent_dims(steady, "dc")
    inputs = input_columns(steady)
    values = condition_value_of(view)(steady[inputs].to_numpy(float))
    steady = steady.assign(value=values,
                           condition=[format_inputs(u) for u in steady[inputs].to_numpy(float)])
    rows = [("trained", varying, [c for c in inputs if c != varying]) for varying in inputs]
    rows.append(("untrained", inputs[0], inputs[1:]))
    titles = [f"{state}, {net}: {_input_name(varying)} varies"
              for state, varying, _ in rows for net in nets]
    fig = _panels(len(rows), len(nets), dims, titles)
    shown: set[str] = set()
    for i, (state, varying, fixed) in enumerate(rows):
        for j, net in enumerate(nets):
            part = steady[(steady["net"] == net) & (steady["state"] == state)]
            lines = [line for _, line in part.groupby(fixed, sort=True)] if fixed else [part]
            for k, line in enumerate(lines):
                line = line.sort_values(varying)
                extreme = k in (0, len(lines) - 1)
                colour = "black" if extreme else ALTERNATING[(k - 1) % 2]
                fixed_text = ", ".join(f"{_input_name(c)} = {line[c].iloc[0]:g}" for c in fixed)
                group = fixed_text or f"{_input_name(varying)} varies"
                hover = (f"<b>{net}</b>, {state}<br>%{{customdata[0]}}<br>"
                         f"{view.condition_label} = %{{customdata[1]:.3g}}<br>"
                         f"line: {group}, {_input_name(varying)} varies<extra></extra>")
                trace = _trace(dims, **_coordinates(line, "dc", dims, varying),
                               mode="lines+markers", name=group, legendgroup=group,
                               line={"color": colour, "width": 4 if extreme else 3},
                               marker={"color": colour, "size": 3},
                               customdata=line[["condition", "value"]].to_numpy(object),
                               hovertemplate=hover)
                _add(fig, trace, i + 1, j + 1, shown_groups=shown,
                     meta={"role": "isocontour", "task": view.name, "net": net,
                           "state": state, "key": group})
            if not fixed:
                continue
            # where the answer flips: the equal-input states sit between the two layers
            u = part[inputs].to_numpy(float)
            equal = part[np.isclose(u, u[:, :1]).all(axis=1)]
            if equal.empty:
                continue
            hover = (f"<b>{net}</b>, {state}<br>equal inputs: %{{customdata[0]}}<br>"
                     f"{view.condition_label} = %{{customdata[1]:.3g}}<extra></extra>")
            trace = _trace(dims, **_coordinates(equal, "dc", dims, varying), mode="markers",
                           name="equal inputs", legendgroup="equal inputs",
                           marker={"color": "black", "size": 7, "symbol": "circle-open"},
                           customdata=equal[["condition", "value"]].to_numpy(object),
                           hovertemplate=hover)
            _add(fig, trace, i + 1, j + 1, shown_groups=shown,
                 meta={"role": "equal inputs", "task": view.name, "net": net,
                       "state": state, "key": "equal inputs"})
    _style_panels(fig, dims, axis_name, along_label="varying input", azimuth_deg=-55.0,
                  rows=len(rows), cols=len(nets))
    _title(fig, f"Figure 2, {view.name}: steady states as input isocontours<br><sup>"
           "each line: one input varies, the others fixed; black: the fixed input at its "
           "smallest or largest value; open circles: equal inputs</sup>")
    _network_buttons(fig, nets)
    return fig


def _input_name(column: str) -> str:
    return column.replace("input", "input ")


# ----------------------------------------------------------------------------- Figure 3


def level_runs(level_index: np.ndarray) -> list[tuple[int, int]]:
    """The stretches of a trial at one input level, as (first, last + 1) step indices.

    Parameters
    ----------
    level_index : ndarray of int, shape (time,)
        The level each step receives.

    Returns
    -------
    list of (start, stop): consecutive, covering every step.
    """
    level_index = np.asarray(level_index)
    if level_index.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(level_index) != 0) + 1
    edges = [0, *breaks.tolist(), int(level_index.size)]
    return list(zip(edges[:-1], edges[1:], strict=True))


def switching_view(trajectories: pd.DataFrame, fixed_points: pd.DataFrame, *,
                   view: TaskView, axis_name: str = "DC") -> go.Figure:
    """Figure 3 of one task as an interactive figure.

    Parameters
    ----------
    trajectories : DataFrame
        :func:`.frames.switching_frames`' trajectory of each drawn network and state:
        ``net``, ``state``, ``time_ms``, ``input``, ``dc1``..``dc3`` (rates).
    fixed_points : DataFrame
        Their steady states: ``net``, ``state``, ``input``, ``dc1``..``dc3``.
    view : TaskView
        The task's view (name, condition value and label).
    axis_name : str
        Axis label prefix.

    Returns
    -------
    Figure with rows untrained, trained and one column per network. Traces, in order
    per panel: one per stretch of the trial at one input level, in time order, each
    from the last step of the stretch before it (so that the line is unbroken) to its
    own last step (``meta.role`` "segment"); the trial's first step (role "start");
    one per input level of the steady states of the held trials at that level (role
    "steady state"). A level's legend entry shows or hides its stretches and steady
    states in every panel.
    """
    nets = sorted(trajectories["net"].unique())
    dims = latent_dims(trajectories, "dc")
    end_ms = float(trajectories["time_ms"].max())
    levels = np.sort(fixed_points["input"].unique())
    value_of = condition_value_of(view)
    level_values = value_of(levels[:, None])
    switching = np.unique(_nearest(trajectories["input"], levels))
    colours = {int(k): LEVEL_COLOURS[i % len(LEVEL_COLOURS)] for i, k in enumerate(switching)}
    states = ("untrained", "trained")
    titles = [f"{state}, {net}" for state in states for net in nets]
    fig = _panels(len(states), len(nets), dims, titles)
    shown: set[str] = set()
    for i, state in enumerate(states):
        for j, net in enumerate(nets):
            panel = {"task": view.name, "net": net, "state": state}
            traj = trajectories[(trajectories["net"] == net) & (trajectories["state"] == state)]
            traj = traj.sort_values("time_ms")
            level_index = _nearest(traj["input"], levels)
            xyz = _coordinates(traj, "dc", dims, "time_ms")
            for start, stop in level_runs(level_index):
                level = int(level_index[start])
                group = f"input {levels[level]:g}"
                # from the previous stretch's last step: the line stays unbroken
                steps = slice(max(start - 1, 0), stop)
                hover = (f"<b>{net}</b>, {state}<br>switching trial, input level "
                         f"{levels[level]:g} ({view.condition_label} = {level_values[level]:g})"
                         "<br>t = %{customdata[0]:.0f} ms, input received %{customdata[1]:.3f}"
                         "<extra></extra>")
                trace = _trace(dims, **{a: c[steps] for a, c in xyz.items()}, mode="lines",
                               name=group, legendgroup=group,
                               line={"color": colours.get(level, OTHER_LEVEL), "width": 4},
                               customdata=traj[["time_ms", "input"]].to_numpy(float)[steps],
                               hovertemplate=hover)
                _add(fig, trace, i + 1, j + 1, shown_groups=shown,
                     meta={"role": "segment", **panel, "key": group})
            first = traj.iloc[:1]
            trace = _trace(dims, **_coordinates(first, "dc", dims, "time_ms"), mode="markers",
                           name="start (r = 0 at t = 0)", legendgroup="start",
                           marker={"color": "black", "size": 5, "symbol": "diamond"},
                           hovertemplate=f"<b>{net}</b>, {state}<br>start of the switching "
                           "trial (r = 0 at t = 0)<extra></extra>")
            _add(fig, trace, i + 1, j + 1, shown_groups=shown,
                 meta={"role": "start", **panel, "key": "start"})
            fp = fixed_points[(fixed_points["net"] == net) & (fixed_points["state"] == state)]
            for k, level in enumerate(levels):
                point = fp[np.isclose(fp["input"], level)]
                group = f"input {level:g}"
                hover = (f"<b>{net}</b>, {state}<br>steady state of the held trial at input "
                         f"{level:g} ({view.condition_label} = {level_values[k]:g})"
                         "<extra></extra>")
                trace = _trace(dims, **_coordinates(point, "dc", dims,
                                                    np.full(len(point), end_ms)),
                               mode="markers", name=group, legendgroup=group,
                               marker={"color": colours.get(k, OTHER_LEVEL), "size": 7,
                                       "symbol": "diamond",
                                       "line": {"color": "black", "width": 1}},
                               hovertemplate=hover)
                _add(fig, trace, i + 1, j + 1, shown_groups=shown,
                     meta={"role": "steady state", **panel, "key": group})
    _style_panels(fig, dims, axis_name, along_label="time (ms)", azimuth_deg=-55.0,
                  rows=len(states), cols=len(nets))
    _title(fig, f"Figure 3, {view.name}: a trial whose input switches between "
           + " and ".join(f"{v:g}" for v in levels[switching])
           + "<br><sup>coloured by the input each step receives; diamonds: steady states "
           "of the held trials at each level</sup>")
    _network_buttons(fig, nets)
    return fig


# ----------------------------------------------------------------------------- Figure S4


def with_trial_inputs(trajectories: pd.DataFrame, conditions: np.ndarray) -> pd.DataFrame:
    """Add each trial's inputs to one network's trajectories (of one task and state).

    Parameters
    ----------
    trajectories : DataFrame
        :func:`.frames.latent_view`'s trajectories, with ``trial``.
    conditions : ndarray, shape (trial, n_inputs)
        sim_{state}.npz ``conditions``: the held inputs of each trial (NaN for a trial
        whose input changes).

    Returns
    -------
    DataFrame: ``trajectories`` with ``input1``... .
    """
    u = np.asarray(conditions, float)[trajectories["trial"].to_numpy(int)]
    return trajectories.assign(**{f"input{k + 1}": u[:, k] for k in range(u.shape[1])})


def with_eigenvalues(points: pd.DataFrame, modes: pd.DataFrame,
                     eigenvalues: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add the eigenvalues a figure shows to one network's points and unstable modes.

    Parameters
    ----------
    points, modes : DataFrame
        :func:`.frames.latent_view`'s points and modes of one task and state, with
        ``location`` (and ``mode``) indexing ``eigenvalues``.
    eigenvalues : ndarray of complex, shape (n_points, N)
        slowpoints_{state}.npz ``eigenvalues``: each point's Jacobian spectrum, 1/ms,
        by decreasing real part (an unstable mode j has eigenvalue j).

    Returns
    -------
    points : DataFrame
        With ``eig_re``, ``eig_im``: the leading eigenvalue (largest real part), 1/s.
    modes : DataFrame
        With ``eig_re``, ``eig_im``: the eigenvalue of each mode, 1/s.
    """
    lam = np.asarray(eigenvalues) * PER_SECOND
    leading = lam[points["location"].to_numpy(int), 0] if len(points) else np.zeros(0, complex)
    of_mode = (lam[modes["location"].to_numpy(int), modes["mode"].to_numpy(int)]
               if len(modes) else np.zeros(0, complex))
    return (points.assign(eig_re=leading.real, eig_im=leading.imag),
            modes.assign(eig_re=of_mode.real, eig_im=of_mode.imag))


def point_class(method: str, kind: str) -> tuple[str, str]:
    """The key of :data:`POINT_STYLES` of a point: exact points by kind, slow regions by
    whether their stability is determined."""
    if method == "slow":
        return ("slow", UNDETERMINED if kind == UNDETERMINED else "determined")
    return (method, kind)


def _condition_group(task: str, view: TaskView, value: float) -> str:
    return f"{task}: {view.condition_label} = {value:g}"


def fixed_points_view(trajectories: pd.DataFrame, points: pd.DataFrame, modes: pd.DataFrame,
                      views: Mapping[str, TaskView], *, net: str,
                      axis_name: str = "DC") -> go.Figure:
    """Figure S4 as an interactive figure: one panel per task (rows) and state (columns).

    Parameters
    ----------
    trajectories : DataFrame
        :func:`.frames.latent_view`'s trajectories of every panel with their trials'
        inputs (:func:`with_trial_inputs`): ``task``, ``state``, ``trial``, ``time_ms``,
        ``c1``..``c3`` (rates), ``value`` (condition value, NaN for a trial whose input
        changes), ``kind``, ``input1``... .
    points : DataFrame
        Its points with their leading eigenvalues (:func:`with_eigenvalues`):
        ``task``, ``state``, ``method``, ``kind``, ``value``, ``n_unstable``,
        ``input1``..., ``c1``..``c3``, ``eig_re``, ``eig_im`` (1/s). Methods other than
        "exact" and "slow" are not drawn, as in the static figure.
    modes : DataFrame
        Its unstable modes with their eigenvalues: ``task``, ``state``, ``value``,
        ``method``, ``mode``, ``a1``..``a3`` and ``b1``..``b3`` (ends), ``eig_re``,
        ``eig_im``.
    views : mapping
        Task name -> :class:`TaskView`, in config order: the rows.
    net : str
        The network drawn.
    axis_name : str
        Axis label prefix: "DC" for a DCA basis, "PC" for PCA.

    Returns
    -------
    Figure whose traces, per panel, are: one per simulated trial (``meta.role``
    "trial", its steps from the input's onset); one per condition value and point class
    of :data:`POINT_STYLES` holding those points (role "points"); one per unstable mode,
    a segment of two points (role "mode"). The legend groups them by condition value
    (trials whose input changes: by their kind), so that one entry shows or hides a
    condition's trials, points and modes in both states.
    """
    tasks = [t for t in views if t in set(trajectories["task"])]
    states = [s for s in ("untrained", "trained") if s in set(trajectories["state"])]
    dims = latent_dims(trajectories, "c")
    end_ms = float(trajectories["time_ms"].max()) if len(trajectories) else 0.0
    titles = [f"{task}, {state} ({net})" for task in tasks for state in states]
    fig = _panels(len(tasks), len(states), dims, titles)
    shown: set[str] = set()
    for i, task in enumerate(tasks):
        view = views[task]
        values = [*trajectories.loc[trajectories["task"] == task, "value"],
                  *points.loc[points["task"] == task, "value"]]
        colour_of = condition_colours(view, values)
        # the legend lists a task's conditions by value, then its trials whose input changes
        levels = np.unique(np.round(np.asarray(values, float), 9))
        order = {float(v): 1000 * i + k for k, v in enumerate(levels)}
        last = 1000 * i + 999  # NaN: a trial whose input changes
        for j, state in enumerate(states):
            panel = {"task": task, "net": net, "state": state}
            sel = (trajectories["task"] == task) & (trajectories["state"] == state)
            for trial, one in trajectories[sel].groupby("trial", sort=True):
                trace = _trial_trace(one.sort_values("time_ms"), dims, view, colour_of,
                                     net=net, state=state)
                _add(fig, trace, i + 1, j + 1, shown_groups=shown,
                     rank=order.get(round(float(one["value"].iloc[0]), 9), last),
                     meta={"role": "trial", **panel, "key": int(trial)})
            here = points[(points["task"] == task) & (points["state"] == state)
                          & points["method"].isin(["exact", "slow"])]
            # one trace per condition value (to rounding: 0.6 - 0.2 is 1.0 - 0.6) and class
            here = here.assign(point_class=[point_class(m, k) for m, k in
                                            zip(here["method"], here["kind"], strict=True)],
                               value=np.round(here["value"].to_numpy(float), 9))
            for (value, cls), group in here.groupby(["value", "point_class"], sort=True,
                                                    dropna=False):
                trace = _points_trace(group, dims, view, colour_of(float(value)), cls,
                                      end_ms=end_ms, net=net, state=state)
                _add(fig, trace, i + 1, j + 1, shown_groups=shown,
                     rank=order.get(float(value), last),
                     meta={"role": "points", **panel, "key": f"{value:g} {cls[0]} {cls[1]}"})
            seg = modes[(modes["task"] == task) & (modes["state"] == state)]
            for row in seg.itertuples():
                trace = _mode_trace(row, dims, view, end_ms=end_ms, net=net, state=state)
                _add(fig, trace, i + 1, j + 1, shown_groups=shown,
                     rank=order.get(round(float(row.value), 9), last),
                     meta={"role": "mode", **panel, "key": f"{row.location} {row.mode}"})
    _style_panels(fig, dims, axis_name, along_label="time (ms)", azimuth_deg=-58.0,
                  rows=len(tasks), cols=len(states))
    symbols = [f"{symbol}: {what}" for symbol, _, what in POINT_STYLES.values()]
    _title(fig, f"Figure S4 ({net}): fixed points, slow regions and unstable modes (black "
           "segments) over the trajectories<br><sup>" + "; ".join(symbols[:3]) + ";<br>"
           + "; ".join(symbols[3:]) + "</sup>")
    _network_buttons(fig, [net])
    return fig


def _trial_trace(one: pd.DataFrame, dims: int, view: TaskView, colour_of, *, net: str,
                 state: str):
    """One simulated trial: coloured by its condition, grey and dashed if its input changes."""
    changing = one["kind"].iloc[0] != "held"
    value = float(one["value"].iloc[0])
    if changing:
        group = f"{view.name}: {one['kind'].iloc[0]} trials"
        condition = f"{one['kind'].iloc[0]} trial (input changes)"
        colour, dash = CHANGING_TRIAL, "dash"
    else:
        group = _condition_group(view.name, view, value)
        u = one[input_columns(one)].iloc[0].to_numpy(float)
        condition = f"{format_inputs(u)}, {view.condition_label} = {value:g}"
        colour, dash = rgb(colour_of(value)), "solid"
    hover = (f"<b>{view.name}</b>, {state}, {net}<br>trial {int(one['trial'].iloc[0])}: "
             f"{condition}<br>t = %{{customdata:.0f}} ms<extra></extra>")
    return _trace(dims, **_coordinates(one, "c", dims, "time_ms"), mode="lines", name=group,
                  legendgroup=group, line={"color": colour, "width": 2, "dash": dash},
                  opacity=0.6 if dims < 3 else None,
                  customdata=one["time_ms"].to_numpy(float), hovertemplate=hover)


def _points_trace(group: pd.DataFrame, dims: int, view: TaskView, colour, cls, *,
                  end_ms: float, net: str, state: str):
    """The points of one condition value and class, filled in the condition's colour."""
    symbol, size, what = POINT_STYLES.get(cls, ("circle", 6, f"{cls[0]} point"))
    value = float(group["value"].iloc[0])
    inputs = group[input_columns(group)].to_numpy(float)
    kinds = [what if cls[0] != "slow" or kind == UNDETERMINED else f"{what}, {kind}"
             for kind in group["kind"]]
    custom = pd.DataFrame({
        "inputs": [format_inputs(u) for u in inputs], "kind": kinds,
        "eigenvalue": [format_eigenvalue(re, im) for re, im in
                       zip(group["eig_re"], group["eig_im"], strict=True)],
        "n_unstable": group["n_unstable"].to_numpy(int)}).to_numpy(object)
    hover = (f"<b>{view.name}</b>, {state}, {net}<br>%{{customdata[1]}}<br>"
             f"%{{customdata[0]}}, {view.condition_label} = {value:g}<br>"
             "leading eigenvalue: %{customdata[2]}<br>"
             "eigenvalues with positive real part: %{customdata[3]}<extra></extra>")
    return _trace(dims, **_coordinates(group, "c", dims, np.full(len(group), end_ms)),
                  mode="markers", name=_condition_group(view.name, view, value),
                  legendgroup=_condition_group(view.name, view, value),
                  marker={"symbol": symbol, "size": size, "color": rgb(colour),
                          "line": {"color": "black", "width": 2 if cls[1] != "stable" else 1}},
                  customdata=custom, hovertemplate=hover)


def _mode_trace(row, dims: int, view: TaskView, *, end_ms: float, net: str, state: str):
    """One unstable mode: a black segment through its point along the eigenvector."""
    ends = pd.DataFrame({f"c{k}": [getattr(row, f"a{k}"), getattr(row, f"b{k}")]
                         for k in range(1, dims + 1)})
    group = _condition_group(view.name, view, float(row.value))
    hover = (f"<b>{view.name}</b>, {state}, {net}<br>unstable mode {int(row.mode) + 1} of a "
             f"{row.method} point, {view.condition_label} = {float(row.value):g}<br>"
             f"eigenvalue: {format_eigenvalue(row.eig_re, row.eig_im)}<extra></extra>")
    return _trace(dims, **_coordinates(ends, "c", dims, np.full(2, end_ms)), mode="lines",
                  name=group, legendgroup=group, line={"color": "black", "width": 5},
                  hovertemplate=hover)


# ----------------------------------------------------------------------------- output


def write_html(fig: go.Figure, path: str | os.PathLike, *, div_id: str) -> None:
    """Write a figure as one self-contained HTML page, atomically.

    plotly.js is embedded (about 4.7 MB), so the page opens with no network; a fixed
    ``div_id`` (plotly draws a random one otherwise) keeps the file the same from run
    to run for the same figure.
    """
    path = Path(path)
    with atomic_path(path, suffix=path.suffix) as tmp:
        fig.write_html(tmp, include_plotlyjs=True, include_mathjax=False, full_html=True,
                       div_id=div_id, config={"displaylogo": False, "responsive": True,
                                              "scrollZoom": True})
