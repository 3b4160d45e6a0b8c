"""Interactive Figures 2, 3 and S4: the plotly figures from hand-made frames, and the
smoke run's HTML pages opened in a real headless browser (tests/browser)."""

from __future__ import annotations

import base64
import re
from collections import defaultdict

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from rnn_hypotheses.config import network_ids
from rnn_hypotheses.figures import interactive
from rnn_hypotheses.figures.style import task_views
from rnn_hypotheses.simulate import input_onset
from rnn_hypotheses.tasks import KINDS, configured_tasks

from .browser import chromium
from .conftest import snakemake

KINDS_OF = {"perception": "perception", "decision": "decision"}
VIEWS = task_views(KINDS_OF)


def coordinates(n: int, dims: int, seed: int, prefix: str = "dc") -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {f"{prefix}{k + 1}": rng.normal(size=n) for k in range(dims)}


def points_of(trace) -> int:
    """Points of one trace, every coordinate of it holding as many."""
    lengths = {len(getattr(trace, axis)) for axis in ("x", "y", "z")
               if getattr(trace, axis, None) is not None}
    assert len(lengths) == 1, lengths
    return lengths.pop()


def by_role(fig: go.Figure) -> dict[tuple, list[int]]:
    """(net, state, role) -> sorted point counts of its traces."""
    out: dict[tuple, list[int]] = defaultdict(list)
    for trace in fig.data:
        out[trace.meta["net"], trace.meta["state"], trace.meta["role"]].append(points_of(trace))
    return {key: sorted(counts) for key, counts in out.items()}


# ----------------------------------------------------------------------------- Figure 2


def steady_grid(dims: int, nets=("net00", "net01"), levels=(0.2, 0.6, 1.0)) -> pd.DataFrame:
    """A 3 x 3 input grid's steady states for each network and state."""
    u1, u2 = (g.ravel() for g in np.meshgrid(levels, levels, indexing="ij"))
    frames = [pd.DataFrame({"net": net, "state": state, "input1": u1, "input2": u2,
                            **coordinates(len(u1), dims, seed)})
              for seed, (net, state) in enumerate((n, s) for n in nets
                                                  for s in ("untrained", "trained"))]
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("dims", [3, 2, 1])
def test_isocontours_view_draws_one_trace_per_line(dims):
    fig = interactive.isocontours_view(steady_grid(dims), view=VIEWS["decision"])
    # per network: two trained rows (input 1, then input 2 varies) and one untrained row,
    # each with three lines of three states and one trace of the three equal-input states
    assert len(fig.data) == 2 * 3 * 4
    counts = by_role(fig)
    for net in ("net00", "net01"):
        assert counts[net, "trained", "isocontour"] == [3] * 6
        assert counts[net, "untrained", "isocontour"] == [3] * 3
        assert counts[net, "trained", "equal inputs"] == [3, 3]
        assert counts[net, "untrained", "equal inputs"] == [3]
    expected_type = go.Scatter3d if dims == 3 else go.Scatter
    assert all(isinstance(trace, expected_type) for trace in fig.data)
    if dims == 1:  # the coordinate against the varying input
        line = fig.data[0]
        assert sorted(line.x) == [0.2, 0.6, 1.0]


def test_isocontours_view_hover_names_network_state_and_condition():
    fig = interactive.isocontours_view(steady_grid(3), view=VIEWS["decision"])
    line = next(t for t in fig.data if t.meta["net"] == "net01" and t.meta["state"] == "trained")
    assert "net01" in line.hovertemplate and "trained" in line.hovertemplate
    assert "input 1 - input 2 = %{customdata[1]" in line.hovertemplate
    # each point's inputs and condition value (input 1 - input 2)
    inputs, value = line.customdata[0]
    u = [float(x) for x in re.findall(r"[-\d.]+", inputs)]
    assert inputs.startswith("u = (") and value == pytest.approx(u[0] - u[1])
    # a line's legend group is its fixed input: one legend entry for every panel's line
    groups = {t.legendgroup for t in fig.data}
    assert {"input 2 = 0.2", "input 1 = 1", "equal inputs"} <= groups
    assert sum(t.showlegend for t in fig.data) == len(groups)


def test_network_buttons_show_one_network_at_a_time():
    fig = interactive.isocontours_view(steady_grid(3), view=VIEWS["decision"])
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["all networks", "net00", "net01"]
    visible = buttons[2].args[0]["visible"]
    assert visible == [t.meta["net"] == "net01" for t in fig.data] and any(visible)


# ----------------------------------------------------------------------------- Figure 3


def switching_frames(dims: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A 12-step trial at 0.5, 0.8, 0.5 (4 steps each) per network and state, and the
    steady states of two held trials at each level."""
    time_ms = np.arange(12) * 10.0
    received = np.repeat([0.5, 0.8, 0.5], 4) + np.linspace(-0.01, 0.01, 12)  # noisy input
    trajectories, steady = [], []
    for seed, state in enumerate(("untrained", "trained")):
        trajectories.append(pd.DataFrame({"net": "net00", "state": state, "time_ms": time_ms,
                                          "input": received, **coordinates(12, dims, seed)}))
        steady.append(pd.DataFrame({"net": "net00", "state": state,
                                    "input": [0.5, 0.5, 0.8, 0.8],
                                    **coordinates(4, dims, seed + 10)}))
    return pd.concat(trajectories, ignore_index=True), pd.concat(steady, ignore_index=True)


def test_level_runs_cover_every_step():
    assert interactive.level_runs(np.array([0, 0, 1, 1, 1, 0])) == [(0, 2), (2, 5), (5, 6)]
    assert interactive.level_runs(np.array([1, 1])) == [(0, 2)]
    assert interactive.level_runs(np.array([], int)) == []


@pytest.mark.parametrize("dims", [3, 2, 1])
def test_switching_view_draws_each_stretch_of_the_trial(dims):
    fig = interactive.switching_view(*switching_frames(dims), view=VIEWS["perception"])
    counts = by_role(fig)
    for state in ("untrained", "trained"):
        # 4 steps, then 4 + 1 and 4 + 1: each stretch starts at the one before it ends
        assert counts["net00", state, "segment"] == [4, 5, 5]
        assert counts["net00", state, "start"] == [1]
        assert counts["net00", state, "steady state"] == [2, 2]
    assert len(fig.data) == 2 * (3 + 1 + 2)
    segments = [t for t in fig.data if t.meta["role"] == "segment"]
    assert [t.legendgroup for t in segments[:3]] == ["input 0.5", "input 0.8", "input 0.5"]
    # the stretches join: each one's first point is the previous one's last
    assert segments[1].x[0] == segments[0].x[-1]
    hover = segments[1].hovertemplate
    assert "net00" in hover and "untrained" in hover and "input level 0.8" in hover
    assert "input level = 0.8" in hover  # the kind's condition value


# ----------------------------------------------------------------------------- Figure S4


def fixed_point_frames(dims: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One decision panel per state: three held trials and one switching trial of 5 steps;
    points: at value -0.4 a stable point and a saddle, at 0.4 a stable point and two slow
    regions (one undetermined), at 0 an undetermined exact point; the saddle's two unstable
    modes."""
    frames = []
    for state in ("untrained", "trained"):
        trials = []
        for trial, (u, kind) in enumerate((((0.2, 0.6), "held"), ((0.6, 0.2), "held"),
                                           ((0.6, 0.6), "held"), ((np.nan, np.nan), "switch"))):
            trials.append(pd.DataFrame({
                "task": "decision", "state": state, "trial": trial,
                "time_ms": np.arange(5) * 10.0, "value": u[0] - u[1], "kind": kind,
                "input1": u[0], "input2": u[1],
                **coordinates(5, dims, trial, prefix="c")}))
        frames.append(pd.concat(trials))
    trajectories = pd.concat(frames, ignore_index=True)
    rows = [("exact", "stable", 0.2, 0.6, 0), ("exact", "saddle", 0.2, 0.6, 2),
            ("exact", "stable", 0.6, 0.2, 0), ("slow", "stable", 0.6, 0.2, 0),
            ("slow", "undetermined", 0.6, 0.2, 1), ("exact", "undetermined", 0.6, 0.6, 1)]
    points = pd.DataFrame(rows, columns=["method", "kind", "input1", "input2", "n_unstable"])
    points = points.assign(location=np.arange(len(rows)), value=points.input1 - points.input2)
    points = pd.concat([points.assign(task="decision", state=s) for s in ("untrained",
                                                                          "trained")])
    rng = np.random.default_rng(3)
    for k in range(1, dims + 1):
        points[f"c{k}"] = rng.normal(size=len(points))
    eigenvalues = np.array([[0.002 + 0.001j, 0.001 - 0.001j, -0.01],
                            [0.003, 0.001, -0.02]] + [[-0.005, -0.01, -0.02]] * 4)
    modes = pd.DataFrame({"task": "decision", "state": ["untrained"] * 2 + ["trained"] * 2,
                          "condition": 0, "value": -0.4, "location": 1, "mode": [0, 1, 0, 1],
                          "method": "exact",
                          **{f"{end}{k}": rng.normal(size=4) for end in "ab"
                             for k in range(1, dims + 1)}})
    # the hand-made spectra stand for both states' npz alike
    points, modes = interactive.with_eigenvalues(points.reset_index(drop=True), modes,
                                                 eigenvalues)
    return trajectories, points, modes


def test_with_eigenvalues_takes_the_leading_one_and_each_modes_own():
    _, points, modes = fixed_point_frames(3)
    saddle = points[(points["kind"] == "saddle")].iloc[0]
    # 1/ms -> 1/s: the leading eigenvalue is the first (largest real part)
    assert (saddle["eig_re"], saddle["eig_im"]) == pytest.approx((3.0, 0.0))
    assert modes["eig_re"].tolist() == pytest.approx([3.0, 1.0, 3.0, 1.0])
    stable = points[(points["location"] == 0)].iloc[0]
    assert (stable["eig_re"], stable["eig_im"]) == pytest.approx((2.0, 1.0))


def test_format_eigenvalue():
    assert interactive.format_eigenvalue(-6.48, 0.0) == "-6.48 /s"
    assert interactive.format_eigenvalue(2.0, -1.0) == "2 ± 1i /s"
    assert interactive.format_eigenvalue(np.nan, 0.0) == "none"


@pytest.mark.parametrize("dims", [3, 2, 1])
def test_fixed_points_view_draws_trials_points_and_modes(dims):
    fig = interactive.fixed_points_view(*fixed_point_frames(dims), VIEWS, net="net00")
    counts = by_role(fig)
    for state in ("untrained", "trained"):
        assert counts["net00", state, "trial"] == [5] * 4
        # (value, class): (-0.4, stable), (-0.4, saddle), (0.4, stable), (0.4, slow),
        # (0.4, slow undetermined), (0, undetermined)
        assert counts["net00", state, "points"] == [1] * 6
        assert counts["net00", state, "mode"] == [2, 2]
    assert len(fig.data) == 2 * (4 + 6 + 2)
    expected_type = go.Scatter3d if dims == 3 else go.Scatter
    assert all(isinstance(trace, expected_type) for trace in fig.data)


def test_fixed_points_view_hover_names_kind_condition_and_eigenvalue():
    fig = interactive.fixed_points_view(*fixed_point_frames(3), VIEWS, net="net07")
    points = [t for t in fig.data if t.meta["role"] == "points" and t.meta["state"] == "trained"]
    hover = {t.customdata[0][1]: (t.hovertemplate, t.customdata[0]) for t in points}
    assert set(hover) == {"stable fixed point (exact)", "saddle (exact fixed point)",
                          "slow region (q > 0 minimum), stable",
                          "slow region of undetermined stability",
                          "exact fixed point of undetermined stability (on a ReLU kink "
                          "whose sides disagree)"}
    template, (inputs, _, eigenvalue, n_unstable) = hover["saddle (exact fixed point)"]
    assert inputs == "u = (0.2, 0.6)" and eigenvalue == "3 /s" and n_unstable == 2
    assert "decision" in template and "trained" in template and "net07" in template
    assert "input 1 - input 2 = -0.4" in template and "leading eigenvalue" in template
    mode = next(t for t in fig.data if t.meta["role"] == "mode")
    assert "eigenvalue: 3 /s" in mode.hovertemplate and "net07" in mode.hovertemplate
    trial = next(t for t in fig.data if t.meta["role"] == "trial")
    assert "u = (0.2, 0.6)" in trial.hovertemplate and "input 1 - input 2 = -0.4" in (
        trial.hovertemplate)
    # one legend group per condition value: its trials, points and modes toggle together
    saddle = next(t for t in points if t.customdata[0][1].startswith("saddle"))
    assert saddle.legendgroup == mode.legendgroup == trial.legendgroup


def test_write_html_embeds_plotly_and_is_the_same_each_time(tmp_path):
    fig = interactive.switching_view(*switching_frames(3), view=VIEWS["perception"])
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    interactive.write_html(fig, first, div_id="fig03-test")
    interactive.write_html(fig, second, div_id="fig03-test")
    page = first.read_text()
    assert first.read_bytes() == second.read_bytes()
    assert 'id="fig03-test"' in page and first.stat().st_size > 3_000_000  # plotly.js inside
    assert not re.search(r"<script[^>]+src=", page)  # nothing fetched when it opens


# ----------------------------------------------------------------------------- workflow


def smoke_layout(config: dict) -> dict:
    """The tasks and networks the smoke run's interactive figures draw (config alone)."""
    tasks = configured_tasks(config)
    nets = network_ids(config)
    return {"isocontours": [t for t, task in tasks.items() if task.latent_view == "isocontours"],
            "switching": [t for t, task in tasks.items() if task.latent_view == "switching"],
            "examples": nets[: config["latent"]["example_nets"]],
            "example_net": nets[config["slowpoints"]["example_net"]],
            "kinds": {t: task.kind for t, task in tasks.items()}}


def load(path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as npz:
        return {key: npz[key] for key in npz.files if key != "__config__"}


def expected_isocontours(folder, nets) -> dict[tuple, list[int]]:
    """(net, state, role) -> point counts of Figure 2's traces, from latent_{state}.npz."""
    out: dict[tuple, list[int]] = defaultdict(list)
    for net in nets:
        for state in ("untrained", "trained"):
            levels = load(folder / net / f"latent_{state}.npz")["steady_levels"]
            n_inputs = levels.shape[1]
            varying = range(n_inputs) if state == "trained" else [0]
            for v in varying:
                others = [k for k in range(n_inputs) if k != v]
                if not others:
                    out[net, state, "isocontour"].append(len(levels))
                    continue
                _, sizes = np.unique(levels[:, others], axis=0, return_counts=True)
                out[net, state, "isocontour"].extend(sizes.tolist())
                equal = int(np.all(np.isclose(levels, levels[:, :1]), axis=1).sum())
                if equal:
                    out[net, state, "equal inputs"].append(equal)
    return {key: sorted(v) for key, v in out.items()}


def expected_switching(folder, nets) -> dict[tuple, list[int]]:
    """The same for Figure 3: the first switching trial cut where its level changes (each
    stretch but the first also holds the step before it), its start, and the held
    steady states per level."""
    out: dict[tuple, list[int]] = defaultdict(list)
    for net in nets:
        for state in ("untrained", "trained"):
            arrays = load(folder / net / f"latent_{state}.npz")
            levels = np.unique(arrays["steady_levels"][:, 0])
            received = arrays["switching_inputs"][:, 0]
            nearest = np.abs(received[:, None] - levels[None, :]).argmin(1)
            changes = np.flatnonzero(nearest[1:] != nearest[:-1]) + 1
            lengths = np.diff([0, *changes, len(nearest)])
            out[net, state, "segment"] = sorted([int(lengths[0]),
                                                 *(int(n) + 1 for n in lengths[1:])])
            out[net, state, "start"] = [1]
            out[net, state, "steady state"] = sorted(
                int(np.isclose(arrays["steady_levels"][:, 0], level).sum()) for level in levels)
    return dict(out)


def expected_fixed_points(results, tasks: dict[str, str], net: str) -> dict[tuple, list[int]]:
    """The same for Figure S4 (keyed by task): every simulated trial from the input's
    onset, the exact and slow points of the inputs other than u = 0 grouped by condition
    value and class, and two points per unstable mode."""
    out: dict[tuple, list[int]] = {}
    for task, kind in tasks.items():
        for state in ("untrained", "trained"):
            folder = results / task / net
            sim = load(folder / f"sim_{state}.npz")
            steps = len(sim["time_ms"]) - input_onset(sim["time_ms"])
            out[task, state, "trial"] = [steps] * sim["r"].shape[1]
            points = pd.read_parquet(folder / f"slowpoints_{state}.parquet")
            autonomous = load(folder / f"slowpoints_{state}.npz")["condition_autonomous"]
            points = points[~autonomous[points["condition"].to_numpy()]]
            inputs = points.filter(regex=r"^input\d+$").to_numpy(float)
            drawn = points.assign(value=np.round(KINDS[kind].condition_value(inputs), 9),
                                  cls=[k if m == "exact" else f"slow {k == 'undetermined'}"
                                       for m, k in zip(points["method"], points["kind"],
                                                       strict=True)])
            drawn = drawn[drawn["method"].isin(["exact", "slow"])]
            out[task, state, "points"] = sorted(drawn.groupby(["value", "cls"]).size().tolist())
            out[task, state, "mode"] = [2] * int(points["n_unstable"].sum())
    return {key: value for key, value in out.items() if value}


def browser_by_role(state: dict, key: str) -> dict[tuple, list[int]]:
    """(key of meta, state, role) -> sorted point counts of the traces plotly drew."""
    out: dict[tuple, list[int]] = defaultdict(list)
    for trace in state["traces"]:
        n = [k for k in trace["n"] if k >= 0]
        assert len(set(n)) == 1, trace  # x, y (and z) of equal length
        meta = trace["meta"]
        out[meta[key], meta["state"], meta["role"]].append(n[0])
    return {k: sorted(v) for k, v in out.items()}


MIN_INK = 100  # pixels of a scene with something drawn (its axes alone: none)


def check_page(session, path, *, n_scenes: int) -> dict:
    """Open a page; assert it drew every scene, with no script error and nothing fetched."""
    logs = chromium.open_page(session, path, (1600, 1800))
    state = chromium.plot_state(session)
    assert state is not None, f"{path.name}: no plotly graph on the page"
    width, height = state["size"]
    if width + 40 > 1600 or height + 40 > 1800:  # every scene in the screenshot
        logs += chromium.open_page(session, path, (width + 100, height + 200))
        state = chromium.plot_state(session)
    severe = [entry for entry in logs if entry["level"] == "SEVERE"]
    assert severe == [] and state["errors"] == [], (severe, state["errors"])
    assert state["external"] == [] and state["resources"] == []
    assert not state["webglMessage"]
    assert len(state["scenes"]) == n_scenes and all(s["drawn"] for s in state["scenes"])
    ink = chromium.ink_per_box(session, [s["box"] for s in state["scenes"]])
    assert min(ink) >= MIN_INK, ink
    return state


@pytest.fixture(scope="module")
def browser():
    paths = chromium.ensure_chromium()
    session = chromium.start_driver(*paths)
    yield session
    session.quit()


@pytest.mark.workflow
def test_figure_2_page_draws_every_steady_state(smoke_run, smoke_config, browser):
    layout = smoke_layout(smoke_config)
    assert layout["isocontours"], "the smoke config has a task with Figure 2"
    nets = layout["examples"]
    for task in layout["isocontours"]:
        path = smoke_run / f"results/figures/fig02_{task}_latent.html"
        n_inputs = load(smoke_run / f"results/{task}/{nets[0]}/latent_trained.npz")[
            "steady_levels"].shape[1]
        state = check_page(browser, path, n_scenes=(n_inputs + 1) * len(nets))
        expected = expected_isocontours(smoke_run / "results" / task, nets)
        assert browser_by_role(state, "net") == expected
        assert len(state["traces"]) == sum(map(len, expected.values()))
        if len(nets) > 1:
            check_network_buttons(browser, state, nets)


def check_network_buttons(session, before: dict, nets: list[str]) -> None:
    """The first network's button hides the others' traces and leaves their scenes empty;
    'all networks' brings them back."""
    scenes_of = defaultdict(set)
    for trace in before["traces"]:
        scenes_of[trace["scene"]].add(trace["meta"]["net"])
    chromium.click_button(session, nets[0])
    after = chromium.plot_state(session)
    assert [t["visible"] is True for t in after["traces"]] == [
        t["meta"]["net"] == nets[0] for t in after["traces"]]
    ink = chromium.ink_per_box(session, [s["box"] for s in after["scenes"]])
    for scene, drawn in zip(after["scenes"], ink, strict=True):
        if scenes_of[scene["id"]] == {nets[0]}:
            assert drawn >= MIN_INK, (scene["id"], drawn)
        else:
            assert drawn < MIN_INK / 4, (scene["id"], drawn)
    chromium.click_button(session, "all networks")
    assert all(t["visible"] is True for t in chromium.plot_state(session)["traces"])


@pytest.mark.workflow
def test_figure_3_page_draws_the_switching_trials(smoke_run, smoke_config, browser):
    layout = smoke_layout(smoke_config)
    assert layout["switching"], "the smoke config has a task with Figure 3"
    nets = layout["examples"]
    for task in layout["switching"]:
        path = smoke_run / f"results/figures/fig03_{task}_latent.html"
        state = check_page(browser, path, n_scenes=2 * len(nets))
        expected = expected_switching(smoke_run / "results" / task, nets)
        assert browser_by_role(state, "net") == expected
        assert len(state["traces"]) == sum(map(len, expected.values()))


@pytest.mark.workflow
def test_figure_S4_page_draws_every_trial_point_and_mode(smoke_run, smoke_config, browser):
    layout = smoke_layout(smoke_config)
    path = smoke_run / "results/figures/figS4_fixed_points.html"
    state = check_page(browser, path, n_scenes=2 * len(layout["kinds"]))
    expected = expected_fixed_points(smoke_run / "results", layout["kinds"],
                                     layout["example_net"])
    assert browser_by_role(state, "task") == expected
    assert len(state["traces"]) == sum(map(len, expected.values()))
    assert {t["meta"]["net"] for t in state["traces"]} == {layout["example_net"]}
    # a legend entry hides its condition's trials, points and modes in every panel
    first_group = next(t["legendgroup"] for t in state["traces"])
    chromium.click_legend_entry(browser, 0)
    after = chromium.plot_state(browser)
    hidden = {t["legendgroup"] for t in after["traces"] if t["visible"] == "legendonly"}
    assert hidden == {first_group}, hidden
    assert all(t["visible"] is True for t in after["traces"] if t["legendgroup"] != first_group)


@pytest.mark.workflow
def test_report_embeds_the_interactive_pages(smoke_run, smoke_config, tmp_path):
    report = tmp_path / "report.html"
    snakemake(smoke_run, "--report", str(report))
    page = report.read_text()
    layout = smoke_layout(smoke_config)
    names = [*(f"fig02_{t}_latent.html" for t in layout["isocontours"]),
             *(f"fig03_{t}_latent.html" for t in layout["switching"]), "figS4_fixed_points.html"]
    assert len(names) == 3
    for name in names:
        # the page itself, inside the report (a data URI), not a link to the results
        embedded = re.search(rf"data:text/html;charset=utf8;filename={re.escape(name)};"
                             r"base64,([A-Za-z0-9+/=]+)", page)
        assert embedded, name
        html = (smoke_run / "results/figures" / name).read_bytes()
        assert base64.b64decode(embedded.group(1)) == html, name


@pytest.mark.workflow
def test_one_interactive_figure_builds_only_what_it_needs(tmp_path):
    run = snakemake(tmp_path, "results/figures/figS4_fixed_points.html", "-n")
    # the figure rules of the dry run's job table(s): the interactive page, not its static figure
    jobs = set(re.findall(r"^(fig\w+)\s+1$", run.stdout + run.stderr, flags=re.M))
    assert jobs == {"figS4_fixed_points_html"}
