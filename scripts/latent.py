"""Snakemake entry point: latent spaces of one network in both states, and how training
changed them (rules latent and latent_drop).

For each state:

1. DCA of the simulated trajectories from ``latent.n_init`` random starts (all kept:
   the uniqueness analysis of Fig. S3).
2. The leaky-ReLU family (Fig. 6): each angle theta re-simulates the network on the
   inputs and noise of sim_{state}.npz (theta = 0 must reproduce it) and fits DCA
   from ``latent.theta_n_init`` random starts, the step-1 subspace and the previous
   angle's optimum; a second sweep, from pi/4 back to 0, restarts each angle from
   the next angle's optimum. DCA's objective has local maxima, and this
   continuation finds higher ones than random starts alone.
3. The best subspace found at theta = 0 (the simulation itself) is the state's DCA
   subspace: PCA of the same activity, the angles of both to the readout, DCA of
   each input condition, steady states and switching trajectories in its coordinates.

Then the principal angles between the two states' DCA and PCA subspaces (Fig. 9).

Every fit uses the held trials from ``latent.drop_ms`` after the input's onset to
their end: the stationary part, once the transient from the trial's start has
decayed. Switching trials, whose input keeps changing, are only projected (Fig. 3).

The ``latent`` param is a list of settings, one analysis (run) each: rule latent has
one, the config's; rule latent_drop one per sensitivity drop. Outputs come in lists,
run by run and within a run state by state (the ``states`` param), and one change table
per run where both states are analysed (an external network without W_rec_init has only
the trained state, and no change output). Every run writes exactly what a job of its own
would: the runs share only the network, the simulations and the re-simulations at each
angle, which do not depend on the settings a run varies (its drop).
"""

import time

import numpy as np
import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.latent import (
    chance_vector_angle,
    condition_groups,
    fit_dca,
    leaky_relu_sweep,
    pca_of,
    random_subspace_angles,
    readout_angles,
    restart_table,
    steady_states,
    theta_grid,
)
from rnn_hypotheses.analysis.subspaces import principal_angles
from rnn_hypotheses.pipeline import end_job, job_log, network_task
from rnn_hypotheses.seeding import rng_for
from rnn_hypotheses.simulate import input_onset, simulate, simulation_noise

log = job_log(snakemake.log[0])
params, task, net = snakemake.params, snakemake.wildcards.task, snakemake.wildcards.net
output = snakemake.output
runs, states = params.latent, params.states
network = artifacts.read_network(snakemake.input.network)
seed = int(network.meta["seed"])
trained_on = network_task(params.provenance)


def analyse(state: str, sim: dict, cfg: dict, rates_at_theta, paths: dict) -> None:
    """One state's latent analysis with the settings ``cfg``, written to ``paths``."""
    d, T, tolerance = cfg["d"], cfg["T"], cfg["silent_tolerance"]
    r, inputs, conditions, kind = sim["r"], sim["inputs"], sim["conditions"], sim["kind"]
    N = r.shape[-1]
    window = max(1, int(round(cfg["steady_ms"] / network.dt)))
    onset = input_onset(sim["time_ms"])
    analysed = slice(onset + int(round(cfg.get("drop_ms", 0) / network.dt)), None)
    held = kind == "held"

    def stationary(rates: np.ndarray) -> np.ndarray:
        """The part of the simulation every fit uses: held trials, after the transient."""
        return rates[analysed][:, held]

    # --- 1. random starts on the simulation ---------------------------------------------
    start = time.perf_counter()
    r_fit = stationary(r)
    random_fit = fit_dca(r_fit, d, T, cfg["n_init"], rng_for(task, seed, f"dca_{state}"),
                         tolerance=tolerance)
    log(f"{task}/{net} {state} (drop {cfg.get('drop_ms', 0):g} ms): DCA on "
        f"{random_fit.active.sum()} of {N} active units, "
        f"{r_fit.shape[1]} held trials x {r_fit.shape[0]} steps from "
        f"{sim['time_ms'][analysed][0]:g} ms after the input's onset (ridge "
        f"{random_fit.ridge_relative:.3g} of the mean variance), random starts "
        f"{np.round(random_fit.restart_pis, 4)} nats, {time.perf_counter() - start:.1f} s")

    # --- 2. the leaky-ReLU family, swept up and down --------------------------------------
    sweep = leaky_relu_sweep(lambda theta: stationary(rates_at_theta(theta)), random_fit,
                             theta_grid(cfg["n_thetas"]), T, cfg["theta_n_init"],
                             lambda k: rng_for(task, seed, f"dca_theta_{state}", k),
                             tolerance=tolerance)
    thetas, fits = sweep.thetas, sweep.fits
    pi_theta = pd.DataFrame({
        "task": task, "net": net, "state": state, "theta": thetas, "slope": np.tan(thetas),
        "pi": [f.pi for f in fits], "pi_random": [float(f.restart_pis.max()) for f in fits],
        "start": [f.start for f in fits], "n_active": [int(f.active.sum()) for f in fits],
        "max_rate": sweep.max_rates, "seconds": sweep.seconds,
    })
    for row in pi_theta.itertuples():
        log(f"  theta {np.degrees(row.theta):5.1f} deg: PI {row.pi:.4g} nats (from "
            f"{row.start}; best random start {row.pi_random:.4g}), max |r| "
            f"{row.max_rate:.3g}, {row.seconds:.1f} s")

    # --- 3. the state's subspaces ---------------------------------------------------------
    fit = fits[0]
    restarts = restart_table(fit.restart_coefs, fit.restart_pis, cfg["unique_angle_deg"],
                             best=(fit.coef, fit.pi))
    pca = pca_of(r_fit, d, fit.active)
    angles = readout_angles(network.W_out, {"dca": fit.coef, "pca": pca})

    groups = condition_groups(trained_on, conditions, kind)
    condition_fits = []
    for g, (label, trials) in enumerate(groups):
        start = time.perf_counter()
        condition_fits.append(fit_dca(r[analysed][:, trials], d, T, cfg["condition_n_init"],
                                      rng_for(task, seed, f"dca_condition_{state}", g),
                                      tolerance=tolerance))
        log(f"  condition {label!r}: {len(trials)} trials, PI {condition_fits[-1].pi:.4g} "
            f"nats, {time.perf_counter() - start:.1f} s")
    condition_angles = principal_angles(condition_fits[0].coef, condition_fits[1].coef)
    levels, steady = steady_states(r, conditions, kind, window)
    switching = kind == "switching"

    row = {
        "task": task, "net": net, "state": state, "n_units": N,
        "n_active": int(fit.active.sum()), "d": d, "T": T,
        "analysed_from_ms": float(sim["time_ms"][analysed][0]),
        "fit_trials": int(held.sum()), "ridge": fit.ridge, "ridge_relative": fit.ridge_relative,
        "pi": fit.pi, "pi_start": fit.start, "pca_pi": fit.pi_of(pca),
        "readout_dca": angles["dca"], "readout_pca": angles["pca"],
        "readout_chance": chance_vector_angle(N, d),
        "unique_share": float(restarts["same_as_best"].mean()),
        "pi_spread": float(restarts["pi_gap"].max()), "n_starts": len(restarts),
        "condition_a": groups[0][0], "condition_b": groups[1][0],
        "condition_pi_a": condition_fits[0].pi, "condition_pi_b": condition_fits[1].pi,
        **{f"condition_angle_{k + 1}": a for k, a in enumerate(condition_angles)},
        "condition_angle_mean": float(condition_angles.mean()),
    }
    log(f"  DCA PI {fit.pi:.4g} nats (from {fit.start}), PCA PI {row['pca_pi']:.4g}; readout "
        f"angle DCA {angles['dca']:.1f}, PCA {angles['pca']:.1f} deg; condition angles "
        f"{np.round(condition_angles, 1)}; {restarts['same_as_best'].sum()} of "
        f"{len(restarts)} random starts on the best subspace")

    provenance = dict(params.provenance, state=state, latent=cfg,
                      simulation=params.simulation)
    artifacts.write_npz(paths["arrays"], {
        "coef": fit.coef, "pca": pca, "mean": fit.mean, "active": fit.active,
        "restart_coefs": fit.restart_coefs, "restart_pis": fit.restart_pis,
        "condition_coefs": np.stack([f.coef for f in condition_fits]),
        "condition_labels": np.array([label for label, _ in groups]),
        "condition_angles": condition_angles,
        "steady_levels": levels, "steady": fit.project(steady),
        "switching": fit.project(r[onset:, switching]),
        "switching_inputs": inputs[onset:, switching, 0], "time_ms": sim["time_ms"][onset:],
        "thetas": thetas, "theta_coefs": np.stack([f.coef for f in fits]),
    }, provenance)
    artifacts.write_parquet(paths["summary"], pd.DataFrame([row]), provenance)
    artifacts.write_parquet(paths["restarts"],
                            restarts.assign(task=task, net=net, state=state), provenance)
    artifacts.write_parquet(paths["pi_theta"], pi_theta, provenance)


def output_paths(run: int, s: int) -> dict:
    """The four artifacts of one run and state (outputs are run-major, state-minor)."""
    index = run * len(states) + s
    return {name: output[name][index] for name in ("arrays", "summary", "restarts", "pi_theta")}


def resimulation(state: str, sim: dict, sim_path: str, shared: bool):
    """theta -> the network's rates (float32) at that angle on the simulation's inputs and
    noise. The re-simulation depends on neither drop nor window: with ``shared`` (several
    runs) each angle's is computed once (the same inputs, noise and arithmetic)."""
    r, inputs = sim["r"], sim["inputs"]
    noise = simulation_noise(task, seed, (*inputs.shape[:2], r.shape[-1]),
                             params.simulation["noise"])
    W_rec = network.recurrent_weights(state)
    cache: dict[float, np.ndarray] = {}

    def rates_at(theta: float) -> np.ndarray:
        if theta in cache:
            return cache[theta]
        # stored as float32, as the simulate rule stores r
        rates = simulate(network, inputs, noise=noise, W_rec=W_rec,
                         theta=theta)[0].astype(np.float32)
        if theta == 0 and not np.allclose(rates, r, rtol=1e-5, atol=1e-6):
            raise artifacts.ArtifactError(
                f"{sim_path}: re-simulating does not reproduce r (max difference "
                f"{np.abs(rates - r).max():.3g}); its inputs or noise differ")
        if shared:
            cache[theta] = rates
        return rates

    return rates_at


for s, (state, sim_path) in enumerate(zip(states, snakemake.input.simulations, strict=True)):
    sim = artifacts.read_npz(sim_path, ["r", "inputs", "conditions", "kind", "time_ms"])
    rates_at = resimulation(state, sim, sim_path, shared=len(runs) > 1)
    for run, cfg in enumerate(runs):
        analyse(state, sim, cfg, rates_at, output_paths(run, s))
    del sim, rates_at  # before the next state's, so that one state's arrays are held at once

# --- 4. what training changed: principal angles between the states' subspaces ------------
# (not for a network known only trained: rules/external.smk gives it no change output)
if "change" in output.keys():
    untrained, trained = states.index("untrained"), states.index("trained")
    for run, (cfg, path) in enumerate(zip(runs, output.change, strict=True)):
        # read back as written, as the figures and claims read them
        before = artifacts.read_npz(output_paths(run, untrained)["arrays"], ["coef", "pca"])
        after = artifacts.read_npz(output_paths(run, trained)["arrays"], ["coef", "pca"])
        n_units, d = before["coef"].shape
        table = pd.DataFrame({
            "task": task, "net": net, "dim": range(1, d + 1),
            "angle_dca": principal_angles(before["coef"], after["coef"]),
            "angle_pca": principal_angles(before["pca"], after["pca"]),
            # the same for two random subspaces: in many dimensions these are far apart
            "chance": random_subspace_angles(n_units, d, seed=0),
        })
        log(f"{task}/{net} (drop {cfg.get('drop_ms', 0):g} ms): DCA untrained vs trained "
            f"{table['angle_dca'].round(1).tolist()} deg, PCA "
            f"{table['angle_pca'].round(1).tolist()} deg, chance "
            f"{table['chance'].round(1).tolist()}")
        artifacts.write_parquet(path, table, dict(params.provenance, latent=cfg))
end_job()  # skips the interpreter's teardown (pipeline.end_job)
