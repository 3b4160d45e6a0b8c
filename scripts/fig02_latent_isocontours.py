"""Snakemake entry point: Figure 2 of one task (rule fig02_latent_isocontours)."""

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.figures.fig02_latent_isocontours import latent_isocontours_figure
from rnn_hypotheses.figures.style import latent_columns, save_figure
from rnn_hypotheses.pipeline import end_job, job_log

job_log(snakemake.log[0])

frames = []
for path, net, state in zip(snakemake.input.arrays, snakemake.params.nets,
                            snakemake.params.states, strict=True):
    arrays = artifacts.read_npz(path, ["steady_levels", "steady"])
    levels, coords = arrays["steady_levels"], arrays["steady"]
    frames.append(pd.DataFrame({"net": net, "state": state,
                                **{f"input{i + 1}": levels[:, i] for i in range(levels.shape[1])},
                                **latent_columns(coords, "dc")}))
fig = latent_isocontours_figure(pd.concat(frames, ignore_index=True),
                                task=snakemake.wildcards.task)
save_figure(fig, *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
