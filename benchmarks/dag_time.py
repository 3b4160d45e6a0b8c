"""Time of `snakemake -n` on the full experiment for 10 and 100 networks per task.

The issue of scale: with 100 networks per task, building and printing the DAG
of every job (all targets of config.yaml, nothing built yet) must take under
30 s. This runs the dry run exactly as a user would, in an empty temporary
working directory (so every job is planned), once with the local settings and
once with profiles/slurm (which adds the per-network grouping), and reports
its wall time, its CPU time (which hardly depends on what else the machine is
running), the number of Snakemake jobs, and for the SLURM profile the number
of SLURM submissions the groups reduce them to. The ratio between the two
sizes shows how the time scales with the number of jobs.

    python benchmarks/dag_time.py [--networks 10 100] [--repeats 1] [--limit 30]

Exits with status 1 if a dry run fails, or if --strict is given and one with
the largest network count exceeds --limit.
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILES = {"local": [], "slurm": ["--profile", str(ROOT / "profiles" / "slurm")]}


def dry_run(networks: int, profile: str) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system) and output of one dry run."""
    with tempfile.TemporaryDirectory(prefix="dag_time_") as workdir:
        cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", workdir,
               *PROFILES[profile], "-n", "--config", f"networks_per_task={networks}"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        run = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    output = run.stdout + run.stderr
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{output[-4000:]}")
    return elapsed, cpu, output


def job_counts(output: str) -> tuple[int, int]:
    """(Snakemake jobs, SLURM submissions) planned by a dry run.

    A job printed inside a group block is indented; the group is one
    submission. The target rule `all` runs nowhere and counts as neither.
    """
    stats = output.split("Job stats:")[1].split("\n\n")[0]
    counts = {m[1]: int(m[2]) for m in re.finditer(r"^(\S+)\s+(\d+)$", stats, re.M)}
    jobs = counts["total"] - counts.get("all", 0)
    grouped = len(re.findall(r"^ +rule \w+:$", output, re.M))
    groups = len(re.findall(r"Group job \S+ \(jobs in lexicogr. order\):", output))
    return jobs, jobs - grouped + groups


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--networks", type=int, nargs="+", default=[10, 100],
                        help="networks per task, smallest first")
    parser.add_argument("--repeats", type=int, default=1, help="dry runs per size; the best counts")
    parser.add_argument("--profiles", nargs="+", choices=sorted(PROFILES),
                        default=["local", "slurm"])
    parser.add_argument("--limit", type=float, default=30.0, help="seconds allowed (issue 6)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when over the limit")
    args = parser.parse_args()

    print(f"snakemake -n, all targets of config.yaml, empty working directory "
          f"(best of {args.repeats})")
    print(f"{'profile':8} {'networks/task':>13} {'jobs':>6} {'submissions':>11} "
          f"{'wall s':>7} {'cpu s':>6} {'ms/job':>7}")
    over = False
    for profile in args.profiles:
        times = []
        for networks in args.networks:
            best, cpu, output = min((dry_run(networks, profile) for _ in range(args.repeats)),
                                    key=lambda r: r[0])
            jobs, submissions = job_counts(output)
            times.append(best)
            shown = submissions if profile == "slurm" else "-"
            print(f"{profile:8} {networks:13d} {jobs:6d} {shown!s:>11} {best:7.1f} {cpu:6.1f} "
                  f"{1000 * best / jobs:7.1f}")
        if len(times) > 1:
            print(f"{profile:8} ratio {args.networks[-1]}/{args.networks[0]} networks: "
                  f"{times[-1] / times[0]:.1f}x the time for "
                  f"{args.networks[-1] / args.networks[0]:.0f}x the networks")
        status = "within" if times[-1] <= args.limit else "OVER"
        over |= times[-1] > args.limit
        print(f"{profile:8} {args.networks[-1]} networks/task: {times[-1]:.1f} s, {status} "
              f"the {args.limit:.0f} s limit")
    return 1 if (over and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
