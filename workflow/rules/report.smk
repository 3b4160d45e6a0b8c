# The answer to the report (issue 7): the hypotheses table built from every claims table,
# the reproducibility record, and the robustness reruns. Included last in the Snakefile: the
# reproducibility record depends on ALL_TARGETS, which every other stage has extended by then.

from rnn_hypotheses.robustness import (
    claims_paths,
    subsample_folder,
    variant_config,
    variant_folder,
    variant_module,
    variants,
)

# Every claims table of the workflow (results/tables/<name>.parquet), in the order their rows
# appear under a hypothesis. A new claims table goes here, and its claims' keys go into
# rnn_hypotheses.hypotheses.CLAIM_HYPOTHESIS (the hypotheses rule refuses unmapped claims).
CLAIMS_TABLES = [
    "connectivity_claims",
    "latent_claims",
    "slow_point_claims",
    # question 7 (rules/questions.smk): linear models near the stable points
    "linear_model_claims",
]
# the complexity sweep's claims (rules/complexity.smk), where a task family runs at several
# input dimensions
if COMPLEXITY_SWEEP:
    CLAIMS_TABLES.append("complexity_claims")
# the decision networks' topology (rules/questions.smk), where a task is a binary choice
if DECISION_TASKS:
    CLAIMS_TABLES.append("topology_claims")
# structured initial networks (rules/questions.smk)
if TRANSPLANT_TASKS:
    CLAIMS_TABLES.append("initialisation_claims")
# linearised predictive information (rules/questions.smk)
CLAIMS_TABLES.append("predictive_information_claims")
# re-use of slow regions (rules/questions.smk)
if REUSE_PAIRS or REUSE_MULTITASK:
    CLAIMS_TABLES.append("reuse_claims")

# Robustness reruns (config/robustness.yaml; config.yaml has none, so a plain run has none):
# {rule set: {variant: config overrides}}. Each variant is this whole workflow again, imported
# as a module whose results/ paths move to results/robustness/<variant>/.
ROBUSTNESS = config.get("robustness") or {}
ROBUSTNESS_VARIANTS = variants(config)
VARIANT_CLAIMS = {
    v: claims_paths(CLAIMS_TABLES, variant_folder(v)) for v in ROBUSTNESS_VARIANTS
}
# whether a variant's networks learnt their tasks (a verdict on networks that did not is no
# test of the report's claims)
VARIANT_PERFORMANCE = {
    v: f"{variant_folder(v)}/tables/task_performance.parquet" for v in ROBUSTNESS_VARIANTS
}

for ROBUSTNESS_VARIANT, ROBUSTNESS_OVERRIDES in ROBUSTNESS_VARIANTS.items():
    # `use rule` resolves a dynamic module name and rule prefix from these two globals
    ROBUSTNESS_MODULE = variant_module(ROBUSTNESS_VARIANT)
    ROBUSTNESS_RULES = f"{ROBUSTNESS_MODULE}_"

    module:
        name: ROBUSTNESS_MODULE
        snakefile: os.path.join(workflow.basedir, "Snakefile")
        config: without_external(variant_config(config, ROBUSTNESS_OVERRIDES))
        replace_prefix: {"results/": f"{variant_folder(ROBUSTNESS_VARIANT)}/"}

    # the variant's own summaries are not needed: its claims tables feed this run's table
    use rule * from ROBUSTNESS_MODULE exclude all, hypotheses, reproducibility as ROBUSTNESS_RULES*


# variants whose training has an L1 penalty (config/robustness.yaml's sparsity set): the
# share of weights each drives to zero, beside this run's (tables/sparsity)
SPARSE_VARIANTS = [
    v
    for v, overrides in ROBUSTNESS_VARIANTS.items()
    if (variant_config(config, overrides)["training"].get("l1") or 0) > 0
]
SPARSITY_RUNS = ["run", *SPARSE_VARIANTS]

if SPARSE_VARIANTS:

    rule sparsity:
        input:
            # run by run (this run's, then each sparse variant's), each per_network's order
            [
                p.replace("results/", f"{variant_folder(v)}/", 1) if v != "run" else p
                for v in SPARSITY_RUNS
                for p in per_network("results/{task}/{net}/network.npz")
            ],
        output:
            table("sparsity"),
        params:
            runs=SPARSITY_RUNS,
            l1=[
                (config if v == "run" else variant_config(config, ROBUSTNESS_VARIANTS[v]))[
                    "training"
                ].get("l1")
                or 0
                for v in SPARSITY_RUNS
            ],
            tasks=NETWORK_TASKS,
            nets=NETWORK_NETS,
        log:
            "results/logs/sparsity.log",
        benchmark:
            "results/benchmarks/sparsity.tsv"
        threads: 1
        resources:
            mem_mb=job_mem_mb("summary"),
            runtime=5,
        conda:
            "../../envs/rnn.yaml"
        script:
            "../../scripts/sparsity.py"

    ALL_TARGETS.extend(table("sparsity"))


for ROBUSTNESS_SET, ROBUSTNESS_SET_VARIANTS in ROBUSTNESS.items():

    # one target per rule set, e.g. `snakemake --configfile config/robustness.yaml robustness_gain`
    rule:
        name:
            f"robustness_{ROBUSTNESS_SET}"
        input:
            [p for v in ROBUSTNESS_SET_VARIANTS for p in VARIANT_CLAIMS[v]],
            [VARIANT_PERFORMANCE[v] for v in ROBUSTNESS_SET_VARIANTS],
            [table("sparsity") for v in ROBUSTNESS_SET_VARIANTS if v in SPARSE_VARIANTS][:1],
        localrule: True


# Claims at the first n networks of each task (config `subsamples`, e.g. [10] in
# config/many.yaml): this run's own per-network artifacts gathered again by the claims
# rules of a module whose config has n networks per task, so nothing is trained or analysed
# twice; only the claims tables move to results/subsample/n<n>/tables/. The hypotheses table
# shows the verdict at each n beside the run's.
SUBSAMPLES = sorted(set(config.get("subsamples") or []))
SUBSAMPLE_CLAIMS = {n: claims_paths(CLAIMS_TABLES, subsample_folder(n)) for n in SUBSAMPLES}

for SUBSAMPLE_N in SUBSAMPLES:
    SUBSAMPLE_MODULE = f"subsample_n{SUBSAMPLE_N}"
    SUBSAMPLE_RULES = f"{SUBSAMPLE_MODULE}_"
    # the first n networks, named as in the whole run (net000... when it has over 100)
    SUBSAMPLE_CONFIG = without_external(
        variant_config(
            config,
            {"networks_per_task": SUBSAMPLE_N, "network_id_width": len(NETS[0]) - len("net")},
        )
    )
    SUBSAMPLE_PREFIX = {
        f"results/{folder}/": f"{subsample_folder(SUBSAMPLE_N)}/{folder}/"
        for folder in ("tables", "logs", "benchmarks")
    }

    module:
        name: SUBSAMPLE_MODULE
        snakefile: os.path.join(workflow.basedir, "Snakefile")
        config: SUBSAMPLE_CONFIG
        replace_prefix: SUBSAMPLE_PREFIX

    use rule connectivity_claims, latent_claims, slow_points_table, linear_models_summary, predictive_information from SUBSAMPLE_MODULE as SUBSAMPLE_RULES*

    if COMPLEXITY_SWEEP:

        use rule complexity from SUBSAMPLE_MODULE as SUBSAMPLE_RULES*

    if DECISION_TASKS:

        use rule topology from SUBSAMPLE_MODULE as SUBSAMPLE_RULES*

    if TRANSPLANT_TASKS:

        use rule initialisation from SUBSAMPLE_MODULE as SUBSAMPLE_RULES*

    if REUSE_PAIRS or REUSE_MULTITASK:

        use rule reuse from SUBSAMPLE_MODULE as SUBSAMPLE_RULES*


rule hypotheses:
    input:
        tables=claims_paths(CLAIMS_TABLES),
        # variant by variant, each in the order of CLAIMS_TABLES
        variants=[p for paths in VARIANT_CLAIMS.values() for p in paths],
        performance=list(VARIANT_PERFORMANCE.values()),
        # subsample by subsample, each in the order of CLAIMS_TABLES
        subsamples=[p for paths in SUBSAMPLE_CLAIMS.values() for p in paths],
        # the latent claims at each sensitivity drop, where there are drops
        sensitivity=rules.latent_sensitivity.output[0] if SENSITIVITY_DROPS else [],
    output:
        parquet="results/tables/hypotheses.parquet",
        md="results/tables/hypotheses.md",
        html=report(
            "results/tables/hypotheses.html",
            caption="../report/hypotheses.rst",
            category="1 Hypotheses and verdicts",
        ),
    params:
        networks_per_task=config["networks_per_task"],
        names=CLAIMS_TABLES,
        variants=list(ROBUSTNESS_VARIANTS),
        subsamples=SUBSAMPLES,
    log:
        "results/logs/hypotheses.log",
    benchmark:
        "results/benchmarks/hypotheses.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/hypotheses.py"


rule reproducibility:
    input:
        # every other target, so that the stage times are those of a complete run
        [*ALL_TARGETS, *rules.hypotheses.output],
    output:
        parquet="results/tables/reproducibility.parquet",
        md="results/tables/reproducibility.md",
        html=report(
            "results/tables/reproducibility.html",
            caption="../report/reproducibility.rst",
            category="7 Reproducibility",
        ),
    params:
        config=config,
        repository=workflow.basedir,
        benchmarks="results/benchmarks",
        variants=list(ROBUSTNESS_VARIANTS),
        variant_benchmarks=[f"{variant_folder(v)}/benchmarks" for v in ROBUSTNESS_VARIANTS],
    log:
        "results/logs/reproducibility.log",
    benchmark:
        "results/benchmarks/reproducibility.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/reproducibility.py"


ALL_TARGETS.extend([*rules.hypotheses.output, *rules.reproducibility.output])
