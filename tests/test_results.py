"""rnn_hypotheses.results: a run's artifacts as tidy tables, read lazily."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from rnn_hypotheses import artifacts, results
from rnn_hypotheses.network import Network

TASKS = {"perception": 3, "decision": 2}  # task -> units of its networks
# net10 after net2: the order is numeric, not the names' alphabetical one
NETS = ["net2", "net10"]
STATES = ["untrained", "trained"]


def small_network(n_units: int, seed: int) -> Network:
    rng = np.random.default_rng(seed)
    mask = 1.0 - np.eye(n_units)
    W_rec_init = rng.normal(size=(n_units, n_units)) * mask
    return Network(rng.normal(size=(n_units, 1)), rng.normal(size=(1, n_units)),
                   rng.normal(size=n_units), W_rec_init + 0.1 * mask, W_rec_init, mask,
                   10.0, 100.0, 0.01, {"seed": seed})


def history_of(seed: int) -> pd.DataFrame:
    steps = np.arange(0, 10 * (seed % 3 + 2), 10)  # a different length per network
    return pd.DataFrame({"step": steps, "loss": 1.0 / (steps + seed + 1),
                         "mean_weight": 0.01 * seed, "snapshot": np.arange(len(steps))})


def write_run(root):
    """A small results folder as the workflow lays it out, its values unique per file.

    Returns {(name, task, net, state): the frame written}.
    """
    written = {}
    seed = 0
    for task, n_units in TASKS.items():
        for net in NETS:
            seed += 1
            folder = root / task / net
            artifacts.write_network(folder / "network.npz", small_network(n_units, seed))
            for name, frame in (("history", history_of(seed)),
                                ("eval", pd.DataFrame({"input1": [0.5, 0.8],
                                                       "error": [seed, -seed]}))):
                artifacts.write_parquet(folder / f"{name}.parquet", frame)
                written[name, task, net, None] = frame
            for k, state in enumerate(STATES):
                # like the workflow's latent tables, these name their own network and state
                latent = pd.DataFrame({"task": task, "net": net, "state": state,
                                       "pi": [seed + k / 10]})
                artifacts.write_parquet(folder / f"latent_{state}.parquet", latent)
                written["latent", task, net, state] = latent
                rerun = pd.DataFrame({"theta": [0.0, 0.1, 0.2], "pi": seed + k + np.arange(3)})
                artifacts.write_parquet(folder / f"sensitivity/drop300/pi_theta_{state}.parquet",
                                        rerun)
                written["sensitivity/drop300/pi_theta", task, net, state] = rerun
                artifacts.write_npz(folder / f"sim_{state}.npz",
                                    {"r": np.full((4, 2, n_units), seed + k),
                                     "time_ms": np.arange(4) * 10.0})
    performance = pd.DataFrame({"task": ["perception", "decision"], "error": [0.1, 0.2]})
    artifacts.write_table(root / "tables/task_performance", performance)
    artifacts.write_table(root / "tables/sensitivity/latent_claims_drop300",
                          pd.DataFrame({"key": ["a"], "verdict": ["supported"]}))
    artifacts.write_table(root / "subsample/n1/tables/latent_claims",
                          pd.DataFrame({"key": ["b"], "verdict": ["refuted"]}))
    return written


@pytest.fixture
def run_folder(tmp_path):
    root = tmp_path / "results"
    written = write_run(root)
    return root, written


def test_tasks_and_networks_come_from_the_folders(run_folder):
    root, _ = run_folder
    run = results.load(root)
    assert run.tasks == ["decision", "perception"]
    assert run.nets == {"decision": NETS, "perception": NETS}
    assert run.networks.to_dict("list") == {"task": ["decision"] * 2 + ["perception"] * 2,
                                            "net": NETS * 2}


def test_per_network_table_stacks_every_network_in_order(run_folder):
    root, written = run_folder
    history = results.load(root)["history"]
    assert list(history.columns) == ["task", "net", "step", "loss", "mean_weight", "snapshot"]
    order = [(t, n) for t in ("decision", "perception") for n in NETS]
    assert list(history[["task", "net"]].drop_duplicates().itertuples(index=False)) == order
    for task, net in order:
        rows = history[(history.task == task) & (history.net == net)]
        pd.testing.assert_frame_equal(rows.drop(columns=["task", "net"]).reset_index(drop=True),
                                      written["history", task, net, None])


def test_per_state_table_has_a_state_column_and_keeps_untrained_first(run_folder):
    root, written = run_folder
    run = results.load(root)
    latent = run["latent"]
    # the files' own task/net/state columns are checked and moved to the front, not doubled
    assert list(latent.columns) == ["task", "net", "state", "pi"]
    expected = [(t, n, s) for t in ("decision", "perception") for n in NETS for s in STATES]
    assert list(latent[["task", "net", "state"]].itertuples(index=False)) == expected
    assert latent.pi.tolist() == [written["latent", *key]["pi"].item() for key in expected]

    reruns = run.per_network["sensitivity/drop300/pi_theta"]
    assert list(reruns.columns) == ["task", "net", "state", "theta", "pi"]
    first = reruns[(reruns.task == "perception") & (reruns.net == "net10")
                   & (reruns.state == "trained")]
    np.testing.assert_array_equal(
        first.pi, written["sensitivity/drop300/pi_theta", "perception", "net10", "trained"].pi)


def test_summary_tables_by_name_including_subfolders(run_folder):
    root, _ = run_folder
    run = results.load(root)
    # the run's own tables by name, then each subsample's and variant's
    assert list(run.tables) == ["sensitivity/latent_claims_drop300", "task_performance",
                                "subsample/n1/latent_claims"]
    pd.testing.assert_frame_equal(run["task_performance"],
                                  artifacts.read_parquet(root / "tables/task_performance.parquet"))
    assert run.tables["subsample/n1/latent_claims"].verdict.tolist() == ["refuted"]


def test_available_lists_every_name_and_its_files(run_folder):
    root, _ = run_folder
    listing = results.load(root).available().set_index("name")
    tables = listing[listing.kind == "per-network table"]
    assert dict(tables.files) == {"eval": 4, "history": 4, "latent": 8,
                                  "sensitivity/drop300/pi_theta": 8}
    assert tables.states["latent"] == "untrained, trained"
    assert tables.states["eval"] == ""
    arrays = listing[listing.kind == "arrays"]
    assert dict(arrays.files) == {"network": 4, "sim": 8}
    assert set(listing.index[listing.kind == "summary table"]) == {
        "task_performance", "sensitivity/latent_claims_drop300", "subsample/n1/latent_claims"}


def test_arrays_and_network(run_folder):
    root, _ = run_folder
    run = results.load(root)
    sim = run.arrays("decision", "net10", "sim", state="trained")
    # decision's second network is the fourth written (seed 4); its trained file adds 1
    np.testing.assert_array_equal(sim["r"], np.full((4, 2, 2), 5))
    assert run.arrays("decision", "net10", "sim_trained")["r"].shape == (4, 2, 2)
    network = run.network("perception", "net2")
    np.testing.assert_array_equal(network.W_rec_init, small_network(3, 1).W_rec_init)


def test_unknown_names_list_the_valid_ones(run_folder):
    root, _ = run_folder
    run = results.load(root)
    with pytest.raises(KeyError, match="it has: eval, history, latent.*task_performance"):
        run["histories"]
    with pytest.raises(KeyError, match="it has: decision, perception"):
        run.arrays("decisions", "net2", "sim", state="trained")
    with pytest.raises(KeyError, match="it has: net10, net2"):
        run.network("decision", "net3")
    with pytest.raises(KeyError, match="per state; pass state= one of trained, untrained"):
        run.arrays("decision", "net2", "sim")
    with pytest.raises(KeyError, match="it has: network, sim_trained, sim_untrained"):
        run.arrays("decision", "net2", "snapshots")
    with pytest.raises(KeyError, match="it has: none"):
        run.variant("gain_high")
    assert "history" in run.per_network and "histories" not in run.per_network


def test_reads_lazily_and_once(run_folder):
    root, _ = run_folder
    eval_file = root / "decision/net2/eval.parquet"
    eval_file.write_bytes(b"not parquet")
    run = results.load(root)  # neither the broken file nor any other is read
    history = run["history"]
    history.loc[:, "loss"] = -1.0  # a copy: the kept table stays as read
    assert (run["history"].loss > 0).all()
    (root / "decision/net2/history.parquet").unlink()
    assert len(run["history"]) == len(history)  # read once, then kept
    with pytest.raises(artifacts.ArtifactError):
        run["eval"]


def test_a_broken_file_is_named(run_folder):
    root, _ = run_folder
    broken = root / "perception/net10/eval.parquet"
    broken.write_bytes(b"PAR1 truncated")
    with pytest.raises(artifacts.ArtifactError, match=f"{broken}: unreadable parquet"):
        results.load(root)["eval"]


def test_a_history_without_its_loss_is_named(run_folder):
    root, written = run_folder
    path = root / "decision/net10/history.parquet"
    artifacts.write_parquet(path, written["history", "decision", "net10", None]
                            .drop(columns="loss"))
    with pytest.raises(artifacts.ArtifactError, match=f"{path}: missing column.*loss"):
        results.load(root)["history"]


def test_a_table_naming_another_network_is_named(run_folder):
    root, _ = run_folder
    path = root / "decision/net2/latent_trained.parquet"
    artifacts.write_parquet(path, pd.DataFrame({"task": "decision", "net": "net10",
                                                "state": "trained", "pi": [1.0]}))
    with pytest.raises(artifacts.ArtifactError, match=f"{path}: column 'net' holds net10"):
        results.load(root)["latent"]


def test_a_broken_network_is_named(run_folder):
    root, _ = run_folder
    path = root / "decision/net2/network.npz"
    arrays = dict(artifacts.read_npz(path))
    del arrays["W_rec"]
    np.savez(path, **arrays)
    with pytest.raises(artifacts.ArtifactError, match=f"{path}: missing field.*W_rec"):
        results.load(root).network("decision", "net2")


def test_not_a_results_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such results folder"):
        results.load(tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match="neither networks"):
        results.load(tmp_path)


def test_a_robustness_variant_is_a_run_of_its_own(run_folder):
    root, _ = run_folder
    write_run(root / "robustness/gain_high")
    run = results.load(root)
    assert run.tasks == ["decision", "perception"]  # the variant's networks are not the run's
    assert run.variants == ["gain_high"]
    assert "robustness/gain_high/task_performance" in run.tables
    variant = run.variant("gain_high")
    assert variant.nets == run.nets
    pd.testing.assert_frame_equal(variant["history"], run["history"])


def network_files(root, suffix):
    """Every file of ``suffix`` under a network's folder (<task>/<net>/ with a network.npz)."""
    return [path for path in sorted(root.glob(f"*/*/**/*{suffix}"))
            if (root.joinpath(*path.relative_to(root).parts[:2]) / "network.npz").exists()]


@pytest.mark.workflow
def test_every_artifact_of_the_smoke_run_is_reachable(smoke_run):
    root = smoke_run / "results"
    run = results.load(root)
    tables = network_files(root, ".parquet")
    assert tables, "the smoke run wrote no per-network tables"
    rows: dict[str, int] = {}
    for path in tables:
        task, net, *rest = path.relative_to(root).with_suffix("").parts
        stem = "/".join(rest)
        state = next((s for s in STATES if stem.endswith(f"_{s}")), None)
        name = stem[: -len(state) - 1] if state else stem
        table = run.per_network[name]
        mine = (table.task == task) & (table.net == net)
        if state:
            mine &= table.state == state
        assert mine.sum() == pq.read_metadata(path).num_rows, path
        rows[name] = rows.get(name, 0) + mine.sum()
    # every row of every stacked table comes from one of those files, and no table is extra
    assert {name: len(run.per_network[name]) for name in run.per_network} == rows

    # the run's own summaries, and those of any subsample another test built in this
    # shared run (results/subsample/n<n>/tables/, named subsample/n<n>/<name>)
    summaries = {path.relative_to(root / "tables").with_suffix("").as_posix(): path
                 for path in root.glob("tables/**/*.parquet")}
    for path in root.glob("subsample/*/tables/**/*.parquet"):
        folder = path.relative_to(root / "subsample").parts[0]
        inside = path.relative_to(root / "subsample" / folder / "tables").with_suffix("")
        summaries[f"subsample/{folder}/{inside.as_posix()}"] = path
    assert len(run.tables) == len(summaries) > 0
    for name, path in summaries.items():
        assert len(run.tables[name]) == pq.read_metadata(path).num_rows, path

    arrays = network_files(root, ".npz")
    listing = run.available()
    assert listing[listing.kind == "arrays"].files.sum() == len(arrays) > 0
    for path in arrays:
        task, net, *rest = path.relative_to(root).with_suffix("").parts
        stored = artifacts.read_npz(path)
        read = run.arrays(task, net, "/".join(rest))
        assert read.keys() == stored.keys(), path
