"""Compare two results folders artifact by artifact: is the science bitwise the same?

    python benchmarks/compare_results.py results_before/ results_after/ [--values-only]

Every npz array must have the same dtype, shape and bits (NaN equal to NaN), every
parquet frame the same columns, dtypes and values, and every artifact the same
stored config (``--values-only`` leaves that out). Columns that time the run
(``seconds``, ``*_s``) are left out, as are logs, benchmark files, figures (their
files embed dates) and the reproducibility record (versions, commit, times); a
markdown table is compared through its parquet twin. Exits 1 and lists the
differences if there are any.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from rnn_hypotheses import artifacts

TIMING_COLUMN = re.compile(r"^seconds$|_s$")
SKIPPED_FOLDERS = {"logs", "benchmarks", "figures"}
SKIPPED_TABLES = {"reproducibility"}


def compared_files(root: Path) -> set[Path]:
    """Artifacts below ``root`` (relative paths) that carry results."""
    files = set()
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if not path.is_file() or SKIPPED_FOLDERS & set(relative.parts[:-1]):
            continue
        if path.stem in SKIPPED_TABLES or path.suffix not in (".npz", ".parquet"):
            continue
        files.add(relative)
    return files


def stored_config(path: Path) -> dict:
    """The config an artifact was written with."""
    if path.suffix == ".npz":
        return artifacts.npz_config(artifacts.read_npz(path))
    return artifacts.parquet_config(path)


def npz_differences(a: Path, b: Path) -> list[str]:
    left, right = artifacts.read_npz(a), artifacts.read_npz(b)
    for arrays in (left, right):
        arrays.pop(artifacts.CONFIG_KEY, None)
    found = [f"fields {sorted(set(left) ^ set(right))} in only one"] if set(left) != set(
        right) else []
    for key in sorted(set(left) & set(right)):
        x, y = left[key], right[key]
        if x.dtype != y.dtype or x.shape != y.shape:
            found.append(f"{key}: {x.dtype}{x.shape} against {y.dtype}{y.shape}")
        elif not np.array_equal(x, y, equal_nan=x.dtype.kind in "fc"):
            found.append(f"{key}: values differ")
    return found


def parquet_differences(a: Path, b: Path) -> list[str]:
    left, right = artifacts.read_parquet(a), artifacts.read_parquet(b)
    if list(left.columns) != list(right.columns):
        return [f"columns {list(left.columns)} against {list(right.columns)}"]
    kept = [c for c in left.columns if not TIMING_COLUMN.search(str(c))]
    left, right = left[kept], right[kept]
    if not left.dtypes.equals(right.dtypes):
        return ["column dtypes differ"]
    if not left.equals(right):
        return [f"values differ in {[c for c in kept if not left[c].equals(right[c])]}"]
    return []


def compare(before: Path, after: Path, values_only: bool = False) -> tuple[int, list[str]]:
    """Number of artifacts compared, and one line per difference."""
    first, second = compared_files(before), compared_files(after)
    report = [f"only in {before}: {p}" for p in sorted(first - second)]
    report += [f"only in {after}: {p}" for p in sorted(second - first)]
    for relative in sorted(first & second):
        a, b = before / relative, after / relative
        if not values_only and stored_config(a) != stored_config(b):
            report.append(f"{relative}: stored config differs")
        differ = npz_differences if relative.suffix == ".npz" else parquet_differences
        report += [f"{relative}: {line}" for line in differ(a, b)]
    return len(first & second), report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--values-only", action="store_true",
                        help="leave out the config stored with each artifact")
    args = parser.parse_args()
    count, report = compare(args.before, args.after, args.values_only)
    print("\n".join(report) if report else "no differences")
    print(f"{count} artifacts compared in both folders")
    return 1 if report else 0


if __name__ == "__main__":
    pd.set_option("display.width", 120)
    sys.exit(main())
