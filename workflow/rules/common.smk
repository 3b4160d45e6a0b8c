# Names and paths shared by every stage.

import re

from rnn_hypotheses.config import network_ensembles, network_ids, slowpoint_example_task
from rnn_hypotheses.external import external_networks
from rnn_hypotheses.pipeline import network_config, transplant_source
from rnn_hypotheses.resources import job_memory_mb
from rnn_hypotheses.tasks import configured_tasks, make_task, stage_entry

# name -> Task, in config order; each entry's kind decides what its stages compute
TASK_OBJECTS = configured_tasks(config)
TASKS = list(TASK_OBJECTS)
# name -> kind: the task_kinds param of the rules that draw or compare tasks
TASK_KINDS = {name: task.kind for name, task in TASK_OBJECTS.items()}
# tasks whose kind is a choice between two answers: their networks' topology is labelled
# (rules/questions.smk) and Figure S4's titles name it
DECISION_TASKS = [name for name, task in TASK_OBJECTS.items() if task.binary_decision]
# tasks whose initial network is not their own random draw (a task's `init` key: the draw
# of another task, or a transplant of trained weights; README, "Structured initial
# networks"), and those whose init transplants (question 4, rules/questions.smk)
INIT_TASKS = [name for name, entry in config["tasks"].items() if "init" in entry]
TRANSPLANT_TASKS = [t for t in INIT_TASKS if "transplant" in config["tasks"][t]["init"]]
# task -> [family, D] of every task whose kind a complexity sweep varies in D
# (Task.complexity): between-task claims also compare a family's consecutive dimensions.
# Not a task with an `init`: its networks start otherwise, so they are no member of a
# family's growth with D (a multitask network's kind has no complexity).
TASK_DIMENSIONS = {
    name: list(task.complexity)
    for name, task in TASK_OBJECTS.items()
    if task.complexity is not None and name not in INIT_TASKS
}
NETS = network_ids(config)
# the networks each training job trains together (training.networks_per_job)
ENSEMBLES = network_ensembles(NETS, config["training"].get("networks_per_job", 1))
STATES = ["untrained", "trained"]

# Networks trained elsewhere (config external_networks, rules/external.smk): label -> its
# networks, every file read and checked by check_config before any job. A label stands
# where a task does in results/{task}/{net}/... and in the per-network rules; its
# networks are never trained, and those without W_rec_init have the trained state only.
EXTERNAL = external_networks(config)
EXTERNAL_NETWORKS = {(r.label, r.net): r for records in EXTERNAL.values() for r in records}
# labels by the states their networks have (external_networks keeps a label's alike)
EXTERNAL_BOTH_STATES = [
    label for label, records in EXTERNAL.items() if records[0].states == tuple(STATES)
]
EXTERNAL_TRAINED_ONLY = [label for label in EXTERNAL if label not in EXTERNAL_BOTH_STATES]
# The (state, task or label, net) of every network state the workflow analyses: the
# configured tasks' in both states, the external networks' in those they have.
ANALYSED_STATES = [(s, t, n) for s in STATES for t in TASKS for n in NETS] + [
    (s, r.label, r.net) for r in EXTERNAL_NETWORKS.values() for s in r.states
]
# the states of a network known only trained (rules/external.smk)
TRAINED_ONLY_STATES = ["trained"]


def alternatives(names):
    """A wildcard constraint matching exactly ``names`` ("(?!)", nothing, if none)."""
    return "|".join(map(re.escape, names)) or "(?!)"


# rule-level constraints of the per-network rules: tasks trained here; tasks and labels
# whose networks have both states
TRAINED_HERE = alternatives(TASKS)
# the tasks trained from their own draw (or another task's, `init: {like: ...}`), and those
# whose initial network takes a trained network's weights (rules/train.smk)
OWN_DRAW = alternatives([t for t in TASKS if t not in TRANSPLANT_TASKS])
TRANSPLANTED = alternatives(TRANSPLANT_TASKS)
BOTH_STATES = alternatives([*TASKS, *EXTERNAL_BOTH_STATES])


# Only configured tasks, labels, networks and states: results/decision/net99/... is no
# target when fewer networks are configured.
wildcard_constraints:
    task=alternatives([*TASKS, *EXTERNAL]),
    net=alternatives(dict.fromkeys([*NETS, *(net for _, net in EXTERNAL_NETWORKS)])),
    state="|".join(STATES),


# task and network of each entry of per_network(...), in the same order: the tasks/nets
# params of the rules that gather one artifact per network
NETWORK_TASKS = [t for t in TASKS for _ in NETS]
NETWORK_NETS = [n for _ in TASKS for n in NETS]
# (state, task, net) of every per-state artifact gathered by a figure or table rule; their
# file lists and STATE_TASKS/STATE_NETS params are built from it in the same order
STATE_KEYS = [(s, t, n) for s in STATES for t in TASKS for n in NETS]
STATE_TASKS = [t for _, t, _ in STATE_KEYS]
STATE_NETS = [n for _, _, n in STATE_KEYS]


def per_network(pattern, tasks=None):
    """Expand a results/{task}/{net}/... pattern over every network of the given tasks."""
    return [pattern.format(task=t, net=n) for t in (tasks or TASKS) for n in NETS]


def slowpoint_arrays(tasks):
    """Every network's slowpoints_{state}.npz, task by task, network by network, state by
    state (the order scripts/reuse.py reads them in)."""
    return [f"results/{t}/{n}/slowpoints_{s}.npz" for t in tasks for n in NETS for s in STATES]


def figure(name):
    """The pdf and png of one figure."""
    return [f"results/figures/{name}.pdf", f"results/figures/{name}.png"]


def table(name):
    """The parquet and markdown forms of one summary table."""
    return [f"results/tables/{name}.parquet", f"results/tables/{name}.md"]


def external_record(wildcards):
    """The ExternalNetwork of a job's (task, net) wildcards; None for a configured task's
    network, and for a job of several networks (a training ensemble, which has no net)."""
    return EXTERNAL_NETWORKS.get((wildcards.task, getattr(wildcards, "net", None)))


def network_provenance(wildcards):
    """The config values a network depends on (task, seed, model, its task's entry,
    training; an external network's file instead of training): a param of every
    per-network rule, stored with its artifacts."""
    external = external_record(wildcards)
    if external is not None:
        return external.provenance(config)
    return network_config(config, wildcards.task, wildcards.net)


def network_settings(wildcards):
    """The config as one network sees it: the config itself for a configured task's; for
    an external network's, its own dt, tau, sigma and number of units
    (ExternalNetwork.settings), under its label."""
    external = external_record(wildcards)
    return config if external is None else external.settings(config)


def task_of_network(wildcards):
    """The Task of one network: its task's, or its label's (its task's entry, its size)."""
    if external_record(wildcards) is None:
        return TASK_OBJECTS[wildcards.task]
    return make_task(wildcards.task, network_settings(wildcards)["tasks"][wildcards.task])


def ensemble_label(members):
    """net00_net09: the name of an ensemble of networks in log and benchmark paths."""
    return f"{members[0]}_{members[-1]}"


def ensemble_rule(members, prefix="train"):
    """train_net00_net09: the training rule of one ensemble (train_transplant_net00_net09
    for the tasks whose init transplants)."""
    return f"{prefix}_{ensemble_label(members)}"


def transplant_sources(task, nets):
    """The trained networks whose weights the initial networks of ``nets`` of ``task``
    take (its init's transplant source, one per network, in order); none without one.
    An input of the training rules, so the source task trains first."""
    paths = [transplant_source(config, task, net) for net in nets]
    return [path for path in paths if path is not None]


def ensemble_sources(members):
    """The sources input of an ensemble's training rule (transplant_sources)."""
    return lambda wildcards: transplant_sources(wildcards.task, members)


def ensemble_provenance(members):
    """The provenance param of an ensemble's training rule: each member's record of
    network_provenance, in order."""
    return lambda wildcards: [network_config(config, wildcards.task, net) for net in members]


def simulation_entry(wildcards):
    """The task's config keys the analysis simulations use (a param of rule simulate)."""
    return stage_entry(network_settings(wildcards)["tasks"][wildcards.task], "simulation")


def fixed_point_entry(wildcards):
    """The task's config keys the fixed-point analysis uses (a param of rule slowpoints)."""
    return stage_entry(network_settings(wildcards)["tasks"][wildcards.task], "fixed_points")


def evaluation_settings(wildcards):
    """The evaluation's settings (a param of rule evaluate). An external network is
    evaluated without enforce_performance: how well it does its task is what the
    external_networks table reports, not a reason to stop its analyses."""
    if external_record(wildcards) is not None:
        return dict(config["evaluation"], enforce_performance=False)
    return config["evaluation"]


def job_mem_mb(stage, networks=1):
    """A rule's mem_mb: a number for summaries, a function of the wildcards for per-network
    stages, whose memory grows with the network's size and with the networks a job holds
    (rnn_hypotheses.resources)."""
    if stage == "summary":
        return job_memory_mb(stage, config)
    return lambda wildcards: job_memory_mb(
        stage, network_settings(wildcards), wildcards.task, networks
    )


def train_runtime(networks=1):
    """A training rule's runtime (minutes) for an ensemble of ``networks``: about 0.05 s
    per step on one core for one 256-unit decision network, and at most ``networks``
    times that for the ensemble's step (benchmarks/stage_growth.py: about K^0.8)."""

    def minutes(wildcards):
        steps = config["training"]["max_steps"] * networks
        units = config["tasks"][wildcards.task]["n_units"]
        return int(10 + steps * 0.05 * (units / 256) ** 2 / 60 * 2)

    return minutes


def simulation_repeats(wildcards):
    """Trials per held condition of a task's analysis simulations (Task.simulation_repeats):
    a param of the simulate rule, so a config change that alters it reruns the simulations."""
    return task_of_network(wildcards).simulation_repeats(
        config["simulation"], config["latent"], network_settings(wildcards)["model"]["dt_ms"]
    )


def latent_at_drop(wildcards):
    """The latent settings of one sensitivity rerun (rules/sensitivity.smk): its drop, and
    the two ends of the leaky-ReLU family, which the claims use."""
    settings = {**config["latent"], "drop_ms": int(wildcards.drop), "n_thetas": 2}
    del settings["sensitivity_drop_ms"]
    # sorted: Snakemake compares params in order, and merging config files reorders keys
    return dict(sorted(settings.items()))


def latent_runtime(wildcards):
    # Minutes: about 20 for the 256-unit decision network's 50 simulated trials.
    task = task_of_network(wildcards)
    trials = task.n_simulation_trials(config["simulation"], simulation_repeats(wildcards))
    return int(10 + 10 * (task.n_units / 256) ** 2 * trials / 50)


def slowpoints_runtime(wildcards):
    # Minutes: about 30 for the 256-unit decision network at its six inputs.
    task = task_of_network(wildcards)
    inputs = len(task.fixed_point_inputs()) + int(config["slowpoints"]["autonomous"])
    return int(10 + 20 * (task.n_units / 256) ** 2 * inputs / 6)


def trained_only(pattern):
    """The outputs of a results/{task}/{net}/..._{state}... pattern for a network known
    only trained (a list, as the rules' per-state outputs are)."""
    return [pattern.format(task="{task}", net="{net}", state=s) for s in TRAINED_ONLY_STATES]


def external_file(wildcards):
    """The file of one external network (the input of rule import_network)."""
    record = external_record(wildcards)
    if record is None:
        raise ValueError(
            f"results/{wildcards.task}/{wildcards.net}: external_networks.{wildcards.task} "
            f"has {len(EXTERNAL[wildcards.task])} network(s)"
        )
    return record.file


def import_mem_mb(wildcards):
    # The interpreter and NumPy, and the file's matrices three times over (read, as
    # float32, written): a few MB for a 256-unit network.
    units = external_record(wildcards).n_units
    return 500 + int(3 * 8 * 2 * units * units / 2**20)


def per_network_of(pattern, networks):
    """A results/{task}/{net}/... pattern expanded over (task or label, net) pairs."""
    return [pattern.format(task=t, net=n) for t, n in networks]


def without_external(module_config):
    """A module's config without external_networks: the robustness variants and the
    subsamples rerun or regather the configured tasks' claims, which external networks
    never join, so their files are neither read nor analysed again."""
    return {key: value for key, value in module_config.items() if key != "external_networks"}


ALL_TARGETS = [
    *figure("fig01_task_performance"),
    *table("task_performance"),
]
