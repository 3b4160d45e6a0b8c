"""Snakemake entry point: Figure S6 (rule figS6_complexity)."""

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.complexity import counts_by_dimension
from rnn_hypotheses.figures.figS6_complexity import complexity_figure
from rnn_hypotheses.figures.style import save_figure
from rnn_hypotheses.pipeline import job_log

job_log(snakemake.log[0])
dimensions = {task: tuple(value) for task, value in snakemake.params.dimensions.items()}
networks = artifacts.read_parquet(snakemake.input.networks, ["task", "net", "state", "fixed",
                                                             "stable", "saddle", "slow"])
summary = artifacts.read_parquet(snakemake.input.counts, ["family", "quantity", "state",
                                                          "dimension", "mean", "ci_low",
                                                          "ci_high"])
growth = artifacts.read_parquet(snakemake.input.growth, ["family", "quantity", "state", "model",
                                                         "rate", "rate_low", "rate_high",
                                                         "intercept"])
save_figure(complexity_figure(counts_by_dimension(networks, dimensions), summary, growth),
            *snakemake.output)
