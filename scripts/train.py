"""Snakemake entry point: train one network (rule train) or an ensemble of networks of
one task side by side (rules train_<first>_<last>, training.networks_per_job > 1)."""

from pathlib import Path

from rnn_hypotheses import artifacts
from rnn_hypotheses.model import configure_threads, enable_determinism
from rnn_hypotheses.pipeline import job_log, network_task, untrained_network
from rnn_hypotheses.train import TrainSettings, train_ensemble

configure_threads(snakemake.threads)
enable_determinism()
log = job_log(snakemake.log[0])
output = snakemake.output
provenances = snakemake.params.provenance
if isinstance(provenances, dict):  # rule train: one network
    provenances = [provenances]
networks, histories, snapshots = ([paths] if isinstance(paths, str) else list(paths)
                                  for paths in (output.network, output.history,
                                                output.snapshots))
checkpoints = [Path(path).with_name("checkpoint.npz") for path in networks]
first = provenances[0]
log(f"training {first['task']}: " + ", ".join(
    f"{p['net']} (seed {p['seed']})" for p in provenances)
    + f" with {snakemake.threads} thread(s)")

results = train_ensemble(network_task(first), [untrained_network(p) for p in provenances],
                         TrainSettings.from_config(first["training"]),
                         checkpoint_paths=checkpoints, log=log)

for result, provenance, history, snapshot in zip(results, provenances, histories, snapshots,
                                                 strict=True):
    artifacts.write_parquet(history, result.history, provenance)
    artifacts.write_npz(snapshot, {"steps": result.snapshot_steps,
                                   "W_rec": result.snapshot_weights}, provenance)
# the networks last: a network.npz means its job finished
for result, provenance, network in zip(results, provenances, networks, strict=True):
    artifacts.write_network(network, result.network, provenance)
for checkpoint in checkpoints:
    checkpoint.unlink(missing_ok=True)
