"""config.yaml validation: the schema and the cross-key checks stop bad values, naming the key."""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from rnn_hypotheses.config import ConfigError, check_config, network_ids, network_seed

from .conftest import ROOT

SCHEMA = str(ROOT / "workflow/schemas/config.schema.yaml")


def _set(config: dict, dotted: str, value) -> dict:
    config = copy.deepcopy(config)
    *parents, last = dotted.split(".")
    node = config
    for key in parents:
        node = node[key]
    node[last] = value
    return config


def _check(config: dict) -> None:
    validate(config, SCHEMA)
    check_config(config)


def test_report_config_is_valid(full_config, smoke_config):
    _check(full_config)
    _check(smoke_config)
    assert full_config["tasks"]["perception"]["n_units"] == 128
    assert full_config["tasks"]["decision"]["n_units"] == 256
    assert full_config["networks_per_task"] == 10


BAD = [
    ("tasks.perception.n_unitz", 128, "n_unitz"),              # unknown key
    ("tasks.decision.n_units", 0, "n_units"),                  # zero units
    ("tasks.perception.n_units", -5, "n_units"),               # negative units
    ("model.sigma", -0.01, "sigma"),                           # negative noise
    ("model.tau_ms", "100 ms", "tau_ms"),                      # a string for a number
    ("networks_per_task", 0, "networks_per_task"),             # no networks
    ("training.learning_rate", 0, "learning_rate"),
    ("model.dt_ms", 100, "model.dt_ms"),                       # dt >= tau
    ("tasks.decision.settle_ms", 5000, "tasks.decision.settle_ms"),
    ("evaluation.enforce_performance", "yes", "enforce_performance"),
    ("slowpoints.example_net", 10, "slowpoints.example_net"),  # net10 of net00..net09
    ("latent.steady_ms", 10_000, "latent.steady_ms"),          # longer than the simulation
]


@pytest.mark.parametrize(("key", "value", "named"), BAD, ids=[b[0] + "=" + str(b[1]) for b in BAD])
def test_bad_config_is_rejected_naming_the_key(full_config, key, value, named):
    with pytest.raises((WorkflowError, ConfigError)) as err:
        _check(_set(full_config, key, value))
    assert named in str(err.value)


def test_snakemake_stops_before_any_job(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("model:\n  dt_ms: 200\n")
    run = subprocess.run(
        [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(tmp_path),
         "--configfile", str(bad), "-n"], capture_output=True, text=True)
    assert run.returncode != 0
    assert "model.dt_ms" in run.stdout + run.stderr
    assert not (tmp_path / "results").exists()


def test_network_names_and_seeds(full_config):
    names = network_ids(full_config)
    assert names[0] == "net00" and names[-1] == "net09" and len(names) == 10
    assert [network_seed(full_config, n) for n in names] == list(range(10))
    wide = network_ids(dict(full_config, networks_per_task=150))
    assert wide[0] == "net000" and wide[-1] == "net149"
