"""Every table of a finished run in one call, for notebooks and custom plots.

:func:`load` points at a results folder and returns a :class:`Results`, which reads
nothing until a table is asked for::

    from rnn_hypotheses import results

    run = results.load("results")
    run.available()                 # what the run holds
    history = run["history"]        # every network's training history: task, net, step, loss, ...
    pi = run["pi_theta"]            # task, net, state, theta, pi, ...
    verdicts = run.tables["hypotheses"]
    sim = run.arrays("decision", "net00", "sim", state="trained")

Per-network tables are the parquet files under ``<task>/<net>/`` (also in subfolders,
e.g. ``sensitivity/drop300/``), named by their path there without the suffix and
without a trailing ``_untrained`` or ``_trained``: ``latent_trained.parquet`` and
``latent_untrained.parquet`` are both the table ``latent``, told apart by its
``state`` column. Each is stacked over every network, task by task (alphabetical),
network by network (in numeric order), state by state (untrained first), with
``task``, ``net`` and, for per-state files, ``state`` as its first columns.

Summary tables are the parquet files under ``tables/``, named by their path there
(``hypotheses``, ``sensitivity/latent_claims_drop300``); a run with subsamples or
robustness variants adds ``subsample/<n>/<name>`` and ``robustness/<variant>/<name>``,
and :meth:`Results.variant` opens a variant's own networks.

Tasks and networks are whatever folders ``<task>/<net>/network.npz`` exist, not the
config's: the tables of an unfinished run hold the networks finished so far
(:meth:`Results.available` counts the files of each table).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from . import artifacts
from .claims import STATES
from .network import Network

__all__ = ["Results", "UnknownArtifactError", "load"]

# Columns an artifact's readers elsewhere in the package require; the others are checked
# only for being readable parquet, since no consumer fixes their columns.
_REQUIRED_COLUMNS = {"history": artifacts.HISTORY_COLUMNS}
_REQUIRED_FIELDS = {"snapshots": artifacts.SNAPSHOT_FIELDS, "network": artifacts.NETWORK_FIELDS}

# Folders of a results tree that hold summaries of the run rather than tasks.
_SUMMARY_FOLDERS = ("tables", "subsample", "robustness")


class UnknownArtifactError(KeyError):
    """A table or array name the run does not hold; the message lists those it does."""

    def __str__(self) -> str:
        # KeyError's own str() would show the message as a quoted repr, newlines escaped.
        return str(self.args[0]) if self.args else ""


class _File(NamedTuple):
    task: str
    net: str
    state: str | None
    path: Path


def _natural_key(name: str) -> list:
    # net9 before net10, should a run ever mix widths
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _split_state(stem: str) -> tuple[str, str | None]:
    """``latent_trained`` -> (``latent``, ``trained``); names without a state unchanged."""
    for state in STATES:
        if stem.endswith(f"_{state}"):
            return stem[: -len(state) - 1], state
    return stem, None


def _unknown(what: str, name: str, names) -> UnknownArtifactError:
    listed = ", ".join(sorted(names)) or "none"
    return UnknownArtifactError(f"{name!r} is no {what} of this run; it has: {listed}")


class TableShelf(Mapping[str, pd.DataFrame]):
    """Named data frames, each read on first access and kept for later ones.

    Indexing returns a copy, so changing it in a notebook leaves the kept table as read.

    Parameters
    ----------
    what : str
        What the tables are ("per-network table", "summary table"), for messages.
    list_readers : callable
        Returns {name: function reading that table}; called once, on first use.
    """

    def __init__(self, what: str,
                 list_readers: Callable[[], dict[str, Callable[[], pd.DataFrame]]]):
        self._what = what
        self._list_readers = list_readers
        self._readers: dict[str, Callable[[], pd.DataFrame]] | None = None
        self._read: dict[str, pd.DataFrame] = {}

    @property
    def _names(self) -> dict[str, Callable[[], pd.DataFrame]]:
        if self._readers is None:
            self._readers = self._list_readers()
        return self._readers

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._names:
            raise _unknown(self._what, name, self._names)
        if name not in self._read:
            self._read[name] = self._names[name]()
        return self._read[name].copy()

    def __contains__(self, name: object) -> bool:
        # Mapping's default would read the table to answer
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return f"<{len(self)} {self._what}s: {', '.join(self._names)}>"


def _stack(name: str, files: list[_File], required: tuple[str, ...]) -> pd.DataFrame:
    """One per-network table: every network's file of ``name``, with task/net(/state) first.

    An artifact that names its task, network or state in a column of its own must name
    the folder and file it lies in; otherwise it was copied or written wrongly.
    """
    per_state = any(f.state is not None for f in files)
    keys = ("task", "net", "state") if per_state else ("task", "net")
    frames = []
    for file in files:
        frame = artifacts.read_parquet(file.path, required)
        for key in keys:
            value = getattr(file, key)
            if key in frame.columns:
                if not (frame[key] == value).all():
                    found = sorted(map(str, frame[key].unique()))
                    raise artifacts.ArtifactError(
                        f"{file.path}: column {key!r} holds {', '.join(found)}, but the file "
                        f"belongs to {key} {value!r}")
                frame = frame.drop(columns=key)
        for position, key in enumerate(keys):
            frame.insert(position, key, getattr(file, key))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


class Results:
    """The artifacts of one run's results folder, as tidy tables and arrays.

    Build it with :func:`load`. Nothing is read until asked for; each table is read
    once, then kept.

    Attributes
    ----------
    root : Path
        The results folder.
    tasks : list of str
        Tasks with at least one network, alphabetical.
    nets : dict of str to list of str
        Each task's networks, in numeric order.
    per_network : TableShelf
        Per-network tables by name, stacked over every network (see the module's notes).
    tables : TableShelf
        Summary tables by name (``tables/*.parquet`` and subfolders).
    """

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        if not self.root.is_dir():
            raise FileNotFoundError(f"{self.root}: no such results folder")
        found: dict[str, list[str]] = {}
        for network in self.root.glob("*/*/network.npz"):
            task, net = network.parent.parent.name, network.parent.name
            if task not in _SUMMARY_FOLDERS:
                found.setdefault(task, []).append(net)
        self.tasks = sorted(found)
        self.nets = {task: sorted(found[task], key=_natural_key) for task in self.tasks}
        if not self.tasks and not (self.root / "tables").is_dir():
            raise FileNotFoundError(
                f"{self.root}: holds neither networks (<task>/<net>/network.npz) nor tables/; "
                "is it a run's results folder?")
        self.per_network = TableShelf("per-network table", self._per_network_readers)
        self.tables = TableShelf("summary table", self._summary_readers)

    # --- what the run holds ------------------------------------------------------------------

    @property
    def networks(self) -> pd.DataFrame:
        """Every network of the run: columns ``task``, ``net``, one row each, in table order."""
        rows = [(task, net) for task in self.tasks for net in self.nets[task]]
        return pd.DataFrame(rows, columns=["task", "net"])

    @cached_property
    def _files(self) -> dict[str, dict[str, list[_File]]]:
        """{"parquet" or "npz": {name: files in task, net, state order}} of every network."""
        index: dict[str, dict[str, list[_File]]] = {"parquet": {}, "npz": {}}
        state_order = {None: -1} | {state: k for k, state in enumerate(STATES)}
        for task in self.tasks:
            for net in self.nets[task]:
                folder = self.root / task / net
                found = []
                for dirpath, dirnames, filenames in os.walk(folder):
                    dirnames.sort()
                    for filename in filenames:
                        # dot files are atomic writes still under way (artifacts.atomic_path)
                        if filename.startswith("."):
                            continue
                        path = Path(dirpath) / filename
                        kind = path.suffix[1:]
                        if kind not in index:
                            continue
                        name, state = _split_state(path.relative_to(folder).with_suffix("")
                                                   .as_posix())
                        found.append((kind, name, state, path))
                for kind, name, state, path in sorted(
                        found, key=lambda f: (f[0], f[1], state_order[f[2]])):
                    index[kind].setdefault(name, []).append(_File(task, net, state, path))
        return {kind: dict(sorted(names.items())) for kind, names in index.items()}

    def _per_network_readers(self) -> dict[str, Callable[[], pd.DataFrame]]:
        return {name: (lambda name=name, files=files:
                       _stack(name, files, tuple(_REQUIRED_COLUMNS.get(name, ()))))
                for name, files in self._files["parquet"].items()}

    @cached_property
    def _summary_files(self) -> dict[str, Path]:
        folders = [("", self.root / "tables")]
        for group in _SUMMARY_FOLDERS[1:]:
            # results/subsample/n10/tables, results/robustness/<variant>/tables
            for member in sorted((self.root / group).glob("*/tables"), key=lambda p:
                                 _natural_key(p.parent.name)):
                folders.append((f"{group}/{member.parent.name}/", member))
        files = {}
        for prefix, folder in folders:
            for path in sorted(folder.rglob("*.parquet")):
                if not path.name.startswith("."):
                    files[prefix + path.relative_to(folder).with_suffix("").as_posix()] = path
        return files

    def _summary_readers(self) -> dict[str, Callable[[], pd.DataFrame]]:
        return {name: (lambda path=path: artifacts.read_parquet(path))
                for name, path in self._summary_files.items()}

    def available(self) -> pd.DataFrame:
        """What the run holds, one row per name.

        Returns
        -------
        DataFrame
            ``name``; ``kind``: "per-network table" (``run[name]``), "summary table"
            (``run.tables[name]``) or "arrays" (``run.arrays(task, net, name, state)``);
            ``states``: the states its files come in ("" if not per state); ``files``:
            how many files hold it (networks times states, for a finished run).
        """
        rows = []
        for kind, label in (("parquet", "per-network table"), ("npz", "arrays")):
            for name, files in self._files[kind].items():
                states = [s for s in STATES if any(f.state == s for f in files)]
                rows.append((name, label, ", ".join(states), len(files)))
        rows += [(name, "summary table", "", 1) for name in self._summary_files]
        return pd.DataFrame(rows, columns=["name", "kind", "states", "files"])

    def __repr__(self) -> str:
        counts = ", ".join(f"{task}: {len(self.nets[task])}" for task in self.tasks) or "none"
        return (f"Results({str(self.root)!r}; networks {counts}; "
                f"{len(self.per_network)} per-network tables, {len(self.tables)} summary "
                f"tables, {len(self._files['npz'])} kinds of arrays; see .available())")

    # --- tables ------------------------------------------------------------------------------

    def __getitem__(self, name: str) -> pd.DataFrame:
        """A per-network table, or a summary table of that name if there is none.

        Raises
        ------
        UnknownArtifactError
            If the run holds no table of that name, or both kinds do (then use
            ``per_network`` or ``tables``).
        """
        in_networks, in_tables = name in self.per_network, name in self.tables
        if in_networks and in_tables:
            raise UnknownArtifactError(
                f"{name!r} is both a per-network and a summary table; ask "
                f"run.per_network[{name!r}] or run.tables[{name!r}]")
        if in_tables:
            return self.tables[name]
        if not in_networks:
            raise _unknown("table", name, [*self.per_network, *self.tables])
        return self.per_network[name]

    # --- arrays ------------------------------------------------------------------------------

    def _network_folder(self, task: str, net: str) -> Path:
        if task not in self.nets:
            raise _unknown("task", task, self.tasks)
        if net not in self.nets[task]:
            raise _unknown(f"network of task {task!r}", net, self.nets[task])
        return self.root / task / net

    def arrays(self, task: str, net: str, name: str, state: str | None = None
               ) -> dict[str, np.ndarray]:
        """The arrays of one network's npz artifact, read through :func:`artifacts.read_npz`.

        Parameters
        ----------
        task, net : str
            The network, e.g. ``"decision"``, ``"net00"``.
        name : str
            The artifact's name as :meth:`available` lists it (``"sim"``, ``"latent"``,
            ``"eigenvalues"``, ``"sensitivity/drop300/latent"``, ...), or its file's stem
            (``"sim_trained"``).
        state : {"untrained", "trained"}, optional
            Which state's file, for an artifact kept per state.

        Returns
        -------
        dict of str to ndarray
            As stored (arrays are (time, trial, unit) where they have those axes; times
            in ms); the config the artifact depends on is under ``"__config__"``
            (:func:`artifacts.npz_config` decodes it).
        """
        folder = self._network_folder(task, net)
        stem = name if state is None else f"{name}_{state}"
        base, file_state = _split_state(stem)
        known = self._files["npz"].get(base, [])
        if not any(f.task == task and f.net == net and f.state == file_state for f in known):
            states = sorted({f.state for f in known if f.task == task and f.net == net} - {None})
            if states and file_state is None:
                raise UnknownArtifactError(f"{name!r} is kept per state; pass state= one of "
                                           f"{', '.join(states)}")
            raise _unknown(f"array artifact of {task}/{net}", stem,
                           {(n if f.state is None else f"{n}_{f.state}")
                            for n, files in self._files["npz"].items() for f in files
                            if f.task == task and f.net == net})
        return artifacts.read_npz(folder / f"{stem}.npz", _REQUIRED_FIELDS.get(base, ()))

    def network(self, task: str, net: str) -> Network:
        """One network's weights and hyper-parameters (its ``network.npz``, checked by
        :func:`artifacts.read_network`: shapes, finite values)."""
        return artifacts.read_network(self._network_folder(task, net) / "network.npz")

    # --- robustness variants -----------------------------------------------------------------

    @property
    def variants(self) -> list[str]:
        """Robustness variants whose results lie under ``robustness/`` (none in a plain run)."""
        folder = self.root / "robustness"
        return sorted((p.name for p in folder.iterdir() if p.is_dir()), key=_natural_key
                      ) if folder.is_dir() else []

    def variant(self, name: str) -> Results:
        """The results of one robustness variant, with its own networks and tables."""
        if name not in self.variants:
            raise _unknown("robustness variant", name, self.variants)
        return Results(self.root / "robustness" / name)


def load(path: str | os.PathLike = "results") -> Results:
    """Open a run's results folder.

    Parameters
    ----------
    path : str or path-like
        The folder Snakemake wrote (``results`` in the working directory by default).

    Returns
    -------
    Results
        Reads nothing yet but the folder layout; tables are read when first asked for.

    Raises
    ------
    FileNotFoundError
        If ``path`` is no folder, or holds neither networks nor ``tables/``.
    """
    return Results(path)
