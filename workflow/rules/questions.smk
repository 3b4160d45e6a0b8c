# The report's open questions of section 6 beyond 2, 3 and 6 (issue 15): linear models
# fitted to the dynamics near each stable fixed point (question 7), one job per network and
# both states; and the topology of each binary-decision network (bistable, line attractor
# or other), a summary over networks.

# the linear-model settings, with the steady state the latent stage defines (latent.steady_ms)
LINEAR_MODELS = dict(
    config["questions"]["linear_models"], steady_ms=config["latent"]["steady_ms"]
)
# tasks whose output reports which of two answers holds (Task.binary_decision)
DECISION_KEYS = [(s, t, n) for s in STATES for t in DECISION_TASKS for n in NETS]


rule linear_models:
    input:
        network="results/{task}/{net}/network.npz",
        simulations=expand("results/{{task}}/{{net}}/sim_{state}.npz", state=STATES),
        points=expand("results/{{task}}/{{net}}/slowpoints_{state}.parquet", state=STATES),
        arrays=expand("results/{{task}}/{{net}}/slowpoints_{state}.npz", state=STATES),
    output:
        # one per state, in the order of STATES
        expand("results/{{task}}/{{net}}/linear_models_{state}.parquet", state=STATES),
    wildcard_constraints:
        task=BOTH_STATES,
    params:
        provenance=network_provenance,
        linear_models=LINEAR_MODELS,
        # the task's input noise, which the trials added at each point carry
        input_noise_std=lambda wildcards: network_settings(wildcards)["tasks"][wildcards.task][
            "input_noise_std"
        ],
        simulation=config["simulation"],
        slowpoints=SLOWPOINT_SEARCH,
        states=STATES,
    log:
        "results/logs/linear_models/{task}/{net}.log",
    benchmark:
        "results/benchmarks/linear_models/{task}/{net}.tsv"
    threads: 1
    resources:
        # it holds what the slow-point job holds of the simulations, and less besides
        mem_mb=job_mem_mb("slowpoints"),
        # minutes: a few seconds of one core for a 256-unit decision network
        runtime=10,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/linear_models.py"


if DECISION_TASKS:

    rule topology:
        input:
            points=[f"results/{t}/{n}/slowpoints_{s}.parquet" for s, t, n in DECISION_KEYS],
            conditions=[
                f"results/{t}/{n}/slowpoint_conditions_{s}.parquet" for s, t, n in DECISION_KEYS
            ],
            arrays=[f"results/{t}/{n}/slowpoints_{s}.npz" for s, t, n in DECISION_KEYS],
        output:
            table("topology"),
            table("topology_counts"),
            table("topology_claims"),
        params:
            criteria=config["questions"]["topology"],
            task_kinds=TASK_KINDS,
            tasks=[t for _, t, _ in DECISION_KEYS],
            nets=[n for _, _, n in DECISION_KEYS],
            states=[s for s, _, _ in DECISION_KEYS],
            slowpoints=SLOWPOINT_SEARCH,
        log:
            "results/logs/topology.log",
        benchmark:
            "results/benchmarks/topology.tsv"
        threads: 1
        resources:
            mem_mb=job_mem_mb("summary"),
            runtime=5,
        conda:
            "../../envs/rnn.yaml"
        script:
            "../../scripts/topology.py"

    ALL_TARGETS.extend([*table("topology"), *table("topology_counts"), *table("topology_claims")])


# question 7 over networks: the summary per task and state, and its claims
rule linear_models_summary:
    input:
        [f"results/{t}/{n}/linear_models_{s}.parquet" for s, t, n in STATE_KEYS],
    output:
        table("linear_models_summary"),
        table("linear_model_claims"),
    params:
        claims=config["questions"]["linear_model_claims"],
        tasks=[t for _, t, _ in STATE_KEYS],
        nets=[n for _, _, n in STATE_KEYS],
        states=[s for s, _, _ in STATE_KEYS],
    log:
        "results/logs/linear_models_summary.log",
    benchmark:
        "results/benchmarks/linear_models_summary.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/linear_models_summary.py"


ALL_TARGETS.extend(
    [f"results/{t}/{n}/linear_models_{s}.parquet" for s, t, n in STATE_KEYS]
)
ALL_TARGETS.extend([*table("linear_models_summary"), *table("linear_model_claims")])


# training from structured initial networks
# Each task whose init transplants trained structure (TRANSPLANT_TASKS, rules/common.smk),
# paired by seed with its baseline, the `like` task (the same random draw without the
# structure). Per-network inputs only (no summary tables), so a subsample module regathers
# it from the run's own artifacts (rules/report.smk).
INITIALISATION_BASELINES = {t: config["tasks"][t]["init"]["like"] for t in TRANSPLANT_TASKS}
# the structured tasks and their baselines, in config order
INITIALISATION_TASKS = [
    t for t in TASKS if t in INITIALISATION_BASELINES or t in INITIALISATION_BASELINES.values()
]
INITIALISATION_KEYS = [(s, t, n) for s in STATES for t in INITIALISATION_TASKS for n in NETS]

if TRANSPLANT_TASKS:

    rule initialisation:
        input:
            networks=per_network("results/{task}/{net}/network.npz", INITIALISATION_TASKS),
            histories=per_network("results/{task}/{net}/history.parquet", INITIALISATION_TASKS),
            conditions=per_network("results/{task}/{net}/eval.parquet", INITIALISATION_TASKS),
            traces=per_network("results/{task}/{net}/eval_trace.parquet", INITIALISATION_TASKS),
            points=[f"results/{t}/{n}/slowpoints_{s}.parquet" for s, t, n in INITIALISATION_KEYS],
            slowpoint_conditions=[
                f"results/{t}/{n}/slowpoint_conditions_{s}.parquet"
                for s, t, n in INITIALISATION_KEYS
            ],
        output:
            table("initialisation"),
            table("initialisation_claims"),
        params:
            baselines=INITIALISATION_BASELINES,
            task_configs={t: stage_entry(config["tasks"][t]) for t in INITIALISATION_TASKS},
            tasks=[t for t in INITIALISATION_TASKS for _ in NETS],
            nets=[n for _ in INITIALISATION_TASKS for n in NETS],
            state_tasks=[t for _, t, _ in INITIALISATION_KEYS],
            state_nets=[n for _, _, n in INITIALISATION_KEYS],
            slowpoints=SLOWPOINT_SEARCH,
        log:
            "results/logs/initialisation.log",
        benchmark:
            "results/benchmarks/initialisation.tsv"
        threads: 1
        resources:
            mem_mb=job_mem_mb("summary"),
            # minutes: a few seconds; it reads each network's npz and scores its evaluation
            runtime=5,
        conda:
            "../../envs/rnn.yaml"
        script:
            "../../scripts/initialisation.py"

    ALL_TARGETS.extend([*table("initialisation"), *table("initialisation_claims")])


# question 5, predictive information of the linearised dynamics
# Every network of every task in both states: the Ornstein-Uhlenbeck process of the network
# linearised at each stable fixed point and stable slow region, its predictive information
# at questions.predictive_information.lag_ms, one value per network; claims: consistency
# across a task's networks (ANOVA) and ordering by D within the complexity sweep's families.
# (state, task, net), a network's two states together: the job holds one network at a time
PREDICTIVE_INFORMATION_KEYS = [(s, t, n) for t in TASKS for n in NETS for s in STATES]


rule predictive_information:
    input:
        networks=[f"results/{t}/{n}/network.npz" for _, t, n in PREDICTIVE_INFORMATION_KEYS],
        points=[
            f"results/{t}/{n}/slowpoints_{s}.parquet" for s, t, n in PREDICTIVE_INFORMATION_KEYS
        ],
        arrays=[
            f"results/{t}/{n}/slowpoints_{s}.npz" for s, t, n in PREDICTIVE_INFORMATION_KEYS
        ],
    output:
        table("predictive_information"),
        table("predictive_information_networks"),
        table("predictive_information_summary"),
        table("predictive_information_claims"),
    params:
        settings=config["questions"]["predictive_information"],
        task_kinds=TASK_KINDS,
        # the complexity sweep's families: task -> [family, D]
        dimensions=TASK_DIMENSIONS,
        tasks=[t for _, t, _ in PREDICTIVE_INFORMATION_KEYS],
        nets=[n for _, _, n in PREDICTIVE_INFORMATION_KEYS],
        states=[s for s, _, _ in PREDICTIVE_INFORMATION_KEYS],
        slowpoints=SLOWPOINT_SEARCH,
    log:
        "results/logs/predictive_information.log",
    benchmark:
        "results/benchmarks/predictive_information.tsv"
    threads: 1
    resources:
        # one network's W_rec and slow-point arrays at a time, and the tables
        mem_mb=job_mem_mb("summary"),
        # minutes: about 0.02 s of one core per stable point (a Lyapunov solve and a
        # matrix exponential on the active units; config.yaml's 20 networks: 178 points in
        # 3 s), so the complexity sweep's 130 networks take a few minutes
        runtime=30,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/predictive_information.py"


ALL_TARGETS.extend(
    [
        *table("predictive_information"),
        *table("predictive_information_networks"),
        *table("predictive_information_summary"),
        *table("predictive_information_claims"),
    ]
)


# question 1, are slow regions re-used across tasks?
# Same-initialisation pairs (network i of both tasks from one draw) and multitask networks
# (one network, a context input per task), each compared when its tasks are run; one job
# for all of them, as it reads only the slow-point arrays and the weights.
REUSE = config["questions"].get("reuse") or {}
REUSE_PAIRS = [list(pair) for pair in REUSE.get("pairs", []) if all(t in TASKS for t in pair)]
REUSE_MULTITASK = [t for t in REUSE.get("multitask_networks", []) if t in TASKS]
# the tasks of the pairs, each once, in the order of the pairs
REUSE_PAIR_TASKS = list(dict.fromkeys(t for pair in REUSE_PAIRS for t in pair))


if REUSE_PAIRS or REUSE_MULTITASK:

    rule reuse:
        input:
            # task by task, network by network (and state by state): scripts/reuse.py's order
            networks=per_network("results/{task}/{net}/network.npz", REUSE_PAIR_TASKS)
            if REUSE_PAIR_TASKS
            else [],
            points=slowpoint_arrays(REUSE_PAIR_TASKS),
            # both states: the initial network is the multitask comparison's baseline
            multitask=slowpoint_arrays(REUSE_MULTITASK),
        output:
            table("reuse"),
            table("reuse_multitask"),
            table("reuse_multitask_counts"),
            table("reuse_claims"),
        params:
            criteria={k: v for k, v in REUSE.items() if k not in ("pairs", "multitask_networks")},
            pairs=REUSE_PAIRS,
            pair_tasks=REUSE_PAIR_TASKS,
            multitask=REUSE_MULTITASK,
            # the multitask entries name their contexts (Multitask.context_of)
            task_configs={t: config["tasks"][t] for t in REUSE_MULTITASK},
            nets=NETS,
            states=STATES,
            slowpoints=SLOWPOINT_SEARCH,
        log:
            "results/logs/reuse.log",
        benchmark:
            "results/benchmarks/reuse.tsv"
        threads: 1
        resources:
            # two networks' W_rec and point arrays at a time, and the tables
            mem_mb=job_mem_mb("summary"),
            # minutes: seconds for 10 networks of a 256-unit pair (SVDs of 256 x 256, 90
            # control angles, 1000 random subspace pairs)
            runtime=10,
        conda:
            "../../envs/rnn.yaml"
        script:
            "../../scripts/reuse.py"

    ALL_TARGETS.extend(
        [
            *table("reuse"),
            *table("reuse_multitask"),
            *table("reuse_multitask_counts"),
            *table("reuse_claims"),
        ]
    )
