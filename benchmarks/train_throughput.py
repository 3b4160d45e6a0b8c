"""Throughput of one training step against the machine's own matrix-multiply peak.

For each task at its configured batch size and trial length, times the Adam
step of rnn_hypotheses.model.CTRNN for one network and for an ensemble of the
configured training.networks_per_job (K), and converts it to GFLOP/s with the
count of the three (batch x N) @ (N x N) products per time step and network
(forward, and the two backward products for dr and dW): 6 K B N^2 T flops. The
peak is NumPy's float32 matrix multiply on the same number of threads, measured
in the same run, so the printed ratio is comparable across machines and loads.

    python benchmarks/train_throughput.py [--threads 1] [--steps 30] [--ensemble K]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--steps", type=int, default=30, help="timed training steps per task")
parser.add_argument("--ensemble", type=int, default=None,
                    help="networks per step (default: the config's training.networks_per_job)")
parser.add_argument("--config", default=str(Path(__file__).resolve().parents[1] / "config.yaml"))
args = parser.parse_args()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)  # before NumPy loads its BLAS

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from rnn_hypotheses.model import CTRNN, configure_threads  # noqa: E402
from rnn_hypotheses.pipeline import initial_network  # noqa: E402
from rnn_hypotheses.seeding import rng_for  # noqa: E402
from rnn_hypotheses.tasks import make_task  # noqa: E402


def matmul_peak(n: int = 1024, repeats: int = 10) -> float:
    """Best float32 GFLOP/s of an n x n matrix product."""
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((n, n), dtype=np.float32) for _ in range(2))
    a @ b
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t0)
    return 2 * n**3 / best / 1e9


def step_rate(config: dict, task: str, ensemble: int, steps: int) -> tuple[float, float]:
    """(seconds per training step of ``ensemble`` networks, GFLOP/s) for one task."""
    nets = [f"net{k:02d}" for k in range(ensemble)]
    networks = [initial_network(config, task, net) for net in nets]
    batch_size = config["training"]["batch_size"]
    model = CTRNN(networks, learning_rate=config["training"]["learning_rate"])
    kind = make_task(task, config["tasks"][task])
    batches = [kind.training_batch(rng_for(task, seed, "batch", 0), batch_size, dt=net.dt)
               for seed, net in enumerate(networks)]
    N = networks[0].n_units
    noise = [rng_for(task, seed, "noise", 0).standard_normal(
        (*batch.inputs.shape[:2], N), dtype=np.float32) for seed, batch in enumerate(batches)]
    args_ = tuple(np.stack(arrays, axis=1) for arrays in zip(
        *[(b.inputs, xi, b.targets, b.loss_mask) for b, xi in zip(batches, noise, strict=True)],
        strict=True))
    model.train_step(*args_)  # trace and build the graph
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        model.train_step(*args_).numpy()
        times.append(time.perf_counter() - t0)
    seconds = float(np.median(times))
    T = args_[0].shape[0]
    return seconds, 6 * ensemble * batch_size * N**2 * T / seconds / 1e9


def main() -> int:
    config = yaml.safe_load(Path(args.config).read_text())
    configure_threads(args.threads)
    ensemble = args.ensemble or config["training"].get("networks_per_job", 1)
    sizes = sorted({1, ensemble})
    peak_before = matmul_peak()
    rows = [(task, k, *step_rate(config, task, k, args.steps))
            for task in config["tasks"] for k in sizes]
    peak = max(peak_before, matmul_peak())  # best of two, bracketing the runs
    print(f"NumPy float32 matmul peak on {args.threads} thread(s): {peak:.1f} GFLOP/s")
    print(f"{'task':<11} {'N':>4} {'batch':>5} {'steps':>5} {'K':>3} {'s/step':>8} "
          f"{'GFLOP/s':>8} {'of peak':>8}")
    for task, k, seconds, gflops in rows:
        cfg = config["tasks"][task]
        T = int(round(cfg["trial_ms"] / config["model"]["dt_ms"]))
        print(f"{task:<11} {cfg['n_units']:>4} {config['training']['batch_size']:>5} {T:>5} "
              f"{k:>3} {seconds:>8.4f} {gflops:>8.1f} {gflops / peak:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
