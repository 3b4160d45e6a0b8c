"""Shared fixtures: small configs and networks that train in seconds."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@pytest.fixture(scope="session")
def full_config() -> dict:
    return yaml.safe_load((ROOT / "config.yaml").read_text())


@pytest.fixture(scope="session")
def smoke_config(full_config) -> dict:
    """config.yaml with tests/config/smoke.yaml merged over it, as Snakemake does."""
    return _merge(full_config, yaml.safe_load((ROOT / "tests/config/smoke.yaml").read_text()))
