"""Networks trained elsewhere: their file format, its checks, and what the workflow does
with them (config ``external_networks``; README, "Your own networks").

A file holds one continuous-time ReLU RNN of the report's model family,

    r_t = (1 - a) r_{t-1} + a relu(W_rec r_{t-1} + W_in u_t + b + noise),  a = dt / tau,
    z_t = W_out r_t,

as plain arrays of an npz file (``np.savez``; no pickled objects): ``W_rec`` (N, N),
``W_in`` (N, n_inputs), ``W_out`` (n_outputs, N), ``b`` (N,), the scalars ``dt`` and
``tau`` (ms) and ``sigma``, and optionally ``W_rec_init`` (N, N), the recurrent weights
before training. Without ``W_rec_init`` only the trained state can be analysed.

Kept free of Snakemake: the workflow calls :func:`external_networks` while it builds
its job graph, so that a bad file stops the run before any job, naming file and field.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .analysis.connectivity import departure_from_normality, mean_offdiagonal, spectral_radius
from .config import network_seed
from .network import Network
from .tasks import Task, make_task, stage_entry

MATRIX_FIELDS = ("W_rec", "W_in", "W_out", "b")
SCALAR_FIELDS = ("dt", "tau", "sigma")
REQUIRED_FIELDS = (*MATRIX_FIELDS, *SCALAR_FIELDS)
OPTIONAL_FIELDS = ("W_rec_init",)
# Folders of results/ that are not tasks: a label of that name would write into them.
RESERVED_LABELS = ("tables", "figures", "logs", "benchmarks", "robustness", "subsample")


class ExternalNetworkError(ValueError):
    """An external network's file or config entry is invalid; the message names the file
    (and its config key) and the field. ``check_config`` raises it as a ``ConfigError``."""


# --- one file ---------------------------------------------------------------------------------

@functools.cache
def _file_contents(path: str, mtime_ns: int, size: int) -> tuple[dict[str, np.ndarray], str]:
    """The arrays of an npz file and the SHA-256 of its bytes.

    Cached on the file's modification time and size: the workflow asks for every file
    twice while it starts, in ``check_config`` and for its job graph.
    """
    data = Path(path).read_bytes()
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except Exception as exc:  # not a zip, a damaged member, a pickled object
        raise ExternalNetworkError(f"{path}: not a readable npz file of plain arrays "
                                   f"({type(exc).__name__}: {exc})") from exc
    for values in arrays.values():
        values.setflags(write=False)  # the cache hands out the same arrays every time
    return arrays, hashlib.sha256(data).hexdigest()


def _load(path: Path) -> tuple[dict[str, np.ndarray], str]:
    if not path.is_file():
        raise ExternalNetworkError(f"{path}: no such file (relative paths start in the "
                                   f"working directory, {os.getcwd()})")
    stat = path.stat()
    return _file_contents(str(path), stat.st_mtime_ns, stat.st_size)


def task_outputs(task: Task) -> int:
    """Outputs of a task kind: the width of its targets (z_t = W_out r_t)."""
    return int(np.shape(task.targets(task.evaluation_conditions()[:1]))[-1])


def _finite(path: Path, name: str, values: np.ndarray) -> None:
    if values.dtype.kind not in "iuf":
        raise ExternalNetworkError(f"{path}: field {name} holds {values.dtype} values; "
                                   "expected real numbers")
    bad = int(np.size(values) - np.isfinite(values).sum())
    if bad:
        raise ExternalNetworkError(f"{path}: field {name} holds {bad} non-finite value(s) "
                                   "(NaN or infinite); a diverged network cannot be analysed")


def _real_array(path: Path, name: str, values: np.ndarray) -> np.ndarray:
    """``values`` as float32 (the project's networks' precision), checked finite."""
    _finite(path, name, values)
    with np.errstate(over="ignore"):  # refused just below, naming the field
        as_float32 = values.astype(np.float32)
    if not np.isfinite(as_float32).all():
        raise ExternalNetworkError(f"{path}: field {name} holds values beyond float32's range "
                                   f"(largest magnitude {np.abs(values).max():.3g}), in which "
                                   "the networks are simulated")
    return as_float32


def _scalar(path: Path, name: str, values: np.ndarray) -> float:
    if np.size(values) != 1:
        raise ExternalNetworkError(f"{path}: field {name} has shape {np.shape(values)}; "
                                   "expected one number")
    # kept in double precision, as the project's networks keep their hyper-parameters
    _finite(path, name, values)
    return float(np.asarray(values).reshape(()))


def _check_shape(path: Path, name: str, values: np.ndarray, expected: tuple[int, ...],
                 meaning: str) -> None:
    if values.shape != expected:
        raise ExternalNetworkError(f"{path}: field {name} has shape {values.shape}; expected "
                                   f"{expected} = {meaning}")


def read_external_network(path: str | os.PathLike, task: Task) -> Network:
    """Read and check one external network file for a task.

    Parameters
    ----------
    path : path-like
        An npz file of the format of this module's docstring.
    task : Task
        The task the network performs: its ``n_inputs`` and number of outputs fix the
        shapes of ``W_in`` and ``W_out``.

    Returns
    -------
    Network
        Weights as float32; ``mask`` ones off the diagonal. ``W_rec_init`` is the file's,
        or, when the file has none, a copy of ``W_rec``: ``meta["W_rec_init_given"]``
        says which, and a network without one must only be analysed trained.
        ``meta["source"]`` is ``path``.

    Raises
    ------
    ExternalNetworkError
        Naming ``path`` and the field: a missing or unknown field, a wrong shape,
        non-numeric or non-finite values, ``dt >= tau``, a negative ``sigma``, fewer
        than two units, or a nonzero diagonal of ``W_rec`` or ``W_rec_init``. The
        model has no self-connections (its diagonal is held at zero), and a file
        with them is refused rather than changed: zeroing them would analyse another
        network than the one trained.
    """
    path = Path(path)
    arrays, _ = _load(path)
    missing = [name for name in REQUIRED_FIELDS if name not in arrays]
    if missing:
        raise ExternalNetworkError(f"{path}: missing field(s) {', '.join(missing)}; a network "
                                   f"file holds {', '.join(REQUIRED_FIELDS)} and optionally "
                                   f"{', '.join(OPTIONAL_FIELDS)}")
    # a misspelt W_rec_init would otherwise leave the network analysed as trained only
    unknown = sorted(set(arrays) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        raise ExternalNetworkError(f"{path}: unknown field(s) {', '.join(unknown)}; a network "
                                   f"file holds {', '.join(REQUIRED_FIELDS)} and optionally "
                                   f"{', '.join(OPTIONAL_FIELDS)}")

    dt, tau, sigma = (_scalar(path, name, arrays[name]) for name in SCALAR_FIELDS)
    if dt <= 0 or tau <= 0:
        raise ExternalNetworkError(f"{path}: field {'dt' if dt <= 0 else 'tau'} must be "
                                   f"positive (ms), got dt {dt:g}, tau {tau:g}")
    if dt >= tau:
        raise ExternalNetworkError(f"{path}: field dt ({dt:g} ms) must be smaller than tau "
                                   f"({tau:g} ms): the Euler factor dt/tau must be below 1")
    if sigma < 0:
        raise ExternalNetworkError(f"{path}: field sigma must be at least 0, got {sigma:g}")

    W_rec = arrays["W_rec"]
    if W_rec.ndim != 2 or W_rec.shape[0] != W_rec.shape[1]:
        raise ExternalNetworkError(f"{path}: field W_rec has shape {W_rec.shape}; expected a "
                                   "square (N, N) matrix, W_rec[i, j] from unit j to unit i")
    n = W_rec.shape[0]
    if n < 2:
        raise ExternalNetworkError(f"{path}: field W_rec has {n} unit(s); the model needs at "
                                   "least 2 (its diagonal is zero)")
    n_outputs = task_outputs(task)
    expected = {
        "W_rec": ((n, n), "(N, N), W_rec[i, j] from unit j to unit i"),
        "W_rec_init": ((n, n), "(N, N), the shape of W_rec"),
        "W_in": ((n, task.n_inputs), f"(N, n_inputs): task {task.name} (kind {task.kind}) "
                                     f"has {task.n_inputs} input(s)"),
        "W_out": ((n_outputs, n), f"(n_outputs, N): z = W_out r, and task {task.name} (kind "
                                  f"{task.kind}) has {n_outputs} output(s)"),
        "b": ((n,), "(N,)"),
    }
    weights = {}
    for name, (shape, meaning) in expected.items():
        if name in arrays:
            _check_shape(path, name, arrays[name], shape, meaning)
            weights[name] = _real_array(path, name, arrays[name])
    for name in ("W_rec", "W_rec_init"):
        if name in weights:
            diagonal = np.abs(np.diag(weights[name]))
            if diagonal.any():
                raise ExternalNetworkError(
                    f"{path}: field {name} has {int(np.count_nonzero(diagonal))} nonzero "
                    f"diagonal entries (largest {diagonal.max():.3g}); the model has no "
                    "self-connections and keeps the diagonal at 0. Train with it masked to "
                    "zero (README, 'Your own networks'); the workflow does not change a "
                    "network it is asked to analyse")
    given = "W_rec_init" in weights
    mask = (1.0 - np.eye(n)).astype(np.float32)
    return Network(weights["W_in"], weights["W_out"], weights["b"], weights["W_rec"],
                   weights["W_rec_init"] if given else weights["W_rec"].copy(), mask,
                   dt, tau, sigma, {"source": str(path), "W_rec_init_given": given})


# --- the config section -----------------------------------------------------------------------

@dataclass(frozen=True)
class ExternalNetwork:
    """One network of ``external_networks``, as checked before any job runs.

    Attributes
    ----------
    label : str
        Its key in ``external_networks``: results/<label>/<net>/.
    net : str
        net00, net01, ... in the order of the label's ``files``.
    task : str
        The configured task whose entry (kind, trials, analysis settings) applies.
    file : str
        The file as the config names it (relative to the working directory).
    key : str
        Its config key, e.g. ``external_networks.mine.files[1]``.
    n_units, n_inputs : int
    dt, tau : float
        Euler step and time constant, ms.
    sigma : float
    has_initial_state : bool
        Whether the file holds ``W_rec_init``.
    sha256 : str
        Of the file's bytes.
    """

    label: str
    net: str
    task: str
    file: str
    key: str
    n_units: int
    n_inputs: int
    dt: float
    tau: float
    sigma: float
    has_initial_state: bool
    sha256: str

    @property
    def states(self) -> tuple[str, ...]:
        """The states its analyses can use."""
        return ("untrained", "trained") if self.has_initial_state else ("trained",)

    def settings(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """``config`` as this network sees it: the file's dt, tau and sigma in ``model``,
        and ``tasks`` holding only its label, whose entry is its task's with the file's
        number of units. What a configured task's functions read from the config
        (memory estimates, simulation repeats, fixed-point inputs) then applies."""
        entry = dict(config["tasks"][self.task], n_units=self.n_units)
        model = dict(config["model"], dt_ms=self.dt, tau_ms=self.tau, sigma=self.sigma)
        return {**config, "model": model, "tasks": {self.label: entry}}

    def provenance(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """The config values and file this network's artifacts depend on: the counterpart
        of :func:`rnn_hypotheses.pipeline.network_config` (``task`` is the label, whose
        name seeds the analyses' random streams; no training)."""
        entry = self.settings(config)["tasks"][self.label]
        return {
            "task": self.label,
            "net": self.net,
            "seed": network_seed(config, self.net),
            "model": {"dt_ms": self.dt, "tau_ms": self.tau, "sigma": self.sigma},
            "task_config": stage_entry(entry),
            "external": {"file": self.file, "sha256": self.sha256, "task": self.task,
                         "W_rec_init": self.has_initial_state},
        }


def external_ids(n: int) -> list[str]:
    """Names of a label's ``n`` networks: net00, net01, ... (wider from 101 on)."""
    width = max(2, len(str(n - 1)))
    return [f"net{k:0{width}d}" for k in range(n)]


def external_networks(config: Mapping[str, Any]) -> dict[str, list[ExternalNetwork]]:
    """Every network of the config's ``external_networks``, each file read and checked.

    Parameters
    ----------
    config : dict
        The config, already validated against the schema.

    Returns
    -------
    dict
        label -> its networks in the order of its files ({} without the section).

    Raises
    ------
    ExternalNetworkError
        Naming the config key (and file and field): a label that is also a task or a
        folder of results/, a task that is not configured, a file that fails
        :func:`read_external_network`, fewer units than ``latent.d``, or a label whose
        files do not all have ``W_rec_init`` or all lack it (a label's networks are
        analysed in the same states).
    """
    found: dict[str, list[ExternalNetwork]] = {}
    for label, entry in (config.get("external_networks") or {}).items():
        where = f"external_networks.{label}"
        if label in config["tasks"] or label in RESERVED_LABELS:
            what = "a configured task" if label in config["tasks"] else "a folder of results/"
            raise ExternalNetworkError(f"{where}: the label {label!r} is {what}; labels name "
                                       "results/<label>/ and must differ from both")
        task_name = entry["task"]
        if task_name not in config["tasks"]:
            raise ExternalNetworkError(f"{where}.task: {task_name!r} is not a configured task; "
                                       f"expected one of {', '.join(config['tasks'])}")
        task = make_task(task_name, config["tasks"][task_name])
        records = []
        for k, (file, net) in enumerate(zip(entry["files"], external_ids(len(entry["files"])),
                                            strict=True)):
            key = f"{where}.files[{k}]"
            try:
                network = read_external_network(file, task)
            except ExternalNetworkError as exc:
                raise ExternalNetworkError(f"{key}: {exc}") from exc
            if network.n_units < config["latent"]["d"]:
                raise ExternalNetworkError(
                    f"{key}: {file}: field W_rec has {network.n_units} units, fewer than "
                    f"latent.d ({config['latent']['d']}), the dimension of its latent space")
            records.append(ExternalNetwork(
                label=label, net=net, task=task_name, file=str(file), key=key,
                n_units=network.n_units, n_inputs=network.W_in.shape[1], dt=network.dt,
                tau=network.tau, sigma=network.sigma,
                has_initial_state=bool(network.meta["W_rec_init_given"]),
                sha256=_load(Path(file))[1]))
        mixed = [r for r in records if r.has_initial_state != records[0].has_initial_state]
        if mixed:
            with_init, without = ((records[0], mixed[0]) if records[0].has_initial_state
                                  else (mixed[0], records[0]))
            raise ExternalNetworkError(
                f"{without.key}: {without.file} has no W_rec_init, but {with_init.key} "
                f"({with_init.file}) has: a label's networks are analysed in the same states, "
                "so list those with and those without W_rec_init under separate labels")
        found[label] = records
    return found


# --- the summary table ------------------------------------------------------------------------

def trained_connectivity(W_rec: np.ndarray) -> dict[str, float]:
    """Numbers of one trained recurrent matrix (N, N) that need no initial state: its mean
    off-diagonal weight, spectral radius and Henrici departure from normality."""
    return {"mean_weight": mean_offdiagonal(W_rec), "spectral_radius": spectral_radius(W_rec),
            "henrici": departure_from_normality(W_rec)[0]}


# The analyses the workflow runs on an external network, by what they need.
TRAINED_STATE_ANALYSES = ("evaluation", "simulation (trained)", "latent spaces (trained)",
                          "slow points (trained)", "trained W_rec (table)")
INITIAL_STATE_ANALYSES = ("simulation (untrained)", "latent spaces (untrained)",
                          "slow points (untrained)", "latent change",
                          "connectivity change (weights, spectra, centrality, rank)")
# What the workflow never does for an external network, and why.
NEVER_FOR_EXTERNAL = (
    ("training history (Fig. 4, non-normality through training)",
     "trained elsewhere: no history or snapshots"),
    ("claims, hypotheses, figures, latent sensitivity reruns",
     "these gather the configured tasks only"),
)

# Trained-state numbers (and two of the change) of each network, with what they mean.
NUMBER_COLUMNS = {
    "error": "the task's error (its kind's score)",
    "sign_accuracy": "share of clear decisions answered right (NaN for kinds without)",
    "meets_criterion": "1 if the network meets its task's criterion; a reference row's share",
    "mean_weight": "mean off-diagonal weight of the trained W_rec",
    "spectral_radius": "largest |eigenvalue| of the trained W_rec",
    "henrici": "Henrici departure from normality of the trained W_rec",
    "dca_pi": "predictive information of the trained state's DCA subspace (nats)",
    "pca_pi": "the same for its PCA subspace (nats)",
    "readout_dca": "angle of W_out to the DCA subspace (deg)",
    "n_active": "units active in the trained state's simulation",
    "stable": "stable fixed points per input condition (trained)",
    "saddle": "saddles per input condition (trained)",
    "fixed": "fixed points of any kind per input condition (trained)",
    "slowest_rate": "slowest rate at the dominant stable point (1/s, trained)",
    "latent_change_dca": "mean principal angle between the states' DCA subspaces (deg); "
                         "needs W_rec_init",
    "dW_relative_norm": "|W_rec - W_rec_init| / |W_rec_init| (Frobenius); needs W_rec_init",
}


def analyses_of(record: ExternalNetwork) -> tuple[str, str]:
    """(analyses run, analyses skipped with why) of one external network, as text."""
    run = list(TRAINED_STATE_ANALYSES)
    skipped = [f"{what}: {why}" for what, why in NEVER_FOR_EXTERNAL]
    if record.has_initial_state:
        run += INITIAL_STATE_ANALYSES
    else:
        skipped.insert(0, f"{', '.join(INITIAL_STATE_ANALYSES)}: no W_rec_init")
    return "; ".join(run), "; ".join(skipped)


def external_table(numbers: pd.DataFrame, externals: Mapping[str, list[ExternalNetwork]],
                   config: Mapping[str, Any]) -> pd.DataFrame:
    """The table of external networks: one row per network, what ran and what was skipped,
    and its numbers beside those of the configured task it names.

    Parameters
    ----------
    numbers : DataFrame
        One row per network (``task``, ``net``: a label's network or a configured task's)
        with the columns of :data:`NUMBER_COLUMNS` (NaN where a network has none).
    externals : dict
        :func:`external_networks`.
    config : dict
        The config (the reference rows' dt, tau and sigma).

    Returns
    -------
    DataFrame
        Each label's networks, then a reference row per configured task named by a
        label: the median of its networks' numbers (``meets_criterion``: the share),
        ``net`` saying over how many.
    """
    indexed = numbers.set_index(["task", "net"])
    model = config["model"]
    rows = []
    for label, records in externals.items():
        for record in records:
            run, skipped = analyses_of(record)
            rows.append({
                "row": "external", "label": label, "net": record.net, "task": record.task,
                "kind": config["tasks"][record.task]["kind"], "file": record.file,
                "n_units": record.n_units, "dt_ms": record.dt, "tau_ms": record.tau,
                "sigma": record.sigma,
                "W_rec_init": "given" if record.has_initial_state else "absent",
                **indexed.loc[(label, record.net), list(NUMBER_COLUMNS)].to_dict(),
                "analyses_run": run, "analyses_skipped": skipped,
            })
    for task in dict.fromkeys(r.task for records in externals.values() for r in records):
        own = numbers[numbers["task"] == task]
        rows.append({
            "row": "reference", "label": task, "net": f"median of {len(own)}", "task": task,
            "kind": config["tasks"][task]["kind"], "file": "",
            "n_units": config["tasks"][task]["n_units"], "dt_ms": model["dt_ms"],
            "tau_ms": model["tau_ms"], "sigma": model["sigma"],
            "W_rec_init": "trained here",
            **own[list(NUMBER_COLUMNS)].astype(float).median().to_dict(),
            # the share of its networks that meet the criterion, not their median
            "meets_criterion": own["meets_criterion"].astype(float).mean(),
            "analyses_run": "every analysis of the workflow", "analyses_skipped": "",
        })
    table = pd.DataFrame(rows)
    table["meets_criterion"] = table["meets_criterion"].astype(float)
    return table


def network_numbers(trained: pd.DataFrame, performance: pd.DataFrame, latent: pd.DataFrame,
                    slow: pd.DataFrame, latent_change: pd.DataFrame,
                    connectivity: pd.DataFrame) -> pd.DataFrame:
    """The columns of :data:`NUMBER_COLUMNS`, one row per network of ``trained``.

    Parameters
    ----------
    trained : DataFrame
        ``task``, ``net`` and :func:`trained_connectivity`'s numbers, one row per network.
    performance : DataFrame
        ``task``, ``net``, ``error``, ``sign_accuracy``, ``meets_criterion`` (a kind's
        ``Task.score``).
    latent : DataFrame
        The trained state's latent summaries (latent_trained.parquet).
    slow : DataFrame
        :func:`~rnn_hypotheses.analysis.slowpoint_analysis.network_statistics` of the
        trained state.
    latent_change, connectivity : DataFrame
        latent_change.parquet (one row per dimension) and connectivity.parquet of the
        networks with both states; the others get NaN.

    Returns
    -------
    DataFrame: ``task``, ``net``, then :data:`NUMBER_COLUMNS`, in the order of ``trained``.
    """
    keys = ["task", "net"]
    change = (latent_change.groupby(keys, as_index=False, sort=False)["angle_dca"].mean()
              .rename(columns={"angle_dca": "latent_change_dca"}))
    parts = [
        performance[[*keys, "error", "sign_accuracy", "meets_criterion"]],
        latent[[*keys, "pi", "pca_pi", "readout_dca", "n_active"]].rename(
            columns={"pi": "dca_pi"}),
        slow[[*keys, "stable", "saddle", "fixed", "slowest_rate"]],
        change[[*keys, "latent_change_dca"]],
        connectivity[[*keys, "dW_relative_norm"]],
    ]
    table = trained[[*keys, "mean_weight", "spectral_radius", "henrici"]]
    for part in parts:
        table = table.merge(part, on=keys, how="left", validate="one_to_one")
    return table[[*keys, *NUMBER_COLUMNS]]
