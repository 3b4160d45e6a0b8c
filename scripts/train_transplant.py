"""Snakemake entry point: train the networks of a task whose init transplants a trained
network's weights (rules train_transplant and train_transplant_<first>_<last>).

scripts/train.py's job, but each initial network takes one trained network of the source
task, the rule's ``sources`` input, one per network in order
(rnn_hypotheses.pipeline.untrained_network and transplant_source). The training and write-out
repeat scripts/train.py's on purpose: a script's code is one of Snakemake's rerun triggers, so
moving them out of that script would retrain every network of every existing results folder.
"""

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
if isinstance(provenances, dict):  # rule train_transplant: one network
    provenances = [provenances]
networks, histories, snapshots = ([paths] if isinstance(paths, str) else list(paths)
                                  for paths in (output.network, output.history,
                                                output.snapshots))
sources = list(snakemake.input.sources)
if len(sources) != len(provenances):
    raise ValueError(f"{len(sources)} transplant sources for {len(provenances)} networks")
checkpoints = [Path(path).with_name("checkpoint.npz") for path in networks]
first = provenances[0]
log(f"training {first['task']}: " + ", ".join(
    f"{p['net']} (seed {p['seed']})" for p in provenances)
    + f" with {snakemake.threads} thread(s)")
initial = [untrained_network(provenance, artifacts.read_network(path))
           for provenance, path in zip(provenances, sources, strict=True)]
for network, path in zip(initial, sources, strict=True):
    log(f"seed {network.meta['seed']} starts from {path}: " + ", ".join(
        f"{key.removeprefix('init_')} {value}" for key, value in network.meta.items()
        if key.startswith("init_")))

results = train_ensemble(network_task(first), initial,
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
