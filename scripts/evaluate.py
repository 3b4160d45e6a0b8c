"""Snakemake entry point: task performance of one trained network (rule evaluate)."""

from rnn_hypotheses import artifacts
from rnn_hypotheses.evaluate import evaluate, performance_summary
from rnn_hypotheses.pipeline import job_log, network_config

log = job_log(snakemake.log[0])
config, task, net = snakemake.config, snakemake.wildcards.task, snakemake.wildcards.net
network = artifacts.read_network(snakemake.input.network)
task_cfg = config["tasks"][task]
frame, trace = evaluate(task, task_cfg, network, n_trials=config["evaluation"]["n_trials"])
summary = performance_summary(task, task_cfg, frame, trace)
log(f"{task}/{net}: {summary}")
if config["evaluation"]["enforce_performance"] and not summary["meets_criterion"]:
    raise RuntimeError(
        f"{task}/{net} misses the task criterion: {summary}. Train longer (training.max_steps), "
        "or set evaluation.enforce_performance: false to keep it anyway.")
provenance = dict(network_config(config, task, net), evaluation=config["evaluation"])
artifacts.write_parquet(snakemake.output.trace, trace, provenance)
artifacts.write_parquet(snakemake.output.conditions, frame, provenance)
