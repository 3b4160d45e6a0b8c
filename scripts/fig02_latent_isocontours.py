"""Snakemake entry point: Figure 2 of one task (rule fig02_latent_isocontours)."""

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.figures.fig02_latent_isocontours import latent_isocontours_figure
from rnn_hypotheses.figures.frames import steady_state_frame
from rnn_hypotheses.figures.style import save_figure
from rnn_hypotheses.pipeline import end_job, job_log

job_log(snakemake.log[0])

frames = [steady_state_frame(artifacts.read_npz(path, ["steady_levels", "steady"]), net, state)
          for path, net, state in zip(snakemake.input.arrays, snakemake.params.nets,
                                      snakemake.params.states, strict=True)]
fig = latent_isocontours_figure(pd.concat(frames, ignore_index=True),
                                task=snakemake.wildcards.task)
save_figure(fig, *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
