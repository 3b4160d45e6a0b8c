"""Conventions the workflow's layout relies on."""

from __future__ import annotations

from .conftest import ROOT


def test_no_script_reads_the_config_directly():
    """Config values reach a script through its rule's params, which Snakemake tracks, so
    that a changed value reruns the job (tests/test_workflow.py checks the reruns)."""
    readers = [path.name for path in (ROOT / "scripts").glob("*.py")
               if "snakemake.config" in path.read_text()]
    assert readers == []
