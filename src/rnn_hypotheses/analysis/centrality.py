"""Node centrality of the recurrent weight graph and how training reshuffles it.

The graph has an edge ``j -> i`` of weight ``|W[i, j]|`` for every non-zero
``W[i, j]`` (``W[i, j]`` is the weight from unit ``j`` to unit ``i``). Magnitudes
are used because centrality measures need non-negative weights and an inhibitory
connection is as much a channel of influence as an excitatory one.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import numpy as np
import scipy.sparse.linalg
from numpy.typing import ArrayLike, NDArray
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence
from scipy.stats import spearmanr

__all__ = [
    "MEASURES",
    "centrality",
    "centrality_summary",
    "eigenvector_centrality",
    "in_strength",
    "l_shape",
    "out_strength",
    "pagerank",
    "weight_graph",
]


def weight_graph(W: ArrayLike) -> nx.DiGraph:
    """Directed graph of a weight matrix, weighted by ``|W|``.

    Parameters
    ----------
    W : array, shape (N, N)
        ``W[i, j]`` is the weight from node ``j`` to node ``i``.

    Returns
    -------
    networkx.DiGraph
        Nodes ``0 .. N-1`` (all present, even if isolated); edge ``j -> i`` with
        attribute ``weight = |W[i, j]|`` for every non-zero entry. A non-zero
        diagonal becomes self-loops.
    """
    A = np.asarray(W, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"W must be square, got shape {A.shape}")
    # from_numpy_array reads M[u, v] as the edge u -> v, so transpose to get j -> i
    return nx.from_numpy_array(np.abs(A).T, create_using=nx.DiGraph)


def _as_array(values: dict[int, float], n: int) -> NDArray[np.float64]:
    return np.array([values[i] for i in range(n)], dtype=float)


def _dense_perron_vector(A: NDArray[np.float64]) -> NDArray[np.float64]:
    """Unit-norm non-negative eigenvector of ``A`` for its eigenvalue of largest real part."""
    vals, vecs = np.linalg.eig(A)
    v = np.real(vecs[:, np.argmax(vals.real)])
    # a Perron vector has one sign; abs() removes the arbitrary global sign of the solver
    v = np.abs(v)
    return v / np.linalg.norm(v)


def eigenvector_centrality(G: nx.DiGraph, max_iter: int = 1000) -> NDArray[np.float64]:
    """Eigenvector centrality of a weighted digraph, unit Euclidean norm.

    Node ``i`` is central when it receives strong input from central nodes:
    ``x_i`` is proportional to ``sum_j w(j -> i) x_j``, i.e. ``x`` is the Perron
    vector of ``|W|``.

    ARPACK (from a fixed start vector) is tried first; plain power iteration is not
    used because it oscillates on periodic graphs (a directed cycle). Graphs too
    small for ARPACK (N < 3) or on which it does not converge fall back to a dense
    eigen-decomposition of the same matrix.

    Parameters
    ----------
    G : networkx.DiGraph with nodes 0 .. N-1 and a ``weight`` attribute
    max_iter : int
        ARPACK iteration limit.

    Returns
    -------
    array, shape (N,), non-negative, unit Euclidean norm.
    """
    n = G.number_of_nodes()
    if n == 0:
        raise ValueError("empty graph")
    if G.number_of_edges() == 0:
        # no edges: every node is equally (un)important
        return np.full(n, 1 / np.sqrt(n))
    # ARPACK needs N >= 3; on a graph that is not strongly connected the Perron vector
    # need not be unique, and the dense solver below picks one as before
    if n >= 3 and nx.is_strongly_connected(G):
        M = nx.to_scipy_sparse_array(G, nodelist=range(n), weight="weight", dtype=float)
        try:
            # A fixed start vector: ARPACK's own random start changes from call to call in
            # one process, which moves the result in its last bits.
            _, vectors = scipy.sparse.linalg.eigs(M.T, k=1, which="LR", maxiter=max_iter,
                                                  tol=0, v0=np.full(n, 1 / np.sqrt(n)))
            x = np.abs(vectors[:, 0].real)
            return x / np.linalg.norm(x)
        except (ArpackNoConvergence, ArpackError, TypeError, ValueError):
            pass
    A = nx.to_numpy_array(G, nodelist=range(n), weight="weight")
    # A[u, v] is the edge u -> v; centrality sums over in-edges, hence A.T
    return _dense_perron_vector(A.T)


def pagerank(G: nx.DiGraph, alpha: float = 0.85) -> NDArray[np.float64]:
    """PageRank with damping ``alpha`` along the weighted edges, shape (N,), sums to 1."""
    n = G.number_of_nodes()
    return _as_array(nx.pagerank(G, alpha=alpha, weight="weight", max_iter=1000, tol=1e-12), n)


def in_strength(G: nx.DiGraph) -> NDArray[np.float64]:
    """Total incoming weight per node, ``sum_j |W[i, j]|``, shape (N,)."""
    return _as_array(dict(G.in_degree(weight="weight")), G.number_of_nodes())


def out_strength(G: nx.DiGraph) -> NDArray[np.float64]:
    """Total outgoing weight per node, ``sum_i |W[i, j]|``, shape (N,)."""
    return _as_array(dict(G.out_degree(weight="weight")), G.number_of_nodes())


MEASURES: dict[str, Callable[[nx.DiGraph], NDArray[np.float64]]] = {
    "eigenvector": eigenvector_centrality,
    "pagerank": pagerank,
    "in_strength": in_strength,
    "out_strength": out_strength,
}
"""Centrality measures selectable by name (the keys are the config values)."""


def centrality(W: ArrayLike, measure: str = "eigenvector") -> NDArray[np.float64]:
    """Centrality of every unit of a recurrent weight matrix.

    Parameters
    ----------
    W : array, shape (N, N)
        ``W[i, j]`` is the weight from unit ``j`` to unit ``i``.
    measure : {"eigenvector", "pagerank", "in_strength", "out_strength"}

    Returns
    -------
    array, shape (N,)
    """
    try:
        fn = MEASURES[measure]
    except KeyError:
        raise ValueError(
            f"unknown centrality measure {measure!r}; choose from {sorted(MEASURES)}"
        ) from None
    return fn(weight_graph(W))


def l_shape(
    c_init: ArrayLike, c_final: ArrayLike, top_fraction: float = 0.1
) -> tuple[int, int, float]:
    """How many of the final top nodes were in the initial bottom half.

    The report's "L shape" (its Figure 8): nodes of low initial centrality become
    the most central after training.

    Parameters
    ----------
    c_init, c_final : array, shape (N,)
        Centrality of each node before and after training.
    top_fraction : float in (0, 1]
        The final top set is the ``ceil(top_fraction * N)`` most central nodes.

    Returns
    -------
    n_top : int
        Size of the final top set.
    n_from_bottom : int
        How many of them were among the ``floor(N / 2)`` least central nodes initially.
    fraction : float
        ``n_from_bottom / n_top``. If initial and final rankings were unrelated it
        would be about ``floor(N / 2) / N``; if training kept the ranking it is 0.
    """
    a = np.asarray(c_init, dtype=float).ravel()
    b = np.asarray(c_final, dtype=float).ravel()
    if a.shape != b.shape or a.size == 0:
        raise ValueError(f"need two equal, non-empty vectors, got {a.shape} and {b.shape}")
    if not 0 < top_fraction <= 1:
        raise ValueError("top_fraction must lie in (0, 1]")
    n = a.size
    n_top = max(1, int(np.ceil(top_fraction * n)))
    # stable sorts so that ties are broken by node index, reproducibly
    top_final = np.argsort(-b, kind="stable")[:n_top]
    bottom_init = np.argsort(a, kind="stable")[: n // 2]
    n_from_bottom = int(np.isin(top_final, bottom_init).sum())
    return n_top, n_from_bottom, n_from_bottom / n_top


def centrality_summary(
    c_init: ArrayLike, c_final: ArrayLike, top_fraction: float = 0.1
) -> dict[str, float]:
    """Per-network summary of how training reshuffled centrality.

    Parameters
    ----------
    c_init, c_final : array, shape (N,)
    top_fraction : float
        Passed to :func:`l_shape`.

    Returns
    -------
    dict with float values:
        n_nodes, spearman_rho, spearman_p (two-sided, initial vs final),
        n_top, n_top_from_bottom_half, fraction_top_from_bottom_half,
        fraction_chance (``floor(N/2)/N``, the fraction expected with no relation).
    """
    a = np.asarray(c_init, dtype=float).ravel()
    b = np.asarray(c_final, dtype=float).ravel()
    n_top, n_bottom, frac = l_shape(a, b, top_fraction)
    if a.size >= 3 and np.ptp(a) > 0 and np.ptp(b) > 0:
        res = spearmanr(a, b)
        rho, p = float(res.statistic), float(res.pvalue)
    else:
        # rank correlation is undefined for constant vectors or fewer than 3 nodes
        rho, p = float("nan"), float("nan")
    n = a.size
    return {
        "n_nodes": float(n),
        "spearman_rho": rho,
        "spearman_p": p,
        "n_top": float(n_top),
        "n_top_from_bottom_half": float(n_bottom),
        "fraction_top_from_bottom_half": frac,
        "fraction_chance": (n // 2) / n,
    }
