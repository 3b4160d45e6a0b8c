"""The real Snakemake workflow on tests/config/smoke.yaml, in a temporary directory."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.stats import VERDICTS

from .conftest import ROOT, snakemake

pytestmark = pytest.mark.workflow


def assert_figures_drawn(workdir, names):
    """Each figure's pdf and png exist and hold more than an empty canvas (> 10 kB)."""
    for name in names:
        for suffix in ("pdf", "png"):
            path = workdir / f"results/figures/{name}.{suffix}"
            assert path.stat().st_size > 10_000, path


def test_lint_is_clean():
    run = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"),
                          "--lint"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_one_figure_builds_only_what_it_needs(tmp_path):
    run = snakemake(tmp_path, "results/figures/fig01_task_performance.pdf", "-n")
    assert planned_jobs(run.stdout + run.stderr) == {
        "train": 2, "evaluate": 4, "fig01_task_performance": 1}


# training jobs are per ensemble, each a rule train_<first>_<last> (train.smk)
ENSEMBLE_RULE = re.compile(r"train_net\d+_net\d+$")


def planned_jobs(dry_run_output: str) -> dict[str, int]:
    """The 'Job stats' table of a dry run as {rule: count}; the training rules of all
    ensembles count as one rule `train` (`<module>_train` in a module)."""
    table = dry_run_output.split("Job stats:")[1].split("total")[0]
    rows = [line.split() for line in table.splitlines()[3:] if line.strip()]
    jobs: dict[str, int] = {}
    for rule, count in rows:
        rule = ENSEMBLE_RULE.sub("train", rule)
        jobs[rule] = jobs.get(rule, 0) + int(count)
    return jobs


def test_training_artifacts(smoke_run, smoke_config):
    for task in ("perception", "decision"):
        for net in ("net00", "net01"):
            folder = smoke_run / "results" / task / net
            network = artifacts.read_network(folder / "network.npz")
            assert network.n_units == smoke_config["tasks"][task]["n_units"]
            assert np.all(np.diag(network.W_rec) == 0)
            assert not np.array_equal(network.W_rec, network.W_rec_init)
            history = artifacts.read_history(folder / "history.parquet")
            steps, weights = artifacts.read_snapshots(folder / "snapshots.npz")
            assert history["step"].iloc[-1] == smoke_config["training"]["max_steps"]
            np.testing.assert_array_equal(weights[0], network.W_rec_init)
            np.testing.assert_array_equal(weights[-1], network.W_rec)
            assert list(steps) == list(history.loc[history["snapshot"] >= 0, "step"])
            assert artifacts.parquet_config(folder / "history.parquet")["seed"] == int(net[3:])
            assert not (folder / "checkpoint.npz").exists()
            # one ensemble per task: net00 and net01 trained side by side
            log = (smoke_run / "results/logs/train" / task / "net00_net01.log").read_text()
            assert f"seed {int(net[3:])}: finished at step" in log


def test_task_performance_table_and_figure(smoke_run):
    table = artifacts.read_parquet(smoke_run / "results/tables/task_performance.parquet",
                                   ["task", "net", "error", "meets_criterion"])
    assert sorted(zip(table["task"], table["net"], strict=True)) == [
        ("decision", "net00"), ("decision", "net01"),
        ("perception", "net00"), ("perception", "net01")]
    assert table["error"].notna().all()
    md = (smoke_run / "results/tables/task_performance.md").read_text()
    assert md.count("\n| perception") == 2
    assert_figures_drawn(smoke_run, ["fig01_task_performance"])


def test_rerun_has_nothing_to_do(smoke_run):
    run = snakemake(smoke_run, "-n")
    assert "Nothing to be done" in run.stdout + run.stderr


CONNECTIVITY_FIGURES = ("fig04_mean_weight", "fig07_weight_changes", "fig08_centrality",
                        "figS1_nonnormality", "figS2_low_rank_change")


def test_connectivity_figures(smoke_run):
    assert_figures_drawn(smoke_run, CONNECTIVITY_FIGURES)


def test_connectivity_artifacts_and_claims_table(smoke_run):
    from rnn_hypotheses.analysis.stats import CLAIMS_COLUMNS
    from rnn_hypotheses.analysis.training_change import CLAIMS

    folder = smoke_run / "results/decision/net01"
    low_rank = artifacts.read_parquet(folder / "low_rank.parquet", ["rank", "loss", "truncated"])
    assert list(low_rank.loc[low_rank["truncated"], "rank"]) == [*range(11), 24]
    nodes = artifacts.read_parquet(folder / "centrality.parquet", ["initial", "final"])
    assert len(nodes) == 24 and (nodes["measure"] == "eigenvector").all()
    steps, _ = artifacts.read_snapshots(folder / "snapshots.npz")
    nonnormality = artifacts.read_parquet(folder / "nonnormality.parquet", ["step", "henrici"])
    assert list(nonnormality["step"]) == list(steps)

    table = artifacts.read_parquet(smoke_run / "results/tables/connectivity_claims.parquet",
                                   CLAIMS_COLUMNS)
    n_tasks = 2
    assert len(table) == sum(1 if c.kind == "between" else n_tasks for c in CLAIMS)
    assert table["claim"].is_unique
    assert set(table["verdict"]) <= set(VERDICTS)
    assert (table["n"] > 0).all()
    md = (smoke_run / "results/tables/connectivity_claims.md").read_text()
    assert md.count("\n| ") == len(table) + 1  # header and one line per claim


def test_one_connectivity_figure_builds_only_what_it_needs(tmp_path):
    run = snakemake(tmp_path, "results/figures/figS1_nonnormality.png", "-n")
    assert planned_jobs(run.stdout + run.stderr) == {
        "train": 2, "connectivity": 4, "figS1_nonnormality": 1}


LATENT_FIGURES = ("fig02_decision_latent", "fig03_perception_latent", "fig05_leaky_relu",
                  "fig06_pi_vs_nonlinearity", "fig09_subspace_pre_post",
                  "fig10_subspace_conditions", "fig11_readout_angles", "figS3_dca_uniqueness")


def test_latent_figures(smoke_run):
    assert_figures_drawn(smoke_run, LATENT_FIGURES)


def test_latent_fits_use_the_stationary_part_and_the_sensitivity_reruns_the_claims(
        smoke_run, smoke_config):
    """The fits start latent.drop_ms after the input's onset, on the held trials only; each
    other sensitivity drop reruns the latent claims, and the table stacks them."""
    from rnn_hypotheses.analysis.latent import LATENT_CLAIMS

    cfg = smoke_config["latent"]
    folder = smoke_run / "results/perception/net00"
    summary = artifacts.read_parquet(folder / "latent_trained.parquet",
                                     ["analysed_from_ms", "fit_trials", "ridge_relative"])
    dt = smoke_config["model"]["dt_ms"]
    assert summary["analysed_from_ms"].iloc[0] == cfg["drop_ms"] + dt
    simulation = artifacts.read_npz(folder / "sim_trained.npz", ["kind"])
    assert summary["fit_trials"].iloc[0] == (simulation["kind"] == "held").sum()
    assert summary["ridge_relative"].iloc[0] >= 0
    # every drop is rerun, the main one too, so that the drops differ in nothing else
    for drop in cfg["sensitivity_drop_ms"]:
        rerun = artifacts.read_parquet(
            folder / f"sensitivity/drop{drop}/latent_trained.parquet", ["analysed_from_ms"])
        assert rerun["analysed_from_ms"].iloc[0] == drop + dt
    table = artifacts.read_parquet(smoke_run / "results/tables/latent_sensitivity.parquet",
                                   ["drop_ms", "main", "key", "verdict", "window_dependent"])
    assert sorted(table["drop_ms"].unique()) == sorted(map(float, cfg["sensitivity_drop_ms"]))
    per_drop = len(table) // len(cfg["sensitivity_drop_ms"])
    assert per_drop == 2 * sum(max(1, len(c.states)) for c in LATENT_CLAIMS)
    assert set(table.loc[table["main"], "drop_ms"]) == {float(cfg["drop_ms"])}
    claims = artifacts.read_parquet(smoke_run / "results/tables/latent_claims.parquet")
    main = table[table["main"]]
    assert main[["key", "task", "state"]].values.tolist() == (
        claims[["key", "task", "state"]].values.tolist())
    assert_figures_drawn(smoke_run, ["figS7_latent_sensitivity"])


def test_latent_artifacts_and_claims_table(smoke_run, smoke_config):
    from rnn_hypotheses.analysis.latent import LATENT_CLAIMS
    from rnn_hypotheses.analysis.stats import CLAIMS_COLUMNS

    cfg = smoke_config["latent"]
    folder = smoke_run / "results/decision/net01"
    n_units = smoke_config["tasks"]["decision"]["n_units"]
    for state in ("untrained", "trained"):
        arrays = artifacts.read_npz(folder / f"latent_{state}.npz", ["coef", "pca", "active"])
        assert arrays["coef"].shape == (n_units, cfg["d"])
        np.testing.assert_allclose(arrays["coef"].T @ arrays["coef"], np.eye(cfg["d"]),
                                   atol=1e-8)
        assert np.all(arrays["coef"][~arrays["active"]] == 0)  # silent units carry no loading
        summary = artifacts.read_parquet(folder / f"latent_{state}.parquet",
                                         ["pi", "readout_dca", "readout_pca", "unique_share"])
        assert len(summary) == 1 and 0 <= summary["readout_dca"].iloc[0] <= 90
        restarts = artifacts.read_parquet(folder / f"dca_restarts_{state}.parquet",
                                          ["pi_gap", "max_angle"])
        assert len(restarts) == cfg["n_init"] and restarts["best"].sum() == 1
        pi_theta = artifacts.read_parquet(folder / f"pi_theta_{state}.parquet", ["theta", "pi"])
        assert len(pi_theta) == cfg["n_thetas"]
        assert pi_theta["theta"].iloc[-1] == pytest.approx(np.pi / 4)
        # theta = 0 is the simulation itself, whose best subspace is the state's
        assert pi_theta["pi"].iloc[0] == pytest.approx(summary["pi"].iloc[0])
        assert (restarts["pi_gap"] >= -1e-9).all()
    change = artifacts.read_parquet(folder / "latent_change.parquet", ["dim", "angle_dca"])
    assert change["dim"].tolist() == list(range(1, cfg["d"] + 1))

    table = artifacts.read_parquet(smoke_run / "results/tables/latent_claims.parquet",
                                   CLAIMS_COLUMNS)
    n_tasks = 2
    # one row per claim and task, or per claim, task and state
    assert len(table) == n_tasks * sum(max(1, len(c.states)) for c in LATENT_CLAIMS)
    assert table["claim"].is_unique
    assert set(table["verdict"]) <= set(VERDICTS)
    # every network is tested, or counted in the notes as not measurable
    left_out = table["notes"].str.extract(r"not measurable in (\d+) of", expand=False)
    assert (table["n"] + left_out.astype(float).fillna(0).astype(int)
            == smoke_config["networks_per_task"]).all()
    md = (smoke_run / "results/tables/latent_claims.md").read_text()
    assert md.count("\n| ") == len(table) + 1  # header and one line per claim


def test_one_latent_figure_builds_only_what_it_needs(tmp_path):
    run = snakemake(tmp_path, "results/figures/fig06_pi_vs_nonlinearity.pdf", "-n")
    assert planned_jobs(run.stdout + run.stderr) == {
        "train": 2, "simulate": 4, "latent": 4, "fig06_pi_vs_nonlinearity": 1}


def test_hypotheses_table_holds_every_claim_and_hypothesis(smoke_run):
    from rnn_hypotheses.analysis.stats import CLAIMS_COLUMNS
    from rnn_hypotheses.hypotheses import HYPOTHESES

    tables = smoke_run / "results/tables"
    # every claims table of the run: the report's three and the open questions' four
    paths = sorted(tables.glob("*_claims.parquet"))
    assert {p.stem for p in paths} >= {
        "connectivity_claims", "latent_claims", "slow_point_claims", "topology_claims",
        "linear_model_claims", "predictive_information_claims"}
    claims = pd.concat([artifacts.read_parquet(path, CLAIMS_COLUMNS) for path in paths])
    table = artifacts.read_parquet(tables / "hypotheses.parquet",
                                   ["row", "hypothesis", "source", *CLAIMS_COLUMNS])
    rows = table[table["row"] == "claim"]
    assert sorted(rows["claim"]) == sorted(claims["claim"])
    hypotheses = table[table["row"] == "hypothesis"]
    assert list(hypotheses["claim"]) == [h.text for h in HYPOTHESES]
    assert table["verdict"].notna().all() and (table["verdict"].str.strip() != "").all()
    # a plain run reruns no variant
    assert not any(c.startswith("verdict_") for c in table.columns)
    assert not (smoke_run / "results/robustness").exists()
    md = (tables / "hypotheses.md").read_text()
    assert md.count("\n| ") == len(table) + 1  # header and one line per row
    page = (tables / "hypotheses.html").read_text()
    assert page.count('<tr class="hypothesis">') == len(HYPOTHESES)


def test_reproducibility_record_holds_this_interpreters_versions(smoke_run):
    import importlib.metadata
    import os
    import platform

    from rnn_hypotheses.provenance import tensorflow_gpus

    record = artifacts.read_parquet(smoke_run / "results/tables/reproducibility.parquet",
                                    ["section", "key", "value", "seconds"])
    values = {(s, k): v for s, k, v in zip(record["section"], record["key"], record["value"],
                                          strict=True)}
    # the workflow ran under this test's interpreter
    assert values[("package", "python")] == platform.python_version()
    assert values[("package", "numpy")] == np.__version__
    assert values[("package", "snakemake")] == importlib.metadata.version("snakemake")
    assert values[("package", "pandas")] == pd.__version__
    assert values[("config", "networks_per_task")] == "2"
    assert values[("seed", "decision networks")] == "2 networks, seeds 0, 1"
    # the GPUs TensorFlow sees on this machine, as machine() joins them
    assert values[("machine", "gpus")] == (", ".join(tensorflow_gpus()) or "none")
    assert values[("machine", "cores")] == str(os.cpu_count())
    stages = record[record["section"] == "stage wall time"].set_index("key")["seconds"]
    for stage in ("train", "simulate", "latent", "connectivity", "latent_claims", "hypotheses",
                  "all stages", "elapsed"):
        assert stages[stage] > 0, stage
    md = (smoke_run / "results/tables/reproducibility.md").read_text()
    assert "## stage wall time" in md and "## package" in md


def test_html_report_builds(smoke_run):
    report = smoke_run / "report.html"
    snakemake(smoke_run, "--report", str(report))
    page = report.read_text()
    # the verdicts come first, the record last, the figures by the report's sections between
    for category in ("1 Hypotheses and verdicts", "3 Network performance",
                     "5.1 Increasing nonlinearity", "7 Reproducibility"):
        assert category in page, category
    for name in ("fig01_task_performance", *CONNECTIVITY_FIGURES, *LATENT_FIGURES,
                 "hypotheses", "reproducibility"):
        assert f"{name}." in page, name


def test_robustness_reruns_only_when_asked(tmp_path):
    robustness = ROOT / "config/robustness.yaml"
    run = snakemake(tmp_path, "-n", configs=[robustness])
    out = run.stdout + run.stderr
    jobs = planned_jobs(out)
    for variant in ("seeds100", "g0_8", "g1_2", "l1_0_01"):
        assert jobs[f"robustness_{variant}_train"] == 2
        assert jobs[f"robustness_{variant}_latent_claims"] == 1
        assert jobs[f"robustness_{variant}_connectivity_claims"] == 1
        assert jobs[f"robustness_{variant}_slow_points_table"] == 1
        # a variant builds its claims tables and checks its networks learnt, but draws nothing
        assert jobs[f"robustness_{variant}_task_performance"] == 1
        assert not any(rule.startswith(f"robustness_{variant}_fig") for rule in jobs)
    # each variant's files live under results/robustness/<variant>/
    assert "results/robustness/g1.2/tables/latent_claims.parquet" in out
    assert "results/robustness/seeds100/decision/net01/network.npz" in out
    gain_run = snakemake(tmp_path, "-n", "robustness_gain", configs=[robustness])
    gain = planned_jobs(gain_run.stdout + gain_run.stderr)
    assert gain["robustness_gain"] == 1 and gain["robustness_g1_2_train"] == 2
    assert not any("seeds100" in rule for rule in gain) and "train" not in gain
    # the sparse variant's table of weights near zero, beside this run's networks
    assert jobs["sparsity"] == 1 and "results/tables/sparsity.parquet" in out
    assert "sparsity" not in gain


SLOWPOINT_FIGURES = ("figS4_fixed_points", "figS5_slow_point_counts")


def test_slowpoint_figures(smoke_run):
    assert_figures_drawn(smoke_run, SLOWPOINT_FIGURES)


def test_slowpoint_artifacts_and_tables(smoke_run, smoke_config):
    from rnn_hypotheses.analysis.slowpoint_analysis import COUNT_QUANTITIES, slow_point_counts
    from rnn_hypotheses.analysis.stats import CLAIMS_COLUMNS

    cfg = smoke_config["slowpoints"]
    n_units = smoke_config["tasks"]["decision"]["n_units"]
    n_conditions = len(smoke_config["tasks"]["decision"]["fixed_point_inputs"]) + cfg["autonomous"]
    folder = smoke_run / "results/decision/net01"
    for state in ("untrained", "trained"):
        points = artifacts.read_parquet(folder / f"slowpoints_{state}.parquet",
                                        ["condition", "location", "method", "kind", "q",
                                         "n_unstable", "contraction_rate", "expansion_rate",
                                         "n_kink_units", "side_kinds", "n_sides"])
        arrays = artifacts.read_npz(folder / f"slowpoints_{state}.npz",
                                    ["locations", "eigenvalues", "unstable_vectors",
                                     "condition_inputs"])
        assert arrays["locations"].shape == (len(points), n_units)
        assert arrays["condition_inputs"].shape == (n_conditions, 2)
        exact = points[points["method"] == "exact"]
        assert (exact["q"] <= 0.5e-20).all()  # |F| <= 1e-10: exact to rounding
        np.testing.assert_allclose(points["contraction_rate"], -n_units / 100.0)
        conditions = artifacts.read_parquet(folder / f"slowpoint_conditions_{state}.parquet",
                                            ["n_stable", "n_saddle", "n_undetermined",
                                             "n_slow", "n_slow_undetermined",
                                             "scan_share_fixed"])
        assert len(conditions) == n_conditions
        assert (conditions["n_initial_states"] == cfg["n_initial_states"]).all()
        assert (conditions["n_fixed"] >= 1).all()  # a bounded ReLU network has a fixed point
        assert list(conditions["n_fixed"]) == [
            (exact["condition"] == c).sum() for c in conditions["condition"]]
        # every slow point lies on a ReLU kink; undetermined points are counted apart
        assert (points.loc[points["method"] == "slow", "n_kink_units"] >= 1).all()
        assert list(conditions["n_undetermined"]) == [
            ((exact["condition"] == c) & (exact["kind"] == "undetermined")).sum()
            for c in conditions["condition"]]

    counts = artifacts.read_parquet(smoke_run / "results/tables/slow_points.parquet",
                                    ["task", "state", "quantity", "mean", "ci_low", "ci_high"])
    assert len(counts) == 2 * 2 * len(COUNT_QUANTITIES)
    stable = counts[counts["quantity"].str.startswith("stable fixed points per")]
    assert len(stable) == 4 and (stable["mean"] >= 1).all()
    assert (stable["ci_low"] <= stable["mean"]).all()
    assert (stable["mean"] <= stable["ci_high"]).all()
    assert counts["quantity"].str.startswith("saddles per").sum() == 4
    md = (smoke_run / "results/tables/slow_points.md").read_text()
    assert md.count("\n| ") == len(counts) + 1
    # the per-network table is what the counts (and Figure S5) summarise: one row per network
    # and state, and its bootstrap summary is the counts table
    networks = artifacts.read_parquet(smoke_run / "results/tables/slow_point_networks.parquet",
                                      ["task", "net", "state"])
    assert len(networks) == 2 * 2 * 2
    pd.testing.assert_frame_equal(slow_point_counts(networks), counts)

    claims = artifacts.read_parquet(smoke_run / "results/tables/slow_point_claims.parquet",
                                    CLAIMS_COLUMNS)
    assert claims["claim"].is_unique and len(claims) == 3 + 6 * 2
    assert set(claims["verdict"]) <= set(VERDICTS)
    md = (smoke_run / "results/tables/slow_point_claims.md").read_text()
    assert md.count("\n| ") == len(claims) + 1

    # question 5 reads these points; its per-point rows are exactly the stable
    # ones at the task's inputs, and their values those of the network linearised there
    from rnn_hypotheses.analysis.linearised_information import point_information

    info = artifacts.read_parquet(smoke_run / "results/tables/predictive_information.parquet",
                                  ["task", "net", "state", "location", "information"])
    values = artifacts.read_parquet(
        smoke_run / "results/tables/predictive_information_networks.parquet",
        ["task", "net", "state", "information"])
    assert len(values) == 2 * 2 * 2 and (info["information"] > 0).all()
    network = artifacts.read_network(folder / "network.npz")
    lag = smoke_config["questions"]["predictive_information"]["lag_ms"]
    for state in ("untrained", "trained"):
        points = artifacts.read_parquet(folder / f"slowpoints_{state}.parquet")
        arrays = artifacts.read_npz(folder / f"slowpoints_{state}.npz")
        analysed = ~arrays["condition_autonomous"][points["condition"]]
        stable = points[analysed & (((points["method"] == "exact") & (points["kind"] == "stable"))
                                    | ((points["method"] == "slow")
                                       & (points["max_real_eig"] < 0)))]
        mine = info[(info["task"] == "decision") & (info["net"] == "net01")
                    & (info["state"] == state)]
        assert sorted(mine["location"]) == sorted(stable["location"])
        first = mine.iloc[0]
        assert first["information"] == pytest.approx(point_information(
            network.recurrent_weights(state), arrays["patterns"][first["location"]],
            network.tau, lag)["information"])
    claims = artifacts.read_parquet(
        smoke_run / "results/tables/predictive_information_claims.parquet", CLAIMS_COLUMNS)
    assert set(claims["verdict"]) <= set(VERDICTS) and len(claims) == 4


def test_one_slowpoint_figure_builds_only_what_it_needs(tmp_path):
    run = snakemake(tmp_path, "results/figures/figS5_slow_point_counts.png", "-n")
    # Figure S5 draws the per-network statistics and counts that slow_points_table computes
    assert planned_jobs(run.stdout + run.stderr) == {
        "train": 2, "simulate": 4, "slowpoints": 4, "slow_points_table": 1,
        "figS5_slow_point_counts": 1}


# log folder of each per-network rule -> its stage in rnn_hypotheses.resources
RULE_STAGES = {"train": "train", "evaluate": "evaluate", "simulate": "simulate",
               "connectivity": "connectivity", "latent": "latent", "latent_drop": "latent",
               "slowpoints": "slowpoints"}


def peak_memory_mb(log_path) -> float:
    """The peak memory a job wrote as the last line of its log (pipeline.job_log)."""
    return float(re.findall(r"peak memory (\d+) MB", log_path.read_text())[-1])


def test_declared_memory_covers_what_jobs_used(smoke_run, smoke_config):
    """Each job's peak resident memory, from its log, fits the mem_mb its rule declares."""
    from rnn_hypotheses.resources import job_memory_mb

    logs = smoke_run / "results/logs"
    checked = 0
    for rule, stage in RULE_STAGES.items():
        for path in (logs / rule).rglob("*.log"):
            task = path.relative_to(logs / rule).parts[0]
            # a training log is an ensemble's: net00_net01 holds two networks
            networks = path.stem.count("net") if rule == "train" else 1
            declared = job_memory_mb(stage, smoke_config, task, networks)
            assert peak_memory_mb(path) < declared, (path, peak_memory_mb(path), declared)
            checked += 1
    for path in [*(logs / "figures").glob("*.log"), *logs.glob("*.log")]:
        assert peak_memory_mb(path) < job_memory_mb("summary", smoke_config), path
        checked += 1
    # one log per job: 26 per-network jobs (each both states of one network), 24 others
    assert checked >= 50


ALL_FIGURES = ("fig01_task_performance", *CONNECTIVITY_FIGURES, *LATENT_FIGURES,
               *SLOWPOINT_FIGURES)

# The smallest values the schema and check_config accept, at once: one network of two units
# per task, trials of two steps, a 1-D DCA subspace with the shortest window (T = 1) on a
# simulation of three steps, one start everywhere; and a 2-D subspace at smoke size.
EDGE_CONFIGS = {
    "smallest": {
        "networks_per_task": 1,
        "training": {"batch_size": 1, "max_steps": 1, "loss_window": 1, "log_every": 1,
                     "snapshot_every": 1},
        "evaluation": {"n_trials": 1},
        "tasks": {"perception": {"n_units": 2, "trial_ms": 20, "settle_ms": 0,
                                 "switching_trials": 1, "switch_every_ms": 10},
                  "decision": {"n_units": 2, "trial_ms": 20, "settle_ms": 0, "test_grid": 2,
                               "simulation_grid": 2, "fixed_point_inputs": [[0.2, 1.0]]}},
        "simulation": {"duration_ms": 30, "trials_per_condition": 1},
        "connectivity": {"max_rank": 0, "marked_eigenvalues": 0, "top_fraction": 1.0,
                         "energy": 1.0, "loss_trials": 1},
        "latent": {"d": 1, "T": 1, "n_init": 2, "n_thetas": 2, "theta_n_init": 1,
                   "condition_n_init": 1, "steady_ms": 10, "example_nets": 1, "drop_ms": 0,
                   "sensitivity_drop_ms": [0]},
        "slowpoints": {"n_initial_states": 1, "slow_max_iter": 1},
    },
    # a 2-D subspace, and a third task: a second task of kind perception, by another name
    "d2_third_task": {
        "networks_per_task": 1, "latent": {"d": 2, "example_nets": 1},
        "tasks": {"perception_b": {
            "kind": "perception", "n_units": 12, "n_inputs": 1, "input_std": 0.5,
            "trial_ms": 300, "settle_ms": 100, "input_noise_std": 0.02,
            "input_levels": [0.2, 0.6, 1.0], "output_targets": [1.0, 0.6, 0.2],
            "loss_target": 1e-4, "tolerance": 0.05, "switching_trials": 1,
            "switch_every_ms": 100}},
    },
}


@pytest.mark.parametrize("name", sorted(EDGE_CONFIGS))
def test_schema_edge_values_run_end_to_end(tmp_path, name):
    """Every value the schema accepts works through the whole workflow, report included."""
    edge = EDGE_CONFIGS[name]
    config_file = tmp_path / "edge.yaml"
    config_file.write_text(yaml.safe_dump(edge))
    snakemake(tmp_path, "--cores", "2", configs=[config_file])
    assert_figures_drawn(tmp_path, ALL_FIGURES)
    d = edge["latent"]["d"]
    tasks = ["perception", "decision", *edge.get("tasks", {}).keys() - {"perception", "decision"}]
    for task in tasks:
        for state in ("untrained", "trained"):
            latent = artifacts.read_npz(tmp_path / f"results/{task}/net00/latent_{state}.npz",
                                        ["coef"])
            coef = latent["coef"]
            assert coef.shape[1] == d
            np.testing.assert_allclose(coef.T @ coef, np.eye(d), atol=1e-8)
    # one network per task decides no claim: every test needs several
    claims = artifacts.read_parquet(tmp_path / "results/tables/connectivity_claims.parquet",
                                    ["verdict", "key", "task"])
    assert set(claims["verdict"]) == {"inconclusive"}
    if "perception_b" in tasks:
        # the between-kind claim compares decision with each perception-kind task
        between = claims[claims["key"] == "decision_decrease_larger"]
        assert between["task"].tolist() == ["decision vs perception", "decision vs perception_b"]
        performance = artifacts.read_parquet(tmp_path / "results/tables/task_performance.parquet",
                                             ["task", "error"])
        assert performance["task"].tolist() == ["perception", "decision", "perception_b"]
        assert_figures_drawn(tmp_path, ["fig03_perception_b_latent"])
        evaluation = artifacts.read_parquet(
            tmp_path / "results/perception_b/net00/eval.parquet", ["input1", "target"])
        np.testing.assert_allclose(evaluation["target"], [1.0, 0.6, 0.2])
    report = tmp_path / "report.html"
    snakemake(tmp_path, "--report", str(report), configs=[config_file])
    assert "fig02_decision_latent." in report.read_text()


# the rules of LATENT_FIGURES: Figures 2 and 3 are one rule each, over their tasks
LATENT_FIGURE_RULES = {"fig02_latent_isocontours", "fig03_latent_switching",
                       *LATENT_FIGURES[2:]}
# the interactive pages of Figures 2, 3 and S4 (rules/figures.smk) read what their static
# figures read
INTERACTIVE_FIGURE_RULES = {"fig02_latent_isocontours_html", "fig03_latent_switching_html",
                            "figS4_fixed_points_html"}
LATENT_DOWNSTREAM = {"latent", "latent_claims", *LATENT_FIGURE_RULES,
                     "figS4_fixed_points", *INTERACTIVE_FIGURE_RULES, "latent_sensitivity",
                     "figS7_latent_sensitivity", "hypotheses", "reproducibility", "all"}
# latent.d also changes the sensitivity reruns; latent.n_thetas does not (they use its ends)
SENSITIVITY_RERUNS = {"latent_drop", "latent_claims_drop"}
SUMMARIES = {"hypotheses", "reproducibility", "all"}
# question 7's fits and the topology labels (rules/questions.smk) read the fixed points
SLOWPOINT_QUESTIONS = {"linear_models", "linear_models_summary", "topology",
                       "predictive_information"}
# config value -> (rules the change must rerun, with their job counts; rules it may also
# rerun, being downstream of those). Every other rule must stay as it is.
RERUNS = {
    ("model", "sigma", 0.02): ({"train": 2}, None),
    ("tasks", "perception", "n_units", 12): (
        {"train": 1, "evaluate": 2, "simulate": 2, "connectivity": 2, "latent": 2,
         "latent_drop": 2, "slowpoints": 2},
        None),
    # one job per network of each analysis: both states (and every drop) at once
    ("latent", "d", 2): ({"latent": 4, "latent_claims": 1, "latent_drop": 4,
                          "latent_claims_drop": 3},
                         LATENT_DOWNSTREAM | SENSITIVITY_RERUNS),
    ("latent", "n_thetas", 5): ({"latent": 4, "fig06_pi_vs_nonlinearity": 1},
                                LATENT_DOWNSTREAM),
    # the connectivity job also writes what Figures 7, S1 and S2 draw (the same numbers)
    ("connectivity", "centrality", "pagerank"): (
        {"connectivity": 4, "fig08_centrality": 1, "connectivity_claims": 1},
        {"connectivity", "fig07_weight_changes", "fig08_centrality", "figS1_nonnormality",
         "figS2_low_rank_change", "connectivity_claims", *SUMMARIES}),
    # a key of one kind's analyses only: no retraining, no new simulation
    ("tasks", "decision", "fixed_point_inputs", ((0.2, 0.6), (0.6, 0.2))): (
        {"slowpoints": 2, "slow_points_table": 1},
        {"slowpoints", "slow_points_table", "figS4_fixed_points", "figS4_fixed_points_html",
         "figS5_slow_point_counts", *SLOWPOINT_QUESTIONS, *SUMMARIES}),
    # a threshold of a claims table alone: its summary job, nothing per network
    ("questions", "linear_model_claims", "equivalence_margin", 0.05): (
        {"linear_models_summary": 1}, {"linear_models_summary", *SUMMARIES}),
    ("slowpoints", "n_initial_states", 64): (
        {"slowpoints": 4, "slow_points_table": 1},
        {"slowpoints", "slow_points_table", "figS4_fixed_points", "figS4_fixed_points_html",
         "figS5_slow_point_counts", *SLOWPOINT_QUESTIONS, *SUMMARIES}),
}


@pytest.mark.parametrize("change", list(RERUNS), ids=[".".join(map(str, c)) for c in RERUNS])
def test_a_changed_config_value_reruns_what_uses_it(smoke_run, tmp_path, change):
    """Every value a job uses reaches it through params, so Snakemake sees a change."""
    *keys, value = change
    if isinstance(value, tuple):  # a list value, kept hashable in RERUNS
        value = [list(item) for item in value]
    override: dict = {}
    node = override
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value
    config_file = tmp_path / "change.yaml"
    config_file.write_text(yaml.safe_dump(override))
    run = snakemake(smoke_run, "-n", configs=[config_file])
    jobs = planned_jobs(run.stdout + run.stderr)
    must, may = RERUNS[change]
    for rule, count in must.items():
        assert jobs.get(rule) == count, (rule, jobs)
    if may is not None:
        assert set(jobs) <= may, sorted(set(jobs) - may)
    if change[1] == "perception":
        # the other task's networks are untouched
        assert "task=decision" not in run.stdout + run.stderr


CLAIMS_TABLES = ("connectivity_claims", "latent_claims", "slow_point_claims")


def test_ensembles_equal_one_network_per_job(smoke_run, smoke_config, tmp_path):
    """Networks trained in ensembles (the smoke config inherits config.yaml's
    networks_per_job, so each task's two networks train together) are bitwise the
    networks trained one per job, so every claim gets the same verdict."""
    assert smoke_config["training"]["networks_per_job"] > 1
    solo = tmp_path / "solo.yaml"
    solo.write_text("training:\n  networks_per_job: 1\n")
    run = snakemake(tmp_path, "--cores", "2", *(f"results/tables/{name}.parquet"
                                                for name in CLAIMS_TABLES), configs=[solo])
    assert planned_jobs(run.stdout + run.stderr)["train"] == 4  # one job per network
    for task in ("perception", "decision"):
        for net in ("net00", "net01"):
            for name in ("network.npz", "snapshots.npz"):
                alone = artifacts.read_npz(tmp_path / f"results/{task}/{net}/{name}")
                together = artifacts.read_npz(smoke_run / f"results/{task}/{net}/{name}")
                assert alone.keys() == together.keys()
                for key in alone:
                    np.testing.assert_array_equal(together[key], alone[key], err_msg=key)
    for name in CLAIMS_TABLES:
        path = f"results/tables/{name}.parquet"
        alone = artifacts.read_parquet(tmp_path / path, ["claim", "verdict"])
        together = artifacts.read_parquet(smoke_run / path, ["claim", "verdict"])
        assert list(together["claim"]) == list(alone["claim"])
        assert list(together["verdict"]) == list(alone["verdict"]), name


def test_subsample_claims_gather_the_first_networks(smoke_run, tmp_path):
    """`subsamples: [1]` builds the claims tables again from the first network of each task:
    the run's own artifacts, nothing trained or analysed again."""
    config_file = tmp_path / "subsample.yaml"
    config_file.write_text("subsamples: [1]\n")
    targets = [f"results/subsample/n1/tables/{name}.parquet" for name in CLAIMS_TABLES]
    run = snakemake(smoke_run, "--cores", "2", *targets, configs=[config_file])
    assert planned_jobs(run.stdout + run.stderr) == {
        "subsample_n1_connectivity_claims": 1, "subsample_n1_latent_claims": 1,
        "subsample_n1_slow_points_table": 1}
    for name in CLAIMS_TABLES:
        whole = artifacts.read_parquet(smoke_run / f"results/tables/{name}.parquet",
                                       ["claim", "n"])
        first = artifacts.read_parquet(smoke_run / f"results/subsample/n1/tables/{name}.parquet",
                                       ["claim", "n", "verdict"])
        assert list(first["claim"]) == list(whole["claim"]), name
        assert (first["n"] <= whole["n"]).all() and (first["n"] < whole["n"]).any(), name
        # one network per task is no test of a claim
        assert set(first["verdict"]) <= {"not measurable", "inconclusive"}, name
    refused = snakemake(smoke_run, "-n", check=False,
                        configs=[_written(tmp_path / "two.yaml", "subsamples: [2]\n")])
    assert refused.returncode != 0
    assert "subsamples: 2 networks is not a subsample of the 2 of networks_per_task" in (
        refused.stdout + refused.stderr)


def _written(path, text):
    path.write_text(text)
    return path


def test_subsamples_name_networks_as_the_run_does(tmp_path):
    """With over 100 networks they are net000...; the first ten are net000-net009 to the
    subsample's claims rules too."""
    config_file = _written(tmp_path / "many.yaml", "networks_per_task: 101\nsubsamples: [10]\n")
    run = snakemake(tmp_path, "-n", "results/subsample/n10/tables/latent_claims.parquet",
                    configs=[config_file])
    out = run.stdout + run.stderr
    assert planned_jobs(out)["latent"] == 20
    assert "results/decision/net009/latent_trained.parquet" in out
    assert "results/decision/net010/" not in out and "results/decision/net00/" not in out
