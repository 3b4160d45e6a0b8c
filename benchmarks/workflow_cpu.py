"""CPU of one run of the workflow, rule by rule, as the operating system counts it.

    python benchmarks/workflow_cpu.py [--configfile tests/config/smoke.yaml] [--cores 2]
                                      [--workdir DIR] [TARGET ...] [-- SNAKEMAKE OPTION ...]

Runs Snakemake on the given config (default: the smoke config, a couple of minutes on
2 cores) in an empty working directory (a temporary one unless --workdir names one),
and reports for each rule its jobs, their CPU (user + system) in all and per job, and
the largest peak memory of one; then the CPU of Snakemake's own process (the run's
total less its jobs': parsing, scheduling, bookkeeping, and any child it starts that
is not a job), the total of the whole process tree and the wall time.

Each job's Python process reports its own CPU and peak memory when it exits (getrusage
in a sitecustomize module that this benchmark puts first on PYTHONPATH for the run),
tagged with the job's rule. Snakemake's benchmark files are no substitute: they sample a
job's CPU every few seconds and miss most of it for a job of seconds (a latent job of
16 s of CPU read as 7 s).

The totals depend on the machine and its load; the split between rules, the CPU per
job of the cheap rules (start-up and imports) and Snakemake's share are what compare.
Do not point it at config.yaml on a shared machine without meaning to: that is the
whole experiment.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Put first on PYTHONPATH: every Python process of the run imports it at start-up, and a
# Snakemake job's script (which holds the global `snakemake`) appends one line at exit.
HOOK = '''
import atexit, os, resource, sys

def _report():
    job = getattr(sys.modules.get("__main__"), "snakemake", None)
    rule = getattr(job, "rule", None)
    if rule is None:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    with open(os.environ["RNN_JOB_CPU_LOG"], "a") as log:
        log.write(f"{rule}\\t{usage.ru_utime + usage.ru_stime:.3f}\\t{peak_mb:.0f}\\n")

atexit.register(_report)
'''


def run_workflow(workdir: Path, config: Path, cores: int, targets: list[str],
                 options: list[str] = ()) -> tuple[float, float, Path, str]:
    """Wall seconds, CPU seconds of the process tree, the jobs' log and Snakemake's output."""
    hook_dir = workdir / ".cpu_hook"
    hook_dir.mkdir(parents=True, exist_ok=True)
    (hook_dir / "sitecustomize.py").write_text(HOOK)
    job_log = workdir / "job_cpu.tsv"
    job_log.unlink(missing_ok=True)
    env = dict(os.environ, RNN_JOB_CPU_LOG=str(job_log),
               PYTHONPATH=os.pathsep.join(filter(None, [str(hook_dir),
                                                        os.environ.get("PYTHONPATH")])))
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(workdir),
           "--cores", str(cores), *options, *targets, "--configfile", str(config)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = run.stdout + run.stderr
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{output[-4000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, job_log, output


def rule_table(job_log: Path) -> dict[str, tuple[int, float, float]]:
    """rule -> (jobs, CPU seconds, largest peak memory in MB), from the jobs' log."""
    jobs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    if job_log.exists():
        for line in job_log.read_text().splitlines():
            rule, cpu, peak = line.split("\t")
            jobs[rule].append((float(cpu), float(peak)))
    return {rule: (len(rows), sum(c for c, _ in rows), max(p for _, p in rows))
            for rule, rows in jobs.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help="Snakemake targets (default: all)")
    parser.add_argument("--configfile", type=Path, default=ROOT / "tests/config/smoke.yaml")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--workdir", type=Path,
                        help="run here (kept) instead of in a temporary folder")
    argv = sys.argv[1:]
    options = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)

    with tempfile.TemporaryDirectory(prefix="workflow_cpu_") as tmp:
        workdir = (args.workdir or Path(tmp)).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        wall, cpu, job_log, _ = run_workflow(workdir, args.configfile.resolve(), args.cores,
                                             args.targets, options)
        rules = rule_table(job_log)

    jobs_cpu = sum(c for _, c, _ in rules.values())
    n_jobs = sum(n for n, _, _ in rules.values())
    print(f"{args.configfile.name}, {args.cores} cores{', ' if options else ''}"
          f"{' '.join(options)}: {n_jobs} jobs")
    print(f"{'rule':32} {'jobs':>5} {'cpu s':>8} {'s/job':>7} {'peak MB':>8}")
    for rule, (n, c, peak) in sorted(rules.items(), key=lambda item: -item[1][1]):
        print(f"{rule:32} {n:5d} {c:8.1f} {c / n:7.2f} {peak:8.0f}")
    print(f"{'jobs':32} {n_jobs:5d} {jobs_cpu:8.1f}")
    print(f"{'snakemake process':32} {'':5} {cpu - jobs_cpu:8.1f} "
          f"{(cpu - jobs_cpu) / max(n_jobs, 1):7.2f}")
    print(f"{'process tree':32} {'':5} {cpu:8.1f}")
    print(f"wall {wall:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
