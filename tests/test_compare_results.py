"""benchmarks/compare_results.py: the check that a refactor left the science bitwise alone."""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd

from rnn_hypotheses import artifacts

from .conftest import ROOT

spec = importlib.util.spec_from_file_location("compare_results",
                                              ROOT / "benchmarks/compare_results.py")
compare_results = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_results)


def write_results(root, *, value=1.0, seconds=0.5, config=None, with_log=""):
    artifacts.write_npz(root / "decision/net00/sim_trained.npz",
                        {"r": np.array([[0.0, np.nan], [value, 2.0]], np.float32)}, config)
    artifacts.write_parquet(root / "decision/net00/pi_theta_trained.parquet",
                            pd.DataFrame({"pi": [value, 3.0], "seconds": [seconds, 1.0]}), config)
    (root / "logs").mkdir(parents=True, exist_ok=True)
    (root / "logs/train.log").write_text(with_log)


def test_identical_results_and_timing_differences_pass(tmp_path):
    write_results(tmp_path / "a", config={"latent": {"d": 3}})
    write_results(tmp_path / "b", seconds=9.0, config={"latent": {"d": 3}}, with_log="other")
    count, report = compare_results.compare(tmp_path / "a", tmp_path / "b")
    assert (count, report) == (2, [])  # NaN equals NaN; logs and seconds are left out


def test_a_changed_bit_or_stored_config_is_reported(tmp_path):
    write_results(tmp_path / "a", config={"latent": {"d": 3}})
    write_results(tmp_path / "b", value=np.nextafter(np.float32(1.0), np.float32(2.0)),
                  config={"latent": {"d": 2}})
    _, report = compare_results.compare(tmp_path / "a", tmp_path / "b")
    assert "decision/net00/sim_trained.npz: r: values differ" in report
    assert "decision/net00/pi_theta_trained.parquet: values differ in ['pi']" in report
    assert "decision/net00/sim_trained.npz: stored config differs" in report
    _, values_only = compare_results.compare(tmp_path / "a", tmp_path / "b", values_only=True)
    assert not any("stored config" in line for line in values_only) and len(values_only) == 2
