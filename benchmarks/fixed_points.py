"""Exact fixed-point finder against the FixedPointFinder-style Adam baseline.

Usage::

    python benchmarks/fixed_points.py [--network results/decision/net00/network.npz]

``--network`` takes a network.npz of the workflow and uses its trained W_rec
(`make bench` names results/decision/net00/network.npz, a trained 256-unit
decision network). Without it, or when the file does not exist (which the
script says), a random 256-unit network is built (gain 1: W_rec ~
N(0, g^2/N) with zero diagonal; W_in and b ~ N(0, 0.5^2); two inputs).  The
network is simulated with noise from random starts at one constant input,
1024 initial states are drawn from those trajectories with jitter, and both
methods search from the same states in the same process.  Printed: wall time
of each method, the speed ratio, and each method's recall relative to the
union of the fixed points found by either (two points are the same when they
differ by at most ``--match-tol`` in every unit; only converged Adam points
count).  The issue's target is a ratio >= 10 at equal or better recall.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

import numpy as np

from rnn_hypotheses.analysis.slowpoints import (
    Dynamics,
    find_fixed_points,
    match_points,
    sample_initial_states,
)
from rnn_hypotheses.artifacts import read_network
from rnn_hypotheses.network import Network, initialise_network
from rnn_hypotheses.simulate import simulate

DT, TAU, SIGMA = 10.0, 100.0, 0.01  # the simulation that seeds the initial states


def random_network(n: int, gain: float, n_inputs: int, seed: int) -> Network:
    """The benchmark's default network (the package's report-style initialisation)."""
    return initialise_network(task="benchmark_fixed_points", seed=seed, n_units=n,
                              n_inputs=n_inputs, n_outputs=1, g=gain, input_std=0.5,
                              dt=DT, tau=TAU, sigma=SIGMA)


def constant_input_trajectories(
    net: Network, u: np.ndarray, n_trials: int, n_steps: int, seed: int
) -> np.ndarray:
    """Noisy simulation at constant input from rectified N(0, 1) starts, (time, trial, unit)."""
    rng = np.random.default_rng(seed)
    r0 = np.maximum(rng.normal(0.0, 1.0, (n_trials, net.n_units)), 0.0)
    noise = rng.standard_normal((n_steps, n_trials, net.n_units))
    inputs = np.broadcast_to(u, (n_steps, n_trials, u.size))
    return simulate(net, inputs, r0=r0, noise=noise)[0]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--network", type=Path, help="network.npz (its W_rec, W_in, b and tau)")
    p.add_argument("--units", type=int, default=256, help="units of the random network")
    p.add_argument("--gain", type=float, default=1.0, help="gain g of the random network")
    p.add_argument("--input", type=str, default=None, help="comma-separated constant input")
    p.add_argument("--n-init", type=int, default=1024, help="initial states")
    p.add_argument("--noise-scale", type=float, default=0.1, help="jitter of initial states")
    p.add_argument("--match-tol", type=float, default=1e-3, help="same-point tolerance")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", type=Path, help="also write the numbers here")
    args = p.parse_args(argv)

    if args.network is not None and args.network.is_file():
        # network.npz holds W_rec after training (and W_rec_init before): the trained network
        net = read_network(args.network)
        source = f"{args.network} (trained W_rec)"
    else:
        if args.network is not None:
            # `make bench` names the trained decision network; before `make reproduce`
            # has built it, measure on the random network rather than fail.
            print(f"{args.network} does not exist (run `make reproduce` first); "
                  f"using a random {args.units}-unit network instead")
        net = random_network(args.units, args.gain, 2, args.seed)
        source = f"random N={args.units} g={args.gain} seed={args.seed}"
    n_in = net.W_in.shape[1]
    u = (
        np.full(n_in, 0.5)
        if args.input is None
        else np.array([float(x) for x in args.input.split(",")], dtype=float)
    )
    if u.size != n_in:
        raise SystemExit(f"--input has {u.size} values, the network takes {n_in}")
    tau = float(net.tau)
    # The same Euler step and noise for every network, whatever it was trained with.
    sim_net = dataclasses.replace(net, dt=DT, sigma=SIGMA)
    traj = constant_input_trajectories(sim_net, u, n_trials=64, n_steps=150, seed=args.seed + 1)
    X0 = sample_initial_states(traj, args.n_init, args.noise_scale, args.seed + 2)
    dynamics = Dynamics(net.W_rec, net.W_in, net.b, tau)
    u = np.asarray(u, dtype=np.float64)

    t0 = time.perf_counter()
    exact = find_fixed_points(dynamics, u, initial_states=X0, method="exact")
    t_exact = time.perf_counter() - t0
    t0 = time.perf_counter()
    adam = find_fixed_points(dynamics, u, initial_states=X0, method="adam")
    t_adam = time.perf_counter() - t0

    exact_pts = exact.locations
    adam_pts = adam.locations[adam.table["converged"].to_numpy()]
    # Union: every exact point plus the converged Adam points no exact point matches.
    if len(adam_pts) and len(exact_pts):
        _, _, adam_matched = match_points(exact_pts, adam_pts, args.match_tol)
        extra = adam_pts[~adam_matched]
    else:
        extra = adam_pts
    union = np.vstack([exact_pts, extra]) if len(extra) else exact_pts
    rec_exact = match_points(exact_pts, union, args.match_tol)[0] if len(union) else 1.0
    rec_adam = match_points(adam_pts, union, args.match_tol)[0] if len(union) else 1.0

    result = {
        "network": source,
        "units": int(net.n_units),
        "input": u.tolist(),
        "n_initial_states": int(args.n_init),
        "exact_s": t_exact,
        "adam_s": t_adam,
        "speed_ratio": t_adam / t_exact,
        "n_union": int(len(union)),
        "n_exact": int(len(exact_pts)),
        "n_adam_converged": int(len(adam_pts)),
        "n_adam_all": int(len(adam)),
        "recall_exact": rec_exact,
        "recall_adam": rec_adam,
        "adam_iterations": int(adam.info.get("n_iters", -1)),
        "exact_solves": int(exact.info.get("n_solves", -1)),
        "exact_kinds": exact.table["kind"].value_counts().to_dict(),
    }
    print(f"network: {source}, input {u.tolist()}, {args.n_init} initial states")
    print(f"exact : {t_exact:8.2f} s, {len(exact_pts)} fixed points, recall {rec_exact:.3f}")
    print(
        f"adam  : {t_adam:8.2f} s, {len(adam_pts)} converged of {len(adam)} unique, "
        f"recall {rec_adam:.3f} ({result['adam_iterations']} iterations)"
    )
    print(f"speed ratio (adam / exact): {result['speed_ratio']:.1f}x; union: {len(union)}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
