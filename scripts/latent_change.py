"""Snakemake entry point: principal angles between the subspaces before and after training
(rule latent_change, Fig. 9)."""

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.latent import random_subspace_angles
from rnn_hypotheses.analysis.subspaces import principal_angles
from rnn_hypotheses.pipeline import job_log

log = job_log(snakemake.log[0])
params, task, net = snakemake.params, snakemake.wildcards.task, snakemake.wildcards.net
before = artifacts.read_npz(snakemake.input.untrained, ["coef", "pca"])
after = artifacts.read_npz(snakemake.input.trained, ["coef", "pca"])
n_units, d = before["coef"].shape
table = pd.DataFrame({
    "task": task, "net": net, "dim": range(1, d + 1),
    "angle_dca": principal_angles(before["coef"], after["coef"]),
    "angle_pca": principal_angles(before["pca"], after["pca"]),
    # the same for two random subspaces: in many dimensions these are far apart already
    "chance": random_subspace_angles(n_units, d, seed=0),
})
log(f"{task}/{net}: DCA untrained vs trained {table['angle_dca'].round(1).tolist()} deg, "
    f"PCA {table['angle_pca'].round(1).tolist()} deg, chance {table['chance'].round(1).tolist()}")
artifacts.write_parquet(snakemake.output.table, table,
                        dict(params.provenance, latent=params.latent))
