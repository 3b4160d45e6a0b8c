"""What training changed in ``W_rec``: per-network tables, summaries across networks, claims.

The connectivity stage of the workflow (report, sections 5.1 and 5.2) in the form
its rules need: every function takes arrays or data frames and returns a data
frame (or a dict of scalars) ready to be written as an artifact or drawn by a
figure module. The analyses themselves live in :mod:`.connectivity` and
:mod:`.centrality`; the statistics in :mod:`.stats`.

Conventions: ``W[i, j]`` is the weight from unit ``j`` to unit ``i``; weights are
dimensionless; steps are training steps (Adam updates); losses are mean squared
output errors (squared output units).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ..claims import ClaimSpec, evaluate_claims
from ..evaluate import loss_batch, task_loss
from ..network import Network
from ..tasks import Decision, Perception, Task
from . import centrality as Z
from . import connectivity as C
from .stats import ALPHA

__all__ = [
    "CHANGE_BIN_EDGES",
    "CLAIMS",
    "centrality_table",
    "change_histogram",
    "connectivity_claims",
    "eigenvalue_pairs",
    "low_rank_table",
    "network_summary",
    "nonnormality_table",
    "random_perturbation_growth",
]

CHANGE_BIN_EDGES: NDArray[np.float64] = np.logspace(-7, 1, 81)
"""Edges of the |dW| histogram: 10 log-spaced bins per decade from 1e-7 to 10.

Fixed rather than data-driven so that histograms of different networks (and
tasks) add up bin by bin. An Adam step moves a weight by at most about the
learning rate (1e-3), so changes of trained weights lie well inside this range.
"""


# ----------------------------------------------------------------------------- per network


def random_perturbation_growth(W_init: ArrayLike, dW: ArrayLike, seed: int = 0) -> float:
    """Largest eigenvalue-magnitude growth caused by a random change the size of ``dW``.

    The null of "a few eigenvalues grow": ``W_init`` plus a Gaussian matrix with
    zero diagonal and the Frobenius norm of ``dW``. Eigenvalues are paired as in
    :func:`.connectivity.connectivity_summary` (minimum total displacement), so the
    trained and the random growth are measured alike.

    Parameters
    ----------
    W_init, dW : array, shape (N, N)
    seed : int
        Seed of the random change.

    Returns
    -------
    float
        ``max_k (|lambda_k(W_init + R)| - |lambda_k(W_init)|)``.
    """
    A = np.asarray(W_init, dtype=float)
    D = np.asarray(dW, dtype=float)
    R = np.random.default_rng(seed).standard_normal(D.shape)
    np.fill_diagonal(R, 0.0)
    norm_r = np.linalg.norm(R, "fro")
    R *= np.linalg.norm(D, "fro") / norm_r if norm_r > 0 else 0.0
    match = C.match_eigenvalues(C.eigenvalues(A), C.eigenvalues(A + R))
    return float(np.max(match.magnitude_change))


def network_summary(
    W_init: ArrayLike,
    W_trained: ArrayLike,
    *,
    top_fraction: float = 0.1,
    energy: float = 0.9,
    seed: int = 0,
) -> dict[str, float]:
    """Every per-network scalar of the connectivity claims.

    :func:`.connectivity.connectivity_summary` plus two references it lacks:
    ``max_eigenvalue_growth_random`` (:func:`random_perturbation_growth`) and
    ``weight_std_init``, the standard deviation of the initial off-diagonal
    weights (the scale against which a weight change is small or large).

    Parameters
    ----------
    W_init, W_trained : array, shape (N, N)
    top_fraction, energy, seed
        See :func:`.connectivity.connectivity_summary`; ``seed`` also seeds the random
        perturbation.

    Returns
    -------
    dict of float, including ``n_units``.
    """
    A = np.asarray(W_init, dtype=float)
    B = np.asarray(W_trained, dtype=float)
    out = {"n_units": float(A.shape[0])}
    out.update(C.connectivity_summary(A, B, top_fraction=top_fraction, energy=energy, seed=seed))
    out["max_eigenvalue_growth_random"] = random_perturbation_growth(A, B - A, seed=seed)
    out["weight_std_init"] = float(np.std(C.offdiagonal(A)))
    return out


def eigenvalue_pairs(W_init: ArrayLike, W_trained: ArrayLike) -> dict[str, NDArray]:
    """Eigenvalues before and after training, paired, with their growth rank.

    Parameters
    ----------
    W_init, W_trained : array, shape (N, N)

    Returns
    -------
    dict of arrays, each shape (N,):
        ``eig_init`` and ``eig_final`` (complex; ``eig_final[k]`` is the partner of
        ``eig_init[k]``), ``magnitude_change`` (``|after| - |before|``) and
        ``growth_rank`` (0 for the eigenvalue whose magnitude grew most, 1 for the
        next, ...).
    """
    match = C.match_eigenvalues(C.eigenvalues(W_init), C.eigenvalues(W_trained))
    order = match.top(match.before.size)
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size)
    return {
        "eig_init": match.before,
        "eig_final": match.after,
        "magnitude_change": match.magnitude_change,
        "growth_rank": rank,
    }


def change_histogram(
    W_init: ArrayLike, W_trained: ArrayLike, edges: ArrayLike = CHANGE_BIN_EDGES
) -> pd.DataFrame:
    """Histogram of ``|W_trained - W_init|`` over the off-diagonal weights.

    A weight whose presynaptic unit never fires, or whose postsynaptic unit never
    does, gets a zero gradient at every step and so keeps its initial value
    exactly; such weights have no place on a log axis and are counted in a bin of
    their own, ``[0, edges[0])``.

    Parameters
    ----------
    W_init, W_trained : array, shape (N, N)
    edges : array, shape (B + 1,), increasing, positive
        Log-axis bin edges; changes above ``edges[-1]`` are counted in the last bin.

    Returns
    -------
    DataFrame with B + 1 rows: bin_low, bin_high, count (int64), fraction (of the
    N(N-1) weights). The first row, ``bin_low = 0``, holds the (practically)
    unchanged weights.
    """
    edges = np.asarray(edges, dtype=float)
    change = C.weight_change_magnitudes(W_init, W_trained)
    all_edges = np.concatenate([[0.0], edges])
    counts, _ = np.histogram(np.minimum(change, edges[-1]), bins=all_edges)
    return pd.DataFrame({
        "bin_low": all_edges[:-1],
        "bin_high": all_edges[1:],
        "count": counts.astype(np.int64),
        "fraction": counts / max(change.size, 1),
    })


def centrality_table(
    W_init: ArrayLike, W_trained: ArrayLike, measure: str = "eigenvector"
) -> pd.DataFrame:
    """Centrality of every node before and after training.

    Parameters
    ----------
    W_init, W_trained : array, shape (N, N)
    measure : str
        A key of :data:`.centrality.MEASURES`.

    Returns
    -------
    DataFrame with N rows: node, initial, final (centrality; units of the
    measure: unit-norm for eigenvector, a probability for PageRank, summed
    |weight| for strengths), rank_initial, rank_final (0 = most central).
    """
    c0 = Z.centrality(W_init, measure)
    c1 = Z.centrality(W_trained, measure)

    def ranks(c: NDArray[np.float64]) -> NDArray[np.int64]:
        order = np.argsort(-c, kind="stable")
        out = np.empty(c.size, dtype=np.int64)
        out[order] = np.arange(c.size)
        return out

    return pd.DataFrame({
        "node": np.arange(c0.size, dtype=np.int64),
        "initial": c0,
        "final": c1,
        "rank_initial": ranks(c0),
        "rank_final": ranks(c1),
    })


def nonnormality_table(steps: ArrayLike, Ws: ArrayLike) -> pd.DataFrame:
    """Departure from normality of every training snapshot.

    Parameters
    ----------
    steps : array, shape (S,)
        Training step of each snapshot.
    Ws : array, shape (S, N, N)
        The snapshots of ``W_rec``.

    Returns
    -------
    DataFrame with S rows: step, henrici (``||U||_F`` of the strictly upper part
    ``U`` of the complex Schur form), spectral (``||U||_2``), frobenius
    (``||W||_F``, for scale), spectral_radius.
    """
    Ws = np.asarray(Ws, dtype=float)
    henrici, spectral = C.departure_trajectory(Ws)
    return pd.DataFrame({
        "step": np.asarray(steps, dtype=np.int64),
        "henrici": henrici,
        "spectral": spectral,
        "frobenius": np.linalg.norm(Ws, axis=(1, 2)),
        "spectral_radius": [C.spectral_radius(W) for W in Ws],
    })


def low_rank_table(
    network: Network,
    task: Task,
    *,
    max_rank: int = 10,
    n_trials: int = 128,
    seed: int = 0,
) -> pd.DataFrame:
    """Spectrum of the training change and the loss of its rank-k truncations.

    Following Schuessler et al. (2020), ``W_init + [dW]_k`` (``[dW]_k`` the best
    rank-``k`` approximation of ``dW = W_rec - W_rec_init``) is scored on a fixed
    batch (:func:`~rnn_hypotheses.evaluate.loss_batch`) for ``k = 0 .. max_rank`` and
    for full rank (``k = N``, which is exactly the trained matrix). The diagonal of
    each truncated matrix is set to zero, because the model has no self-connections.

    Parameters
    ----------
    network : Network
        A trained network (``W_rec_init`` and ``W_rec``).
    task : Task
        The network's task (its loss batch).
    max_rank : int
        Largest truncation rank before full rank.
    n_trials : int
        Trials of the scoring batch.
    seed : int
        Seed of the random reference matrix
        (:func:`.connectivity.random_reference_singular_values`).

    Returns
    -------
    DataFrame with N + 1 rows, one per rank ``k = 0 .. N``:
        rank; singular_value (the k-th singular value of dW, NaN at k = 0);
        singular_value_random (of a Gaussian matrix of the same norm);
        energy_share and energy_share_random (``s_k^2 / sum s^2``);
        loss (NaN where ``k`` was not scored); truncated (bool, whether scored).
    """
    W0 = np.asarray(network.W_rec_init, dtype=float)
    W1 = np.asarray(network.W_rec, dtype=float)
    n = W0.shape[0]
    s = C.singular_values(W1 - W0)
    s_rand = C.random_reference_singular_values(W1 - W0, seed=seed)

    def share(x: NDArray[np.float64]) -> NDArray[np.float64]:
        total = np.sum(x**2)
        return x**2 / total if total > 0 else np.zeros_like(x)

    nan = np.array([np.nan])
    frame = pd.DataFrame({
        "rank": np.arange(n + 1, dtype=np.int64),
        "singular_value": np.concatenate([nan, s]),
        "singular_value_random": np.concatenate([nan, s_rand]),
        "energy_share": np.concatenate([nan, share(s)]),
        "energy_share_random": np.concatenate([nan, share(s_rand)]),
    })
    ranks = sorted({*range(min(max_rank, n) + 1), n})
    # one batch for every k: the losses then differ only through the weights
    batch = loss_batch(task, network, n_trials)
    loss = np.full(n + 1, np.nan)
    for k in ranks:
        W = C.truncated_weights(W0, W1, k, zero_diagonal=True)
        loss[k] = task_loss(network, W, task, batch=batch)
    frame["loss"] = loss
    frame["truncated"] = np.isfinite(loss)
    return frame


# ----------------------------------------------------------------------------- across networks


# ----------------------------------------------------------------------------- claims


CLAIMS: tuple[ClaimSpec, ...] = (
    ClaimSpec("mean_weight_decreases", "mean weight decreases during training", "5.1",
              "mean off-diagonal W_rec, trained minus initial", "mean_weight_final",
              kind="paired", other="mean_weight_init", alternative="less"),
    ClaimSpec("mean_weight_negative", "mean weight ends negative", "5.1",
              "mean off-diagonal W_rec after training", "mean_weight_final", alternative="less"),
    ClaimSpec("decision_decrease_larger", "the decision task's mean weight decrease exceeds the "
              "perception task's", "5.1",
              "decrease of the mean off-diagonal weight, {high} minus {low}",
              "mean_weight_change", kind="between", sign=-1.0,
              groups=(Decision.kind, Perception.kind),
              dimension_text="one more input dimension, a larger mean weight decrease"),
    ClaimSpec("few_weights_change", "few weights change much", "5.2",
              "share of sum(dW^2) carried by the top fraction of weights, vs i.i.d. Gaussian "
              "changes",
              "change_top_share", reference="change_top_share_gaussian"),
    ClaimSpec("few_eigenvalues_grow", "a few eigenvalues grow", "5.2",
              "largest growth of an eigenvalue magnitude, trained minus a random change of equal "
              "norm", "max_eigenvalue_growth", kind="paired", other="max_eigenvalue_growth_random"),
    ClaimSpec("centrality_reshuffled", "centrality ranks are reshuffled (initial and final ranks "
              "anti-correlated)", "5.2", "Spearman rho, initial vs final node centrality",
              "spearman_rho", alternative="less"),
    ClaimSpec("centrality_l_shape", "low-centrality nodes become the most central (L shape)", "5.2",
              "fraction of the final top nodes that were in the initial bottom half, vs chance",
              "fraction_top_from_bottom_half", reference="fraction_chance"),
    ClaimSpec("nonnormality_increases_2norm", "non-normality increases (2-norm, the report's "
              "measure)", "5.2", "||U||_2 of the strictly upper Schur part, trained minus initial",
              "spectral_departure_final", kind="paired", other="spectral_departure_init"),
    ClaimSpec("nonnormality_increases_henrici", "non-normality increases (Henrici, Frobenius norm)",
              "5.2", "||U||_F of the strictly upper Schur part, trained minus initial",
              "henrici_final", kind="paired", other="henrici_init"),
    ClaimSpec("nonnormality_increases_relative", "non-normality increases for the weights' "
              "size (Henrici / ||W_rec||_F)", "5.2",
              "||U||_F / ||W_rec||_F, trained minus initial", "henrici_relative_final",
              kind="paired", other="henrici_relative_init"),
    ClaimSpec("dW_low_rank", "the weight change dW is low rank", "5.2",
              "participation ratio of dW's singular values, minus that of a random matrix of equal "
              "norm", "dW_participation_ratio", kind="paired",
              other="dW_participation_ratio_random",
              alternative="less"),
)
"""The claims of the connectivity claims table, in its row order."""


def _note(part: pd.DataFrame, claim: ClaimSpec) -> str:
    """A sentence of context for a row: the scale that the statistic alone hides."""
    mean = part.mean(numeric_only=True)
    if claim.key == "few_weights_change":
        return (f"mean ||dW||_F / ||W_init||_F = {mean['dW_relative_norm']:.3g}; "
                f"Gaussian share = {mean['change_top_share_gaussian']:.3g}")
    if claim.key == "dW_low_rank":
        return (f"rank holding 90% of ||dW||^2: {mean['dW_energy_rank']:.3g} "
                f"(random {mean['dW_energy_rank_random']:.3g})")
    if claim.key == "centrality_l_shape":
        return f"chance fraction = {mean['fraction_chance']:.3g}"
    if claim.key == "nonnormality_increases_2norm":
        return (f"mean {mean['spectral_departure_init']:.3g} -> "
                f"{mean['spectral_departure_final']:.3g}; the report's 16.5 -> 17.5 matches "
                f"||W_rec||_F, {mean['frobenius_init']:.4g} -> {mean['frobenius_final']:.4g}")
    if claim.key == "nonnormality_increases_henrici":
        return (f"mean {mean['henrici_init']:.3g} -> {mean['henrici_final']:.3g}; "
                f"||W_rec||_F {mean['frobenius_init']:.4g} -> {mean['frobenius_final']:.4g}")
    if claim.key == "nonnormality_increases_relative":
        return (f"mean {mean['henrici_relative_init']:.4f} -> "
                f"{mean['henrici_relative_final']:.4f}")
    if claim.key == "few_eigenvalues_grow":
        return (f"mean spectral radius {mean['spectral_radius_init']:.3g} -> "
                f"{mean['spectral_radius_final']:.3g}")
    return ""


def connectivity_claims(
    summary: pd.DataFrame,
    kinds: Mapping[str, str],
    dimensions: Mapping[str, tuple[str, int]] | None = None,
    claims: Sequence[ClaimSpec] = CLAIMS,
    *,
    alpha: float = ALPHA,
    n_boot: int = 10_000,
    seed: int = 0,
) -> pd.DataFrame:
    """The connectivity claims table: one row per claim and task (one per between-task claim).

    Parameters
    ----------
    summary : DataFrame
        One row per network: ``task``, ``net`` and every column the claims name
        (the output of :func:`network_summary` merged with
        :func:`.centrality.centrality_summary`).
    kinds : mapping
        Each task's kind (the between-task claim compares decision with perception tasks).
    dimensions : mapping, optional
        Task -> (family, input dimension) of a complexity sweep's tasks: the between-task
        claim also compares each family's consecutive dimensions.
    claims : sequence of ClaimSpec
    alpha, n_boot, seed
        Test level, bootstrap resamples and bootstrap seed.

    Returns
    -------
    DataFrame with :data:`.stats.CLAIMS_COLUMNS`. Per-task claims read
    ``"<task>: <text>"``; tasks in name order.
    """
    return evaluate_claims(claims, summary, kinds=kinds, dimensions=dimensions,
                           note=lambda part, claim, state: _note(part, claim),
                           alpha=alpha, n_boot=n_boot, seed=seed)
