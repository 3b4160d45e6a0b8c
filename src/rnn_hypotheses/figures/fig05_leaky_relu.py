"""Figure 5: the leaky-ReLU activation family used to vary the nonlinearity."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd


def theta_label(theta: float) -> str:
    """An angle in radians as a multiple of pi, e.g. 'π/8' or '3π/16'."""
    from fractions import Fraction

    frac = Fraction(theta / np.pi).limit_denominator(96)
    if frac == 0:
        return "0"
    num = "" if frac.numerator == 1 else str(frac.numerator)
    return f"{num}π/{frac.denominator}" if frac.denominator != 1 else f"{num}π"


def leaky_relu_figure(curves: pd.DataFrame) -> plt.Figure:
    """Draw Figure 5.

    Parameters
    ----------
    curves : DataFrame
        theta (radians), slope (tan theta), x (pre-activation), y (activation);
        one curve per theta.
    """
    fig, ax = plt.subplots(figsize=(4.4, 3.6), constrained_layout=True)
    thetas = np.sort(curves["theta"].unique())
    colours = plt.cm.viridis(np.linspace(0.0, 0.9, len(thetas)))
    for theta, colour in zip(thetas, colours, strict=True):
        one = curves[curves["theta"] == theta]
        label = f"θ = {theta_label(theta)} (slope {one['slope'].iloc[0]:.2f})"
        ax.plot(one["x"], one["y"], color=colour, lw=1.6, label=label)
    ax.axhline(0, color="0.7", lw=0.8, zorder=0)
    ax.axvline(0, color="0.7", lw=0.8, zorder=0)
    ax.set(xlabel="pre-activation m", ylabel="f(m)", aspect="equal",
           title="Leaky ReLU: slope tan θ below zero\nθ = 0 is the ReLU, θ = π/4 the identity")
    ax.legend(loc="upper left", fontsize=7.5)
    return fig
