"""Snakemake entry point: fixed and slow points of one network in both states (rule slowpoints).

At each input condition of the ``slowpoints`` config the exact fixed-point finder,
the slow-point finder (and the Adam baseline, if configured) start from the same
initial states, drawn from the simulated trajectories of sim_{state}.npz with
jitter; the report's own trajectory scan runs on the simulated trials held at
that condition. The states are analysed one after the other, each with its own
random stream, exactly as a job of its own would.
"""

import os
import time

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.slowpoint_analysis import (
    SlowPointSettings,
    analyse_network,
    input_conditions,
)
from rnn_hypotheses.analysis.slowpoints import Dynamics
from rnn_hypotheses.pipeline import end_job, job_log, network_task
from rnn_hypotheses.seeding import rng_for
from rnn_hypotheses.simulate import input_onset

log = job_log(snakemake.log[0])
params, task, net = snakemake.params, snakemake.wildcards.task, snakemake.wildcards.net
output = snakemake.output
cfg = params.slowpoints
network = artifacts.read_network(snakemake.input.network)
seed = int(network.meta["seed"])
task_of_network = network_task(params.provenance, params.task_config)
# Snakemake caps BLAS at the rule's threads through these variables; say what it got.
blas = os.environ.get("OPENBLAS_NUM_THREADS", os.environ.get("OMP_NUM_THREADS", "unset"))

for s, (state, sim_path) in enumerate(zip(params.states, snakemake.input.simulations,
                                          strict=True)):
    sim = artifacts.read_npz(sim_path, ["r", "inputs", "conditions", "kind", "time_ms"])
    # starts and the trajectory scan come from the input period: a baseline runs at u = 0
    onset = input_onset(sim["time_ms"])
    # each kind's schema gives its fixed-point inputs the task's number of inputs
    conditions = input_conditions(task_of_network, cfg["autonomous"])
    log(f"{task}/{net} {state}: {len(conditions)} input conditions, "
        f"{cfg['n_initial_states']} initial states each, methods {cfg['methods']}, "
        f"{snakemake.threads} thread(s) (BLAS threads {blas})")
    start = time.perf_counter()
    result = analyse_network(
        Dynamics.of_network(network, state), dt=network.dt, sigma=network.sigma,
        trajectories=sim["r"][onset:], sim_inputs=sim["inputs"][onset:],
        sim_conditions=sim["conditions"],
        sim_kind=sim["kind"], conditions=conditions,
        settings=SlowPointSettings.from_config(cfg),
        rng=rng_for(task, seed, f"slowpoint_starts_{state}"), log=log, readout=network.W_out)
    log(f"{task}/{net} {state}: {len(result.points)} points in "
        f"{time.perf_counter() - start:.1f} s")

    provenance = dict(params.provenance, task_config=params.task_config, state=state,
                      slowpoints=cfg, simulation=params.simulation)
    labels = {"task": task, "net": net, "state": state}
    artifacts.write_parquet(output.points[s], result.points.assign(**labels), provenance)
    artifacts.write_parquet(output.conditions[s], result.conditions.assign(**labels),
                            provenance)
    artifacts.write_npz(output.arrays[s], result.arrays, provenance)
    del sim, result  # before the next state's, so that one state's arrays are held at once
end_job()  # skips the interpreter's teardown (pipeline.end_job)
