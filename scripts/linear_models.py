"""Snakemake entry point: linear models of the dynamics near each stable fixed point, both
states of one network (rule linear_models; the report's section 6, question 7).

For every stable exact fixed point of sim_{state}.npz's held conditions, an affine map is
fitted by least squares to the steps of the held trials that settle there (and to trials
added at the point), compared with the Jacobian's Euler map and tested on how far from the
point it predicts the next ``horizon_ms`` (rnn_hypotheses.analysis.linear_models).
"""

import time

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.linear_models import LinearModelSettings, analyse_network
from rnn_hypotheses.pipeline import end_job, job_log
from rnn_hypotheses.seeding import rng_for
from rnn_hypotheses.simulate import input_onset

log = job_log(snakemake.log[0])
params, task, net = snakemake.params, snakemake.wildcards.task, snakemake.wildcards.net
network = artifacts.read_network(snakemake.input.network)
seed = int(network.meta["seed"])
settings = LinearModelSettings.from_config(params.linear_models)

for s, state in enumerate(params.states):
    start = time.process_time()
    sim = artifacts.read_npz(snakemake.input.simulations[s],
                             ["r", "m", "conditions", "kind", "time_ms"])
    arrays = artifacts.read_npz(snakemake.input.arrays[s],
                                ["locations", "condition_inputs", "condition_labels"])
    points = artifacts.read_parquet(snakemake.input.points[s],
                                    ["condition", "method", "kind", "location", "point",
                                     "max_real_eig"])
    # the fits use the held input only: a baseline runs at u = 0
    onset = input_onset(sim["time_ms"])
    table = analyse_network(
        network, state, rates=sim["r"][onset:], preactivations=sim["m"][onset:],
        sim_conditions=sim["conditions"], sim_kind=sim["kind"], points=points,
        locations=arrays["locations"], condition_inputs=arrays["condition_inputs"],
        condition_labels=arrays["condition_labels"], settings=settings,
        input_noise_std=float(params.input_noise_std),
        rng=rng_for(task, seed, f"linear_models_{state}"))
    for row in table.itertuples():
        log(f"{task}/{net} {state} {row.label} point {row.point}: {row.n_trials} trial(s), "
            f"{row.n_samples:.0f} samples in {row.subspace_dim:.0f} dimensions; error against "
            f"the Jacobian {row.jacobian_error:.3g} (sampling alone {row.surrogate_error:.3g}), "
            f"slowest rate {row.slowest_rate_fit:.3g} vs {row.slowest_rate_jacobian:.3g} 1/s; "
            f"valid {row.valid_radius_relative:.3g} (Jacobian "
            f"{row.jacobian_valid_radius_relative:.3g}) typical distances")
    log(f"{task}/{net} {state}: {len(table)} stable point(s) in "
        f"{time.process_time() - start:.2f} s of CPU")
    provenance = dict(params.provenance, state=state, linear_models=params.linear_models,
                      input_noise_std=params.input_noise_std, simulation=params.simulation,
                      slowpoints=params.slowpoints)
    artifacts.write_parquet(snakemake.output[s],
                            table.assign(task=task, net=net, state=state), provenance)
    del sim, table
end_job()  # skips the interpreter's teardown (pipeline.end_job)
