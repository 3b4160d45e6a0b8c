"""The slow-point stage of the workflow (report, sections 6 and 6.1) on trained networks.

:mod:`.slowpoints` finds fixed points and slow points of one network at one
constant input. This module turns that into the stage's artifacts and tables:

- :func:`input_conditions` lists the constant inputs a network is analysed at
  (perception's two levels, a few decision input pairs on both sides of the
  diagonal, and optionally the autonomous network, u = 0);
- :func:`analyse_network` runs every configured finder and the report's own
  trajectory scan at each condition, and returns one table of points, one of
  conditions and the arrays (locations, spectra, unstable modes) behind them;
- :func:`network_statistics`, :func:`slow_point_counts` and
  :func:`slow_point_claims` summarise across networks: the counts table (mean
  and 95% interval over networks per task and state) and the claims answering
  the report's questions 2, 3 and 6;
- :func:`latent_view` and :func:`spectrum_frame` put the points of one network
  into the frames Figures S4 and S5 draw.

A point with a unit on its ReLU kink has one Jacobian per side of the kink; where
the sides disagree on stability its kind is "undetermined"
(:data:`.slowpoints.points.KINK_REL` defines "on a kink"). The counts of stable
points and saddles leave such points out and count them apart.

Units: rates (the state r) are dimensionless firing rates; velocities in 1/ms;
eigenvalues of the continuous-time Jacobian in 1/ms in the artifacts and in
1/s in the summary tables (multiplied by 1000) so that numbers read easily;
time in ms.

Why the contraction rate cannot answer question 6: the trace of the Jacobian
``J = (-I + D W_rec) / tau`` is ``(-N + sum_k d_k W_rec[k, k]) / tau``, and
W_rec's diagonal is held at zero, so the sum of the eigenvalues' real parts
(the rate at which phase-space volume shrinks) is ``-N / tau`` at every state of
every network. Volumes contract at the same rate near slow points as anywhere
else; what differs between places is how that contraction is shared between
directions. The tables therefore also report the *slowest rate* (largest real
part, which sets how long nearby trajectories stay apart before merging) and
the *expansion rate* (sum of the positive real parts, the local rate at which
nearby trajectories separate along unstable directions; zero at stable points).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ..claims import ClaimSpec, evaluate_claims
from ..tasks import Decision, Perception, Task
from .output_noise import readout_noise_share
from .slowpoints import (
    UNDETERMINED,
    Dynamics,
    PointSet,
    SlowSearch,
    find_fixed_points,
    find_slow_points,
    noise_speed,
    sample_initial_states,
    trajectory_slow_steps,
)
from .stats import bootstrap_ci

__all__ = [
    "COUNT_QUANTITIES",
    "Condition",
    "NetworkResult",
    "analyse_network",
    "dominant_stable",
    "expansion_rate",
    "input_conditions",
    "network_statistics",
    "slow_point_claims",
    "slow_point_counts",
]

METHODS = ("exact", "slow", "adam")
"""Finders the stage can run: exact fixed points, slow points (q > 0 minima), Adam baseline."""

PER_SECOND = 1000.0
"""Eigenvalues are stored in 1/ms; tables show 1/s."""


# ----------------------------------------------------------------------------- conditions


@dataclass(frozen=True)
class Condition:
    """One constant input at which a network is analysed.

    Attributes
    ----------
    label : str
        E.g. ``"u=0.5"``, ``"u=(0.4, 0.8)"`` or ``"u=0"``.
    u : ndarray, shape (n_inputs,)
        The input.
    autonomous : bool
        True for u = 0, the network without input.
    """

    label: str
    u: NDArray[np.float64]
    autonomous: bool = False


def _label(u: NDArray[np.float64]) -> str:
    values = ", ".join(f"{v:g}" for v in u)
    return f"u={values}" if u.size == 1 else f"u=({values})"


def input_conditions(task: Task, autonomous: bool) -> list[Condition]:
    """The constant inputs of the slow-point analysis of one task.

    Parameters
    ----------
    task : Task
        Supplies the inputs (:meth:`rnn_hypotheses.tasks.Task.fixed_point_inputs`):
        perception, each input level; decision, each configured pair.
    autonomous : bool
        Also analyse u = 0, the network without input (``slowpoints.autonomous``).

    Returns
    -------
    list of Condition
        The task's inputs, then u = 0 when ``autonomous`` is set.
    """
    conditions = [Condition(_label(u), u) for u in task.fixed_point_inputs()]
    if autonomous:
        conditions.append(Condition("u=0", np.zeros(task.n_inputs), autonomous=True))
    return conditions


def expansion_rate(eigenvalues: ArrayLike) -> NDArray[np.float64]:
    """Sum of the positive real parts of each spectrum.

    Parameters
    ----------
    eigenvalues : array of complex, shape (..., N)
        Jacobian eigenvalues, 1/ms.

    Returns
    -------
    ndarray, shape (...)
        1/ms; zero where no eigenvalue has a positive real part. By Pesin's
        relation, the sum of positive (local) exponents is the rate at which
        nearby trajectories separate, so it measures how strongly a point
        spreads trajectories apart rather than funnelling them together.
    """
    real = np.real(np.asarray(eigenvalues))
    return np.where(real > 0, real, 0.0).sum(axis=-1)


# ----------------------------------------------------------------------------- one network


@dataclass
class NetworkResult:
    """What :func:`analyse_network` finds for one network in one state.

    Attributes
    ----------
    points : DataFrame
        One row per point and finder: ``condition``, ``label``, ``input1``...,
        ``location`` (row of the arrays), then :class:`.slowpoints.PointSet`'s
        columns (``method``, ``q``, ``speed``, ``n_unstable``, ``kind``,
        ``max_real_eig``, ``contraction_rate``, ``n_kink_units``,
        ``side_kinds``, ``n_sides``, ...) and ``expansion_rate`` and
        ``leading_imag`` (1/ms). ``kind`` is "stable", "saddle", "unstable" or
        "undetermined" (on a ReLU kink whose sides disagree); the spectra are
        those of the ``m > 0`` convention.
    conditions : DataFrame
        One row per condition: counts of exact fixed points per kind
        (``n_fixed`` all of them; ``n_stable``, ``n_saddle``,
        ``n_unstable_points`` those whose kind holds on every side of any kink;
        ``n_undetermined`` those on a kink whose sides disagree), of slow
        regions (``n_slow``, and ``n_slow_undetermined`` of them undetermined),
        search statistics and times, the trajectory scan's shares, and the
        dominant stable point's slowest rate and activation-pattern change from
        the autonomous network.
    arrays : dict of ndarray
        ``locations`` (P, N), ``patterns`` (P, N) bool, ``eigenvalues`` (P, N)
        complex, ``unstable_vectors`` (P, N, K) complex (NaN-padded),
        ``point_condition`` (P,), ``point_method`` (P,) str,
        ``condition_inputs`` (C, n_inputs), ``condition_labels`` (C,) str.
    """

    points: pd.DataFrame
    conditions: pd.DataFrame
    arrays: dict[str, np.ndarray]


def dominant_stable(points: pd.DataFrame) -> pd.DataFrame:
    """The stable exact fixed point with most initial states ending there, per condition.

    Parameters
    ----------
    points : DataFrame
        Rows of :attr:`NetworkResult.points` (several networks allowed): needs
        ``method``, ``kind``, ``n_hits``, ``condition`` and, where present,
        ``task``, ``net``, ``state``.

    Returns
    -------
    DataFrame
        One row per (network, state, condition) that has a stable fixed point
        (``kind == "stable"``: stable on every side of any kink; undetermined
        points never count). Ties in ``n_hits`` go to the lower ``point`` index
        (the first found).
    """
    keys = [k for k in ("task", "net", "state") if k in points.columns] + ["condition"]
    stable = points[(points["method"] == "exact") & (points["kind"] == "stable")]
    if stable.empty:
        return stable
    order = stable.sort_values([*keys, "n_hits", "point"],
                               ascending=[True] * len(keys) + [False, True], kind="stable")
    return order.groupby(keys, sort=True).head(1).reset_index(drop=True)


def _scan(trajectories: np.ndarray, inputs: np.ndarray, trials: np.ndarray,
          dynamics: Dynamics, fixed: np.ndarray, *, dt: float, sigma: float,
          speed_tol: float) -> dict[str, float]:
    """The report's trajectory scan on the trials held at one condition, summarised."""
    empty = {"scan_trials": 0, "scan_steps": 0, "scan_share_fixed": np.nan,
             "scan_share_fixed_fd": np.nan, "scan_share_slow": np.nan,
             "scan_fixed_distance": np.nan}
    if trials.size == 0:
        return empty
    X = trajectories[:, trials].astype(float)
    steps = trajectory_slow_steps(X, dynamics, inputs[:, trials].astype(float),
                                  dt=dt, sigma=sigma, speed_tol=speed_tol)
    flagged = steps["is_fixed"].to_numpy()
    distance = np.nan
    if flagged.any() and len(fixed):
        # Rows of the scan table run over (time, trial) in C order, as X[t, k].
        states = X.reshape(-1, X.shape[-1])[flagged]
        gaps = np.abs(states[:, None, :] - fixed[None, :, :]).max(axis=2).min(axis=1)
        distance = float(np.median(gaps))
    return {"scan_trials": int(trials.size), "scan_steps": len(steps),
            "scan_share_fixed": float(flagged.mean()),
            "scan_share_fixed_fd": float(steps["is_fixed_fd"].mean()),
            "scan_share_slow": float(steps["is_slow"].mean()),
            "scan_fixed_distance": distance}


@dataclass(frozen=True)
class SlowPointSettings:
    """What :func:`analyse_network` runs at each input condition.

    Attributes
    ----------
    n_initial_states : int
        Starts per condition, drawn from the simulated trajectories.
    initial_noise : float
        Standard deviation of the jitter added to each start (rate units).
    methods : tuple of str
        Finders: ``"exact"`` (required), ``"slow"``, ``"adam"``.
    slow_region_tol : float
        Slow points closer than this in every unit are one slow region.
    slow_max_iter : int
        Descent steps of the slow-point search.
    slow_speed_factor : float
        Slow points move slower than this times the simulation's velocity noise.
    """

    n_initial_states: int = 1024
    initial_noise: float = 0.05
    methods: tuple[str, ...] = ("exact", "slow")
    slow_region_tol: float = 0.3
    slow_max_iter: int = 30
    slow_speed_factor: float = 1.0

    @classmethod
    def from_config(cls, section: Mapping) -> SlowPointSettings:
        """From config.yaml's ``slowpoints`` section (other keys are ignored)."""
        values = {name: section[name] for name in cls.__dataclass_fields__ if name in section}
        if "methods" in values:
            values["methods"] = tuple(values["methods"])
        return cls(**values)


def analyse_network(
    dynamics: Dynamics,
    *,
    dt: float,
    sigma: float,
    trajectories: np.ndarray,
    sim_inputs: np.ndarray,
    sim_conditions: np.ndarray,
    sim_kind: np.ndarray,
    conditions: Sequence[Condition],
    settings: SlowPointSettings,
    rng: np.random.Generator,
    log: Callable[[str], None] | None = None,
    readout: ArrayLike | None = None,
) -> NetworkResult:
    """Fixed points, slow points and the trajectory scan of one network at each condition.

    Parameters
    ----------
    dynamics : Dynamics
        The network in one state (W_rec_init or W_rec), its W_in, b and tau.
    dt : float
        Euler step, ms.
    sigma : float
        The report's noise strength (sets the noise-level tolerances).
    trajectories : ndarray, shape (time, trial, N)
        Simulated rates of this network in this state; initial states are
        drawn from every step of every trial, jittered.
    sim_inputs : ndarray, shape (time, trial, n_inputs)
        Their (noisy) inputs, for the trajectory scan.
    sim_conditions : ndarray, shape (trial, n_inputs)
        Held condition of each trial (NaN for switching trials).
    sim_kind : ndarray of str, shape (trial,)
        ``"held"`` or ``"switching"``.
    conditions : sequence of Condition
        From :func:`input_conditions`.
    settings : SlowPointSettings
        Starts, finders and tolerances.
    rng : numpy Generator
        Draws the initial states (one stream for all conditions, in order).
    log : callable, optional
        Receives one progress line per condition.
    readout : array, shape (1, N), optional
        W_out; given, the conditions table gains ``readout_noise_share``: the readout's
        share of the stationary noise at the dominant stable point, against a random
        readout of equal norm (:func:`.output_noise.readout_noise_share`).

    Returns
    -------
    NetworkResult
    """
    methods = list(settings.methods)
    unknown = set(methods) - set(METHODS)
    if unknown or "exact" not in methods:
        raise ValueError(f"slowpoints.methods must include 'exact' and be drawn from "
                         f"{METHODS}; got {methods}")
    n, n_in = dynamics.W_in.shape
    tau = dynamics.tau
    speed_tol = settings.slow_speed_factor * noise_speed(sigma, dt, tau)
    # q of a state whose RMS speed per unit equals the tolerance: slower than the noise.
    q_max = 0.5 * n * speed_tol**2
    held = np.asarray(sim_kind) == "held"
    sets: list[tuple[int, PointSet]] = []
    rows: list[dict] = []
    for c, cond in enumerate(conditions):
        X0 = sample_initial_states(trajectories, int(settings.n_initial_states),
                                   float(settings.initial_noise), rng)
        found: dict[str, PointSet] = {}
        found["exact"] = find_fixed_points(dynamics, cond.u, initial_states=X0, method="exact")
        if "slow" in methods:
            region = float(settings.slow_region_tol)
            search = SlowSearch(tol_unique=region, max_iter=int(settings.slow_max_iter),
                                cluster_tol=region, q_max=q_max)
            found["slow"] = find_slow_points(dynamics, cond.u, initial_states=X0, search=search)
        if "adam" in methods:
            found["adam"] = find_fixed_points(dynamics, cond.u, initial_states=X0,
                                              method="adam")
        for method in METHODS:
            if method in found:
                sets.append((c, found[method]))
        exact = found["exact"]
        kinds = exact.table["kind"].value_counts()
        # n_stable, n_saddle, n_unstable_points: points of that kind on every side of
        # any kink they sit on; n_undetermined: on a kink whose sides disagree.
        trials = np.flatnonzero(held & np.all(np.isclose(sim_conditions, cond.u[None, :],
                                                         atol=1e-9), axis=1))
        row = {"condition": c, "label": cond.label,
               **{f"input{k + 1}": float(cond.u[k]) for k in range(n_in)},
               "autonomous": cond.autonomous, "n_units": n, "n_initial_states": len(X0),
               "n_fixed": len(exact), "n_stable": int(kinds.get("stable", 0)),
               "n_saddle": int(kinds.get("saddle", 0)),
               "n_unstable_points": int(kinds.get("unstable", 0)),
               "n_undetermined": int(kinds.get(UNDETERMINED, 0)),
               "exact_s": exact.info["elapsed_s"], "exact_failed": exact.info["n_failed"],
               "exact_cycled": exact.info["n_cycled"], "exact_solves": exact.info["n_solves"],
               "speed_tol": speed_tol, "q_max": q_max}
        if "slow" in found:
            slow_set = found["slow"]
            row.update(n_slow=len(slow_set),
                       n_slow_undetermined=int((slow_set.table["kind"] == UNDETERMINED).sum()),
                       slow_s=slow_set.info["elapsed_s"],
                       slow_stalled=slow_set.info["n_stalled"])
        if "adam" in found:
            adam = found["adam"]
            row.update(n_adam=int(adam.table["converged"].sum()),
                       adam_s=adam.info["elapsed_s"])
        row.update(_scan(trajectories, sim_inputs, trials, dynamics, exact.locations,
                         dt=dt, sigma=sigma, speed_tol=speed_tol))
        rows.append(row)
        if log is not None:
            slow = (f", {row['n_slow']} slow regions ({row['n_slow_undetermined']} "
                    f"undetermined) in {row['slow_s']:.1f} s" if "slow" in found else "")
            log(f"  {cond.label}: {row['n_stable']} stable, {row['n_saddle']} saddle(s), "
                f"{row['n_unstable_points']} unstable, {row['n_undetermined']} undetermined "
                f"in {row['exact_s']:.1f} s "
                f"({row['exact_failed']} of {len(X0)} starts failed){slow}; scan: "
                f"{row['scan_share_fixed']:.3g} of {row['scan_steps']} steps fixed")

    points, arrays = _stack(sets, conditions, n, n_in)
    table = pd.DataFrame(rows)
    dominant = dominant_stable(points).set_index("condition")
    table["dominant_slowest_rate"] = table["condition"].map(dominant["max_real_eig"])
    table["dominant_pattern_change"] = _pattern_change(table, dominant, arrays["patterns"])
    if readout is not None:
        table["readout_noise_share"] = _readout_noise_shares(
            table, dominant, arrays["locations"], conditions, dynamics, readout, dt)
    return NetworkResult(points, table, arrays)


def _readout_noise_shares(table: pd.DataFrame, dominant: pd.DataFrame, locations: np.ndarray,
                          conditions: Sequence[Condition], dynamics: Dynamics,
                          readout: ArrayLike, dt: float) -> np.ndarray:
    """The readout's share of the stationary noise at each condition's dominant stable point
    (:func:`.output_noise.readout_noise_share`); NaN without a stable point."""
    out = np.full(len(table), np.nan)
    for i, c in enumerate(table["condition"]):
        if c in dominant.index:
            r_star = locations[int(dominant.loc[c, "location"])]
            active = dynamics.preactivation(r_star, conditions[c].u) > 0
            out[i] = readout_noise_share(dynamics.W_rec, readout, active, dt / dynamics.tau)
    return out


def _stack(sets: list[tuple[int, PointSet]], conditions: Sequence[Condition], n: int,
           n_in: int) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Concatenate the point sets of every condition and finder into one table and arrays."""
    frames, locs, pats, eigs, vecs, cond_idx, meth = [], [], [], [], [], [], []
    offset = 0
    for c, ps in sets:
        cond = conditions[c]
        frame = ps.table.copy()
        frame.insert(0, "location", np.arange(offset, offset + len(ps)))
        for k in range(n_in - 1, -1, -1):
            frame.insert(0, f"input{k + 1}", float(cond.u[k]))
        frame.insert(0, "label", cond.label)
        frame.insert(0, "condition", c)
        frame["expansion_rate"] = expansion_rate(ps.eigenvalues) if len(ps) else []
        frame["leading_imag"] = np.abs(ps.eigenvalues[:, 0].imag) if len(ps) else []
        frames.append(frame)
        offset += len(ps)
        locs.append(ps.locations)
        pats.append(ps.patterns)
        eigs.append(ps.eigenvalues)
        vecs.append(ps.unstable_vectors)
        cond_idx.append(np.full(len(ps), c))
        meth.append(np.full(len(ps), str(frame["method"].iloc[0]) if len(ps) else ""))
    # Unstable modes padded with NaN to the most any point has (0 if none has one).
    k_max = max((v.shape[2] for v in vecs), default=0)
    unstable = np.full((offset, n, k_max), np.nan + 0j)
    row = 0
    for v in vecs:
        unstable[row:row + v.shape[0], :, : v.shape[2]] = v
        row += v.shape[0]
    points = pd.concat(frames, ignore_index=True)
    arrays = {
        "locations": np.concatenate(locs).reshape(-1, n),
        "patterns": np.concatenate(pats).reshape(-1, n).astype(bool),
        "eigenvalues": np.concatenate(eigs).reshape(-1, n).astype(complex),
        "unstable_vectors": unstable,
        "point_condition": np.concatenate(cond_idx).astype(int),
        "point_method": np.concatenate(meth).astype("U8"),
        "condition_inputs": np.array([cond.u for cond in conditions], dtype=float),
        "condition_labels": np.array([cond.label for cond in conditions], dtype="U32"),
        "condition_autonomous": np.array([cond.autonomous for cond in conditions], bool),
    }
    return points, arrays


def _pattern_change(table: pd.DataFrame, dominant: pd.DataFrame,
                    patterns: np.ndarray) -> NDArray[np.float64]:
    """Share of units whose activation at the dominant stable point differs from u = 0's.

    Inside one activation region the Jacobian is fixed, so the linearisation at
    a fixed point changes with the input exactly when its pattern does; this
    share measures how much of the network the input switches on or off.
    """
    out = np.full(len(table), np.nan)
    auto = table.loc[table["autonomous"], "condition"]
    if auto.empty or auto.iloc[0] not in dominant.index:
        return out
    ref = patterns[int(dominant.loc[auto.iloc[0], "location"])]
    for i, c in enumerate(table["condition"]):
        if c in dominant.index:
            out[i] = float(np.mean(patterns[int(dominant.loc[c, "location"])] != ref))
    return out


# ----------------------------------------------------------------------------- across networks


def network_statistics(conditions: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """Per-network statistics of the slow-point stage, one row per (task, net, state).

    Parameters
    ----------
    conditions : DataFrame
        Every network's condition table (:attr:`NetworkResult.conditions`) with
        ``task``, ``net``, ``state`` columns.
    points : DataFrame
        Every network's point table, likewise.

    Returns
    -------
    DataFrame with ``task``, ``net``, ``state`` and the keys of
    :data:`COUNT_QUANTITIES`. Counts are averaged over the input conditions
    (u = 0 excluded; it has its own columns); rates are in 1/s. ``stable``,
    ``saddle``, ``multistable``, ``autonomous_*`` and the dominant stable point
    count only exact fixed points whose kind is the same on every side of any
    ReLU kink they sit on; ``undetermined`` counts the others, ``fixed`` all.
    """
    keys = ["task", "net", "state"]
    inputs = conditions[~conditions["autonomous"].astype(bool)]
    for column in ("n_slow", "n_slow_undetermined"):
        if column not in inputs.columns:  # the slow finder was not configured
            inputs = inputs.assign(**{column: np.nan})
    g = inputs.groupby(keys, sort=True)
    out = pd.DataFrame({
        "n_units": g["n_units"].first(),
        "stable": g["n_stable"].mean(),
        "saddle": g["n_saddle"].mean(),
        "fixed": g["n_fixed"].mean(),
        "undetermined": g["n_undetermined"].mean(),
        "slow": g["n_slow"].mean(),
        "slow_undetermined": g["n_slow_undetermined"].mean(),
        "multistable": g["n_stable"].agg(lambda s: float(np.mean(s >= 2))),
        "slowest_rate": g["dominant_slowest_rate"].mean() * PER_SECOND,
        # How far the input moves the slowest mode: its range over the inputs.
        "slowest_rate_range": g["dominant_slowest_rate"].agg(
            lambda s: float(s.max() - s.min()) if s.notna().any() else np.nan) * PER_SECOND,
        "pattern_change": g["dominant_pattern_change"].mean(),
        "readout_noise_share": (g["readout_noise_share"].mean()
                                if "readout_noise_share" in inputs.columns else np.nan),
        "scan_share_fixed": g["scan_share_fixed"].mean(),
        "scan_share_slow": g["scan_share_slow"].mean(),
        "scan_fixed_distance": g["scan_fixed_distance"].mean(),
    })
    auto = conditions[conditions["autonomous"].astype(bool)].set_index(keys)
    out["autonomous_stable"] = auto["n_stable"].reindex(out.index).astype(float)
    out["autonomous_saddle"] = auto["n_saddle"].reindex(out.index).astype(float)
    exact = points[points["method"] == "exact"]
    pg = exact.groupby(keys, sort=True)
    out["contraction_rate"] = pg["contraction_rate"].mean().reindex(out.index) * PER_SECOND
    saddles = exact[exact["kind"] == "saddle"].groupby(keys, sort=True)
    out["saddle_expansion"] = saddles["expansion_rate"].mean().reindex(out.index) * PER_SECOND
    return out.reset_index()


@dataclass(frozen=True)
class _Quantity:
    key: str
    label: str
    unit: str


COUNT_QUANTITIES: tuple[_Quantity, ...] = (
    _Quantity("stable", "stable fixed points per input condition", "count"),
    _Quantity("saddle", "saddles per input condition", "count"),
    _Quantity("undetermined", "fixed points of undetermined stability (on a ReLU kink, sides "
              "disagree) per input condition", "count"),
    _Quantity("fixed", "fixed points of any kind per input condition", "count"),
    _Quantity("slow", "slow regions (q > 0 minima slower than the noise) per input condition",
              "count"),
    _Quantity("slow_undetermined", "slow regions of undetermined stability per input "
              "condition", "count"),
    _Quantity("multistable", "share of input conditions with two or more stable points",
              "share"),
    _Quantity("autonomous_stable", "stable fixed points at u = 0", "count"),
    _Quantity("autonomous_saddle", "saddles at u = 0", "count"),
    _Quantity("slowest_rate", "slowest rate (largest real eigenvalue) at the dominant stable "
              "point", "1/s"),
    _Quantity("slowest_rate_range", "range of that slowest rate over the input conditions",
              "1/s"),
    _Quantity("pattern_change", "share of units the input switches relative to u = 0, at the "
              "dominant stable point", "share"),
    _Quantity("readout_noise_share", "the readout's share of the stationary noise at the "
              "dominant stable point, against a random readout of equal norm (1: as random; "
              "below 1: output-null)", "ratio"),
    _Quantity("saddle_expansion", "expansion rate (sum of positive real eigenvalues) at saddles",
              "1/s"),
    _Quantity("contraction_rate", "contraction rate (sum of real eigenvalues = -N/tau, the "
              "same everywhere)", "1/s"),
    _Quantity("scan_share_fixed", "share of simulated steps the report's scan calls fixed "
              "(|F| below the noise)", "share"),
    _Quantity("scan_share_slow", "share of simulated steps the report's scan calls slow "
              "(|grad q| small, Hessian positive definite)", "share"),
    _Quantity("scan_fixed_distance", "distance of scan-flagged steps to the nearest exact "
              "fixed point (max over units)", "rate"),
)
"""Rows of the counts table per task and state: statistic key, description, unit.

What the counts include: ``stable`` and ``saddle`` are exact fixed points whose
Jacobian has that kind on every side of every ReLU kink they sit on (off kinks, the
one Jacobian); ``undetermined`` are exact fixed points on a kink whose sides give
different kinds, counted in neither; ``fixed`` is every exact fixed point (stable,
saddle, unstable and undetermined); ``slow`` every slow region, of which
``slow_undetermined`` have sides that disagree. ``multistable`` and
``autonomous_stable``/``autonomous_saddle`` use the same stable and saddle counts, and
the dominant stable point is chosen among stable points only. All per input
condition are means over the network's input conditions, u = 0 excluded.
"""


def slow_point_counts(stats: pd.DataFrame, n_boot: int = 10_000, seed: int = 0) -> pd.DataFrame:
    """The counts table: every quantity per task and state across networks.

    Parameters
    ----------
    stats : DataFrame
        :func:`network_statistics`'s output.
    n_boot, seed
        Bootstrap resamples and seed of the 95% intervals.

    Returns
    -------
    DataFrame with columns ``task``, ``state``, ``quantity``, ``unit``,
    ``networks`` (with a finite value), ``mean``, ``ci_low``, ``ci_high`` (95%
    percentile bootstrap of the mean over networks), ``min``, ``max``; rows by
    task, then state (untrained first), then :data:`COUNT_QUANTITIES` order.
    """
    rows = []
    states = [s for s in ("untrained", "trained") if s in set(stats["state"])]
    for task in sorted(stats["task"].unique()):
        for state in states:
            group = stats[(stats["task"] == task) & (stats["state"] == state)]
            for q in COUNT_QUANTITIES:
                x = group[q.key].to_numpy(dtype=float) if q.key in group else np.array([])
                x = x[np.isfinite(x)]
                low, high = bootstrap_ci(x, n_boot=n_boot, seed=seed)
                rows.append({
                    "task": task, "state": state, "quantity": q.label, "unit": q.unit,
                    "networks": int(x.size),
                    "mean": float(x.mean()) if x.size else np.nan,
                    "ci_low": low, "ci_high": high,
                    "min": float(x.min()) if x.size else np.nan,
                    "max": float(x.max()) if x.size else np.nan,
                })
    return pd.DataFrame(rows)


def _sizes(part: pd.DataFrame) -> str:
    """The networks' unit counts, e.g. "256" (or "128/256" if they differ)."""
    return "/".join(str(int(v)) for v in sorted(part["n_units"].dropna().unique()))


def _between_note(part: pd.DataFrame, spec: ClaimSpec, state: str | None) -> str:
    """The two groups' network sizes; the untrained row is the control for size."""
    if spec.key != "slow_more_fixed_points_decision":
        return ""
    # The harder task also has the larger networks, and random networks have more fixed
    # points as N grows.
    sizes = " vs ".join(f"{task} N={_sizes(part[part['task'] == task])}"
                        for task in part["task"].unique())
    return sizes + ("; control for network size" if state == "untrained" else "")


_TRAINING = "trained minus untrained"
SLOW_POINT_CLAIMS: tuple[ClaimSpec, ...] = (
    # The four count claims take an equivalence margin of 0.5 points per input condition
    # (counts are averaged over the conditions; within it, on average fewer than one
    # condition in two gains or loses a point), so that ten networks with the same count
    # before and after are "equivalent", not "inconclusive" (stats.equivalence_test).
    ClaimSpec("slow_more_fixed_points_decision",
              "decision networks have more fixed points than perception networks ({state})",
              "6 (Q2)", "fixed points per input condition, {high} minus {low}, {state}",
              "fixed_{state}", kind="between", groups=(Decision.kind, Perception.kind),
              dimension_text="one more input dimension, more fixed points ({state})",
              states=("trained", "untrained"), equivalence=0.5),
    ClaimSpec("slow_more_saddles_decision",
              "decision networks have more saddles than perception networks ({state})",
              "6 (Q2)", "saddles per input condition, {high} minus {low}, {state}",
              "saddle_{state}", kind="between", groups=(Decision.kind, Perception.kind),
              dimension_text="one more input dimension, more saddles ({state})",
              states=("trained",), equivalence=0.5),
    ClaimSpec("slow_fixed_points_change", "training changes the number of fixed points",
              "6 (Q2)", f"fixed points per input condition, {_TRAINING}", "fixed_trained",
              kind="paired", other="fixed_untrained", alternative="two-sided",
              label="suffix", equivalence=0.5),
    ClaimSpec("slow_regions_change", "training changes the number of slow regions", "6.1.2",
              f"slow regions per input condition, {_TRAINING}", "slow_trained", kind="paired",
              other="slow_untrained", alternative="two-sided", label="suffix",
              equivalence=0.5),
    ClaimSpec("slow_inputs_move_slowest_mode", "training makes inputs move the slowest mode "
              "more", "6 (Q3)", "range over input conditions of the dominant stable point's "
              f"largest real eigenvalue (1/s), {_TRAINING}", "slowest_rate_range_trained",
              kind="paired", other="slowest_rate_range_untrained", label="suffix"),
    ClaimSpec("slow_slowest_mode_slows", "training slows the slowest mode at stable points",
              "6 (Q6)", f"largest real eigenvalue at the dominant stable point (1/s), "
              f"{_TRAINING}", "slowest_rate_trained", kind="paired",
              other="slowest_rate_untrained", label="suffix"),
    ClaimSpec("noise_output_null", "the noise at the trained stable points avoids the readout",
              "1 (3rd hypothesis)", "readout's share of the stationary noise at the dominant "
              "stable point against a random readout of equal norm, trained (1: as random)",
              "readout_noise_share_trained", reference=1.0, alternative="less",
              label="suffix"),
    ClaimSpec("noise_output_null_grows", "training makes the noise at the stable points more "
              "output-null", "1 (3rd hypothesis)", "readout's share of the stationary noise "
              f"at the dominant stable point, {_TRAINING}", "readout_noise_share_trained",
              kind="paired", other="readout_noise_share_untrained", alternative="less",
              label="suffix"),
)
"""The claims of the slow-point claims table: between kinds, then per task."""

_NOTES = {"slow_slowest_mode_slows": "the contraction rate (trace of J) is -N/tau at every "
          "state, so volume contraction cannot differ near slow points"}


def networks_wide(stats: pd.DataFrame) -> pd.DataFrame:
    """One row per (task, net), with ``<statistic>_<state>`` columns and ``n_units``.

    Parameters
    ----------
    stats : DataFrame
        :func:`network_statistics`'s output (one row per task, net and state).
    """
    values = [c for c in stats.columns if c not in ("task", "net", "state", "n_units")]
    wide = stats.pivot(index=["task", "net"], columns="state", values=values)
    wide.columns = [f"{name}_{state}" for name, state in wide.columns]
    units = stats.groupby(["task", "net"])["n_units"].first()
    return wide.join(units).reset_index()


def slow_point_claims(stats: pd.DataFrame, kinds: Mapping[str, str],
                      dimensions: Mapping[str, tuple[str, int]] | None = None,
                      n_boot: int = 10_000, seed: int = 0) -> pd.DataFrame:
    """Claims on the report's slow-point questions (stats.CLAIMS_COLUMNS), as
    :data:`SLOW_POINT_CLAIMS` specifies them.

    - Q2 (section 6): decision networks have more fixed points and more
      saddles per input condition than perception networks (trained; and, as
      a control for network size, untrained): Mann-Whitney, one-sided.
    - Per task: training changes the number of fixed points and of slow
      regions per input condition (paired Wilcoxon, two-sided).
    - Q3: training increases how far the input moves the slowest mode of the
      dominant stable point (range over inputs, paired, one-sided).
    - Q6: training slows the slowest mode at the dominant stable point (its
      largest real eigenvalue rises towards 0), i.e. trajectories near the
      stable points take longer to merge (paired, one-sided). The contraction
      rate itself is -N/tau everywhere and is reported in the counts table.

    Parameters
    ----------
    stats : DataFrame
        :func:`network_statistics`'s output.
    kinds : mapping
        Each task's kind.
    dimensions : mapping, optional
        Task -> (family, input dimension) of a complexity sweep's tasks: the between-kind
        claims also compare each family's consecutive dimensions.
    n_boot, seed
        Bootstrap settings of :func:`.stats.claim_row`.

    Returns
    -------
    DataFrame with exactly :data:`.stats.CLAIMS_COLUMNS`: the between-kind rows, then
    each task's rows (tasks in name order).
    """
    wide = networks_wide(stats)
    options = {"kinds": kinds, "dimensions": dimensions, "n_boot": n_boot, "seed": seed}
    between = [spec for spec in SLOW_POINT_CLAIMS if spec.kind == "between"]
    per_task = [spec for spec in SLOW_POINT_CLAIMS if spec.kind != "between"]
    tables = [evaluate_claims(between, wide, note=_between_note, **options)]
    # row order: every claim of one task before the next task's
    for task in sorted(wide["task"].unique()):
        tables.append(evaluate_claims(
            per_task, wide[wide["task"] == task],
            note=lambda part, spec, state: _NOTES.get(spec.key, ""), **options))
    return pd.concat(tables, ignore_index=True)
