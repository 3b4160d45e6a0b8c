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
    # NaN and infinity pass every bound of the schema (comparisons with NaN are false)
    ("model.sigma", float("nan"), "model.sigma"),
    ("model.sigma", float("inf"), "model.sigma"),
    ("model.tau_ms", float("nan"), "model.tau_ms"),
    ("training.learning_rate", float("nan"), "training.learning_rate"),
    ("tasks.decision.input_range", [0.2, float("inf")], "tasks.decision.input_range[1]"),
    # limits across keys, refused before any job rather than in one
    ("latent.d", 200, "latent.d"),                             # above perception's 128 units
    ("latent.T", 75, "latent.T"),                              # 2T = the 150 analysed steps
    ("latent.drop_ms", 2450, "latent.drop_ms"),                # leaves 5 steps for 2T = 10
    ("tasks.perception.n_units", 1, "n_units"),                # no weight to train
    ("tasks.perception.input_levels", [0.5, 0.5], "input_levels"),
    ("first_seed", 2**63 - 5, "first_seed"),                   # seeds are stored as int64
    ("tasks.perception.n_units", 200_000, "tasks.perception.n_units"),  # memory
    ("max_job_mem_mb", 500, "max_job_mem_mb"),                 # less than any job needs
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


def test_memory_estimate_names_the_need_and_the_limit(full_config):
    with pytest.raises(ConfigError) as err:
        check_config(full_config, memory_limit_mb=1000)
    message = str(err.value)
    assert "GiB" in message and "1000 MB" in message
    check_config(full_config, memory_limit_mb=16_000)  # the report's sizes fit a laptop


def test_memory_grows_with_the_network(full_config):
    from rnn_hypotheses.resources import PER_NETWORK_STAGES, job_memory_mb

    big = _set(full_config, "tasks.decision.n_units", 2048)
    for stage in PER_NETWORK_STAGES:
        small_mb = job_memory_mb(stage, full_config, "decision")
        big_mb = job_memory_mb(stage, big, "decision")
        assert big_mb > small_mb, stage
    # a (2048 x 2048) float64 matrix is 32 MiB; every stage holds several
    assert job_memory_mb("slowpoints", big, "decision") > 8 * 32


def test_yaml_syntax_error_names_file_and_line(tmp_path, monkeypatch):
    from rnn_hypotheses.config import main, read_config_file

    bad = tmp_path / "bad.yaml"
    bad.write_text("model:\n  dt_ms: [10\n  tau_ms: 100\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml:3:\d+: not valid YAML"):
        read_config_file(bad)
    monkeypatch.chdir(ROOT)  # the checker reads config.yaml and the schema from here
    assert main([str(bad)]) == 1
    assert main([str(ROOT / "tests/config/smoke.yaml")]) == 0
    assert main([str(ROOT / "config/robustness.yaml")]) == 0


def test_config_checker_runs_every_check(tmp_path, capsys, monkeypatch):
    from rnn_hypotheses.config import main

    monkeypatch.chdir(ROOT)
    nan = tmp_path / "nan.yaml"
    nan.write_text("model:\n  sigma: .nan\n")
    assert main([str(nan)]) == 1
    assert "model.sigma: must be a finite number" in capsys.readouterr().err
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("latent:\n  dd: 3\n")
    assert main([str(unknown)]) == 1
    assert "latent" in capsys.readouterr().err
    # a robustness variant is checked on its own merged config, as its module is
    variant = tmp_path / "variant.yaml"
    variant.write_text("robustness:\n  gain:\n    g0.8:\n      latent: {d: 500}\n")
    assert main([str(ROOT / "config/robustness.yaml"), str(variant)]) == 1
    assert "robustness variant g0.8: latent.d (500)" in capsys.readouterr().err


def test_every_non_finite_value_is_named_with_its_value(full_config):
    bad = _set(_set(full_config, "model.sigma", float("nan")),
               "tasks.decision.input_range", [0.2, float("-inf")])
    with pytest.raises(ConfigError) as err:
        check_config(bad)
    assert "model.sigma: must be a finite number, got nan" in str(err.value)
    assert "tasks.decision.input_range[1]: must be a finite number, got -inf" in str(err.value)


def test_snakefile_names_the_line_of_a_broken_config(tmp_path):
    """The workflow's own config.yaml is parsed before Snakemake's configfile directive."""
    import shutil

    for name in ("Snakefile", "workflow", "scripts", "envs"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    (tmp_path / "config.yaml").write_text((ROOT / "config.yaml").read_text().replace(
        "dt_ms: 10", "dt_ms: [10", 1))
    run = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(tmp_path / "Snakefile"),
                          "-d", str(tmp_path), "-n"], capture_output=True, text=True)
    assert run.returncode != 0
    assert "config.yaml:" in run.stdout + run.stderr and "not valid YAML" in run.stdout + run.stderr


def test_targets_outside_the_config_are_not_built(tmp_path):
    base = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(tmp_path),
            "-n"]
    smoke = ["--configfile", str(ROOT / "tests/config/smoke.yaml")]  # 2 networks per task
    run = subprocess.run([*base, "results/decision/net01/network.npz", *smoke],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    for target in ("results/decision/net99/network.npz", "results/decision/net02/network.npz",
                   "results/other/net00/network.npz",
                   "results/decision/net00/sim_halfway.npz"):
        run = subprocess.run([*base, target, *smoke], capture_output=True, text=True)
        assert run.returncode != 0, target
        assert "No rule to produce" in run.stdout + run.stderr, target


def test_run_tasks_selects_and_orders_the_tasks(full_config):
    from rnn_hypotheses.config import select_tasks

    config = copy.deepcopy(full_config)
    decision = copy.deepcopy(config["tasks"]["decision"])
    config["run_tasks"] = ["decision"]
    select_tasks(config)
    assert config["tasks"] == {"decision": decision}
    config = copy.deepcopy(full_config)
    config["run_tasks"] = ["decision", "perception"]
    select_tasks(config)
    assert list(config["tasks"]) == ["decision", "perception"]
    config["run_tasks"] = ["decision", "sine"]
    with pytest.raises(ConfigError, match="run_tasks: 'sine' is not a task"):
        select_tasks(config)


def test_a_run_of_one_task_plans_no_job_of_the_others(tmp_path):
    one = tmp_path / "one.yaml"
    one.write_text("run_tasks: [perception]\n")
    run = subprocess.run(
        [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(tmp_path),
         "-n", "--configfile", str(ROOT / "tests/config/smoke.yaml"), str(one)],
        capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "results/perception/net01/network.npz" in run.stdout
    assert "results/decision/" not in run.stdout
