# Names and paths shared by every stage.

import re

from rnn_hypotheses.config import network_ensembles, network_ids, slowpoint_example_task
from rnn_hypotheses.pipeline import network_config
from rnn_hypotheses.resources import job_memory_mb
from rnn_hypotheses.tasks import configured_tasks, stage_entry

# name -> Task, in config order; each entry's kind decides what its stages compute
TASK_OBJECTS = configured_tasks(config)
TASKS = list(TASK_OBJECTS)
# name -> kind: the task_kinds param of the rules that draw or compare tasks
TASK_KINDS = {name: task.kind for name, task in TASK_OBJECTS.items()}
NETS = network_ids(config)
# the networks each training job trains together (training.networks_per_job)
ENSEMBLES = network_ensembles(NETS, config["training"].get("networks_per_job", 1))
STATES = ["untrained", "trained"]


# Only configured tasks, networks and states: results/decision/net99/... is no target
# when fewer networks are configured.
wildcard_constraints:
    task="|".join(map(re.escape, TASKS)),
    net="|".join(NETS),
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


def figure(name):
    """The pdf and png of one figure."""
    return [f"results/figures/{name}.pdf", f"results/figures/{name}.png"]


def table(name):
    """The parquet and markdown forms of one summary table."""
    return [f"results/tables/{name}.parquet", f"results/tables/{name}.md"]


def network_provenance(wildcards):
    """The config values a network depends on (task, seed, model, its task's entry,
    training): a param of every per-network rule, stored with its artifacts."""
    return network_config(config, wildcards.task, wildcards.net)


def ensemble_label(members):
    """net00_net09: the name of an ensemble of networks in log and benchmark paths."""
    return f"{members[0]}_{members[-1]}"


def ensemble_rule(members):
    """train_net00_net09: the training rule of one ensemble."""
    return f"train_{ensemble_label(members)}"


def ensemble_provenance(members):
    """The provenance param of an ensemble's training rule: each member's record of
    network_provenance, in order."""
    return lambda wildcards: [network_config(config, wildcards.task, net) for net in members]


def simulation_entry(wildcards):
    """The task's config keys the analysis simulations use (a param of rule simulate)."""
    return stage_entry(config["tasks"][wildcards.task], "simulation")


def fixed_point_entry(wildcards):
    """The task's config keys the fixed-point analysis uses (a param of rule slowpoints)."""
    return stage_entry(config["tasks"][wildcards.task], "fixed_points")


def job_mem_mb(stage, networks=1):
    """A rule's mem_mb: a number for summaries, a function of the wildcards for per-network
    stages, whose memory grows with the network's size and with the networks a job holds
    (rnn_hypotheses.resources)."""
    if stage == "summary":
        return job_memory_mb(stage, config)
    return lambda wildcards: job_memory_mb(stage, config, wildcards.task, networks)


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
    return TASK_OBJECTS[wildcards.task].simulation_repeats(
        config["simulation"], config["latent"], config["model"]["dt_ms"]
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
    task = TASK_OBJECTS[wildcards.task]
    trials = task.n_simulation_trials(config["simulation"], simulation_repeats(wildcards))
    return int(10 + 10 * (task.n_units / 256) ** 2 * trials / 50)


def slowpoints_runtime(wildcards):
    # Minutes: about 30 for the 256-unit decision network at its six inputs.
    task = TASK_OBJECTS[wildcards.task]
    inputs = len(task.fixed_point_inputs()) + int(config["slowpoints"]["autonomous"])
    return int(10 + 20 * (task.n_units / 256) ** 2 * inputs / 6)


ALL_TARGETS = [
    *figure("fig01_task_performance"),
    *table("task_performance"),
]
