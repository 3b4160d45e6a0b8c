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


ALL_TARGETS.extend(
    [f"results/{t}/{n}/linear_models_{s}.parquet" for s, t, n in STATE_KEYS]
)
