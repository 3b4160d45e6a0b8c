"""Artifact writes: permissions from the umask, storage faults named, job errors logged."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from rnn_hypotheses import artifacts

WRITERS = {
    "npz": lambda path: artifacts.write_npz(path, {"x": np.arange(3)}),
    "parquet": lambda path: artifacts.write_parquet(path, pd.DataFrame({"x": [1, 2]})),
}


@pytest.mark.parametrize("kind", sorted(WRITERS))
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_artifacts_follow_the_umask(tmp_path, kind, umask, mode):
    previous = os.umask(umask)
    try:
        path = tmp_path / f"a.{kind}"
        WRITERS[kind](path)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == mode


@pytest.mark.parametrize(("code", "reason"), [(errno.ENOSPC, "the disk is full"),
                                              (errno.EROFS, "the file system is read-only"),
                                              (errno.EACCES, "permission denied")])
def test_storage_faults_name_the_file_and_leave_nothing(tmp_path, monkeypatch, code, reason):
    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    path = tmp_path / "out" / "sim.npz"
    monkeypatch.setattr(artifacts.os, "replace", refuse)
    with pytest.raises(artifacts.ArtifactError, match=f"sim.npz: cannot write \\({reason}\\)"):
        WRITERS["npz"](path)
    assert list(path.parent.iterdir()) == []  # no artifact, no temporary file


def test_an_unwritable_folder_is_named(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(artifacts.tempfile, "mkstemp", refuse)
    with pytest.raises(artifacts.ArtifactError, match="read-only"):
        WRITERS["parquet"](tmp_path / "t.parquet")


def test_job_log_holds_the_error_that_ends_a_script(tmp_path):
    log = tmp_path / "job.log"
    code = ("from rnn_hypotheses.pipeline import job_log\n"
            f"log = job_log({str(log)!r})\n"
            "log('started')\n"
            "raise IndexError('index 2 is out of bounds for axis 1 with size 2')\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode != 0
    text = log.read_text()
    assert "started" in text
    assert "error: IndexError: index 2 is out of bounds" in text
    assert "Traceback" in text
    assert "IndexError" in run.stderr  # still printed where Snakemake shows it
