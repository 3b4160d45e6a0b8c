"""Deterministic random streams keyed by (task, network seed, purpose).

Every random draw of the project comes from a generator built here, so any
artifact can be rebuilt alone: the stream for, say, the training batch of step
1200 of perception network 3 does not depend on what else was drawn before.
"""

from __future__ import annotations

import zlib

import numpy as np


def _key(word: str) -> int:
    # crc32 is stable across Python runs and platforms, unlike hash().
    return zlib.crc32(word.encode("utf-8"))


def rng_for(task: str, seed: int, purpose: str, *extra: int) -> np.random.Generator:
    """Return the generator for one purpose of one network.

    Parameters
    ----------
    task : str
        Task name, e.g. ``"perception"``.
    seed : int
        The network's seed.
    purpose : str
        What the draws are for, e.g. ``"init"``, ``"batch"``, ``"noise"``.
    *extra : int
        Further non-negative integers, e.g. the training step.
    """
    entropy = [_key(task), int(seed), _key(purpose), *(int(e) for e in extra)]
    return np.random.default_rng(np.random.SeedSequence(entropy))
