"""Snakemake entry point: tables/task_performance (rule task_performance)."""

from pathlib import Path

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.pipeline import job_log
from rnn_hypotheses.tasks import make_task

job_log(snakemake.log[0])

rows = []
for task, net, network_path, conditions_path, trace_path in zip(
        snakemake.params.tasks, snakemake.params.nets, snakemake.input.networks,
        snakemake.input.conditions, snakemake.input.traces, strict=True):
    network = artifacts.read_network(network_path)
    summary = make_task(task, snakemake.params.task_configs[task]).score(
        artifacts.read_parquet(conditions_path), artifacts.read_parquet(trace_path))
    rows.append({"task": task, "net": net, "seed": network.meta["seed"],
                 "steps": network.meta["steps"], "stop_reason": network.meta["stop_reason"],
                 **summary})
table = pd.DataFrame(rows)
artifacts.write_table(Path(snakemake.output[0]).with_suffix(""), table,
                      {"tasks": snakemake.params.task_configs},
                      title="Task performance of every trained network")
