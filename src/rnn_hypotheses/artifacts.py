"""Reading and writing every artifact of the workflow.

Writes are atomic (a temporary file in the same folder, then a rename), so an
interrupted job never leaves a half-written artifact that looks complete.
Every artifact carries the config values it depends on (as JSON), and reads
check the fields a consumer needs, failing with a message that names the file.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .network import Network

CONFIG_KEY = "__config__"
_PARQUET_META = b"rnn_hypotheses.config"

NETWORK_FIELDS = ("W_in", "W_out", "b", "W_rec_init", "W_rec", "mask", "dt", "tau", "sigma")
HISTORY_COLUMNS = ("step", "loss", "mean_weight", "snapshot")
SNAPSHOT_FIELDS = ("steps", "W_rec")


class ArtifactError(ValueError):
    """An artifact is missing, unreadable or lacks a field its reader needs."""


def _current_umask() -> int:
    # Linux reports the umask in /proc; elsewhere os.umask can only be read by setting
    # it, which another thread could see for an instant, so it is set straight back.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _storage_error(path: Path, exc: OSError) -> ArtifactError:
    reasons = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
               errno.EROFS: "the file system is read-only",
               errno.EACCES: "permission denied", errno.EPERM: "permission denied"}
    reason = reasons.get(exc.errno, exc.strerror or str(exc))
    return ArtifactError(f"{path}: cannot write ({reason}); nothing was written there")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success.

    The file gets the permissions of any new file (0666 less the umask), not
    mkstemp's private 0600, so colleagues on a shared file system can read results.
    A full, read-only or forbidden file system raises :class:`ArtifactError` naming
    ``path``, and leaves neither ``path`` nor the temporary file behind.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".tmp{suffix}",
                                   dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise _storage_error(path, exc) from exc
    tmp = Path(tmp)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_current_umask())
        os.replace(tmp, path)
    except OSError as exc:
        raise _storage_error(path, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} in an artifact's config")


def _config_json(config: dict | None) -> str:
    return json.dumps(config or {}, sort_keys=True, default=_json_default)


# --- npz --------------------------------------------------------------------------------------

def write_npz(path: str | os.PathLike, arrays: dict[str, np.ndarray], config: dict | None = None
              ) -> None:
    """Write arrays (no pickled objects) and the config they depend on."""
    payload = {k: np.asarray(v) for k, v in arrays.items()}
    for key, value in payload.items():
        if value.dtype == object:
            raise ArtifactError(f"{path}: field {key!r} would need pickle; store plain arrays")
    payload[CONFIG_KEY] = np.array(_config_json(config))
    # np.savez appends .npz to names without it, so the temporary name ends in .npz.
    with atomic_path(path, suffix=".npz") as tmp:
        np.savez(tmp, **payload)


def read_npz(path: str | os.PathLike, required: Iterable[str] = ()) -> dict[str, np.ndarray]:
    """Read an npz artifact; fail naming the file if a required field is missing."""
    path = Path(path)
    if not path.exists():
        raise ArtifactError(f"{path}: no such artifact")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except Exception as exc:  # zip or format errors
        raise ArtifactError(f"{path}: unreadable npz ({exc})") from exc
    missing = [k for k in required if k not in arrays]
    if missing:
        raise ArtifactError(f"{path}: missing field(s) {', '.join(missing)}")
    return arrays


def npz_config(arrays: dict[str, np.ndarray]) -> dict:
    """The config stored in an npz artifact ({} if none)."""
    return json.loads(str(arrays[CONFIG_KEY])) if CONFIG_KEY in arrays else {}


# --- parquet ----------------------------------------------------------------------------------

def write_parquet(path: str | os.PathLike, frame: pd.DataFrame, config: dict | None = None
                  ) -> None:
    """Write a data frame with the config in the file's schema metadata."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[_PARQUET_META] = _config_json(config).encode()
    table = table.replace_schema_metadata(meta)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)


def read_parquet(path: str | os.PathLike, required: Iterable[str] = ()) -> pd.DataFrame:
    """Read a parquet artifact; fail naming the file if a required column is missing."""
    path = Path(path)
    if not path.exists():
        raise ArtifactError(f"{path}: no such artifact")
    try:
        frame = pq.read_table(path).to_pandas()
    except Exception as exc:
        raise ArtifactError(f"{path}: unreadable parquet ({exc})") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ArtifactError(f"{path}: missing column(s) {', '.join(missing)}")
    return frame


def parquet_config(path: str | os.PathLike) -> dict:
    """The config stored in a parquet artifact ({} if none)."""
    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta.get(_PARQUET_META, b"{}"))


# --- text tables ------------------------------------------------------------------------------

def _cell(value) -> str:
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        return f"{value:.4g}"
    return str(value).replace("|", "\\|")


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured markdown table of a data frame (floats to 4 significant digits)."""
    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(_cell(v) for v in row) + " |"
            for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows]) + "\n"


def write_table(stem: str | os.PathLike, frame: pd.DataFrame, config: dict | None = None,
                title: str | None = None) -> None:
    """Write ``stem.parquet`` and ``stem.md`` (a summary table in both forms)."""
    stem = Path(stem)
    write_parquet(stem.with_suffix(".parquet"), frame, config)
    text = (f"# {title}\n\n" if title else "") + markdown_table(frame)
    with atomic_path(stem.with_suffix(".md")) as tmp:
        tmp.write_text(text)


# --- networks ---------------------------------------------------------------------------------

def write_network(path: str | os.PathLike, network: Network, config: dict | None = None) -> None:
    """Write a network.npz: weights, mask, hyper-parameters and provenance scalars."""
    arrays = {
        "W_in": network.W_in, "W_out": network.W_out, "b": network.b,
        "W_rec_init": network.W_rec_init, "W_rec": network.W_rec, "mask": network.mask,
        "dt": network.dt, "tau": network.tau, "sigma": network.sigma,
    }
    for key, value in network.meta.items():
        arrays[f"meta_{key}"] = np.asarray(value)
    write_npz(path, arrays, config)


def read_network(path: str | os.PathLike) -> Network:
    """Read a network.npz written by :func:`write_network`."""
    arrays = read_npz(path, NETWORK_FIELDS)
    n = arrays["W_rec"].shape
    if len(n) != 2 or n[0] != n[1] or arrays["W_rec_init"].shape != n:
        raise ArtifactError(f"{path}: W_rec and W_rec_init must be square and alike, got "
                            f"{arrays['W_rec'].shape} and {arrays['W_rec_init'].shape}")
    for field in NETWORK_FIELDS:
        values = arrays[field]
        if not np.issubdtype(values.dtype, np.number) or not np.isfinite(values).all():
            raise ArtifactError(f"{path}: field {field} holds non-finite or non-numeric values; "
                                "a diverged network cannot be analysed")
    meta = {k[5:]: arrays[k].item() for k in arrays if k.startswith("meta_")}
    return Network(arrays["W_in"], arrays["W_out"], arrays["b"], arrays["W_rec"],
                   arrays["W_rec_init"], arrays["mask"], float(arrays["dt"]),
                   float(arrays["tau"]), float(arrays["sigma"]), meta)


def read_history(path: str | os.PathLike) -> pd.DataFrame:
    """Read a history.parquet (one row per logged training step)."""
    return read_parquet(path, HISTORY_COLUMNS)


def read_snapshots(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """Read snapshots.npz: (steps (n,), W_rec (n, N, N))."""
    arrays = read_npz(path, SNAPSHOT_FIELDS)
    return arrays["steps"], arrays["W_rec"]
