"""Snakemake entry point: train one network (rule train)."""

from pathlib import Path

from rnn_hypotheses import artifacts
from rnn_hypotheses.model import configure_threads, enable_determinism
from rnn_hypotheses.pipeline import job_log, network_task, untrained_network
from rnn_hypotheses.train import TrainSettings, train

configure_threads(snakemake.threads)
enable_determinism()
log = job_log(snakemake.log[0])
params, task, net = snakemake.params, snakemake.wildcards.task, snakemake.wildcards.net
provenance = params.provenance
checkpoint = Path(snakemake.output.network).with_name("checkpoint.npz")
log(f"training {task}/{net} (seed {provenance['seed']}) with {snakemake.threads} thread(s)")

result = train(network_task(provenance), untrained_network(provenance),
               TrainSettings.from_config(provenance["training"]), checkpoint_path=checkpoint,
               log=log)

artifacts.write_parquet(snakemake.output.history, result.history, provenance)
artifacts.write_npz(snakemake.output.snapshots,
                    {"steps": result.snapshot_steps, "W_rec": result.snapshot_weights}, provenance)
# network.npz last: its presence means the job finished.
artifacts.write_network(snakemake.output.network, result.network, provenance)
checkpoint.unlink(missing_ok=True)
