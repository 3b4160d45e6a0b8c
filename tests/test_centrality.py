"""Centrality of weight graphs with known answers, and the rank-reshuffling summary."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_hypotheses.analysis import centrality as Z


def _cycle(n: int) -> np.ndarray:
    W = np.zeros((n, n))
    for j in range(n):
        W[(j + 1) % n, j] = 1.0  # unit j feeds unit j+1
    return W


def _star(n_leaves: int) -> np.ndarray:
    W = np.zeros((n_leaves + 1, n_leaves + 1))
    W[0, 1:] = 1.0  # leaves -> hub
    W[1:, 0] = -1.0  # hub -> leaves (inhibitory: magnitude counts)
    return W


def test_graph_edges_point_from_presynaptic_to_postsynaptic_unit():
    W = np.zeros((3, 3))
    W[1, 0] = -2.0
    G = Z.weight_graph(W)
    assert set(G.nodes) == {0, 1, 2}
    assert list(G.edges(data="weight")) == [(0, 1, 2.0)]


@pytest.mark.parametrize("n", [2, 3, 7])
def test_eigenvector_centrality_of_a_cycle_is_uniform(n):
    c = Z.centrality(_cycle(n), "eigenvector")
    np.testing.assert_allclose(c, np.full(n, 1 / np.sqrt(n)), atol=1e-8)


def test_eigenvector_centrality_of_a_star_peaks_at_the_hub():
    c = Z.centrality(_star(5))
    assert np.argmax(c) == 0
    # Perron vector of the star: hub / leaf = sqrt(number of leaves)
    np.testing.assert_allclose(c[1:] / c[1], 1.0)
    assert c[0] / c[1] == pytest.approx(np.sqrt(5))


def test_pagerank_is_a_distribution_and_peaks_at_the_hub():
    c = Z.centrality(_star(5), "pagerank")
    assert c.sum() == pytest.approx(1.0)
    assert np.argmax(c) == 0
    np.testing.assert_allclose(Z.centrality(_cycle(5), "pagerank"), 0.2)


def test_strengths_are_row_and_column_sums_of_magnitudes():
    W = np.random.default_rng(0).standard_normal((6, 6))
    np.fill_diagonal(W, 0.0)
    np.testing.assert_allclose(Z.centrality(W, "in_strength"), np.abs(W).sum(axis=1))
    np.testing.assert_allclose(Z.centrality(W, "out_strength"), np.abs(W).sum(axis=0))


def test_unknown_measure_is_rejected():
    with pytest.raises(ValueError, match="unknown centrality measure"):
        Z.centrality(_cycle(3), "betweenness")


def test_l_shape_on_a_constructed_example():
    c_init = np.arange(20.0)  # node i has initial rank i; bottom half = nodes 0..9
    c_final = np.zeros(20)
    c_final[0] = 10.0  # from the bottom half to the top
    c_final[15] = 9.0  # from the top half to the top
    n_top, n_bottom, frac = Z.l_shape(c_init, c_final, top_fraction=0.1)
    assert (n_top, n_bottom, frac) == (2, 1, 0.5)


def test_l_shape_and_spearman_for_kept_and_reversed_rankings():
    c = np.linspace(0.1, 1.0, 30)
    kept = Z.centrality_summary(c, 2 * c)
    assert kept["spearman_rho"] == pytest.approx(1.0)
    assert kept["fraction_top_from_bottom_half"] == 0.0
    flipped = Z.centrality_summary(c, c[::-1])
    assert flipped["spearman_rho"] == pytest.approx(-1.0)
    assert flipped["n_top"] == 3
    assert flipped["n_top_from_bottom_half"] == 3
    assert flipped["fraction_chance"] == 0.5


def test_summary_of_a_constant_vector_has_undefined_correlation():
    out = Z.centrality_summary(np.ones(5), np.arange(5.0))
    assert np.isnan(out["spearman_rho"])


def test_eigenvector_centrality_is_bitwise_repeatable():
    """ARPACK's own random start changes between calls in one process; the fixed start
    makes a rerun of any artifact give the same bits."""
    W = np.random.default_rng(5).normal(size=(60, 60))
    graph = Z.weight_graph(W)
    first = Z.eigenvector_centrality(graph)
    for _ in range(3):
        np.testing.assert_array_equal(Z.eigenvector_centrality(graph), first)
    # node i receives |W[i, j]| from node j: x is the Perron vector of |W|
    pushed = np.abs(W) @ first
    np.testing.assert_allclose(pushed / np.linalg.norm(pushed), first, atol=1e-12)
