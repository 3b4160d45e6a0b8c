"""Snakemake entry point: Figure 1 (rule fig01_task_performance)."""

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.figures.fig01_task_performance import task_performance_figure
from rnn_hypotheses.figures.style import save_figure


def gather(paths, nets, columns):
    return pd.concat([artifacts.read_parquet(p, columns).assign(net=n)
                      for p, n in zip(paths, nets, strict=True)], ignore_index=True)


decision = gather(snakemake.input.decision, snakemake.params.decision_nets,
                  ["difference", "mean_output", "target"])
perception = gather(snakemake.input.perception, snakemake.params.perception_nets,
                    ["input1", "time_ms", "output", "target"])
save_figure(task_performance_figure(decision, perception), *snakemake.output)
