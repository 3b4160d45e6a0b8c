# Simulations of every network before and after training, shared by the analyses: one job
# per network writes both states (the same inputs and noise, so that they differ in W_rec
# alone).


rule simulate:
    input:
        network="results/{task}/{net}/network.npz",
    output:
        # one per state, in the order of STATES
        simulations=expand("results/{{task}}/{{net}}/sim_{state}.npz", state=STATES),
    # networks with both states (rules/external.smk: those known only trained)
    wildcard_constraints:
        task=BOTH_STATES,
    params:
        provenance=network_provenance,
        simulation=config["simulation"],
        repeats=simulation_repeats,
        task_config=simulation_entry,
        states=STATES,
    log:
        "results/logs/simulate/{task}/{net}.log",
    benchmark:
        "results/benchmarks/simulate/{task}/{net}.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("simulate"),
        runtime=10,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/simulate.py"
