"""Snakemake entry point: one external network into the project's network.npz (rule
import_network).

The file was checked when the workflow started; it is read and checked again here, as it
may have changed since (its modification reruns this job and everything after it).
"""

from rnn_hypotheses import artifacts
from rnn_hypotheses.external import read_external_network
from rnn_hypotheses.pipeline import end_job, job_log, network_task

log = job_log(snakemake.log[0])
params, label, net = snakemake.params, snakemake.wildcards.task, snakemake.wildcards.net
network = read_external_network(snakemake.input.file, network_task(params.provenance))
# what the analyses read from a network's own record, as a trained network carries it
network.meta.update(task=label, seed=params.provenance["seed"],
                    sha256=params.provenance["external"]["sha256"])
log(f"{label}/{net}: {snakemake.input.file}, {network.n_units} units, "
    f"{network.W_in.shape[1]} input(s), dt {network.dt:g} ms, tau {network.tau:g} ms, "
    f"sigma {network.sigma:g}; W_rec_init "
    f"{'given' if network.meta['W_rec_init_given'] else 'absent: trained state only'}")
artifacts.write_network(snakemake.output.network, network, params.provenance)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
