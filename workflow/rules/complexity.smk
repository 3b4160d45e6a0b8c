# The report's future work (section 6, question 2): how the fixed points, saddles and slow
# regions per analysed input grow with the input dimension D of a task family (the
# complexity sweep, config/complexity.yaml), and the sine generators' rotation at their
# fixed points. Only when some family runs at two dimensions or more; its claims table
# joins the hypotheses table (rules/report.smk). A task with an `init` key or of kind
# multitask is in no family (TASK_DIMENSIONS, rules/common.smk): the question tasks merged
# over the sweep (config/questions.yaml) leave its fits and claims as they are.

COMPLEXITY_SWEEP = any(
    len({d for t, (f, d) in TASK_DIMENSIONS.items() if f == family}) > 1
    for family in {f for f, _ in TASK_DIMENSIONS.values()}
)
# tasks whose output oscillates at the frequency their input asks for (the sine generator)
OSCILLATING_TASKS = [name for name, task in TASK_OBJECTS.items() if task.output_oscillates]
OSCILLATION_KEYS = [(s, t, n) for s in STATES for t in OSCILLATING_TASKS for n in NETS]


if COMPLEXITY_SWEEP:

    rule complexity:
        input:
            networks="results/tables/slow_point_networks.parquet",
            points=[f"results/{t}/{n}/slowpoints_{s}.parquet" for s, t, n in OSCILLATION_KEYS],
        output:
            table("complexity"),
            table("complexity_counts"),
            table("complexity_tasks"),
            table("complexity_oscillation"),
            table("complexity_claims"),
        params:
            dimensions=TASK_DIMENSIONS,
            task_kinds=TASK_KINDS,
            oscillating=OSCILLATING_TASKS,
            point_tasks=[t for _, t, _ in OSCILLATION_KEYS],
            point_nets=[n for _, _, n in OSCILLATION_KEYS],
            networks_per_task=config["networks_per_task"],
            slowpoints=SLOWPOINT_SEARCH,
        log:
            "results/logs/complexity.log",
        benchmark:
            "results/benchmarks/complexity.tsv"
        threads: 1
        resources:
            mem_mb=job_mem_mb("summary"),
            runtime=5,
        conda:
            "../../envs/rnn.yaml"
        script:
            "../../scripts/complexity.py"

    rule figS6_complexity:
        input:
            networks="results/tables/slow_point_networks.parquet",
            counts="results/tables/complexity_counts.parquet",
            growth="results/tables/complexity.parquet",
        output:
            report(
                figure("figS6_complexity"),
                caption="../report/figS6_complexity.rst",
                category="9 Future work: task complexity",
            ),
        params:
            dimensions=TASK_DIMENSIONS,
        log:
            "results/logs/figures/figS6_complexity.log",
        benchmark:
            "results/benchmarks/figures/figS6_complexity.tsv"
        threads: 1
        resources:
            mem_mb=job_mem_mb("summary"),
            runtime=5,
        conda:
            "../../envs/rnn.yaml"
        script:
            "../../scripts/figS6_complexity.py"

    ALL_TARGETS.extend(
        [
            *figure("figS6_complexity"),
            *table("complexity"),
            *table("complexity_counts"),
            *table("complexity_tasks"),
            *table("complexity_oscillation"),
            *table("complexity_claims"),
        ]
    )
