"""Snakemake entry point: simulate one network before or after training (rule simulate)."""

import numpy as np

from rnn_hypotheses import artifacts
from rnn_hypotheses.pipeline import job_log, network_task
from rnn_hypotheses.seeding import rng_for
from rnn_hypotheses.simulate import largest_finite, simulate, simulation_noise

log = job_log(snakemake.log[0])
params, task, net = snakemake.params, snakemake.wildcards.task, snakemake.wildcards.net
state = snakemake.wildcards.state
sim_cfg = params.simulation
network = artifacts.read_network(snakemake.input.network)
seed = int(network.meta["seed"])
# The same inputs and noise for both states, so differences come from W_rec alone.
trials = network_task(params.provenance, params.task_config).simulation_trials(
    sim_cfg, dt=network.dt, rng=rng_for(task, seed, "sim_inputs"), repeats=params.repeats)
inputs = trials.inputs
baseline = int(round(sim_cfg.get("baseline_ms", 0) / network.dt))
noise = simulation_noise(task, seed, (*inputs.shape[:2], network.n_units), sim_cfg["noise"])
W_rec = network.recurrent_weights(state)
r, m = simulate(network, inputs, noise=noise, W_rec=W_rec)
if not np.isfinite(r).all():
    raise FloatingPointError(
        f"{snakemake.input.network}: the {state} network's rates diverge within the "
        f"{inputs.shape[0]}-step simulation (largest finite rate {largest_finite(r):.3g}); "
        "nothing was written")
log(f"{task}/{net} {state}: {inputs.shape[1]} trials ({params.repeats} per held condition) "
    f"of {inputs.shape[0]} steps ({baseline} at baseline); "
    f"mean rate {r.mean():.3g}, active fraction {(m > 0).mean():.2f}")
artifacts.write_npz(snakemake.output.simulation, {
    "r": r.astype(np.float32), "m": m.astype(np.float32), "inputs": inputs,
    "conditions": trials.conditions, "kind": trials.trial_kind.astype("U16"),
    # time from the input's onset: a baseline's steps are at or before 0
    "time_ms": network.dt * (np.arange(1, inputs.shape[0] + 1) - baseline),
}, dict(params.provenance, state=state, simulation=sim_cfg, repeats=params.repeats,
        task_config=params.task_config))
