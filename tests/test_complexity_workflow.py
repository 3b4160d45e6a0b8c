"""The complexity sweep (config/complexity.yaml) through the whole workflow, at smoke size."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.stats import VERDICTS

from .conftest import ROOT, snakemake

pytestmark = pytest.mark.workflow
SWEEP = [ROOT / "config/complexity.yaml", ROOT / "tests/config/complexity_smoke.yaml"]
SWEPT = {"distance1": ("distance", 1), "distance2": ("distance", 2),
         "farther1": ("farther", 1), "farther2": ("farther", 2)}
# only what the tests read: the sweep's tables, the hypotheses table (and so every claims
# table, every network's stages) and Figure S6; the other figures draw any task alike and
# are drawn end to end on the smoke config
TARGETS = [
    *(f"results/tables/{name}.parquet" for name in (
        "complexity", "complexity_counts", "complexity_claims", "complexity_oscillation",
        "complexity_tasks", "slow_point_networks", "slow_point_claims", "hypotheses")),
    *(f"results/figures/figS6_complexity.{suffix}" for suffix in ("pdf", "png")),
]


@pytest.fixture(scope="module")
def sweep_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("complexity")
    snakemake(workdir, "--cores", "2", *TARGETS, configs=SWEEP)
    return workdir


def test_only_the_selected_tasks_run(sweep_run):
    results = sweep_run / "results"
    assert not (results / "perception").exists() and not (results / "decision").exists()
    for task in [*SWEPT, "sine_generator"]:
        for net in ("net00", "net01"):
            assert (results / task / net / "slowpoints_trained.parquet").exists()


def test_growth_table_fits_every_family_quantity_and_state(sweep_run):
    growth = artifacts.read_parquet(sweep_run / "results/tables/complexity.parquet")
    assert len(growth) == 2 * 4 * 2  # families, quantities, states
    assert set(growth["family"]) == {"distance", "farther"}
    assert set(growth["dimensions"]) == {"1, 2"}
    assert (growth["networks"] == 4).all()
    assert set(growth["model"]) <= {"linear", "exponential"}
    assert (growth["rate_low"] <= growth["rate"] + 1e-12).all()
    assert (growth["rate"] <= growth["rate_high"] + 1e-12).all()


def test_counts_per_dimension_are_the_networks_means(sweep_run):
    tables = sweep_run / "results/tables"
    networks = artifacts.read_parquet(tables / "slow_point_networks.parquet")
    counts = artifacts.read_parquet(tables / "complexity_counts.parquet")
    for _, row in counts.iterrows():
        values = networks.loc[(networks["task"] == row["task"])
                              & (networks["state"] == row["state"]), row["quantity"]]
        assert row["mean"] == pytest.approx(values.mean())
        assert SWEPT[row["task"]] == (row["family"], row["dimension"])


def test_growth_claims_join_the_hypotheses_table(sweep_run):
    tables = sweep_run / "results/tables"
    claims = artifacts.read_parquet(tables / "complexity_claims.parquet")
    assert set(claims["key"]) == {f"complexity_{q}_grows"
                                  for q in ("fixed", "stable", "saddle", "slow")}
    assert set(claims["task"]) == {"distance2 vs distance1", "farther2 vs farther1"}
    assert set(claims["verdict"]) <= set(VERDICTS)
    hypotheses = artifacts.read_parquet(tables / "hypotheses.parquet")
    assert set(claims["claim"]) <= set(hypotheses["claim"])
    # the between claims compare each family's consecutive dimensions
    slow = artifacts.read_parquet(tables / "slow_point_claims.parquet")
    pairs = set(slow.loc[slow["key"] == "slow_more_fixed_points_decision", "task"])
    assert pairs == {"distance2 vs distance1", "farther2 vs farther1"}


def test_sine_generator_rotation_is_measured_at_each_input(sweep_run):
    tables = sweep_run / "results/tables"
    rotation = artifacts.read_parquet(tables / "complexity_oscillation.parquet")
    assert set(rotation["task"]) == {"sine_generator"}
    # 3 analysed levels per network and state, where an exact fixed point was found
    per_network = rotation.groupby(["net", "state"]).size()
    assert (per_network <= 3).all() and len(per_network) == 4
    assert np.allclose(rotation["ratio"], rotation["rotation_hz"] / rotation["frequency_hz"])
    assert set(rotation["frequency_hz"]) <= {2.0, 3.0, 4.0}
    summary = artifacts.read_parquet(tables / "complexity_tasks.parquet")
    ratio = summary[summary["quantity"] == "rotation_ratio"]
    assert set(ratio["task"]) == {"sine_generator"} and len(ratio) == 2


def test_figure_s6_is_drawn(sweep_run):
    for suffix in ("pdf", "png"):
        assert (sweep_run / f"results/figures/figS6_complexity.{suffix}").stat().st_size > 10_000
