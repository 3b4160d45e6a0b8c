"""Checks of config.yaml that a JSON schema cannot express, and derived names."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import yaml

from .resources import (
    PER_NETWORK_STAGES,
    STAGE_SIZES,
    job_memory_mb,
    largest_job,
    machine_memory_mb,
)
from .robustness import merge_config, variant_config, variants
from .tasks import KINDS, TaskConfigError, configured_tasks, make_task

# Seeds are stored in npz artifacts as int64.
MAX_SEED = 2**63 - 1

class ConfigError(ValueError):
    """A config value is invalid; the message names its key."""


def non_finite_values(node, path: str = "") -> list[tuple[str, float]]:
    """(dotted key, value) of every NaN or infinite number in a nested config."""
    if isinstance(node, dict):
        return [found for name, value in node.items()
                for found in non_finite_values(value, f"{path}.{name}" if path else str(name))]
    if isinstance(node, list | tuple):
        return [found for k, value in enumerate(node)
                for found in non_finite_values(value, f"{path}[{k}]")]
    if isinstance(node, float) and not math.isfinite(node):
        return [(path, node)]
    return []


def check_config(config: dict, memory_limit_mb: int | None = None) -> None:
    """Checks run after schema validation: what a JSON schema cannot express.

    Every number finite (the schema's bounds let NaN through), seeds that fit int64,
    limits across keys (dt < tau, settle < trial, latent.d <= units, DCA windows
    shorter than the simulation, ...), and the memory of the largest job; then every
    file of ``external_networks``, read and checked (:mod:`rnn_hypotheses.external`),
    with the limits above at each network's own dt and size.

    Parameters
    ----------
    config : dict
        The config, already validated against the schema.
    memory_limit_mb : int, optional
        Memory one job may use; default ``max_job_mem_mb`` of the config, else this
        machine's physical memory.

    Raises
    ------
    ConfigError
        Naming the offending key, e.g. ``model.dt_ms`` when dt >= tau; for an external
        network, its key, file and field.
    """
    # Every comparison with NaN is false, so the schema's bounds let NaN through.
    bad = non_finite_values(config)
    if bad:
        raise ConfigError("; ".join(f"{key}: must be a finite number, got {value}"
                                    for key, value in bad))
    last_seed = config["first_seed"] + config["networks_per_task"] - 1
    if last_seed > MAX_SEED:
        raise ConfigError(f"first_seed ({config['first_seed']}) + networks_per_task - 1 = "
                          f"{last_seed} exceeds the largest seed, 2**63 - 1")
    too_many = [n for n in config.get("subsamples") or [] if n >= config["networks_per_task"]]
    if too_many:
        raise ConfigError(f"subsamples: {too_many[0]} networks is not a subsample of the "
                          f"{config['networks_per_task']} of networks_per_task")
    model = config["model"]
    if model["dt_ms"] >= model["tau_ms"]:
        raise ConfigError(f"model.dt_ms ({model['dt_ms']}) must be smaller than model.tau_ms "
                          f"({model['tau_ms']}): the Euler factor dt/tau must be below 1")
    _check_tasks(config)
    _check_inits(config)
    _check_steps(config, config["tasks"], model["dt_ms"])
    latent = config["latent"]
    for name, task in config["tasks"].items():
        if latent["d"] > task["n_units"]:
            raise ConfigError(f"latent.d ({latent['d']}) exceeds tasks.{name}.n_units "
                              f"({task['n_units']}): a subspace cannot have more dimensions "
                              "than the network has units")
    n_nets = config["networks_per_task"]
    example_task = config["slowpoints"].get("example_task")
    if example_task is not None and example_task not in config["tasks"]:
        raise ConfigError(f"slowpoints.example_task ({example_task!r}) is not a configured "
                          f"task; expected one of {', '.join(config['tasks'])}")
    if config["slowpoints"]["example_net"] >= n_nets:
        raise ConfigError(f"slowpoints.example_net ({config['slowpoints']['example_net']}) must "
                          f"be below networks_per_task ({n_nets})")
    _check_memory(config, memory_limit_mb)
    _check_external(config, memory_limit_mb)


def select_tasks(config: dict) -> None:
    """Keep only the tasks that ``run_tasks`` names, in its order (in place).

    A config merged over config.yaml cannot remove config.yaml's tasks (Snakemake merges
    dictionaries key by key), so it names the tasks it runs instead. Without
    ``run_tasks`` every configured task runs. A task's artifacts depend on its own entry
    only, so selecting tasks changes nothing in those that run.

    Raises
    ------
    ConfigError
        When ``run_tasks`` names a task that ``tasks`` does not define.
    """
    selected = config.get("run_tasks")
    if not selected:
        return
    unknown = [name for name in selected if name not in config["tasks"]]
    if unknown:
        raise ConfigError(f"run_tasks: {unknown[0]!r} is not a task of `tasks`; expected "
                          f"one of {', '.join(config['tasks'])}")
    config["tasks"] = {name: config["tasks"][name] for name in selected}


def _check_tasks(config: dict) -> None:
    """Each task entry against its kind's schema, then its kind's cross-key checks."""
    import jsonschema

    for name, entry in config["tasks"].items():
        kind = entry.get("kind")
        if kind not in KINDS:
            got = "missing" if kind is None else f"{kind!r}"
            raise ConfigError(f"tasks.{name}.kind: {got}; expected one of "
                              f"{', '.join(sorted(KINDS))}")
        # `init` is every kind's (how the initial network is drawn): checked by _check_inits
        own = {key: value for key, value in entry.items() if key != "init"}
        errors = sorted(jsonschema.Draft202012Validator(KINDS[kind].schema()).iter_errors(own),
                        key=lambda error: list(map(str, error.path)))
        if errors:
            path = ".".join(map(str, errors[0].path))
            raise ConfigError(f"tasks.{name}{'.' + path if path else ''}: {errors[0].message} "
                              f"(kind {kind})")
    try:
        for task in configured_tasks(config).values():
            task.check()
    except TaskConfigError as exc:
        raise ConfigError(str(exc)) from exc


INIT_KEYS = ("like", "transplant", "source", "rank", "source_shift")
"""The keys of a task's ``init`` (README, "Structured initial networks")."""
TRANSPLANTS = ("low_rank", "trained")


def _check_inits(config: dict) -> None:
    """Each task's ``init`` key: how its initial network is drawn.

    ``like`` names another task of the run, drawn with the same units, inputs and outputs
    and itself without ``init`` (the random start the structured one is compared with);
    a ``transplant`` (``low_rank`` with a ``rank`` in 1..n_units, or ``trained``) names a
    ``source`` task of the run with as many units, other than the task and not itself
    transplanted (its networks must be trained first, from their own draw), and a
    ``source_shift`` that picks another seed's network when the source is the ``like``
    task (otherwise the structured start would hold the very network it is compared with).

    Raises
    ------
    ConfigError
        Naming the key, e.g. ``tasks.farther2_low_rank.init.rank``.
    """
    tasks = config["tasks"]
    for name, entry in tasks.items():
        init = entry.get("init")
        if init is None:
            continue
        key = f"tasks.{name}.init"
        if not isinstance(init, dict):
            raise ConfigError(f"{key}: must be a mapping of {', '.join(INIT_KEYS)}")
        unknown = [k for k in init if k not in INIT_KEYS]
        if unknown:
            raise ConfigError(f"{key}.{unknown[0]}: unknown key; expected "
                              f"{', '.join(INIT_KEYS)}")
        like = init.get("like")
        if like is None:
            raise ConfigError(f"{key}.like: missing; name the task whose random draw this "
                              "task's initial network takes")
        _check_init_task(tasks, name, f"{key}.like", like)
        for field in ("n_units", "n_inputs"):
            if entry[field] != tasks[like][field]:
                raise ConfigError(f"{key}.like: tasks.{name}.{field} ({entry[field]}) differs "
                                  f"from tasks.{like}.{field} ({tasks[like][field]}); the "
                                  "same draw needs the same shapes")
        outputs = [_n_outputs(task, tasks[task], config['model']['dt_ms'])
                   for task in (name, like)]
        if outputs[0] != outputs[1]:
            raise ConfigError(f"{key}.like: task {name} has {outputs[0]} output(s), task "
                              f"{like} {outputs[1]}; the same draw needs the same W_out shape")
        transplant = init.get("transplant")
        if transplant is None:
            for field in ("source", "rank", "source_shift"):
                if field in init:
                    raise ConfigError(f"{key}.{field}: only with {key}.transplant "
                                      f"({' or '.join(TRANSPLANTS)})")
            continue
        if transplant not in TRANSPLANTS:
            raise ConfigError(f"{key}.transplant: {transplant!r}; expected one of "
                              f"{', '.join(TRANSPLANTS)}")
        source = init.get("source")
        if source is None:
            raise ConfigError(f"{key}.source: missing; a transplant names the task whose "
                              "trained networks it takes")
        _check_init_task(tasks, name, f"{key}.source", source, own_draw=False)
        if "transplant" in (tasks[source].get("init") or {}):
            raise ConfigError(f"{key}.source: task {source} is itself transplanted; a source "
                              "must be trained from its own draw")
        if tasks[source]["n_units"] != entry["n_units"]:
            raise ConfigError(f"{key}.source: tasks.{source}.n_units "
                              f"({tasks[source]['n_units']}) differs from tasks.{name}.n_units "
                              f"({entry['n_units']}); its W_rec would not fit")
        rank = init.get("rank")
        if transplant == "low_rank":
            if isinstance(rank, bool) or not isinstance(rank, int) or not (
                    1 <= rank <= entry["n_units"]):
                raise ConfigError(f"{key}.rank: {rank!r}; a low_rank transplant needs an "
                                  f"integer rank in 1..{entry['n_units']} (tasks.{name}.n_units)")
        elif rank is not None:
            raise ConfigError(f"{key}.rank: only with transplant: low_rank (a trained "
                              "transplant takes the whole matrix)")
        shift = init.get("source_shift", 1)
        if isinstance(shift, bool) or not isinstance(shift, int) or shift < 0:
            raise ConfigError(f"{key}.source_shift: {shift!r}; expected an integer >= 0")
        if source == like and shift % config["networks_per_task"] == 0:
            raise ConfigError(f"{key}.source_shift: {shift} is a multiple of "
                              f"networks_per_task ({config['networks_per_task']}), so network "
                              f"i would take the trained weights of {like}'s network i, the "
                              "random start it is compared with; shift to another seed")


def _check_init_task(tasks: dict, name: str, key: str, other, own_draw: bool = True) -> None:
    """``other`` is a task of the run, not ``name``, and (``own_draw``) draws its own
    network."""
    if other not in tasks:
        raise ConfigError(f"{key}: {other!r} is not a task of this run; expected one of "
                          f"{', '.join(tasks)} (a task that run_tasks selects)")
    if other == name:
        raise ConfigError(f"{key}: names the task itself")
    if own_draw and "init" in tasks[other]:
        raise ConfigError(f"{key}: task {other} has an init of its own; name a task drawn "
                          "at random (its own draw)")


def _n_outputs(name: str, entry: dict, dt: float) -> int:
    """The outputs of a task's network: the width of its targets (z = W_out r)."""
    task = make_task(name, entry)
    return int(task.target_sequences(task.evaluation_conditions()[:1], 2, dt).shape[-1])


def _check_steps(config: dict, tasks: dict, dt: float, dt_key: str = "model.dt_ms",
                 sensitivity: bool = True) -> None:
    """The limits that count steps of ``dt`` (ms): every trial of ``tasks`` two steps or
    more, two DCA windows in the analysed part of the simulation at ``latent.drop_ms``
    (and, with ``sensitivity``, at every ``latent.sensitivity_drop_ms``), the
    steady-state window within the simulation. ``dt_key`` names where ``dt`` comes from."""
    for name, task in tasks.items():
        if task["trial_ms"] < 2 * dt:
            raise ConfigError(f"tasks.{name}.trial_ms must span at least two steps of "
                              f"{dt_key}")
    latent, sim = config["latent"], config["simulation"]
    sim_steps = int(round(sim["duration_ms"] / dt))
    drops = [("latent.drop_ms", latent.get("drop_ms", 0))] + [
        (f"latent.sensitivity_drop_ms[{k}]", drop)
        for k, drop in enumerate(latent.get("sensitivity_drop_ms", []) if sensitivity else [])]
    for key, drop in drops:
        analysed = sim_steps - int(round(drop / dt))
        if 2 * latent["T"] >= analysed:
            raise ConfigError(f"{key} ({drop}) leaves too little of the held trials: 2 * "
                              f"latent.T ({2 * latent['T']} steps) must be shorter than "
                              f"(simulation.duration_ms - {drop}) / {dt_key} = {analysed} "
                              "steps, as DCA needs at least two windows of 2T steps")
    # the steady-state window is taken from the end of the simulated trials (rule latent)
    if round(latent["steady_ms"] / dt) > round(sim["duration_ms"] / dt):
        raise ConfigError(f"latent.steady_ms ({latent['steady_ms']}) is longer than "
                          f"the simulated trials (simulation.duration_ms = "
                          f"{sim['duration_ms']})")


def _check_external(config: dict, memory_limit_mb: int | None) -> None:
    """Every file of ``external_networks`` (rnn_hypotheses.external), then the limits
    that depend on a network's own dt and size: its step counts and its jobs' memory."""
    from .external import ExternalNetworkError, external_networks  # it imports this module

    # raised as this module's ConfigError, which `python -m rnn_hypotheses.config` (this
    # module run as __main__, a second copy of its classes) reports without a traceback
    try:
        found = external_networks(config)
    except ExternalNetworkError as exc:
        raise ConfigError(str(exc)) from exc
    if memory_limit_mb is None:
        memory_limit_mb = config.get("max_job_mem_mb") or machine_memory_mb()
    for records in found.values():
        for record in records:
            settings = record.settings(config)
            entry = {record.task: settings["tasks"][record.label]}
            try:
                # the sensitivity reruns are the configured tasks' only
                _check_steps(settings, entry, record.dt, f"the network's dt ({record.dt:g} ms)",
                             sensitivity=False)
            except ConfigError as exc:
                raise ConfigError(f"{record.key} ({record.file}): {exc}") from exc
            # it is analysed, never trained: the analysis stages only
            for stage in (name for name in PER_NETWORK_STAGES if name != "train"):
                need = job_memory_mb(stage, settings, record.label)
                if memory_limit_mb is not None and need > memory_limit_mb:
                    raise ConfigError(
                        f"{record.key} ({record.file}): a {stage} job of its "
                        f"{record.n_units} units would need about {need / 1024:.1f} GiB of "
                        f"memory, more than the {memory_limit_mb} MB one job may use "
                        "(max_job_mem_mb, or this machine's memory when unset)")


# Keys that moved into the task entries of their kind when tasks became kinds.
MOVED_KEYS = {
    ("simulation", "decision_grid"): "tasks.<decision task>.simulation_grid",
    ("simulation", "switching_trials"): "tasks.<perception task>.switching_trials",
    ("simulation", "switch_every_ms"): "tasks.<perception task>.switch_every_ms",
    ("slowpoints", "decision_inputs"): "tasks.<decision task>.fixed_point_inputs",
}


def check_moved_keys(config: dict) -> None:
    """Refuse keys of older configs that now live in a task's entry, naming their new place.

    Run before schema validation, whose message would only call them unexpected.
    """
    for (section, key), new in MOVED_KEYS.items():
        if key in (config.get(section) or {}):
            raise ConfigError(f"{section}.{key} has moved to {new}: each task entry holds "
                              "the settings of its kind")
    for name, entry in (config.get("tasks") or {}).items():
        if isinstance(entry, dict) and "kind" not in entry and name in KINDS:
            raise ConfigError(f"tasks.{name}.kind: missing; every task names its kind "
                              f"(here probably `kind: {name}`)")


def slowpoint_example_task(config: dict) -> str:
    """The task whose example network Figure S5 draws: ``slowpoints.example_task``, or the
    task analysed at the most fixed-point inputs (the first such in config order)."""
    chosen = config["slowpoints"].get("example_task")
    if chosen is not None:
        return chosen
    tasks = configured_tasks(config)
    return max(tasks, key=lambda name: len(tasks[name].fixed_point_inputs()))


def _check_memory(config: dict, memory_limit_mb: int | None) -> None:
    if memory_limit_mb is None:
        memory_limit_mb = config.get("max_job_mem_mb") or machine_memory_mb()
    if memory_limit_mb is None:
        return
    stage, task, need = largest_job(config)
    if need > memory_limit_mb:
        raise ConfigError(
            f"max_job_mem_mb: a {stage} job of task {task} ({config['tasks'][task]['n_units']} "
            f"units) would need about {need / 1024:.1f} GiB of memory, more than the "
            f"{memory_limit_mb} MB one job may use (max_job_mem_mb, or this machine's memory "
            f"when unset). The estimate grows with tasks.{task}.n_units and with the sizes "
            f"the {stage} stage holds ({STAGE_SIZES[stage]}); lower them, or set "
            "max_job_mem_mb to the memory of your cluster's nodes")


def network_ids(config: dict) -> list[str]:
    """Names of the networks of each task: net00, net01, ..."""
    n = config["networks_per_task"]
    # a subsample's module names the first n networks as the whole run does (report.smk)
    width = config.get("network_id_width") or max(2, len(str(n - 1)))
    return [f"net{k:0{width}d}" for k in range(n)]


def network_ensembles(nets: list[str], networks_per_job: int) -> list[list[str]]:
    """The networks of a task split into consecutive ensembles of ``networks_per_job``
    (the last may be smaller), each trained by one job."""
    return [nets[i:i + networks_per_job] for i in range(0, len(nets), networks_per_job)]


def network_seed(config: dict, net: str) -> int:
    """Seed of a network named by :func:`network_ids`."""
    return config["first_seed"] + int(net.removeprefix("net"))


def read_config_file(path: str | Path) -> dict:
    """Read one YAML config file; a syntax error names the file, line and column."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{where}: not valid YAML ({problem})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must hold config keys at its top level, got "
                          f"{type(data).__name__}")
    return data


def validate_schema(config: dict, schema_path: str | Path) -> None:
    """Check ``config`` against the workflow's JSON schema, naming the failing key."""
    import jsonschema

    schema = read_config_file(schema_path)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(config),
                    key=lambda error: list(map(str, error.path)))
    if errors:
        error = errors[0]
        key = ".".join(map(str, error.path)) or "(top level)"
        raise ConfigError(f"{key}: {error.message}")


def main(argv: list[str] | None = None) -> int:
    """``python -m rnn_hypotheses.config FILE...``: check config files before a run.

    Snakemake reads files given with ``--configfile`` before the workflow starts and
    reports a YAML syntax error in them without its line; this names it, then runs
    every check the workflow runs (schema, cross-key limits, memory) on config.yaml
    with the files merged over it, in the order given, and on each robustness variant.
    Run it in the workflow's folder (or name ``--base`` and ``--schema``).
    """
    parser = argparse.ArgumentParser(prog="python -m rnn_hypotheses.config",
                                     description=main.__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="config files merged over the base")
    parser.add_argument("--base", type=Path, default=Path("config.yaml"),
                        help="the workflow's config.yaml (default: in this folder)")
    parser.add_argument("--schema", type=Path,
                        default=Path("workflow/schemas/config.schema.yaml"))
    args = parser.parse_args(argv)
    try:
        config = read_config_file(args.base)
        for path in args.files:
            config = merge_config(config, read_config_file(path))
        check_moved_keys(config)
        validate_schema(config, args.schema)
        select_tasks(config)
        check_config(config)
        # each robustness variant is the workflow again on its own merged config
        for name, overrides in variants(config).items():
            try:
                merged = variant_config(config, overrides)
                validate_schema(merged, args.schema)
                check_config(merged)
            except ConfigError as exc:
                raise ConfigError(f"robustness variant {name}: {exc}") from exc
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{', '.join(map(str, [args.base, *args.files]))}: valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
