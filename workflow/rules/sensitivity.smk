# How the latent claims depend on the transient left out of the fits: the latent analysis,
# its change between states and its claims again at each latent.sensitivity_drop_ms, then
# tables/latent_sensitivity and Figure S7. Every rerun sweeps only the ends of the
# leaky-ReLU family (theta = 0 and pi/4), which is what the claims use, and the main drop
# is rerun too, so that the drops differ in nothing else.

from types import SimpleNamespace

SENSITIVITY_DROPS = list(LATENT["sensitivity_drop_ms"])
SENSITIVITY_DROP = "|".join(str(int(d)) for d in SENSITIVITY_DROPS) or "(?!)"


# The settings of each drop's run, in the order of SENSITIVITY_DROPS.
SENSITIVITY_SETTINGS = [latent_at_drop(SimpleNamespace(drop=d)) for d in SENSITIVITY_DROPS]


# the outputs of rule latent_drop by kind: drop by drop, within a drop state by state (the
# order in which scripts/latent.py writes its runs)
SENSITIVITY_OUTPUTS = {
    name: [
        f"results/{{task}}/{{net}}/sensitivity/drop{int(d)}/{pattern.format(state=s)}"
        for d in SENSITIVITY_DROPS
        for s in STATES
    ]
    for name, pattern in LATENT_ARTIFACTS.items()
}


if SENSITIVITY_DROPS:

    # One job per network reruns the analysis at every drop, in both states, with the change
    # between the states (scripts/latent.py): the runs share the network, its simulations and
    # their re-simulation at each angle, and each writes what a job of its own would.
    rule latent_drop:
        input:
            network="results/{task}/{net}/network.npz",
            simulations=expand("results/{{task}}/{{net}}/sim_{state}.npz", state=STATES),
        output:
            **SENSITIVITY_OUTPUTS,
            change=[
                f"results/{{task}}/{{net}}/sensitivity/drop{int(d)}/latent_change.parquet"
                for d in SENSITIVITY_DROPS
            ],
        # the sensitivity of the configured tasks' claims
        wildcard_constraints:
            task=TRAINED_HERE,
        params:
            provenance=network_provenance,
            latent=SENSITIVITY_SETTINGS,
            states=STATES,
            simulation=config["simulation"],
        log:
            "results/logs/latent_drop/{task}/{net}.log",
        benchmark:
            "results/benchmarks/latent_drop/{task}/{net}.tsv"
        threads: 1
        resources:
            mem_mb=job_mem_mb("latent"),
            # each drop's run sweeps two angles, not latent.n_thetas: both states of a drop
            # take about half as long as a latent job
            runtime=lambda wildcards: len(SENSITIVITY_DROPS) * latent_runtime(wildcards),
        conda:
            "../../envs/rnn.yaml"
        script:
            "../../scripts/latent.py"


rule latent_claims_drop:
    input:
        latent=[
            f"results/{t}/{n}/sensitivity/drop{{drop}}/latent_{s}.parquet"
            for s, t, n in STATE_KEYS
        ],
        pi_theta=[
            f"results/{t}/{n}/sensitivity/drop{{drop}}/pi_theta_{s}.parquet"
            for s, t, n in STATE_KEYS
        ],
        change=per_network("results/{task}/{net}/sensitivity/drop{{drop}}/latent_change.parquet"),
    output:
        "results/tables/sensitivity/latent_claims_drop{drop}.parquet",
        "results/tables/sensitivity/latent_claims_drop{drop}.md",
    wildcard_constraints:
        drop=SENSITIVITY_DROP,
    params:
        latent=latent_at_drop,
        simulation=config["simulation"],
        networks_per_task=config["networks_per_task"],
        tasks=NETWORK_TASKS,
        nets=NETWORK_NETS,
        state_tasks=STATE_TASKS,
        state_nets=STATE_NETS,
    log:
        "results/logs/latent_claims_drop/drop{drop}.log",
    benchmark:
        "results/benchmarks/latent_claims_drop/drop{drop}.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/latent_claims.py"


# the summary across drops and Figure S7, where the config names drops to compare
if SENSITIVITY_DROPS:

    rule latent_sensitivity:
        input:
            drops=[
                f"results/tables/sensitivity/latent_claims_drop{int(d)}.parquet"
                for d in SENSITIVITY_DROPS
            ],
        output:
            table("latent_sensitivity"),
        params:
            main_drop=LATENT["drop_ms"],
            drops=SENSITIVITY_DROPS,
        log:
            "results/logs/latent_sensitivity.log",
        benchmark:
            "results/benchmarks/latent_sensitivity.tsv"
        threads: 1
        resources:
            mem_mb=job_mem_mb("summary"),
            runtime=5,
        conda:
            "../../envs/rnn.yaml"
        script:
            "../../scripts/latent_sensitivity.py"


    rule figS7_latent_sensitivity:
        input:
            "results/tables/latent_sensitivity.parquet",
        output:
            report(
                figure("figS7_latent_sensitivity"),
                caption="../report/figS7_latent_sensitivity.rst",
                category="5 Latent space: sensitivity to the transient",
            ),
        params:
            task_kinds=TASK_KINDS,
        log:
            "results/logs/figures/figS7_latent_sensitivity.log",
        benchmark:
            "results/benchmarks/figures/figS7_latent_sensitivity.tsv"
        threads: 1
        resources:
            mem_mb=job_mem_mb("summary"),
            runtime=5,
        conda:
            "../../envs/rnn.yaml"
        script:
            "../../scripts/figS7_latent_sensitivity.py"


    ALL_TARGETS.extend(
        [
            *table("latent_sensitivity"),
            *figure("figS7_latent_sensitivity"),
        ]
    )
