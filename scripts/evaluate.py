"""Snakemake entry point: task performance of one trained network (rule evaluate)."""

from rnn_hypotheses import artifacts
from rnn_hypotheses.evaluate import evaluate
from rnn_hypotheses.pipeline import end_job, job_log, network_task

log = job_log(snakemake.log[0])
params, task, net = snakemake.params, snakemake.wildcards.task, snakemake.wildcards.net
network = artifacts.read_network(snakemake.input.network)
trained_on = network_task(params.provenance)
frame, trace = evaluate(trained_on, network, n_trials=params.evaluation["n_trials"])
summary = trained_on.score(frame, trace)
log(f"{task}/{net}: {summary}")
if params.evaluation["enforce_performance"] and not summary["meets_criterion"]:
    raise RuntimeError(
        f"{task}/{net} misses the task criterion: {summary}. Train longer (training.max_steps), "
        "or set evaluation.enforce_performance: false to keep it anyway.")
provenance = dict(params.provenance, evaluation=params.evaluation)
artifacts.write_parquet(snakemake.output.trace, trace, provenance)
artifacts.write_parquet(snakemake.output.conditions, frame, provenance)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
