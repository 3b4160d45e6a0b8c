"""Networks trained elsewhere (config external_networks): the file format's checks, the
config section, the summary table, and the workflow that analyses them."""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest
import yaml

from rnn_hypotheses import artifacts
from rnn_hypotheses.config import ConfigError, check_config
from rnn_hypotheses.external import (
    NUMBER_COLUMNS,
    ExternalNetworkError,
    external_networks,
    external_table,
    network_numbers,
    read_external_network,
)
from rnn_hypotheses.resources import largest_job
from rnn_hypotheses.tasks import make_task

from .conftest import ROOT, snakemake


def network_arrays(n: int = 8, n_inputs: int = 1, *, initial: bool = True, seed: int = 0,
                   dt: float = 10.0) -> dict[str, np.ndarray]:
    """A random network of the file format (float64, as another framework might save it)."""
    rng = np.random.default_rng(seed)
    off_diagonal = 1.0 - np.eye(n)
    W_rec_init = rng.normal(0.0, 1.0 / np.sqrt(n), (n, n)) * off_diagonal
    arrays = {
        "W_rec": W_rec_init + rng.normal(0.0, 0.05 / np.sqrt(n), (n, n)) * off_diagonal,
        "W_in": rng.normal(0.0, 0.5, (n, n_inputs)),
        "W_out": rng.normal(0.0, 1.0 / np.sqrt(n), (1, n)),
        "b": rng.normal(0.0, 0.5, n),
        "dt": np.float64(dt), "tau": np.float64(100.0), "sigma": np.float64(0.01),
    }
    if initial:
        arrays["W_rec_init"] = W_rec_init
    return arrays


@pytest.fixture
def perception(full_config):
    return make_task("perception", full_config["tasks"]["perception"])


def save(path, arrays):
    np.savez(path, **arrays)
    return path


# --- one file ---------------------------------------------------------------------------------

def test_a_valid_file_becomes_a_network_of_the_project(tmp_path, perception):
    arrays = network_arrays()
    network = read_external_network(save(tmp_path / "a.npz", arrays), perception)
    assert network.W_rec.dtype == np.float32 and network.W_rec.shape == (8, 8)
    np.testing.assert_array_equal(network.W_rec, arrays["W_rec"].astype(np.float32))
    np.testing.assert_array_equal(network.W_rec_init, arrays["W_rec_init"].astype(np.float32))
    np.testing.assert_array_equal(network.mask, 1.0 - np.eye(8))
    assert (network.dt, network.tau, network.sigma) == (10.0, 100.0, 0.01)
    assert network.meta == {"source": str(tmp_path / "a.npz"), "W_rec_init_given": True}


def test_without_w_rec_init_the_network_says_so(tmp_path, perception):
    arrays = network_arrays(initial=False)
    network = read_external_network(save(tmp_path / "a.npz", arrays), perception)
    assert network.meta["W_rec_init_given"] is False
    np.testing.assert_array_equal(network.W_rec_init, network.W_rec)


def _with(**changes):
    """A valid network with some fields replaced (None: removed)."""
    arrays = network_arrays()
    for name, value in changes.items():
        if value is None:
            del arrays[name]
        else:
            arrays[name] = value(arrays) if callable(value) else value
    return arrays


def _diagonal(name):
    def change(arrays):
        W = arrays[name].copy()
        W[2, 2] = 0.3
        return W
    return change


def _nan_at(name, index):
    def change(arrays):
        values = arrays[name].copy()
        values[index] = np.nan
        return values
    return change


BAD_FILES = {
    "missing W_out": (_with(W_out=None), "W_out"),
    "missing dt": (_with(dt=None), "dt"),
    "misspelt W_rec_init": (_with(W_rec_init=None, W_rec_int=np.zeros((8, 8))), "W_rec_int"),
    "W_rec not square": (_with(W_rec=np.zeros((8, 9))), "W_rec"),
    "one unit": (_with(W_rec=np.zeros((1, 1)), W_rec_init=None), "W_rec"),
    "W_in with two inputs": (_with(W_in=np.zeros((8, 2))), "W_in"),
    "W_in transposed": (_with(W_in=np.zeros((1, 8))), "W_in"),
    "W_out transposed": (_with(W_out=np.zeros((8, 1))), "W_out"),
    "b as a column": (_with(b=np.zeros((8, 1))), "b"),
    "W_rec_init of another size": (_with(W_rec_init=np.zeros((6, 6))), "W_rec_init"),
    "NaN in W_rec": (_with(W_rec=_nan_at("W_rec", (0, 1))), "W_rec"),
    "infinity in b": (_with(b=np.array([np.inf] + [0.0] * 7)), "b"),
    "NaN in W_rec_init": (_with(W_rec_init=_nan_at("W_rec_init", (3, 1))), "W_rec_init"),
    "beyond float32": (_with(W_in=np.full((8, 1), 1e39)), "W_in"),
    "text in W_in": (_with(W_in=np.full((8, 1), "x")), "W_in"),
    "dt equal to tau": (_with(dt=np.float64(100.0)), "dt"),
    "dt zero": (_with(dt=np.float64(0.0)), "dt"),
    "negative sigma": (_with(sigma=np.float64(-0.1)), "sigma"),
    "NaN sigma": (_with(sigma=np.float64(np.nan)), "sigma"),
    "two values of tau": (_with(tau=np.array([100.0, 50.0])), "tau"),
    "self-connections in W_rec": (_with(W_rec=_diagonal("W_rec")), "W_rec"),
    "self-connections in W_rec_init": (_with(W_rec_init=_diagonal("W_rec_init")), "W_rec_init"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_naming_file_and_field(tmp_path, perception, case):
    arrays, field = BAD_FILES[case]
    path = save(tmp_path / "net.npz", arrays)
    with pytest.raises(ExternalNetworkError) as err:
        read_external_network(path, perception)
    message = str(err.value)
    assert str(path) in message and field in message, message


def test_a_file_that_is_no_npz_of_plain_arrays_is_refused_naming_it(tmp_path, perception):
    missing = tmp_path / "missing.npz"
    with pytest.raises(ExternalNetworkError, match="missing.npz: no such file"):
        read_external_network(missing, perception)
    text = tmp_path / "text.npz"
    text.write_text("W_rec = [[0, 1], [1, 0]]")
    with pytest.raises(ExternalNetworkError, match="text.npz: not a readable npz"):
        read_external_network(text, perception)
    pickled = tmp_path / "pickled.npz"
    arrays = network_arrays()
    arrays["W_in"] = np.array([{"weights": 1}], dtype=object)
    np.savez(pickled, **arrays)
    with pytest.raises(ExternalNetworkError, match="pickled.npz: not a readable npz"):
        read_external_network(pickled, perception)


def test_a_changed_file_is_read_again(tmp_path, perception):
    path = save(tmp_path / "a.npz", network_arrays(seed=1))
    read_external_network(path, perception)
    changed = network_arrays(seed=2)
    changed["dt"] = np.float64(5.0)
    save(path, changed)
    assert read_external_network(path, perception).dt == 5.0


# --- the config section -----------------------------------------------------------------------

def _config(full_config, tmp_path, monkeypatch, section):
    """full_config with ``section`` as external_networks, paths relative to tmp_path."""
    monkeypatch.chdir(tmp_path)
    return dict(copy.deepcopy(full_config), external_networks=section)


def test_a_section_becomes_networks_named_in_order(full_config, tmp_path, monkeypatch):
    save(tmp_path / "a.npz", network_arrays(12))
    save(tmp_path / "b.npz", network_arrays(16, dt=20.0, seed=3))
    save(tmp_path / "c.npz", network_arrays(10, initial=False))
    config = _config(full_config, tmp_path, monkeypatch, {
        "mine": {"task": "perception", "files": ["a.npz", "b.npz"]},
        "theirs": {"task": "perception", "files": ["c.npz"]},
    })
    check_config(config)
    found = external_networks(config)
    assert [(r.label, r.net, r.file, r.n_units) for rs in found.values() for r in rs] == [
        ("mine", "net00", "a.npz", 12), ("mine", "net01", "b.npz", 16),
        ("theirs", "net00", "c.npz", 10)]
    b, c = found["mine"][1], found["theirs"][0]
    assert b.states == ("untrained", "trained") and c.states == ("trained",)
    settings = b.settings(config)
    assert settings["tasks"] == {"mine": dict(config["tasks"]["perception"], n_units=16)}
    assert settings["model"]["dt_ms"] == 20.0 and config["model"]["dt_ms"] == 10
    provenance = b.provenance(config)
    assert provenance["task"] == "mine" and provenance["seed"] == config["first_seed"] + 1
    assert provenance["task_config"]["n_units"] == 16
    assert provenance["external"]["sha256"] == b.sha256 and len(b.sha256) == 64


def test_no_section_means_no_networks(full_config):
    assert external_networks(full_config) == {}
    assert external_networks(dict(full_config, external_networks=None)) == {}


def _refused(config, *named):
    with pytest.raises(ConfigError) as err:
        check_config(config)
    message = str(err.value)
    for text in named:
        assert text in message, message
    return message


def test_a_bad_section_is_refused_naming_its_key(full_config, tmp_path, monkeypatch):
    save(tmp_path / "a.npz", network_arrays(12))
    save(tmp_path / "b.npz", network_arrays(12, initial=False))
    save(tmp_path / "two_inputs.npz", network_arrays(12, n_inputs=2))
    save(tmp_path / "small.npz", network_arrays(2))

    def config(section):
        return _config(full_config, tmp_path, monkeypatch, section)

    _refused(config({"perception": {"task": "perception", "files": ["a.npz"]}}),
             "external_networks.perception", "configured task")
    _refused(config({"tables": {"task": "perception", "files": ["a.npz"]}}),
             "external_networks.tables", "results/")
    _refused(config({"mine": {"task": "perceptoin", "files": ["a.npz"]}}),
             "external_networks.mine.task", "perceptoin")
    _refused(config({"mine": {"task": "decision", "files": ["a.npz"]}}),
             "external_networks.mine.files[0]", "a.npz", "W_in")
    _refused(config({"mine": {"task": "perception", "files": ["a.npz", "two_inputs.npz"]}}),
             "external_networks.mine.files[1]", "two_inputs.npz", "W_in")
    _refused(config({"mine": {"task": "perception", "files": ["a.npz", "gone.npz"]}}),
             "external_networks.mine.files[1]", "gone.npz")
    _refused(config({"mine": {"task": "perception", "files": ["a.npz", "b.npz"]}}),
             "external_networks.mine.files[1]", "b.npz", "W_rec_init", "separate labels")
    _refused(config({"mine": {"task": "perception", "files": ["small.npz"]}}),
             "external_networks.mine.files[0]", "small.npz", "W_rec", "latent.d")


def test_the_limits_in_steps_use_the_networks_own_dt(full_config, tmp_path, monkeypatch):
    trial_ms = full_config["tasks"]["perception"]["trial_ms"]
    arrays = network_arrays(12)
    arrays["dt"], arrays["tau"] = np.float64(0.6 * trial_ms), np.float64(10.0 * trial_ms)
    save(tmp_path / "coarse.npz", arrays)
    config = _config(full_config, tmp_path, monkeypatch,
                     {"mine": {"task": "perception", "files": ["coarse.npz"]}})
    _refused(config, "external_networks.mine.files[0]", "coarse.npz",
             "tasks.perception.trial_ms", "the network's dt")


def test_an_external_network_too_large_for_a_job_is_refused(full_config, tmp_path, monkeypatch):
    save(tmp_path / "big.npz", network_arrays(1024))
    config = _config(full_config, tmp_path, monkeypatch,
                     {"mine": {"task": "perception", "files": ["big.npz"]}})
    # room for every job of the configured tasks, not for the latent fits of 1024 units
    limit = largest_job(full_config)[2]
    _refused_limit = pytest.raises(ConfigError, match=r"files\[0\] \(big.npz\): a \w+ job")
    with _refused_limit:
        check_config(config, memory_limit_mb=limit)
    check_config(full_config, memory_limit_mb=limit)


def test_the_config_checker_names_a_bad_file(tmp_path, capsys, monkeypatch):
    """`python -m rnn_hypotheses.config` checks the files as the workflow does."""
    from rnn_hypotheses.config import main

    bad = network_arrays(12)
    bad["W_out"] = bad["W_out"].T
    save(tmp_path / "bad.npz", bad)
    save(tmp_path / "good.npz", network_arrays(12))
    extra = tmp_path / "mine.yaml"
    monkeypatch.chdir(ROOT)  # the checker reads config.yaml and the schema from here
    for name, status in (("good.npz", 0), ("bad.npz", 1)):
        extra.write_text(yaml.safe_dump({"external_networks": {
            "mine": {"task": "perception", "files": [str(tmp_path / name)]}}}))
        assert main([str(extra)]) == status
    error = capsys.readouterr().err
    assert "external_networks.mine.files[0]" in error and "bad.npz: field W_out" in error
    assert "Traceback" not in error


# --- the table --------------------------------------------------------------------------------

def test_the_table_says_what_ran_and_compares_with_the_task(full_config, tmp_path, monkeypatch):
    save(tmp_path / "a.npz", network_arrays(12))
    save(tmp_path / "b.npz", network_arrays(10, initial=False))
    config = _config(full_config, tmp_path, monkeypatch, {
        "full": {"task": "perception", "files": ["a.npz"]},
        "trained": {"task": "perception", "files": ["b.npz"]},
    })
    externals = external_networks(config)
    networks = [("full", "net00"), ("trained", "net00"), ("perception", "net00"),
                ("perception", "net01"), ("perception", "net02")]
    both = [key for key in networks if key != ("trained", "net00")]

    def frame(keys, **columns):
        return pd.DataFrame({"task": [t for t, _ in keys], "net": [n for _, n in keys],
                             **columns})

    trained = frame(networks, mean_weight=[0.1, 0.2, 1.0, 2.0, 6.0], spectral_radius=1.0,
                    henrici=0.5)
    performance = frame(networks, error=0.01, sign_accuracy=np.nan,
                        meets_criterion=[True, False, True, False, True])
    latent = frame(networks, pi=[1.0, 2.0, 3.0, 4.0, 5.0], pca_pi=0.5, readout_dca=80.0,
                   n_active=10)
    slow = frame(networks, stable=1.0, saddle=0.0, fixed=1.0, slowest_rate=-5.0)
    # latent change: one row per dimension
    change = pd.concat([frame(both, angle_dca=[10.0, 20.0, 30.0, 40.0]),
                        frame(both, angle_dca=[30.0, 40.0, 50.0, 60.0])])
    connectivity = frame(both, dW_relative_norm=0.05)
    numbers = network_numbers(trained, performance, latent, slow, change, connectivity)
    assert list(numbers.columns) == ["task", "net", *NUMBER_COLUMNS]

    table = external_table(numbers, externals, config)
    assert list(table["row"]) == ["external", "external", "reference"]
    assert list(table["label"]) == ["full", "trained", "perception"]
    full, only_trained, reference = (table.iloc[k] for k in range(3))
    assert full["W_rec_init"] == "given" and only_trained["W_rec_init"] == "absent"
    assert "latent change" in full["analyses_run"]
    assert "no W_rec_init" not in full["analyses_skipped"]
    assert "latent change" not in only_trained["analyses_run"]
    assert "latent change" in only_trained["analyses_skipped"]
    assert "no W_rec_init" in only_trained["analyses_skipped"]
    for row in (full, only_trained):
        assert "no history or snapshots" in row["analyses_skipped"]
    assert full["latent_change_dca"] == 20.0 and math.isnan(only_trained["latent_change_dca"])
    assert only_trained["dca_pi"] == 2.0 and only_trained["meets_criterion"] == 0.0
    # the reference: the median of the task's networks, and the share meeting the criterion
    assert reference["net"] == "median of 3" and reference["mean_weight"] == 2.0
    assert reference["meets_criterion"] == pytest.approx(2 / 3)
    # the networks' mean angles are 30, 40 and 50 degrees
    assert reference["latent_change_dca"] == 40.0
    assert reference["n_units"] == full_config["tasks"]["perception"]["n_units"]


# --- the workflow -----------------------------------------------------------------------------

# the smoke config's perception task; one network of it, the reference of the table
EXTERNAL_RUN = {"networks_per_task": 1}


@pytest.mark.workflow
def test_the_workflow_analyses_external_networks_in_the_states_they_have(tmp_path):
    """Two networks exported to npz, one with W_rec_init and one without (and with another
    dt), analysed by the smoke workflow up to the external_networks table; a bad file
    stops the workflow before any job, naming it."""
    nets = tmp_path / "exported"
    nets.mkdir()
    full_arrays = network_arrays(16, seed=5)
    trained_arrays = network_arrays(12, initial=False, seed=6, dt=20.0)
    save(nets / "full.npz", full_arrays)
    save(nets / "trained.npz", trained_arrays)
    extra = tmp_path / "external.yaml"
    extra.write_text(yaml.safe_dump({**EXTERNAL_RUN, "external_networks": {
        "ext_full": {"task": "perception", "files": ["exported/full.npz"]},
        "ext_trained": {"task": "perception", "files": ["exported/trained.npz"]},
    }}))
    snakemake(tmp_path, "--cores", "2", "results/tables/external_networks.parquet",
              configs=[extra])
    results = tmp_path / "results"

    # imported as the project's networks, the file's weights unchanged
    full = artifacts.read_network(results / "ext_full/net00/network.npz")
    np.testing.assert_array_equal(full.W_rec, full_arrays["W_rec"].astype(np.float32))
    np.testing.assert_array_equal(full.W_rec_init,
                                  full_arrays["W_rec_init"].astype(np.float32))
    only_trained = artifacts.read_network(results / "ext_trained/net00/network.npz")
    assert only_trained.meta["W_rec_init_given"] is False and only_trained.dt == 20.0
    assert only_trained.meta["source"] == "exported/trained.npz"

    trained_state = ["eval.parquet", "sim_trained.npz", "latent_trained.parquet",
                     "latent_trained.npz", "slowpoints_trained.parquet",
                     "slowpoint_conditions_trained.parquet"]
    untrained_state = ["sim_untrained.npz", "latent_untrained.parquet",
                       "slowpoints_untrained.parquet", "latent_change.parquet",
                       "connectivity.parquet", "low_rank.parquet"]
    for name in trained_state:
        assert (results / "ext_full/net00" / name).is_file(), name
        assert (results / "ext_trained/net00" / name).is_file(), name
    for name in untrained_state:
        assert (results / "ext_full/net00" / name).is_file(), name
        assert not (results / "ext_trained/net00" / name).exists(), name
    for label in ("ext_full", "ext_trained"):
        for name in ("history.parquet", "snapshots.npz", "nonnormality.parquet"):
            assert not (results / label / "net00" / name).exists(), (label, name)
    # the analyses ran at the network's own dt, and say which file they came from
    simulation = artifacts.read_npz(results / "ext_trained/net00/sim_trained.npz")
    assert np.allclose(np.diff(simulation["time_ms"]), 20.0)
    assert artifacts.npz_config(simulation)["external"]["file"] == "exported/trained.npz"

    table = artifacts.read_parquet(results / "tables/external_networks.parquet")
    assert list(zip(table["label"], table["net"], strict=True)) == [
        ("ext_full", "net00"), ("ext_trained", "net00"), ("perception", "median of 1")]
    assert list(table["W_rec_init"]) == ["given", "absent", "trained here"]
    assert list(table["n_units"]) == [16, 12, 16]
    assert "no W_rec_init" in table["analyses_skipped"].iloc[1]
    assert "no W_rec_init" not in table["analyses_skipped"].iloc[0]
    for column in ("dca_pi", "readout_dca", "stable", "spectral_radius", "error"):
        assert table[column].notna().all(), column
    assert table["latent_change_dca"].notna().tolist() == [True, False, True]
    assert (results / "tables/external_networks.md").read_text().count("| ext_") == 2
    assert "ext_trained" in (results / "tables/external_networks.html").read_text()

    # a bad file: refused before any job, naming its key, file and field
    bad = network_arrays(12)
    bad["W_in"] = bad["W_in"].T
    save(nets / "bad.npz", bad)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "exported").symlink_to(nets)
    extra.write_text(yaml.safe_dump({**EXTERNAL_RUN, "external_networks": {
        "ext_bad": {"task": "perception", "files": ["exported/full.npz", "exported/bad.npz"]},
    }}))
    run = snakemake(fresh, "--cores", "2", "results/tables/external_networks.parquet",
                    configs=[extra], check=False)
    output = run.stdout + run.stderr
    assert run.returncode != 0
    assert "external_networks.ext_bad.files[1]" in output and "exported/bad.npz" in output
    assert "field W_in" in output
    assert not (fresh / "results").exists()
