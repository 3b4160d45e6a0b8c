"""Data frames the figures draw, built from the artifacts.

Each function turns what the analysis rules wrote into the long frames a figure
module takes (reshaped, pooled, or averaged over networks with a bootstrap band);
none of them feeds an analysis artifact or a claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ..analysis.slowpoint_analysis import PER_SECOND, dominant_stable
from ..analysis.stats import band
from ..simulate import leaky_relu
from .style import latent_columns

ConditionValue = Callable[[ArrayLike], NDArray[np.float64]]
"""A kind's condition value: inputs (n, n_inputs) -> the number a figure places or colours
each condition by, shape (n,) (:meth:`rnn_hypotheses.tasks.Task.condition_value`)."""


def input_columns(frame: pd.DataFrame) -> list[str]:
    """The ``input1``, ``input2``, ... columns of a frame that hold a value, in input order."""
    names = [c for c in frame.columns if re.fullmatch(r"input\d+", str(c))
             and frame[c].notna().any()]
    return sorted(names, key=lambda c: int(c.removeprefix("input")))


def with_condition_values(frame: pd.DataFrame,
                          condition_values: Mapping[str, ConditionValue]) -> pd.DataFrame:
    """``frame`` with a ``value`` column: each row's condition value under its task's kind.

    Parameters
    ----------
    frame : DataFrame
        ``task`` and the inputs of each row (``input1``, ...; a task with fewer inputs
        than another leaves the extra columns NaN).
    condition_values : mapping
        Task name -> its kind's condition value (:func:`.style.condition_value_of`).
    """
    value = pd.Series(np.nan, index=frame.index, dtype=float)
    for task, part in frame.groupby("task", sort=False):
        inputs = part[input_columns(part)].to_numpy(float)
        value.loc[part.index] = condition_values[task](inputs)
    return frame.assign(value=value)


def latent_view(
    task: str,
    state: str,
    simulation: Mapping[str, np.ndarray],
    basis: np.ndarray,
    mean: np.ndarray,
    arrays: Mapping[str, np.ndarray],
    points: pd.DataFrame,
    segment_share: float = 0.2,
    include_autonomous: bool = True,
    *,
    condition_value: ConditionValue,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Trajectories, points and unstable modes of one network in a (up to) 3-D latent projection.

    Parameters
    ----------
    task, state : str
        Written into every row.
    simulation : mapping
        sim_{state}.npz: ``r`` (time, trial, N), ``conditions`` (trial, n_inputs),
        ``kind`` (trial,), ``time_ms`` (time,).
    basis : ndarray, shape (N, d)
        Orthonormal projection (the state's DCA subspace, or PCA); its first
        ``min(d, 3)`` columns are used, and the coordinate columns below run to that.
    mean : ndarray, shape (N,)
        Subtracted before projecting.
    arrays : mapping
        slowpoints_{state}.npz: ``locations``, ``unstable_vectors``,
        ``condition_autonomous``.
    points : DataFrame
        slowpoints_{state}.parquet (``location``, ``method``, ``kind``,
        ``condition``, ``label``, ``input1``...).
    segment_share : float
        An unstable mode lying wholly in the subspace is drawn as a segment of
        this share of the trajectories' largest extent on either side of its
        point; one partly outside it is shorter in proportion, so a short
        segment says the mode leaves the projection.
    include_autonomous : bool
        Keep the points of u = 0 (value NaN). No simulated trial runs without
        input, so these may lie far from every trajectory.
    condition_value : callable
        The task's kind's condition value (:data:`ConditionValue`): the colour value of
        each trial and point.

    Returns
    -------
    trajectories : DataFrame
        ``task``, ``state``, ``trial``, ``time_ms``, ``c1``, ``c2``, ``c3``,
        ``value`` (colour value, NaN for switching trials), ``kind``.
    located : DataFrame
        ``points`` with ``task``, ``state``, ``value``, ``c1``, ``c2``, ``c3``.
    modes : DataFrame
        One row per unstable mode: ``task``, ``state``, ``condition``,
        ``value``, ``location``, ``mode``, start ``a1..a3`` and end ``b1..b3``.
    """
    V = np.asarray(basis, dtype=float)[:, :3]
    dims = V.shape[1]
    r = np.asarray(simulation["r"], dtype=float)
    coords = (r - mean) @ V  # (time, trial, dims)
    n_time, n_trial, _ = coords.shape
    values = np.asarray(condition_value(simulation["conditions"]), dtype=float)
    tt, kk = np.meshgrid(np.arange(n_time), np.arange(n_trial), indexing="ij")
    trajectories = pd.DataFrame({
        "task": task, "state": state, "trial": kk.ravel(),
        "time_ms": np.asarray(simulation["time_ms"], float)[tt.ravel()],
        **{f"c{k + 1}": coords[..., k].ravel() for k in range(dims)},
        "value": values[kk.ravel()],
        "kind": np.asarray(simulation["kind"]).astype(str)[kk.ravel()],
    })
    autonomous = np.asarray(arrays["condition_autonomous"], bool)[
        points["condition"].to_numpy(int)]
    if not include_autonomous:
        points, autonomous = points[~autonomous], autonomous[~autonomous]
    inputs = points.filter(regex=r"^input\d+$").to_numpy(float)
    located = points.assign(task=task, state=state,
                            value=condition_value(inputs) if len(points) else [])
    loc = np.asarray(arrays["locations"], float)[located["location"].to_numpy(int)]
    xyz = (loc - mean) @ V if len(loc) else np.zeros((0, dims))
    for k in range(dims):
        located[f"c{k + 1}"] = xyz[:, k]
    located.loc[autonomous, "value"] = np.nan  # drawn in black, off the colour scale

    extent = float(np.ptp(coords.reshape(-1, dims), axis=0).max()) if coords.size else 1.0
    half = segment_share * extent
    vecs = np.asarray(arrays["unstable_vectors"])
    rows = []
    for p in located[located["n_unstable"] > 0].itertuples():
        for j in range(vecs.shape[2]):
            v = vecs[p.location, :, j]
            if not np.all(np.isfinite(v)):
                break
            # The real part spans the mode's direction (for a complex pair, one of
            # its plane's axes); eigenvectors are unit norm, so |V^T v| <= 1.
            w = np.real(v)
            w = w / max(float(np.linalg.norm(w)), 1e-300)
            d = half * (w @ V)
            centre = np.array([getattr(p, f"c{k + 1}") for k in range(dims)])
            a, b = centre - d, centre + d
            rows.append({"task": task, "state": state, "condition": p.condition,
                         "value": p.value, "location": p.location, "mode": j,
                         "method": p.method, **{f"a{k + 1}": a[k] for k in range(dims)},
                         **{f"b{k + 1}": b[k] for k in range(dims)}})
    ends = [f"{end}{k + 1}" for end in "ab" for k in range(dims)]
    modes = pd.DataFrame(rows, columns=["task", "state", "condition", "value", "location",
                                        "mode", "method", *ends])
    return trajectories, located, modes


def spectrum_frame(arrays: Mapping[str, np.ndarray], points: pd.DataFrame, task: str,
                   state: str, *, condition_value: ConditionValue) -> pd.DataFrame:
    """Every Jacobian eigenvalue at the dominant stable point of each condition, in 1/s.

    Parameters
    ----------
    arrays : mapping
        slowpoints_{state}.npz (``eigenvalues``, ``condition_autonomous``).
    points : DataFrame
        slowpoints_{state}.parquet.
    task, state : str
    condition_value : callable
        The task's kind's condition value (:data:`ConditionValue`).

    Returns
    -------
    DataFrame: ``task``, ``state``, ``condition``, ``label``, ``autonomous``,
    ``value`` (colour value), ``re``, ``im`` (1/s).
    """
    dom = dominant_stable(points)
    frames = []
    auto = np.asarray(arrays["condition_autonomous"], bool)
    for p in dom.itertuples():
        lam = np.asarray(arrays["eigenvalues"])[p.location] * PER_SECOND
        inputs = np.array([[getattr(p, c) for c in dom.columns if c.startswith("input")]])
        frames.append(pd.DataFrame({
            "task": task, "state": state, "condition": p.condition, "label": p.label,
            "autonomous": bool(auto[p.condition]),
            "value": np.nan if auto[p.condition] else float(condition_value(inputs)[0]),
            "re": lam.real, "im": lam.imag}))
    columns = ["task", "state", "condition", "label", "autonomous", "value", "re", "im"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def step_band(
    frame: pd.DataFrame,
    value: str,
    *,
    by: str = "task",
    net: str = "net",
    step: str = "step",
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean over networks of a training trajectory, with a 95% bootstrap interval per step.

    Networks stop training at different steps (early stopping); a stopped
    network's weights no longer change, so its last value is carried forward to
    the last step of its group. Between logged steps (a network's final step is
    generally off the common grid) the previous value is carried forward too.

    Parameters
    ----------
    frame : DataFrame
        Columns ``by``, ``net``, ``step`` and ``value``; one row per logged step of
        each network.
    value : str
        Column to summarise.
    by, net, step : str
        Grouping column (e.g. task), network column, step column.
    n_boot, seed
        Bootstrap resamples per step and seed (:func:`.stats.band`).

    Returns
    -------
    DataFrame: ``by``, ``step`` (named as the argument), mean, ci_low, ci_high, n
    (networks at that step).
    """
    filled = []
    for group, part in frame.groupby(by, sort=True):
        wide = part.pivot_table(index=step, columns=net, values=value, aggfunc="last")
        wide = wide.sort_index().ffill()
        # long again, one row per (step, network), networks in column order per step
        long = wide.stack(future_stack=True).rename(value).reset_index(level=step)
        filled.append(long.assign(**{by: group})[[by, step, value]])
    long = pd.concat(filled) if filled else pd.DataFrame(columns=[by, step, value])
    out = band(long, [by, step], value, n_boot=n_boot, seed=seed)
    out[step] = out[step].map(int)
    return out


def pooled_histogram(frame: pd.DataFrame, *, by: str = "task") -> pd.DataFrame:
    """Add up per-network histograms of :func:`change_histogram` within each group.

    Parameters
    ----------
    frame : DataFrame
        Columns ``by``, bin_low, bin_high, count; the same bins for every network.

    Returns
    -------
    DataFrame: ``by``, bin_low, bin_high, count, fraction (of the group's weights).
    """
    pooled = frame.groupby([by, "bin_low", "bin_high"], as_index=False, sort=True)["count"].sum()
    pooled["fraction"] = pooled["count"] / pooled.groupby(by)["count"].transform("sum")
    return pooled


def eigenvalue_frame(
    tasks: Sequence[str],
    nets: Sequence[str],
    pairs: Sequence[dict[str, NDArray]],
    marked: int = 3,
) -> pd.DataFrame:
    """Long table of paired eigenvalues of many networks, for Figure 7.

    Parameters
    ----------
    tasks, nets : sequences of str, length M
        Task and network of each entry of ``pairs``.
    pairs : sequence of dicts from :func:`eigenvalue_pairs`
    marked : int
        Per network, the eigenvalues with growth rank below this are marked.

    Returns
    -------
    DataFrame: task, net, re_init, im_init, re_final, im_final, magnitude_change,
    growth_rank, marked (bool).
    """
    rows = []
    for task, net, p in zip(tasks, nets, pairs, strict=True):
        rows.append(pd.DataFrame({
            "task": task,
            "net": net,
            "re_init": p["eig_init"].real,
            "im_init": p["eig_init"].imag,
            "re_final": p["eig_final"].real,
            "im_final": p["eig_final"].imag,
            "magnitude_change": p["magnitude_change"],
            "growth_rank": p["growth_rank"],
            "marked": p["growth_rank"] < marked,
        }))
    return pd.concat(rows, ignore_index=True)


def typical_network(summary: pd.DataFrame, column: str, *, by: str = "task") -> dict[str, str]:
    """Per group, the network whose ``column`` is closest to the group's median.

    Used to pick the one network a figure highlights; ties go to the first
    network in name order.

    Returns
    -------
    dict: group -> network name.
    """
    out = {}
    for group, part in summary.sort_values("net").groupby(by):
        x = part[column].to_numpy(dtype=float)
        finite = np.isfinite(x)
        if not finite.any():
            out[group] = str(part["net"].iloc[0])
            continue
        distance = np.where(finite, np.abs(x - np.median(x[finite])), np.inf)
        out[group] = str(part["net"].iloc[int(np.argmin(distance))])
    return out


def leaky_relu_curves(thetas: ArrayLike, x: ArrayLike) -> pd.DataFrame:
    """The activation of every leaky-ReLU angle on a grid of pre-activations (Fig. 5).

    Parameters
    ----------
    thetas : array, shape (k,)
        Angles in radians.
    x : array, shape (m,)
        Pre-activations (dimensionless).

    Returns
    -------
    DataFrame with k * m rows: theta, slope (tan theta below zero), x, y.
    """
    x = np.asarray(x, dtype=float)
    rows = [pd.DataFrame({"theta": float(t), "slope": float(np.tan(t)), "x": x,
                          "y": leaky_relu(x, float(t))}) for t in np.asarray(thetas, float)]
    return pd.concat(rows, ignore_index=True)


def steady_state_frame(arrays: Mapping[str, np.ndarray], net: str, state: str) -> pd.DataFrame:
    """The steady state of each held condition of one network and state (Figure 2).

    Parameters
    ----------
    arrays : mapping
        latent_{state}.npz: ``steady_levels`` (condition, n_inputs) and ``steady``
        (condition, d), the steady states in the state's DCA coordinates (rates).
    net, state : str
        Written into every row.

    Returns
    -------
    DataFrame: ``net``, ``state``, ``input1``..., ``dc1``... (at most three).
    """
    levels, coords = np.asarray(arrays["steady_levels"]), np.asarray(arrays["steady"])
    return pd.DataFrame({"net": net, "state": state,
                         **{f"input{i + 1}": levels[:, i] for i in range(levels.shape[1])},
                         **latent_columns(coords, "dc")})


def switching_frames(arrays: Mapping[str, np.ndarray], net: str,
                     state: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first switching trial and the held steady states of one network (Figure 3).

    Parameters
    ----------
    arrays : mapping
        latent_{state}.npz: ``switching`` (time, trial, d), ``switching_inputs``
        (time, trial), ``time_ms`` (time,), ``steady_levels`` (condition, n_inputs)
        and ``steady`` (condition, d); at least one switching trial.
    net, state : str
        Written into every row.

    Returns
    -------
    trajectory : DataFrame
        ``net``, ``state``, ``time_ms``, ``input`` (the input the trial receives at
        each step), ``dc1``...: one row per step.
    steady : DataFrame
        ``net``, ``state``, ``input`` (the first input of each held condition),
        ``dc1``...: one row per held condition.
    """
    one = np.asarray(arrays["switching"])[:, 0]  # the first switching trial, (time, d)
    trajectory = pd.DataFrame({"net": net, "state": state, "time_ms": arrays["time_ms"],
                               "input": np.asarray(arrays["switching_inputs"])[:, 0],
                               **latent_columns(one, "dc")})
    steady = pd.DataFrame({"net": net, "state": state,
                           "input": np.asarray(arrays["steady_levels"])[:, 0],
                           **latent_columns(np.asarray(arrays["steady"]), "dc")})
    return trajectory, steady
