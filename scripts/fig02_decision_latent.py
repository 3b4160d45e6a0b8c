"""Snakemake entry point: Figure 2 (rule fig02_decision_latent)."""

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.figures.fig02_decision_latent import decision_latent_figure
from rnn_hypotheses.figures.style import latent_columns, save_figure
from rnn_hypotheses.pipeline import job_log

job_log(snakemake.log[0])

frames = []
for path, net, state in zip(snakemake.input.arrays, snakemake.params.nets,
                            snakemake.params.states, strict=True):
    arrays = artifacts.read_npz(path, ["steady_levels", "steady"])
    levels, coords = arrays["steady_levels"], arrays["steady"]
    frames.append(pd.DataFrame({"net": net, "state": state, "input1": levels[:, 0],
                                "input2": levels[:, 1],
                                **latent_columns(coords, "dc")}))
save_figure(decision_latent_figure(pd.concat(frames, ignore_index=True)), *snakemake.output)
