"""How the cost of each per-network stage grows with the number of units, and the
cost of a training step with the number of networks trained together.

Usage::

    python benchmarks/stage_growth.py [--units 64 128 256 512] [--ensembles 1 2 5 10 20]
                                      [--repeats 3]

For each unit count N a random network (gain 1, the decision task's two inputs)
runs the core computation of each stage at config.yaml's sizes: one training step
(batch 32, 100 steps; TensorFlow), the analysis simulation of both task kinds'
held trials (2500 ms), the connectivity summary of W_rec before and after a random
change, a DCA fit (T = 5, d = 3, 2 random starts) of 20 trials x 150 stationary
steps, and the exact fixed-point search from 128 starts at one input. Each time is
the best of ``--repeats``, on one thread. A power law t = c N^k is fitted to each
stage by least squares on log t against log N; the exponent k says how a cluster
run's time grows with the network size (per-network stages grow linearly with the
number of networks). Training is the exception: an ensemble of K networks
(training.networks_per_job) takes one batched step, timed for each K at N = 128
and 256, with its own exponent. The matmul peak of the same thread is printed
beside, so runs on other machines compare by ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np  # noqa: E402

from rnn_hypotheses.analysis.latent import fit_dca  # noqa: E402
from rnn_hypotheses.analysis.slowpoints import Dynamics, find_fixed_points  # noqa: E402
from rnn_hypotheses.analysis.training_change import network_summary  # noqa: E402
from rnn_hypotheses.network import initialise_network  # noqa: E402
from rnn_hypotheses.simulate import simulate  # noqa: E402

STEPS, BATCH, SIM_STEPS, FIT_STEPS, FIT_TRIALS, STARTS = 100, 32, 250, 150, 20, 128


def matmul_peak(n: int = 1024, repeats: int = 5) -> float:
    """Best float32 GFLOP/s of an n x n matrix product on this thread."""
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((n, n), dtype=np.float32) for _ in range(2))
    a @ b
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * n**3 / best / 1e9


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def random_network_run(n_units: int):
    """A random decision network of ``n_units`` units, its analysis simulation's held
    inputs (SIM_STEPS x 50 trials x 2) and rates, and the stationary part a DCA fit
    uses (the last FIT_STEPS steps of FIT_TRIALS trials), with the generator that drew
    the inputs."""
    rng = np.random.default_rng(n_units)
    net = initialise_network(task="decision", seed=1, n_units=n_units, n_inputs=2,
                             n_outputs=1, g=1.0, input_std=0.5, dt=10.0, tau=100.0,
                             sigma=0.01)
    sim_inputs = np.broadcast_to(rng.uniform(0.2, 1.0, (1, 50, 2)), (SIM_STEPS, 50, 2))
    rates, _ = simulate(net, sim_inputs, noise_seed=3)
    return net, sim_inputs, rates, rates[-FIT_STEPS:, :FIT_TRIALS], rng


def stage_work(n_units: int) -> dict:
    """The work of each stage for one network of ``n_units`` units, as callables."""
    net, sim_inputs, rates, fit_data, rng = random_network_run(n_units)
    changed = net.W_rec + 0.01 * rng.standard_normal(net.W_rec.shape) / np.sqrt(n_units)
    np.fill_diagonal(changed, 0.0)
    dynamics = Dynamics.of_network(net, "trained")
    starts = rates.reshape(-1, n_units)[rng.integers(0, rates.shape[0] * rates.shape[1],
                                                     STARTS)]
    return {
        "train step": ensemble_step(n_units, 1),
        "simulate": lambda: simulate(net, sim_inputs, noise_seed=3),
        "connectivity": lambda: network_summary(net.W_rec_init, changed),
        "latent (one DCA fit)": lambda: fit_dca(fit_data, 3, 5, 2, np.random.default_rng(0)),
        "slow points (exact)": lambda: find_fixed_points(
            dynamics, np.array([0.6, 0.8]), initial_states=starts, method="exact"),
    }


def ensemble_step(n_units: int, networks: int):
    """One Adam step of an ensemble of ``networks`` decision networks, as a callable."""
    from rnn_hypotheses.model import CTRNN, configure_threads

    configure_threads(1)
    rng = np.random.default_rng(networks)
    nets = [initialise_network(task="decision", seed=seed, n_units=n_units, n_inputs=2,
                               n_outputs=1, g=1.0, input_std=0.5, dt=10.0, tau=100.0,
                               sigma=0.01) for seed in range(networks)]
    inputs = rng.uniform(0.2, 1.0, (STEPS, networks, BATCH, 2)).astype(np.float32)
    noise = rng.standard_normal((STEPS, networks, BATCH, n_units), dtype=np.float32)
    targets = rng.random((STEPS, networks, BATCH, 1)).astype(np.float32)
    mask = np.ones((STEPS, networks, 1, 1), np.float32)
    model = CTRNN(nets)
    model.train_step(inputs, noise, targets, mask)  # build the graph outside the timing
    return lambda: model.train_step(inputs, noise, targets, mask).numpy()


def power_law(units: np.ndarray, seconds: np.ndarray) -> tuple[float, float]:
    """(exponent k, prefactor c) of t = c N^k, least squares in log-log."""
    k, log_c = np.polyfit(np.log(units), np.log(seconds), 1)
    return float(k), float(np.exp(log_c))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="+", default=[64, 128, 256, 512])
    parser.add_argument("--ensembles", type=int, nargs="+", default=[1, 2, 5, 10, 20])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    peak = matmul_peak()
    print(f"float32 matmul peak on one thread: {peak:.1f} GFLOP/s")
    times: dict[str, list[float]] = {}
    for n in args.units:
        for stage, work in stage_work(n).items():
            best = min(_timed(work) for _ in range(args.repeats))
            times.setdefault(stage, []).append(best)
            print(f"  N = {n:4d}  {stage:22s} {best:8.3f} s", flush=True)
    units = np.asarray(args.units, dtype=float)
    print(f"\n| stage | {' | '.join(f'N = {n}' for n in args.units)} | exponent k |")
    print(f"|---|{'---|' * len(args.units)}---|")
    for stage, seconds in times.items():
        k, _ = power_law(units, np.asarray(seconds))
        cells = " | ".join(f"{t:.3g} s" for t in seconds)
        print(f"| {stage} | {cells} | {k:.2f} |")

    print(f"\n| training step of K networks | {' | '.join(f'K = {k}' for k in args.ensembles)} "
          "| exponent | of peak at the largest K |")
    print(f"|---|{'---|' * len(args.ensembles)}---|---|")
    for n in (128, 256):
        seconds = [min(_timed(step) for _ in range(args.repeats))
                   for step in (ensemble_step(n, k) for k in args.ensembles)]
        k, _ = power_law(np.asarray(args.ensembles, dtype=float), np.asarray(seconds))
        # 6 B N^2 T flops per network and step: the forward product and the two backward
        flops = 6 * BATCH * n**2 * STEPS * args.ensembles[-1]
        cells = " | ".join(f"{t:.3g} s" for t in seconds)
        print(f"| N = {n} | {cells} | {k:.2f} | {flops / seconds[-1] / 1e9 / peak:.2f} |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
