"""Figure modules on small synthetic frames: one panel per configured task, in config order.

Three tasks, two of one kind, stand for a config with a task beside the report's two;
each figure must title its panels with the task names in config order and in each
task's colour.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import colors

from rnn_hypotheses.figures import frames, style
from rnn_hypotheses.figures.fig01_task_performance import task_performance_figure
from rnn_hypotheses.figures.fig02_latent_isocontours import latent_isocontours_figure
from rnn_hypotheses.figures.fig03_latent_switching import latent_switching_figure
from rnn_hypotheses.figures.fig04_mean_weight import mean_weight_figure
from rnn_hypotheses.figures.fig06_pi_vs_nonlinearity import pi_vs_nonlinearity_figure
from rnn_hypotheses.figures.fig07_weight_changes import weight_changes_figure
from rnn_hypotheses.figures.fig08_centrality import centrality_figure
from rnn_hypotheses.figures.fig09_subspace_pre_post import subspace_pre_post_figure
from rnn_hypotheses.figures.fig10_subspace_conditions import subspace_conditions_figure
from rnn_hypotheses.figures.fig11_readout_angles import readout_angles_figure
from rnn_hypotheses.figures.figS1_nonnormality import NORMS, nonnormality_figure
from rnn_hypotheses.figures.figS2_low_rank_change import low_rank_figure
from rnn_hypotheses.figures.figS3_dca_uniqueness import dca_uniqueness_figure
from rnn_hypotheses.figures.figS4_fixed_points import fixed_points_figure
from rnn_hypotheses.figures.figS5_slow_point_counts import slow_point_counts_figure
from rnn_hypotheses.tasks import KINDS

# config order: a second task of the first kind between the report's two
KIND_NAMES = list(KINDS)
TASK_KINDS = {"alpha": KIND_NAMES[0], "beta": KIND_NAMES[1], "gamma": KIND_NAMES[0]}
VIEWS = style.task_views(TASK_KINDS)
NETS = ["net00", "net01"]
STATES = ["untrained", "trained"]
RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def inputs_of(view: style.TaskView) -> np.ndarray:
    """A few conditions of the view's kind: one input on levels, or a grid of two."""
    if view.condition_scale == "categorical":
        return np.array([[0.5], [0.8]])
    values = np.linspace(0.2, 1.0, 3)
    u1, u2 = np.meshgrid(values, values, indexing="ij")
    return np.column_stack([u1.ravel(), u2.ravel()])


def value_of(task: str, inputs: np.ndarray) -> np.ndarray:
    return style.condition_value_of(VIEWS[task])(inputs)


def titles(fig: plt.Figure) -> list[tuple[str, tuple]]:
    """(title, colour) of every visible axes with a title, in drawing order, both locs."""
    out = []
    for ax in fig.get_axes():
        if not ax.get_visible():
            continue
        for loc in ("center", "left"):
            text = ax.title if loc == "center" else ax._left_title
            if text.get_text():
                out.append((text.get_text(), colors.to_rgba(text.get_color())))
    return out


def assert_task_panels(fig: plt.Figure, *, per_task: int = 1) -> None:
    """Each task titles ``per_task`` panels, in its colour, the tasks in config order."""
    seen = []
    for task, view in VIEWS.items():
        mine = [(t, c) for t, c in titles(fig)
                if t.split(",")[0].split(" ")[0].split(":")[0] == task]
        assert len(mine) == per_task, (task, titles(fig))
        assert all(c == colors.to_rgba(view.colour) for _, c in mine), (task, mine)
        seen.append(next(k for k, (t, _) in enumerate(titles(fig)) if (t, _) == mine[0]))
    assert seen == sorted(seen), titles(fig)


def per_task(rows_of) -> pd.DataFrame:
    """Concatenate ``rows_of(task, net)`` over tasks and networks, with task and net."""
    return pd.concat([pd.DataFrame(rows_of(task, net)).assign(task=task, net=net)
                      for task in VIEWS for net in NETS], ignore_index=True)


def band_of(frame: pd.DataFrame, by: list[str], value: str) -> pd.DataFrame:
    g = frame.groupby(by, as_index=False)[value]
    out = g.mean().rename(columns={value: "mean"})
    return out.assign(ci_low=out["mean"] - 0.1, ci_high=out["mean"] + 0.1, n=len(NETS))


# --- style ------------------------------------------------------------------------------


def test_task_views_colour_by_config_position():
    assert list(VIEWS) == ["alpha", "beta", "gamma"]
    assert [v.colour for v in VIEWS.values()] == list(style.TASK_PALETTE[:3])
    assert VIEWS["alpha"].kind == VIEWS["gamma"].kind != VIEWS["beta"].kind


def test_condition_value_of_is_the_kinds():
    for view in VIEWS.values():
        u = inputs_of(view)
        bare = KINDS[view.kind](view.name, {})
        np.testing.assert_array_equal(style.condition_value_of(view)(u), bare.condition_value(u))


@pytest.mark.parametrize("task", list(VIEWS))
def test_condition_colours(task):
    view = VIEWS[task]
    values = value_of(task, inputs_of(view))
    colour_of = style.condition_colours(view, [*values, np.nan])
    assert colour_of(np.nan) == colors.to_rgba("black")
    fills = {colour_of(v) for v in values}
    assert len(fills) == len(np.unique(values))  # each value its own colour
    if view.condition_scale == "categorical":
        assert colour_of.levels == tuple(np.unique(values))
        assert [h.get_label() for h in colour_of.handles()] == [
            f"{v:g}" for v in np.unique(values)]
    else:
        assert colour_of.reach == pytest.approx(np.abs(values).max())
        assert colour_of.handles() == []
        assert colour_of.mappable().norm.vmin == -colour_of.reach


def test_with_condition_values_per_task():
    frame = per_task(lambda task, net: {
        **{f"input{i + 1}": inputs_of(VIEWS[task])[:, i]
           for i in range(inputs_of(VIEWS[task]).shape[1])}})
    out = frames.with_condition_values(
        frame, {t: style.condition_value_of(v) for t, v in VIEWS.items()})
    for task in VIEWS:
        part = out[out["task"] == task]
        u = part[frames.input_columns(part)].to_numpy(float)
        np.testing.assert_array_equal(part["value"], value_of(task, u))


# --- figures ----------------------------------------------------------------------------


def test_fig01_one_panel_per_task_by_its_performance_view():
    time_ms = np.arange(10, 110, 10.0)

    def condition_rows(task, net):
        u = inputs_of(VIEWS[task])
        return {"value": value_of(task, u), "mean_output": RNG.random(len(u)),
                "target": np.ones(len(u))}

    def trace_rows(task, net):
        u = inputs_of(VIEWS[task])
        value = np.repeat(value_of(task, u), len(time_ms))
        return {"value": value, "time_ms": np.tile(time_ms, len(u)),
                "output": RNG.random(value.size), "target": np.ones(value.size)}

    fig = task_performance_figure(per_task(condition_rows), per_task(trace_rows), VIEWS)
    assert_task_panels(fig)
    for ax in fig.get_axes():
        task = ax.get_title().split(" ")[0]
        view = VIEWS[task]
        expected = "time (ms)" if view.performance_view == "over_time" else view.condition_label
        assert ax.get_xlabel() == expected


def test_fig02_and_fig03_name_their_task():
    u = inputs_of(VIEWS["beta"])
    steady = pd.concat([pd.DataFrame({"net": net, "state": state, "input1": u[:, 0],
                                      "input2": u[:, 1], "dc1": RNG.random(len(u)),
                                      "dc2": RNG.random(len(u)), "dc3": RNG.random(len(u))})
                        for net in NETS for state in STATES], ignore_index=True)
    fig = latent_isocontours_figure(steady, task="beta")
    suptitles = [sub._suptitle.get_text() for sub in fig.subfigs]
    assert len(suptitles) == 3 and all(t.startswith("beta, ") for t in suptitles)

    time_ms = np.arange(1, 41) * 10.0
    level = np.where((np.arange(40) // 10) % 2 == 0, 0.5, 0.8)
    trajectories = pd.concat([pd.DataFrame({"net": net, "state": state, "time_ms": time_ms,
                                            "input": level, "dc1": RNG.random(40),
                                            "dc2": RNG.random(40)})
                              for net in NETS for state in STATES], ignore_index=True)
    fixed = pd.concat([pd.DataFrame({"net": net, "state": state, "input": [0.5, 0.8],
                                     "dc1": RNG.random(2), "dc2": RNG.random(2)})
                       for net in NETS for state in STATES], ignore_index=True)
    fig = latent_switching_figure(trajectories, fixed, task="gamma")
    assert all(sub._suptitle.get_text().startswith("gamma, ") for sub in fig.subfigs)


def test_fig04_s1_s2_draw_each_task_in_its_colour():
    steps = np.arange(0, 50, 10)
    traces = per_task(lambda task, net: {"step": steps, "mean_weight": RNG.random(5),
                                         **{norm: RNG.random(5) for norm in NORMS}})
    fig = mean_weight_figure(traces, band_of(traces, ["task", "step"], "mean_weight"), VIEWS)
    lines = [line for line in fig.axes[0].get_lines() if line.get_label().split(" ")[0]
             in VIEWS]
    assert [line.get_label().split(" ")[0] for line in lines] == list(VIEWS)
    assert [line.get_color() for line in lines] == [v.colour for v in VIEWS.values()]

    bands = pd.concat([band_of(traces, ["task", "step"], norm).assign(norm=norm)
                       for norm in NORMS], ignore_index=True)
    fig = nonnormality_figure(traces, bands, VIEWS)
    labels = [t.get_text().split(":")[0] for t in fig.axes[0].get_legend().get_texts()]
    assert labels == list(VIEWS)

    ranks = np.arange(1, 6)
    spectra = per_task(lambda task, net: {"rank": ranks, "energy_share": 1.0 / ranks,
                                          "energy_share_random": 0.5 / ranks})
    spectrum_bands = pd.concat([
        band_of(spectra, ["task", "rank"], "energy_share").assign(source="dW"),
        band_of(spectra, ["task", "rank"], "energy_share_random").assign(source="random")])
    losses = per_task(lambda task, net: {"rank": [0, 1, 2, 24], "loss": RNG.random(4) + 0.1,
                                         "full": [False, False, False, True]})
    fig = low_rank_figure(spectra, spectrum_bands, losses,
                          band_of(losses, ["task", "rank"], "loss"), VIEWS)
    labels = [t.get_text().split(" ")[0] for t in fig.axes[1].get_legend().get_texts()]
    assert labels == list(VIEWS)


def test_fig06_and_fig09_one_panel_per_task():
    thetas = np.linspace(0, np.pi / 4, 3)
    table = pd.concat([per_task(lambda task, net: {"theta": thetas, "pi": RNG.random(3)})
                       .assign(state=state) for state in STATES], ignore_index=True)
    fig = pi_vs_nonlinearity_figure(table, band_of(table, ["task", "state", "theta"], "pi"),
                                    VIEWS)
    assert_task_panels(fig)

    angles = per_task(lambda task, net: {"dim": [1, 2, 3], "angle_dca": RNG.random(3) * 90,
                                         "chance": [50.0, 60.0, 70.0]})
    fig = subspace_pre_post_figure(angles, band_of(angles, ["task", "dim"], "angle_dca"),
                                   VIEWS, orthogonal_deg=60)
    assert_task_panels(fig)


def test_fig07_and_fig08_one_panel_per_task():
    edges = np.array([0.0, 1e-6, 1e-4, 1e-2, 1.0])
    histogram = pd.concat([pd.DataFrame({"task": task, "bin_low": edges[:-1],
                                         "bin_high": edges[1:], "fraction": [0.1, 0.2, 0.3,
                                                                             0.4]})
                           for task in VIEWS], ignore_index=True)
    eig = RNG.normal(size=6) + 1j * RNG.normal(size=6)
    eigenvalues = per_task(lambda task, net: {
        "re_init": eig.real, "im_init": eig.imag, "re_final": eig.real * 1.1,
        "im_final": eig.imag, "marked": [True, False, False, False, False, False]})
    summary = per_task(lambda task, net: {"weight_std_init": [0.1], "change_top_share": [0.5],
                                          "change_top_share_gaussian": [0.3]})
    fig = weight_changes_figure(histogram, eigenvalues, summary, VIEWS, top_fraction=0.1)
    assert len(fig.axes) == 1 + len(VIEWS)
    assert_task_panels(fig)

    nodes = per_task(lambda task, net: {"node": range(5), "initial": RNG.random(5),
                                        "final": RNG.random(5), "measure": "eigenvector"})
    summary = per_task(lambda task, net: {"spearman_rho": [0.5],
                                          "fraction_top_from_bottom_half": [0.2],
                                          "fraction_chance": [0.1]})
    fig = centrality_figure(nodes, summary, dict.fromkeys(VIEWS, "net00"), VIEWS)
    assert_task_panels(fig)


def test_fig10_fig11_one_row_per_task_and_s3_one_group_per_task_and_state():
    angles = pd.concat([per_task(lambda task, net: {
        "dim": [1, 2], "angle": RNG.random(2) * 90, "conditions": "a vs b"}).assign(state=s)
        for s in STATES], ignore_index=True)
    fig = subspace_conditions_figure(angles, band_of(angles, ["task", "state", "dim"], "angle"),
                                     VIEWS)
    assert_task_panels(fig, per_task=len(STATES))

    readout = pd.concat([per_task(lambda task, net: {
        "space": ["DCA", "PCA"], "angle": RNG.random(2) * 90}).assign(state=s)
        for s in STATES], ignore_index=True)
    chance = pd.DataFrame({"task": list(VIEWS), "angle": 80.0})
    fig = readout_angles_figure(readout, band_of(readout, ["task", "state", "space"], "angle"),
                                chance, VIEWS)
    assert_task_panels(fig, per_task=len(STATES))

    restarts = pd.concat([per_task(lambda task, net: {
        "restart": range(3), "pi_gap": RNG.random(3), "max_angle": RNG.random(3) * 90})
        .assign(state=s) for s in STATES], ignore_index=True)
    shares = pd.DataFrame([{"task": t, "state": s, "share": 0.5, "n_networks": 2, "n_all": 1}
                           for t in VIEWS for s in STATES])
    fig = dca_uniqueness_figure(restarts, shares, VIEWS, unique_angle_deg=5)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == [f"{t}\n{s}" for t in VIEWS for s in STATES]
    assert [colors.to_rgba(t.get_color()) for t in fig.axes[0].get_xticklabels()] == [
        colors.to_rgba(VIEWS[t].colour) for t in VIEWS for _ in STATES]


def slowpoint_frames():
    """Trajectories, points and modes of the example network of every task (Figure S4)."""
    trajectories, points, modes = [], [], []
    time_ms = np.arange(1, 11) * 10.0
    for task, view in VIEWS.items():
        values = value_of(task, inputs_of(view))
        for state in STATES:
            for k, value in enumerate([*values, np.nan]):
                trajectories.append(pd.DataFrame({
                    "task": task, "state": state, "trial": k, "time_ms": time_ms,
                    "c1": RNG.random(10), "c2": RNG.random(10), "c3": RNG.random(10),
                    "value": value, "kind": "held" if np.isfinite(value) else "switching"}))
            points.append(pd.DataFrame({
                "task": task, "state": state, "condition": range(len(values)),
                "method": "exact", "kind": ["stable"] * (len(values) - 1) + ["saddle"],
                "value": values, "c1": RNG.random(len(values)), "c2": RNG.random(len(values)),
                "c3": RNG.random(len(values))}))
            modes.append(pd.DataFrame({"task": task, "state": state, "value": values[-1:],
                                       **{f"{e}{k}": [0.5] for e in "ab" for k in (1, 2, 3)}}))
    return (pd.concat(trajectories, ignore_index=True), pd.concat(points, ignore_index=True),
            pd.concat(modes, ignore_index=True))


def test_figS4_one_row_per_task_with_its_key():
    trajectories, points, modes = slowpoint_frames()
    # a fixed point and a slow region of undetermined stability (on a ReLU kink whose
    # sides disagree) in the first panel, and a determined slow region
    first = points.iloc[[0, 0, 0]].assign(method=["exact", "slow", "slow"],
                                          kind=["undetermined", "undetermined", "stable"])
    points = pd.concat([points, first], ignore_index=True)
    fig = fixed_points_figure(trajectories, points, modes, VIEWS, net="net00")
    assert_task_panels(fig, per_task=len(STATES))
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "undetermined (on a ReLU kink, sides disagree)" in labels
    assert "slow region, undetermined stability" in labels
    task, state = first[["task", "state"]].iloc[0]
    title = next(t for t, _ in titles(fig) if t.startswith(f"{task}, {state}"))
    assert "1 undetermined, 2 slow region(s)" in title
    # each row's key: a legend of the levels, or a colourbar of the diverging scale
    keys = [ax for ax in fig.get_axes() if not ax.axison and ax.name != "3d"]
    legends = [ax.get_legend().get_title().get_text() for ax in keys if ax.get_legend()]
    categorical = [t for t, v in VIEWS.items() if v.condition_scale == "categorical"]
    assert [t.split(":")[0] for t in legends] == categorical
    colourbars = [cax.get_ylabel() for ax in keys for cax in ax.child_axes]
    assert [t.split(":")[0] for t in colourbars] == [
        t for t, v in VIEWS.items() if v.condition_scale == "diverging"]


def test_figS4_titles_name_the_topology_where_given():
    trajectories, points, modes = slowpoint_frames()
    task = next(iter(VIEWS))
    fig = fixed_points_figure(trajectories, points, modes, VIEWS, net="net00",
                              topology={(task, "trained"): "bistable"})
    named = [t for t, _ in titles(fig) if "(net00: bistable)" in t]
    assert len(named) == 1 and named[0].startswith(f"{task}, trained")
    # the other panels keep the plain network name
    assert sum("(net00)" in t for t, _ in titles(fig)) == len(VIEWS) * len(STATES) - 1


@pytest.mark.parametrize("example", ["alpha", "beta"])
def test_figS5_groups_every_task_and_draws_the_example_tasks_spectra(example):
    quantities = {"fixed": "fixed points of any kind per input condition",
                  "slow": "slow regions (q > 0 minima slower than the noise) per input "
                          "condition",
                  "slowest_rate_range": "range over inputs of the slowest rate (1/s)"}
    stats = pd.concat([per_task(lambda task, net: {key: [RNG.random()] for key in quantities})
                       .assign(state=s) for s in STATES], ignore_index=True)
    from rnn_hypotheses.figures import figS5_slow_point_counts as S5

    counts = pd.DataFrame([{"task": t, "state": s, "quantity": S5._QUANTITY[key],
                            "mean": 0.5, "ci_low": 0.4, "ci_high": 0.6}
                           for t in VIEWS for s in STATES for key in quantities])
    u = inputs_of(VIEWS[example])
    values = value_of(example, u)
    spectra = pd.concat([pd.DataFrame({
        "state": s, "condition": k, "autonomous": k == len(values),
        "value": v, "re": -RNG.random(4), "im": RNG.normal(size=4)})
        for s in STATES for k, v in enumerate([*values, np.nan])], ignore_index=True)
    rates = pd.concat([per_task(lambda task, net: {
        "value": value_of(task, inputs_of(VIEWS[task])),
        "rate": -RNG.random(len(inputs_of(VIEWS[task])))}).assign(state=s) for s in STATES],
        ignore_index=True)
    per_condition = pd.concat([pd.DataFrame({
        "net": net, "state": s, "condition": range(len(values)),
        "label": [f"u={tuple(row)}" for row in u], "n_stable": 1, "n_saddle": 0})
        for net in NETS for s in STATES], ignore_index=True)
    fig = slow_point_counts_figure(stats, counts, spectra, rates, per_condition, VIEWS,
                                   example_task=example, net="net00")
    # strips: every (task, state), the task names below in their colours
    strip = next(ax for ax in fig.get_axes() if ax._left_title.get_text().startswith("Q2: fixed"))
    assert len(strip.get_xticklabels()) == len(VIEWS) * len(STATES)
    names = [t.get_text() for t in strip.texts]
    assert names == list(VIEWS)
    # spectra and the points per input: the example task's; one rate panel per task
    spectra_titles = [t for t, _ in titles(fig) if "spectrum" in t]
    assert len(spectra_titles) == 2 and all(t.startswith(f"{example} net00") for t in
                                            spectra_titles)
    rate_axes = [ax for ax in fig.get_axes() if "slowest mode against" in ax.get_title()]
    assert [ax.get_title().split(":")[0] for ax in rate_axes] == list(VIEWS)
    assert [ax.get_xlabel() for ax in rate_axes] == [v.condition_label for v in VIEWS.values()]
