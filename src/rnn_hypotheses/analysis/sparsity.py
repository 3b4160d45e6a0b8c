"""How many recurrent weights an L1 penalty drives to (near) zero (report, section 6).

A weight is near zero when its magnitude is below ``fraction`` of the standard deviation
of the network's initial off-diagonal weights: with the default 0.1, about 8% of the
initial Gaussian weights already are (P(|z| < 0.1) for a standard normal z), which is
the baseline an unpenalised network keeps. Adam moves a weight the task does not need by
about one learning rate (0.001) per step around zero, well inside that band.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

NEAR_ZERO_FRACTION = 0.1


def offdiagonal(W: ArrayLike) -> np.ndarray:
    """The off-diagonal entries of a square matrix, shape (N (N - 1),)."""
    W = np.asarray(W, dtype=float)
    return W[~np.eye(W.shape[0], dtype=bool)]


def near_zero_share(W: ArrayLike, W_init: ArrayLike,
                    fraction: float = NEAR_ZERO_FRACTION) -> float:
    """Share of W's off-diagonal weights with |w| < ``fraction`` x std of W_init's.

    Parameters
    ----------
    W, W_init : arrays, shape (N, N)
        The recurrent weights to measure, and the initial ones that set the scale.
    fraction : float
        The band around zero, in units of the initial weights' standard deviation.
    """
    scale = float(np.std(offdiagonal(W_init)))
    if scale == 0:
        raise ValueError("the initial weights have no spread to measure against")
    return float(np.mean(np.abs(offdiagonal(W)) < fraction * scale))
