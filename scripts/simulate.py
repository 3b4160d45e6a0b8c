"""Snakemake entry point: simulate one network before and after training (rule simulate).

Both states run on the same inputs and noise, so differences come from W_rec alone.
"""

import numpy as np

from rnn_hypotheses import artifacts
from rnn_hypotheses.pipeline import end_job, job_log, network_task
from rnn_hypotheses.seeding import rng_for
from rnn_hypotheses.simulate import largest_finite, simulate, simulation_noise

log = job_log(snakemake.log[0])
params, task, net = snakemake.params, snakemake.wildcards.task, snakemake.wildcards.net
sim_cfg = params.simulation
network = artifacts.read_network(snakemake.input.network)
seed = int(network.meta["seed"])
trials = network_task(params.provenance, params.task_config).simulation_trials(
    sim_cfg, dt=network.dt, rng=rng_for(task, seed, "sim_inputs"), repeats=params.repeats)
inputs = trials.inputs
baseline = int(round(sim_cfg.get("baseline_ms", 0) / network.dt))
noise = simulation_noise(task, seed, (*inputs.shape[:2], network.n_units), sim_cfg["noise"])
for state, path in zip(params.states, snakemake.output.simulations, strict=True):
    r, m = simulate(network, inputs, noise=noise, W_rec=network.recurrent_weights(state))
    if not np.isfinite(r).all():
        raise FloatingPointError(
            f"{snakemake.input.network}: the {state} network's rates diverge within the "
            f"{inputs.shape[0]}-step simulation (largest finite rate {largest_finite(r):.3g}); "
            f"{path} was not written")
    log(f"{task}/{net} {state}: {inputs.shape[1]} trials ({params.repeats} per held condition) "
        f"of {inputs.shape[0]} steps ({baseline} at baseline); "
        f"mean rate {r.mean():.3g}, active fraction {(m > 0).mean():.2f}")
    artifacts.write_npz(path, {
        "r": r.astype(np.float32), "m": m.astype(np.float32), "inputs": inputs,
        "conditions": trials.conditions, "kind": trials.trial_kind.astype("U16"),
        # time from the input's onset: a baseline's steps are at or before 0
        "time_ms": network.dt * (np.arange(1, inputs.shape[0] + 1) - baseline),
    }, dict(params.provenance, state=state, simulation=sim_cfg, repeats=params.repeats,
            task_config=params.task_config))
    del r, m  # before the next state's simulation, so that one state's arrays are held at once
end_job()  # skips the interpreter's teardown (pipeline.end_job)
