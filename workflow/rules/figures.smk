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


# Interactive views of Figures 2, 3 and S4 (plotly, one self-contained HTML page each):
# the same artifacts and frames as their static rules (rules/latent.smk and
# rules/slowpoints.smk), beside whose pdf and png the report shows them.


rule fig02_latent_isocontours_html:
    input:
        arrays=[f"results/{{task}}/{n}/latent_{s}.npz" for s, n in LATENT_EXAMPLES],
    output:
        report(
            "results/figures/fig02_{task}_latent.html",
            caption="../report/fig02_latent_isocontours_html.rst",
            category="4 Latent space visualisations",
        ),
    wildcard_constraints:
        task=ISOCONTOUR_TASK,
    params:
        nets=[n for _, n in LATENT_EXAMPLES],
        states=[s for s, _ in LATENT_EXAMPLES],
        task_kinds=TASK_KINDS,
    log:
        "results/logs/figures/fig02_{task}_latent_html.log",
    benchmark:
        "results/benchmarks/figures/fig02_{task}_latent_html.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/fig02_latent_isocontours_html.py"


rule fig03_latent_switching_html:
    input:
        arrays=[f"results/{{task}}/{n}/latent_{s}.npz" for s, n in LATENT_EXAMPLES],
    output:
        report(
            "results/figures/fig03_{task}_latent.html",
            caption="../report/fig03_latent_switching_html.rst",
            category="4 Latent space visualisations",
        ),
    wildcard_constraints:
        task=SWITCHING_TASK,
    params:
        nets=[n for _, n in LATENT_EXAMPLES],
        states=[s for s, _ in LATENT_EXAMPLES],
        task_kinds=TASK_KINDS,
    log:
        "results/logs/figures/fig03_{task}_latent_html.log",
    benchmark:
        "results/benchmarks/figures/fig03_{task}_latent_html.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/fig03_latent_switching_html.py"


rule figS4_fixed_points_html:
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
    output:
        report(
            "results/figures/figS4_fixed_points.html",
            caption="../report/figS4_fixed_points_html.rst",
            category="6 Slow points",
        ),
    params:
        task_kinds=TASK_KINDS,
        tasks=[t for _, t in SLOWPOINT_PANELS],
        states=[s for s, _ in SLOWPOINT_PANELS],
        net=SLOWPOINT_EXAMPLE,
    log:
        "results/logs/figures/figS4_fixed_points_html.log",
    benchmark:
        "results/benchmarks/figures/figS4_fixed_points_html.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/figS4_fixed_points_html.py"


ALL_TARGETS.extend(
    [
        *(f"results/figures/fig02_{t}_latent.html" for t in ISOCONTOUR_TASKS),
        *(f"results/figures/fig03_{t}_latent.html" for t in SWITCHING_TASKS),
        "results/figures/figS4_fixed_points.html",
    ]
)
