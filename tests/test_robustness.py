"""Robustness variants: their configs, folders and module names."""

from __future__ import annotations

import pytest
import yaml

from rnn_hypotheses.robustness import (
    claims_paths,
    merge_config,
    variant_config,
    variant_folder,
    variant_module,
    variants,
)

from .conftest import ROOT


def test_variant_config_merges_overrides_and_drops_the_variants(smoke_config):
    config = {**smoke_config, "robustness": {"gain": {"g1.2": {"model": {"g": 1.2}}}}}
    merged = variant_config(config, {"model": {"g": 1.2}, "first_seed": 100})
    assert "robustness" not in merged
    assert merged["model"] == {**smoke_config["model"], "g": 1.2}
    assert merged["first_seed"] == 100
    assert merged["tasks"] == smoke_config["tasks"]
    assert config["model"]["g"] == smoke_config["model"]["g"]  # the run's config is untouched
    assert merge_config({"a": {"b": 1, "c": 2}}, {"a": {"c": 3}, "d": 4}) == {
        "a": {"b": 1, "c": 3}, "d": 4}


def test_the_robustness_config_declares_three_rule_sets():
    config = yaml.safe_load((ROOT / "config/robustness.yaml").read_text())
    assert set(config) == {"robustness"}  # nothing of the main experiment changes
    found = variants(config)
    assert list(found) == ["seeds100", "g0.8", "g1.2", "l1_0.01"]
    assert found["seeds100"]["first_seed"] == 100
    assert [found[v]["model"] for v in ("g0.8", "g1.2")] == [{"g": 0.8}, {"g": 1.2}]
    assert found["l1_0.01"]["training"] == {"l1": 0.01}
    # a variant network that misses the criterion is counted, not fatal
    assert all(v["evaluation"] == {"enforce_performance": False} for v in found.values())
    assert list(config["robustness"]) == ["seeds", "gain", "sparsity"]
    assert variants({}) == {}


def test_names_and_paths():
    assert variant_module("g0.8") == "robustness_g0_8"
    assert variant_folder("g0.8") == "results/robustness/g0.8"
    assert claims_paths(["latent_claims"], variant_folder("s")) == [
        "results/robustness/s/tables/latent_claims.parquet"]
    with pytest.raises(ValueError, match="two rule sets"):
        variants({"robustness": {"a": {"v": {}}, "b": {"v": {}}}})
