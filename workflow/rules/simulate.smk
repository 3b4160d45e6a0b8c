# Simulations of every network before and after training, shared by the analyses.


rule simulate:
    input:
        network="results/{task}/{net}/network.npz",
    output:
        simulation="results/{task}/{net}/sim_{state}.npz",
    params:
        provenance=network_provenance,
        simulation=config["simulation"],
        repeats=simulation_repeats,
        task_config=simulation_entry,
    log:
        "results/logs/simulate/{task}/{net}_{state}.log",
    benchmark:
        "results/benchmarks/simulate/{task}/{net}_{state}.tsv"
    threads: 1
    resources:
        mem_mb=job_mem_mb("simulate"),
        runtime=10,
    conda:
        "../../envs/rnn.yaml"
    script:
        "../../scripts/simulate.py"
