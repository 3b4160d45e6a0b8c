# Slow points (report, sections 6 and 6.1): exact fixed points, slow points and the
# report's trajectory scan of every network in both states; the counts and claims tables
# and Figures S4 and S5. One job per (task, net), both states; the table and figure rules
# gather.

# the network drawn in Figures S4 and S5 (check_config keeps the index in range)
SLOWPOINT_EXAMPLE = NETS[config["slowpoints"]["example_net"]]
# the task whose example network's spectra Figure S5 draws (slowpoints.example_task)
SLOWPOINT_EXAMPLE_TASK = slowpoint_example_task(config)
# the search settings: every slowpoints key but the figures' choice of example
SLOWPOINT_SEARCH = {
    key: value
    for key, value in config["slowpoints"].items()
    if key not in ("example_net", "example_task")
}
# (state, task) of the panels of Figure S4, all of the example network
SLOWPOINT_PANELS = [(s, t) for s in STATES for t in TASKS]


# One job per network: both states (the untrained search takes a fraction of the trained
# one's time; a table or figure of either needs both states anyway).
rule slowpoints:
    input:
        network="results/{task}/{net}/network.npz",
        simulations=expand("results/{{task}}/{{net}}/sim_{state}.npz", state=STATES),
    output:
        # one per state, in the order of STATES
        points=expand("results/{{task}}/{{net}}/slowpoints_{state}.parquet", state=STATES),
        arrays=expand("results/{{task}}/{{net}}/slowpoints_{state}.npz", state=STATES),
        conditions=expand(
            "results/{{task}}/{{net}}/slowpoint_conditions_{state}.parquet", state=STATES
        ),
    # networks with both states (rules/external.smk: those known only trained)
    wildcard_constraints:
        task=BOTH_STATES,
    params:
        provenance=network_provenance,
        task_config=fixed_point_entry,
        slowpoints=SLOWPOINT_SEARCH,
        simulation=config["simulation"],
        states=STATES,
    log:
        "results/logs/slowpoints/{task}/{net}.log",
    benchmark:
        "results/benchmarks/slowpoints/{task}/{net}.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("slowpoints"),
        # minutes: a trained decision network (256 units, 6 inputs) takes about a minute
        # of one free core; generous, as the exact finder's fallback varies between networks
        runtime=lambda wildcards: len(STATES) * slowpoints_runtime(wildcards),
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/slowpoints.py"


rule slow_points_table:
    input:
        points=[f"results/{t}/{n}/slowpoints_{s}.parquet" for s, t, n in STATE_KEYS],
        conditions=[
            f"results/{t}/{n}/slowpoint_conditions_{s}.parquet" for s, t, n in STATE_KEYS
        ],
    output:
        table("slow_points"),
        table("slow_point_claims"),
        table("slow_point_networks"),
    params:
        slowpoints=SLOWPOINT_SEARCH,
        simulation=config["simulation"],
        networks_per_task=config["networks_per_task"],
        tasks=STATE_TASKS,
        nets=STATE_NETS,
        task_kinds=TASK_KINDS,
        task_dimensions=TASK_DIMENSIONS,
    log:
        "results/logs/slow_points_table.log",
    benchmark:
        "results/benchmarks/slow_points_table.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/slow_points_table.py"


rule figS4_fixed_points:
    input:
        simulations=[f"results/{t}/{SLOWPOINT_EXAMPLE}/sim_{s}.npz" for s, t in SLOWPOINT_PANELS],
        latent=[f"results/{t}/{SLOWPOINT_EXAMPLE}/latent_{s}.npz" for s, t in SLOWPOINT_PANELS],
        arrays=[
            f"results/{t}/{SLOWPOINT_EXAMPLE}/slowpoints_{s}.npz" for s, t in SLOWPOINT_PANELS
        ],
        points=[
            f"results/{t}/{SLOWPOINT_EXAMPLE}/slowpoints_{s}.parquet"
            for s, t in SLOWPOINT_PANELS
        ],
        # each binary-decision panel's topology label (rules/questions.smk), for its title
        topology=["results/tables/topology.parquet"] if DECISION_TASKS else [],
    output:
        report(
            figure("figS4_fixed_points"),
            caption="../report/figS4_fixed_points.rst",
            category="6 Slow points",
        ),
    params:
        task_kinds=TASK_KINDS,
        tasks=[t for _, t in SLOWPOINT_PANELS],
        states=[s for s, _ in SLOWPOINT_PANELS],
        net=SLOWPOINT_EXAMPLE,
    log:
        "results/logs/figures/figS4_fixed_points.log",
    benchmark:
        "results/benchmarks/figures/figS4_fixed_points.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/figS4_fixed_points.py"


rule figS5_slow_point_counts:
    input:
        # the per-network statistics and their bootstrap summary, computed once by
        # slow_points_table
        networks="results/tables/slow_point_networks.parquet",
        counts="results/tables/slow_points.parquet",
        # the spectra of the example network of slowpoints.example_task
        points=[
            f"results/{SLOWPOINT_EXAMPLE_TASK}/{SLOWPOINT_EXAMPLE}/slowpoints_{s}.parquet"
            for s in STATES
        ],
        conditions=[
            f"results/{t}/{n}/slowpoint_conditions_{s}.parquet" for s, t, n in STATE_KEYS
        ],
        example=[
            f"results/{SLOWPOINT_EXAMPLE_TASK}/{SLOWPOINT_EXAMPLE}/slowpoints_{s}.npz"
            for s in STATES
        ],
    output:
        report(
            figure("figS5_slow_point_counts"),
            caption="../report/figS5_slow_point_counts.rst",
            category="6 Slow points",
        ),
    params:
        task_kinds=TASK_KINDS,
        tasks=STATE_TASKS,
        nets=STATE_NETS,
        example_task=SLOWPOINT_EXAMPLE_TASK,
        example_states=STATES,
        net=SLOWPOINT_EXAMPLE,
    log:
        "results/logs/figures/figS5_slow_point_counts.log",
    benchmark:
        "results/benchmarks/figures/figS5_slow_point_counts.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/figS5_slow_point_counts.py"


ALL_TARGETS.extend(
    [
        *table("slow_points"),
        *table("slow_point_claims"),
        *figure("figS4_fixed_points"),
        *figure("figS5_slow_point_counts"),
    ]
)
