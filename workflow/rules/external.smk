# Networks trained elsewhere (config external_networks; README "Your own networks"). Each
# file, checked before any job (check_config), becomes results/<label>/<net>/network.npz;
# the per-network rules of the other stages then analyse it in the states it has: both
# with W_rec_init (the rules themselves), the trained one without (the *_trained copies
# below). Nothing is trained, so neither history nor snapshots exist for them, and the
# claims, hypotheses and figures gather the configured tasks only; tables/external_networks
# says what ran and what was skipped for each network, beside the configured tasks' numbers.
# Without external networks none of these rules exists.

import dataclasses

if EXTERNAL:

    rule import_network:
        input:
            file=external_file,
        output:
            network="results/{task}/{net}/network.npz",
        wildcard_constraints:
            task=alternatives(EXTERNAL),
        params:
            provenance=network_provenance,
        log:
            "results/logs/import_network/{task}/{net}.log",
        benchmark:
            "results/benchmarks/import_network/{task}/{net}.tsv"
        threads: 1
        resources:
            mem_mb=import_mem_mb,
            runtime=5,
        conda:
            "../../envs/rnn.yaml"
        script:
            "../../scripts/import_network.py"


if EXTERNAL_TRAINED_ONLY:
    # The per-network stages of networks without W_rec_init: the same jobs on the trained
    # state alone (and no latent change, which compares the two).
    TRAINED_ONLY = alternatives(EXTERNAL_TRAINED_ONLY)

    use rule simulate as simulate_trained with:
        output:
            simulations=trained_only("results/{task}/{net}/sim_{state}.npz"),
        wildcard_constraints:
            task=TRAINED_ONLY,
        params:
            states=TRAINED_ONLY_STATES,

    use rule latent as latent_trained with:
        input:
            network="results/{task}/{net}/network.npz",
            simulations=trained_only("results/{task}/{net}/sim_{state}.npz"),
        output:
            **{
                name: trained_only(f"results/{{task}}/{{net}}/{pattern}")
                for name, pattern in LATENT_ARTIFACTS.items()
            },
        wildcard_constraints:
            task=TRAINED_ONLY,
        params:
            states=TRAINED_ONLY_STATES,
        resources:
            mem_mb=job_mem_mb("latent"),
            runtime=latent_runtime,

    use rule slowpoints as slowpoints_trained with:
        input:
            network="results/{task}/{net}/network.npz",
            simulations=trained_only("results/{task}/{net}/sim_{state}.npz"),
        output:
            points=trained_only("results/{task}/{net}/slowpoints_{state}.parquet"),
            arrays=trained_only("results/{task}/{net}/slowpoints_{state}.npz"),
            conditions=trained_only("results/{task}/{net}/slowpoint_conditions_{state}.parquet"),
        wildcard_constraints:
            task=TRAINED_ONLY,
        params:
            states=TRAINED_ONLY_STATES,
        resources:
            mem_mb=job_mem_mb("slowpoints"),
            runtime=slowpoints_runtime,


if EXTERNAL_BOTH_STATES:

    # What training changed, for networks with W_rec_init: every part of rule connectivity
    # but the non-normality through training, which needs the snapshots they lack.
    use rule connectivity as connectivity_external with:
        input:
            network="results/{task}/{net}/network.npz",
        output:
            summary="results/{task}/{net}/connectivity.parquet",
            eigenvalues="results/{task}/{net}/eigenvalues.npz",
            changes="results/{task}/{net}/weight_changes.parquet",
            nodes="results/{task}/{net}/centrality.parquet",
            centrality="results/{task}/{net}/centrality_summary.parquet",
            low_rank="results/{task}/{net}/low_rank.parquet",
        wildcard_constraints:
            task=alternatives(EXTERNAL_BOTH_STATES),


# The configured tasks the labels name, whose networks the table shows beside them.
EXTERNAL_REFERENCE_TASKS = list(dict.fromkeys(r.task for r in EXTERNAL_NETWORKS.values()))
# (task or label, net) of every network of the table, in its input lists' order, and
# those of them with both states (the latent change and the connectivity change)
EXTERNAL_TABLE_NETWORKS = [
    *EXTERNAL_NETWORKS,
    *((t, n) for t in EXTERNAL_REFERENCE_TASKS for n in NETS),
]
EXTERNAL_TABLE_CHANGES = [
    (t, n) for s, t, n in ANALYSED_STATES if s == "untrained" and (t, n) in EXTERNAL_TABLE_NETWORKS
]


if EXTERNAL:

    rule external_networks:
        input:
            networks=per_network_of("results/{task}/{net}/network.npz", EXTERNAL_TABLE_NETWORKS),
            conditions=per_network_of("results/{task}/{net}/eval.parquet", EXTERNAL_TABLE_NETWORKS),
            traces=per_network_of("results/{task}/{net}/eval_trace.parquet", EXTERNAL_TABLE_NETWORKS),
            latent=per_network_of("results/{task}/{net}/latent_trained.parquet", EXTERNAL_TABLE_NETWORKS),
            points=per_network_of("results/{task}/{net}/slowpoints_trained.parquet", EXTERNAL_TABLE_NETWORKS),
            point_conditions=per_network_of(
                "results/{task}/{net}/slowpoint_conditions_trained.parquet",
                EXTERNAL_TABLE_NETWORKS,
            ),
            latent_change=per_network_of(
                "results/{task}/{net}/latent_change.parquet", EXTERNAL_TABLE_CHANGES
            ),
            connectivity=per_network_of(
                "results/{task}/{net}/connectivity.parquet", EXTERNAL_TABLE_CHANGES
            ),
        output:
            parquet="results/tables/external_networks.parquet",
            md="results/tables/external_networks.md",
            html=report(
                "results/tables/external_networks.html",
                caption="../report/external_networks.rst",
                category="8 Your own networks",
            ),
        params:
            tasks=[t for t, _ in EXTERNAL_TABLE_NETWORKS],
            nets=[n for _, n in EXTERNAL_TABLE_NETWORKS],
            change_tasks=[t for t, _ in EXTERNAL_TABLE_CHANGES],
            change_nets=[n for _, n in EXTERNAL_TABLE_CHANGES],
            # each row's task entry (a label's is its task's), which scores its evaluation
            task_entries={
                **{t: stage_entry(config["tasks"][t]) for t in EXTERNAL_REFERENCE_TASKS},
                **{
                    label: stage_entry(config["tasks"][records[0].task])
                    for label, records in EXTERNAL.items()
                },
            },
            externals={
                label: [dataclasses.asdict(r) for r in records]
                for label, records in EXTERNAL.items()
            },
            configured={t: config["tasks"][t] for t in EXTERNAL_REFERENCE_TASKS},
            model=config["model"],
        log:
            "results/logs/external_networks.log",
        benchmark:
            "results/benchmarks/external_networks.tsv"
        threads: 1
        resources:
            mem_mb=job_mem_mb("summary"),
            runtime=5,
        conda:
            "../../envs/rnn.yaml"
        script:
            "../../scripts/external_networks.py"

    ALL_TARGETS.extend(rules.external_networks.output)
