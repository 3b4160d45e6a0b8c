# Figures of the report, numbered as there. Figure rules only draw.


rule fig01_task_performance:
    input:
        conditions=per_network("results/{task}/{net}/eval.parquet"),
        traces=per_network("results/{task}/{net}/eval_trace.parquet"),
    output:
        report(
            figure("fig01_task_performance"),
            caption="../report/fig01_task_performance.rst",
            category="3 Network performance",
        ),
    params:
        tasks=NETWORK_TASKS,
        nets=NETWORK_NETS,
        task_kinds=TASK_KINDS,
    log:
        "results/logs/figures/fig01_task_performance.log",
    benchmark:
        "results/benchmarks/figures/fig01_task_performance.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/fig01_task_performance.py"
