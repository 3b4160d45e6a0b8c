"""Robustness variants: the whole experiment rerun with other seeds or gains.

A variant is a name and the config values that differ from the run's config
(config/robustness.yaml). The workflow imports itself once per variant as a
Snakemake module whose ``results/`` paths move to ``results/robustness/<name>/``;
these helpers give that module its config, folder and rule-name prefix.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence

__all__ = ["claims_paths", "merge_config", "subsample_folder", "variant_config",
           "variant_folder", "variant_module", "variants"]


def merge_config(base: Mapping, overrides: Mapping) -> dict:
    """``base`` with ``overrides`` merged in, nested dicts key by key (as Snakemake does).

    Parameters
    ----------
    base, overrides : mapping
        Neither is modified.

    Returns
    -------
    dict
    """
    out = copy.deepcopy(dict(base))
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge_config(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def variants(config: Mapping) -> dict[str, dict]:
    """Every variant of every rule set of ``config["robustness"]`` (none if absent).

    Returns
    -------
    dict
        Variant name -> its overrides, rule sets in order.
    """
    out: dict[str, dict] = {}
    for rule_set, members in (config.get("robustness") or {}).items():
        for name, overrides in members.items():
            if name in out:
                raise ValueError(f"robustness variant {name!r} appears in two rule sets "
                                 f"(again in {rule_set!r})")
            out[name] = dict(overrides)
    return out


def variant_config(config: Mapping, overrides: Mapping) -> dict:
    """The config of a variant: the run's config with its overrides, and no variants.

    Dropping ``robustness`` keeps the variant's module from importing variants in turn;
    dropping ``subsamples`` keeps it from building claims tables nobody reads.
    """
    return merge_config({k: v for k, v in config.items()
                         if k not in ("robustness", "subsamples")}, overrides)


def variant_folder(name: str) -> str:
    """Where a variant's results go (it replaces ``results``)."""
    return f"results/robustness/{name}"


def subsample_folder(networks: int) -> str:
    """Where the claims tables at the first ``networks`` networks of each task go."""
    return f"results/subsample/n{networks}"


def variant_module(name: str) -> str:
    """The Snakemake module name of a variant, also the prefix of its rule names.

    Module and rule names must be identifiers, so ``g0.8`` becomes ``robustness_g0_8``.
    """
    return f"robustness_{re.sub(r'[^0-9A-Za-z_]', '_', name)}"


def claims_paths(names: Sequence[str], folder: str = "results") -> list[str]:
    """The parquet files of the named claims tables of a run whose results are in ``folder``."""
    return [f"{folder}/tables/{name}.parquet" for name in names]
