# Latent spaces (report, sections 4, 5.1, 5.2, 5.3): DCA and PCA of the simulations, DCA
# along the leaky-ReLU family, subspace angles; Figures 2, 3, 5, 6, 9, 10, 11, S3 and the
# latent claims table. Analyses are per network (both states in one job); figure and table
# rules gather.

LATENT = config["latent"]
# what the latent jobs use: every latent key but the drops the sensitivity analysis reruns
LATENT_FIT = {key: value for key, value in LATENT.items() if key != "sensitivity_drop_ms"}
# (state, net) of the networks drawn in the 3-D figures (2 and 3)
LATENT_EXAMPLES = [(s, n) for s in STATES for n in NETS[: LATENT["example_nets"]]]


# the four artifacts of the latent analysis of one state (and sensitivity drop)
LATENT_ARTIFACTS = {
    "arrays": "latent_{state}.npz",
    "summary": "latent_{state}.parquet",
    "restarts": "dca_restarts_{state}.parquet",
    "pi_theta": "pi_theta_{state}.parquet",
}
# the outputs of rule latent by kind, each a list in the order of STATES (scripts/latent.py
# writes them in that order)
LATENT_OUTPUTS = {
    name: [f"results/{{task}}/{{net}}/{pattern.format(state=s)}" for s in STATES]
    for name, pattern in LATENT_ARTIFACTS.items()
}


# One job per network: both states (each state's fits take most of its time), and the change
# between them, which reads nothing else; a figure of either needs both states anyway.
rule latent:
    input:
        network="results/{task}/{net}/network.npz",
        simulations=expand("results/{{task}}/{{net}}/sim_{state}.npz", state=STATES),
    output:
        **LATENT_OUTPUTS,
        change=["results/{task}/{net}/latent_change.parquet"],
    # networks with both states (rules/external.smk: those known only trained)
    wildcard_constraints:
        task=BOTH_STATES,
    params:
        provenance=network_provenance,
        # one run of the analysis, with these settings (rules/sensitivity.smk: one per drop)
        latent=[LATENT_FIT],
        states=STATES,
        simulation=config["simulation"],
    log:
        "results/logs/latent/{task}/{net}.log",
    benchmark:
        "results/benchmarks/latent/{task}/{net}.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("latent"),
        # minutes: a decision state (256 units) takes one to two on one free core
        runtime=lambda wildcards: len(STATES) * latent_runtime(wildcards),
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/latent.py"


rule latent_claims:
    input:
        latent=[f"results/{t}/{n}/latent_{s}.parquet" for s, t, n in STATE_KEYS],
        pi_theta=[f"results/{t}/{n}/pi_theta_{s}.parquet" for s, t, n in STATE_KEYS],
        change=per_network("results/{task}/{net}/latent_change.parquet"),
    output:
        table("latent_claims"),
    params:
        latent=LATENT_FIT,
        simulation=config["simulation"],
        networks_per_task=config["networks_per_task"],
        tasks=NETWORK_TASKS,
        nets=NETWORK_NETS,
        state_tasks=STATE_TASKS,
        state_nets=STATE_NETS,
    log:
        "results/logs/latent_claims.log",
    benchmark:
        "results/benchmarks/latent_claims.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/latent_claims.py"


# tasks whose kind draws its latent space as input isocontours (Figure 2) or as a trial whose
# input switches (Figure 3); a kind without a latent view has neither
ISOCONTOUR_TASKS = [t for t, task in TASK_OBJECTS.items() if task.latent_view == "isocontours"]
SWITCHING_TASKS = [t for t, task in TASK_OBJECTS.items() if task.latent_view == "switching"]
# their rules' wildcard constraints: exactly these names ("(?!)", no name, when there are none)
ISOCONTOUR_TASK = "|".join(map(re.escape, ISOCONTOUR_TASKS)) or "(?!)"
SWITCHING_TASK = "|".join(map(re.escape, SWITCHING_TASKS)) or "(?!)"


rule fig02_latent_isocontours:
    input:
        arrays=[f"results/{{task}}/{n}/latent_{s}.npz" for s, n in LATENT_EXAMPLES],
    output:
        report(
            figure("fig02_{task}_latent"),
            caption="../report/fig02_latent_isocontours.rst",
            category="4 Latent space visualisations",
        ),
    wildcard_constraints:
        task=ISOCONTOUR_TASK,
    params:
        nets=[n for _, n in LATENT_EXAMPLES],
        states=[s for s, _ in LATENT_EXAMPLES],
    log:
        "results/logs/figures/fig02_{task}_latent.log",
    benchmark:
        "results/benchmarks/figures/fig02_{task}_latent.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/fig02_latent_isocontours.py"


rule fig03_latent_switching:
    input:
        arrays=[f"results/{{task}}/{n}/latent_{s}.npz" for s, n in LATENT_EXAMPLES],
    output:
        report(
            figure("fig03_{task}_latent"),
            caption="../report/fig03_latent_switching.rst",
            category="4 Latent space visualisations",
        ),
    wildcard_constraints:
        task=SWITCHING_TASK,
    params:
        nets=[n for _, n in LATENT_EXAMPLES],
        states=[s for s, _ in LATENT_EXAMPLES],
    log:
        "results/logs/figures/fig03_{task}_latent.log",
    benchmark:
        "results/benchmarks/figures/fig03_{task}_latent.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/fig03_latent_switching.py"


rule fig05_leaky_relu:
    output:
        report(
            figure("fig05_leaky_relu"),
            caption="../report/fig05_leaky_relu.rst",
            category="5.1 Increasing nonlinearity",
        ),
    params:
        n_thetas=LATENT["n_thetas"],
    log:
        "results/logs/figures/fig05_leaky_relu.log",
    benchmark:
        "results/benchmarks/figures/fig05_leaky_relu.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/fig05_leaky_relu.py"


rule fig06_pi_vs_nonlinearity:
    input:
        tables=[f"results/{t}/{n}/pi_theta_{s}.parquet" for s, t, n in STATE_KEYS],
    output:
        report(
            figure("fig06_pi_vs_nonlinearity"),
            caption="../report/fig06_pi_vs_nonlinearity.rst",
            category="5.1 Increasing nonlinearity",
        ),
    params:
        task_kinds=TASK_KINDS,
        tasks=STATE_TASKS,
        nets=STATE_NETS,
    log:
        "results/logs/figures/fig06_pi_vs_nonlinearity.log",
    benchmark:
        "results/benchmarks/figures/fig06_pi_vs_nonlinearity.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/fig06_pi_vs_nonlinearity.py"


rule fig09_subspace_pre_post:
    input:
        tables=per_network("results/{task}/{net}/latent_change.parquet"),
    output:
        report(
            figure("fig09_subspace_pre_post"),
            caption="../report/fig09_subspace_pre_post.rst",
            category="5.2 Subtle changes have a big impact",
        ),
    params:
        task_kinds=TASK_KINDS,
        tasks=NETWORK_TASKS,
        nets=NETWORK_NETS,
        orthogonal_deg=LATENT["orthogonal_deg"],
    log:
        "results/logs/figures/fig09_subspace_pre_post.log",
    benchmark:
        "results/benchmarks/figures/fig09_subspace_pre_post.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/fig09_subspace_pre_post.py"


rule fig10_subspace_conditions:
    input:
        tables=[f"results/{t}/{n}/latent_{s}.parquet" for s, t, n in STATE_KEYS],
    output:
        report(
            figure("fig10_subspace_conditions"),
            caption="../report/fig10_subspace_conditions.rst",
            category="5.2 Subtle changes have a big impact",
        ),
    params:
        task_kinds=TASK_KINDS,
        tasks=STATE_TASKS,
        nets=STATE_NETS,
    log:
        "results/logs/figures/fig10_subspace_conditions.log",
    benchmark:
        "results/benchmarks/figures/fig10_subspace_conditions.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/fig10_subspace_conditions.py"


rule fig11_readout_angles:
    input:
        tables=[f"results/{t}/{n}/latent_{s}.parquet" for s, t, n in STATE_KEYS],
    output:
        report(
            figure("fig11_readout_angles"),
            caption="../report/fig11_readout_angles.rst",
            category="5.3 Latent space moves away from readout",
        ),
    params:
        task_kinds=TASK_KINDS,
        tasks=STATE_TASKS,
        nets=STATE_NETS,
    log:
        "results/logs/figures/fig11_readout_angles.log",
    benchmark:
        "results/benchmarks/figures/fig11_readout_angles.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/fig11_readout_angles.py"


rule figS3_dca_uniqueness:
    input:
        restarts=[f"results/{t}/{n}/dca_restarts_{s}.parquet" for s, t, n in STATE_KEYS],
    output:
        report(
            figure("figS3_dca_uniqueness"),
            caption="../report/figS3_dca_uniqueness.rst",
            category="5 Hypotheses: uniqueness of DCA",
        ),
    params:
        task_kinds=TASK_KINDS,
        tasks=STATE_TASKS,
        nets=STATE_NETS,
        unique_angle_deg=LATENT["unique_angle_deg"],
    log:
        "results/logs/figures/figS3_dca_uniqueness.log",
    benchmark:
        "results/benchmarks/figures/figS3_dca_uniqueness.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("summary"),
        runtime=5,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/figS3_dca_uniqueness.py"


ALL_TARGETS.extend(
    [
        *(path for t in ISOCONTOUR_TASKS for path in figure(f"fig02_{t}_latent")),
        *(path for t in SWITCHING_TASKS for path in figure(f"fig03_{t}_latent")),
        *figure("fig05_leaky_relu"),
        *figure("fig06_pi_vs_nonlinearity"),
        *figure("fig09_subspace_pre_post"),
        *figure("fig10_subspace_conditions"),
        *figure("fig11_readout_angles"),
        *figure("figS3_dca_uniqueness"),
        *table("latent_claims"),
    ]
)
