"""Fit time of the project's DCA against the reference package, on the same data.

    python benchmarks/dca_speed.py [--reference-python PATH] [--repeats 3] [--threads 1]

The data are a seeded linear dynamical system (a 6-dimensional latent process,
three of whose dimensions are strongly predictive, mixed into 256 units with
observation noise), 20 trials of 200 steps; DCA with d = 3 and T = 5. Each fit
is timed from raw trials to fitted subspace (cross-covariance estimate
included), ``--repeats`` times, and the fastest run counts, since other work on
a shared machine only ever adds time.

The reference (``dynamicalcomponentsanalysis`` 1.1.0, which needs torch) runs in
its own environment's python, given by ``--reference-python``; without it that
part is skipped. Both sides get the same BLAS/OpenMP thread count (``--threads``;
0 leaves the environment as it is). The PIs printed are each fit's own PI on the
same cross-covariances, in nats; the project's default tolerance is tighter than
the reference's, so a second project run with the reference's tolerance (ftol
1e-6) is timed too, for a like-for-like ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

UNITS, TRIALS, STEPS, D, T, SEED = 256, 20, 200, 3, 5, 0
REFERENCE_TOL = 1e-6  # the reference's default ftol

# Runs in the reference environment: argv = data.npz, repeats, d, T, seed, threads.
REFERENCE_SCRIPT = r"""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import dca

path, repeats, d, T, seed, threads = sys.argv[1], *map(int, sys.argv[2:])
if threads > 0:
    torch.set_num_threads(threads)
data = np.load(path)["data"]  # (time, trial, unit)
trials = [np.ascontiguousarray(data[:, k]) for k in range(data.shape[1])]
times = []
for _ in range(repeats):
    start = time.perf_counter()
    model = dca.DynamicalComponentsAnalysis(d=d, T=T, rng_or_seed=seed).fit(trials)
    times.append(time.perf_counter() - start)
print(json.dumps({"times": times, "pi": float(model.score()),
                  "coef": np.asarray(model.coef_).tolist(), "torch": torch.__version__}))
"""


def simulate(seed: int):
    """Seeded linear dynamical system, shape (time, trial, unit).

    Three strongly predictive latent dimensions (a slowly damped rotation and a
    slow decay) and three weakly predictive ones, so that the d = 3 optimum is
    unique and the two implementations' PIs can be compared.
    """
    import numpy as np

    def rotation(radius: float, angle: float):
        c, s = np.cos(angle), np.sin(angle)
        return radius * np.array([[c, -s], [s, c]])

    rng = np.random.default_rng(seed)
    latent_dynamics = np.zeros((6, 6))
    latent_dynamics[:2, :2] = rotation(0.95, 0.2)
    latent_dynamics[2, 2] = 0.97
    latent_dynamics[3:5, 3:5] = rotation(0.7, 0.8)
    latent_dynamics[5, 5] = 0.5
    z = np.zeros((STEPS, TRIALS, 6))
    z[0] = rng.standard_normal((TRIALS, 6))
    for t in range(1, STEPS):
        z[t] = z[t - 1] @ latent_dynamics.T + rng.standard_normal((TRIALS, 6))
    mixing = rng.standard_normal((6, UNITS)) / np.sqrt(6)
    return z @ mixing + rng.standard_normal((STEPS, TRIALS, UNITS))


def time_project(data, repeats: int, tol: float | None):
    """Best-of-``repeats`` fit time of the project's DCA, and the last fitted model."""
    from rnn_hypotheses.analysis.dca import DynamicalComponentsAnalysis

    kwargs = {} if tol is None else {"tol": tol}
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model = DynamicalComponentsAnalysis(d=D, T=T, random_state=SEED, **kwargs).fit(data)
        times.append(time.perf_counter() - start)
    return times, model


def time_reference(python: Path, data, repeats: int, threads: int, env: dict) -> dict:
    import numpy as np

    with tempfile.TemporaryDirectory(prefix="dca-bench-") as tmp:
        path = Path(tmp) / "data.npz"
        np.savez(path, data=data)
        run = subprocess.run(
            [
                str(python),
                "-c",
                REFERENCE_SCRIPT,
                str(path),
                str(repeats),
                str(D),
                str(T),
                str(SEED),
                str(threads),
            ],
            capture_output=True,
            text=True,
            env=env,
        )
    if run.returncode != 0:
        raise SystemExit(f"the reference run failed:\n{run.stderr}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def network_window_covariance():
    """The unrectified window covariance of the stationary activity that
    ``benchmarks/stage_growth.py`` fits DCA to (a random 256-unit network), active
    units only, as the latent stage estimates it."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from stage_growth import random_network_run

    from rnn_hypotheses.analysis.dca import block_toeplitz, cross_covariances
    from rnn_hypotheses.analysis.latent import active_units

    fit_data = random_network_run(UNITS)[3]
    active = fit_data[..., active_units(fit_data, 1e-8, min_units=D)]
    return block_toeplitz(cross_covariances(active, T, rectify=False))


def time_smallest_eigenvalue(data, repeats: int) -> None:
    """Lanczos (with its dense fallback) against the dense solver alone.

    Two indefinite window covariances: a random network's, like those the latent stage
    shifts, where the most negative eigenvalue lies apart from the rest; and the linear
    system's with two trials, fewer windows than dimensions, whose bottom eigenvalues
    crowd together, so Lanczos gives up after its restarts and the dense solver decides.
    Printed: both times, their ratio and the values' agreement.
    """
    import numpy as np
    import scipy.linalg

    from rnn_hypotheses.analysis.dca import block_toeplitz, cross_covariances, smallest_eigenvalue

    cases = {
        "random network": network_window_covariance(),
        "linear system, 2 trials": block_toeplitz(
            cross_covariances(data[:, :2], T, rectify=False)),
    }
    for name, window_cov in cases.items():
        lanczos_times, dense_times = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            lanczos = smallest_eigenvalue(window_cov)
            lanczos_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            dense = scipy.linalg.eigh(window_cov, eigvals_only=True, subset_by_index=[0, 0])[0]
            dense_times.append(time.perf_counter() - start)
        print(
            f"smallest eigenvalue, {name} ({len(window_cov)} rows): smallest_eigenvalue "
            f"{min(lanczos_times):.3f} s, dense {min(dense_times):.3f} s (ratio "
            f"{min(dense_times) / min(lanczos_times):.2f}); values {lanczos:.6g} and "
            f"{dense:.6g}, relative difference {abs(lanczos - dense) / abs(dense):.1e}"
            + ("" if np.isclose(lanczos, dense, rtol=1e-9, atol=0) else "  DISAGREE")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reference-python",
        type=Path,
        help="python of an environment with dynamicalcomponentsanalysis 1.1.0",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS/OpenMP threads for both sides (0: leave the environment)",
    )
    args = parser.parse_args()

    if args.threads > 0:
        # Before NumPy is imported (below, inside the functions), so it takes effect.
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)
    env = dict(os.environ)

    from rnn_hypotheses.analysis.dca import cross_covariances, predictive_information
    from rnn_hypotheses.analysis.subspaces import principal_angles

    data = simulate(SEED)
    print(
        f"data: {TRIALS} trials x {STEPS} steps x {UNITS} units; d = {D}, T = {T}; "
        f"threads: {args.threads or 'as set'}; best of {args.repeats}"
    )

    # The covariance estimate alone, for orientation (the rest of a fit is L-BFGS).
    cov_times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        cross_covs = cross_covariances(data, T)
        cov_times.append(time.perf_counter() - start)
    t_cov = min(cov_times)

    time_smallest_eigenvalue(data, args.repeats)

    ours_times, ours = time_project(data, args.repeats, tol=None)
    like_times, like = time_project(data, args.repeats, tol=REFERENCE_TOL)
    ours_best, like_best = min(ours_times), min(like_times)
    print(
        f"project  (default tol {ours.tol:g}): best {ours_best:.3f} s, median "
        f"{statistics.median(ours_times):.3f} s, PI {ours.pi_:.6f} nats "
        f"(cross-covariances alone {t_cov:.3f} s)"
    )
    print(
        f"project  (tol {REFERENCE_TOL:g} as reference): best {like_best:.3f} s, median "
        f"{statistics.median(like_times):.3f} s, PI {like.pi_:.6f} nats"
    )

    if args.reference_python is None:
        print(
            "reference: skipped (pass --reference-python PATH, the python of an environment "
            "with dynamicalcomponentsanalysis 1.1.0 and a CPU torch)"
        )
        return
    ref = time_reference(args.reference_python, data, args.repeats, args.threads, env)
    import numpy as np

    ref_best = min(ref["times"])
    ref_coef = np.asarray(ref["coef"])
    print(
        f"reference (dca 1.1.0, torch {ref['torch']}): best {ref_best:.3f} s, median "
        f"{statistics.median(ref['times']):.3f} s, PI {ref['pi']:.6f} nats "
        f"(recomputed here: {predictive_information(cross_covs, ref_coef):.6f})"
    )
    angles = principal_angles(ours.coef_, ref_coef)
    print(
        f"ratio reference / project: {ref_best / ours_best:.1f}x at the project's default "
        f"tolerance, {ref_best / like_best:.1f}x at the reference's"
    )
    print(
        f"PI project - reference: {ours.pi_ - ref['pi']:+.2e} nats; principal angles "
        f"between the two subspaces: {np.array2string(angles, precision=2)} degrees"
    )


if __name__ == "__main__":
    sys.exit(main())
