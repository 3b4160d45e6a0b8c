# Training and evaluation of every network (report, sections 2 and 3).


if max(map(len, ENSEMBLES)) == 1:

    rule train:
        output:
            network="results/{task}/{net}/network.npz",
            history="results/{task}/{net}/history.parquet",
            snapshots="results/{task}/{net}/snapshots.npz",
        # configured tasks only: an external network's network.npz is imported
        # (rules/external.smk); a transplanted task's trains below
        wildcard_constraints:
            task=OWN_DRAW,
            net=alternatives(NETS),
        params:
            provenance=network_provenance,
        log:
            "results/logs/train/{task}/{net}.log",
        benchmark:
            "results/benchmarks/train/{task}/{net}.tsv"
        threads: config["training"]["threads"]
        resources:
            mem_mb=job_mem_mb("train"),
            runtime=train_runtime(),
        conda:
            "../../envs/rnn.yaml"
        script:
            "../../scripts/train.py"

else:
    # training.networks_per_job > 1: one job trains an ensemble of networks of a task
    # side by side (rnn_hypotheses.train.train_ensemble). Its outputs are the networks'
    # own files, so each ensemble is a rule of its own: train_<first>_<last>.
    for members in ENSEMBLES:

        rule:
            name:
                ensemble_rule(members)
            output:
                network=expand("results/{{task}}/{net}/network.npz", net=members),
                history=expand("results/{{task}}/{net}/history.parquet", net=members),
                snapshots=expand("results/{{task}}/{net}/snapshots.npz", net=members),
            wildcard_constraints:
                task=OWN_DRAW,
            params:
                provenance=ensemble_provenance(members),
            log:
                f"results/logs/train/{{task}}/{ensemble_label(members)}.log",
            benchmark:
                f"results/benchmarks/train/{{task}}/{ensemble_label(members)}.tsv"
            threads: config["training"]["threads"]
            resources:
                mem_mb=job_mem_mb("train", len(members)),
                runtime=train_runtime(len(members)),
            conda:
                "../../envs/rnn.yaml"
            script:
                "../../scripts/train.py"


# Tasks whose init transplants trained weights (a task's `init`; README, "Structured initial
# networks"): the same training, from an initial network that takes the source task's
# trained networks, which are its inputs (so they train first). Rules of their own, so the
# rules above keep their inputs, params and script, and a run's networks stay up to date.
if TRANSPLANT_TASKS and max(map(len, ENSEMBLES)) == 1:

    rule train_transplant:
        input:
            sources=lambda wildcards: transplant_sources(wildcards.task, [wildcards.net]),
        output:
            network="results/{task}/{net}/network.npz",
            history="results/{task}/{net}/history.parquet",
            snapshots="results/{task}/{net}/snapshots.npz",
        wildcard_constraints:
            task=TRANSPLANTED,
            net=alternatives(NETS),
        params:
            provenance=network_provenance,
        log:
            "results/logs/train/{task}/{net}.log",
        benchmark:
            "results/benchmarks/train/{task}/{net}.tsv"
        threads: config["training"]["threads"]
        resources:
            mem_mb=job_mem_mb("train"),
            runtime=train_runtime(),
        conda:
            "../../envs/rnn.yaml"
        script:
            "../../scripts/train_transplant.py"

elif TRANSPLANT_TASKS:
    for members in ENSEMBLES:

        rule:
            name:
                ensemble_rule(members, "train_transplant")
            input:
                sources=ensemble_sources(members),
            output:
                network=expand("results/{{task}}/{net}/network.npz", net=members),
                history=expand("results/{{task}}/{net}/history.parquet", net=members),
                snapshots=expand("results/{{task}}/{net}/snapshots.npz", net=members),
            wildcard_constraints:
                task=TRANSPLANTED,
            params:
                provenance=ensemble_provenance(members),
            log:
                f"results/logs/train/{{task}}/{ensemble_label(members)}.log",
            benchmark:
                f"results/benchmarks/train/{{task}}/{ensemble_label(members)}.tsv"
            threads: config["training"]["threads"]
            resources:
                mem_mb=job_mem_mb("train", len(members)),
                runtime=train_runtime(len(members)),
            conda:
                "../../envs/rnn.yaml"
            script:
                "../../scripts/train_transplant.py"


rule evaluate:
    input:
        network="results/{task}/{net}/network.npz",
    output:
        conditions="results/{task}/{net}/eval.parquet",
        trace="results/{task}/{net}/eval_trace.parquet",
    params:
        provenance=network_provenance,
        evaluation=evaluation_settings,
    log:
        "results/logs/evaluate/{task}/{net}.log",
    benchmark:
        "results/benchmarks/evaluate/{task}/{net}.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("evaluate"),
        runtime=10,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/evaluate.py"


rule task_performance:
    input:
        networks=per_network("results/{task}/{net}/network.npz"),
        conditions=per_network("results/{task}/{net}/eval.parquet"),
        traces=per_network("results/{task}/{net}/eval_trace.parquet"),
    output:
        table("task_performance"),
    params:
        task_configs={name: stage_entry(entry) for name, entry in config["tasks"].items()},
        tasks=NETWORK_TASKS,
        nets=NETWORK_NETS,
    log:
        "results/logs/task_performance.log",
    benchmark:
        "results/benchmarks/task_performance.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/task_performance.py"
