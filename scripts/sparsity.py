"""Snakemake entry point: tables/sparsity (rule sparsity).

The share of each network's off-diagonal W_rec driven to (near) zero, in this run and in
every robustness variant whose training has an L1 penalty, with the share at
initialisation for comparison (rnn_hypotheses.analysis.sparsity).
"""

import numpy as np
import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.sparsity import NEAR_ZERO_FRACTION, near_zero_share
from rnn_hypotheses.analysis.stats import bootstrap_ci
from rnn_hypotheses.pipeline import job_log

log = job_log(snakemake.log[0])
params = snakemake.params
per_run = len(params.tasks)
rows = []
for k, (run, l1) in enumerate(zip(params.runs, params.l1, strict=True)):
    paths = snakemake.input[k * per_run:(k + 1) * per_run]
    for path, task, net in zip(paths, params.tasks, params.nets, strict=True):
        network = artifacts.read_network(path)
        rows.append({"run": run, "l1": float(l1), "task": task, "net": net,
                     "near_zero": near_zero_share(network.W_rec, network.W_rec_init),
                     "near_zero_initial": near_zero_share(network.W_rec_init,
                                                          network.W_rec_init),
                     "steps": int(network.meta["steps"])})
per_network = pd.DataFrame(rows)
summary = []
for (run, task), part in per_network.groupby(["run", "task"], sort=False):
    low, high = bootstrap_ci(part["near_zero"])
    summary.append({"run": run, "l1": part["l1"].iloc[0], "task": task,
                    "networks": len(part), "near_zero": part["near_zero"].mean(),
                    "ci_low": low, "ci_high": high,
                    "near_zero_initial": part["near_zero_initial"].mean(),
                    "steps": float(np.mean(part["steps"]))})
    log(f"{run} (l1 {summary[-1]['l1']:g}) {task}: {summary[-1]['near_zero']:.3f} of the "
        f"off-diagonal weights near zero [{low:.3f}, {high:.3f}] (at initialisation "
        f"{summary[-1]['near_zero_initial']:.3f}), {summary[-1]['steps']:.0f} steps on average")
artifacts.write_table(
    str(snakemake.output[0]).removesuffix(".parquet"), pd.DataFrame(summary),
    {"near_zero_fraction": NEAR_ZERO_FRACTION, "runs": list(params.runs),
     "l1": [float(v) for v in params.l1]},
    title=f"Share of off-diagonal W_rec within {NEAR_ZERO_FRACTION:g} x the initial weights' "
    "standard deviation of zero (mean and 95% BCa interval over networks), by run")
