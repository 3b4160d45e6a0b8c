# What training does to the connectivity (report, sections 5.1 and 5.2): weights, spectra,
# non-normality, rank of the change, centrality; Figures 4, 7, 8, S1, S2 and the claims table.
# The analyses are one job per network; the figure and table rules only gather and draw.

CONNECTIVITY = config["connectivity"]


# One job per network: the summary and spectra, node centrality, non-normality through
# training and the rank of the change (each a second or two for a 256-unit network, less
# than a job's start-up), each written with only the config values it uses.
rule connectivity:
    input:
        network="results/{task}/{net}/network.npz",
        snapshots="results/{task}/{net}/snapshots.npz",
    output:
        summary="results/{task}/{net}/connectivity.parquet",
        eigenvalues="results/{task}/{net}/eigenvalues.npz",
        changes="results/{task}/{net}/weight_changes.parquet",
        nodes="results/{task}/{net}/centrality.parquet",
        centrality="results/{task}/{net}/centrality_summary.parquet",
        nonnormality="results/{task}/{net}/nonnormality.parquet",
        low_rank="results/{task}/{net}/low_rank.parquet",
    # networks trained here, which have snapshots (rules/external.smk: the others)
    wildcard_constraints:
        task=TRAINED_HERE,
    params:
        provenance=network_provenance,
        top_fraction=CONNECTIVITY["top_fraction"],
        energy=CONNECTIVITY["energy"],
        measure=CONNECTIVITY["centrality"],
        max_rank=CONNECTIVITY["max_rank"],
        loss_trials=CONNECTIVITY["loss_trials"],
    log:
        "results/logs/connectivity/{task}/{net}.log",
    benchmark:
        "results/benchmarks/connectivity/{task}/{net}.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("connectivity"),
        runtime=30,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/connectivity.py"


rule connectivity_claims:
    input:
        connectivity=per_network("results/{task}/{net}/connectivity.parquet"),
        centrality=per_network("results/{task}/{net}/centrality_summary.parquet"),
    output:
        table("connectivity_claims"),
    params:
        connectivity=CONNECTIVITY,
        networks_per_task=config["networks_per_task"],
        tasks=NETWORK_TASKS,
        nets=NETWORK_NETS,
        task_kinds=TASK_KINDS,
        task_dimensions=TASK_DIMENSIONS,
    log:
        "results/logs/connectivity_claims.log",
    benchmark:
        "results/benchmarks/connectivity_claims.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/connectivity_claims.py"


rule fig04_mean_weight:
    input:
        histories=per_network("results/{task}/{net}/history.parquet"),
    output:
        report(
            figure("fig04_mean_weight"),
            caption="../report/fig04_mean_weight.rst",
            category="5.1 Increasing nonlinearity",
        ),
    params:
        task_kinds=TASK_KINDS,
        tasks=NETWORK_TASKS,
        nets=NETWORK_NETS,
    log:
        "results/logs/figures/fig04_mean_weight.log",
    benchmark:
        "results/benchmarks/figures/fig04_mean_weight.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/fig04_mean_weight.py"


rule fig07_weight_changes:
    input:
        changes=per_network("results/{task}/{net}/weight_changes.parquet"),
        eigenvalues=per_network("results/{task}/{net}/eigenvalues.npz"),
        summaries=per_network("results/{task}/{net}/connectivity.parquet"),
    output:
        report(
            figure("fig07_weight_changes"),
            caption="../report/fig07_weight_changes.rst",
            category="5.2 Subtle changes have a big impact",
        ),
    params:
        task_kinds=TASK_KINDS,
        tasks=NETWORK_TASKS,
        nets=NETWORK_NETS,
        marked=CONNECTIVITY["marked_eigenvalues"],
        top_fraction=CONNECTIVITY["top_fraction"],
    log:
        "results/logs/figures/fig07_weight_changes.log",
    benchmark:
        "results/benchmarks/figures/fig07_weight_changes.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/fig07_weight_changes.py"


rule fig08_centrality:
    input:
        nodes=per_network("results/{task}/{net}/centrality.parquet"),
        summaries=per_network("results/{task}/{net}/centrality_summary.parquet"),
    output:
        report(
            figure("fig08_centrality"),
            caption="../report/fig08_centrality.rst",
            category="5.2 Subtle changes have a big impact",
        ),
    params:
        task_kinds=TASK_KINDS,
        tasks=NETWORK_TASKS,
        nets=NETWORK_NETS,
        top_fraction=CONNECTIVITY["top_fraction"],
    log:
        "results/logs/figures/fig08_centrality.log",
    benchmark:
        "results/benchmarks/figures/fig08_centrality.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/fig08_centrality.py"


rule figS1_nonnormality:
    input:
        tables=per_network("results/{task}/{net}/nonnormality.parquet"),
    output:
        report(
            figure("figS1_nonnormality"),
            caption="../report/figS1_nonnormality.rst",
            category="5.2 Subtle changes have a big impact",
        ),
    params:
        task_kinds=TASK_KINDS,
        tasks=NETWORK_TASKS,
        nets=NETWORK_NETS,
    log:
        "results/logs/figures/figS1_nonnormality.log",
    benchmark:
        "results/benchmarks/figures/figS1_nonnormality.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/figS1_nonnormality.py"


rule figS2_low_rank_change:
    input:
        tables=per_network("results/{task}/{net}/low_rank.parquet"),
    output:
        report(
            figure("figS2_low_rank_change"),
            caption="../report/figS2_low_rank_change.rst",
            category="5.2 Subtle changes have a big impact",
        ),
    params:
        task_kinds=TASK_KINDS,
        tasks=NETWORK_TASKS,
        nets=NETWORK_NETS,
    log:
        "results/logs/figures/figS2_low_rank_change.log",
    benchmark:
        "results/benchmarks/figures/figS2_low_rank_change.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/figS2_low_rank_change.py"


ALL_TARGETS.extend(
    [
        *figure("fig04_mean_weight"),
        *figure("fig07_weight_changes"),
        *figure("fig08_centrality"),
        *figure("figS1_nonnormality"),
        *figure("figS2_low_rank_change"),
        *table("connectivity_claims"),
    ]
)
