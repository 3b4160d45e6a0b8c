"""Snakemake entry point: the interactive Figure 2 of one task (rule fig02_latent_isocontours_html).

Draws the frames of the static Figure 2 (rule fig02_latent_isocontours) with plotly, into
one self-contained HTML page.
"""

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.figures.frames import steady_state_frame
from rnn_hypotheses.figures.interactive import isocontours_view, write_html
from rnn_hypotheses.figures.style import task_views
from rnn_hypotheses.pipeline import end_job, job_log

job_log(snakemake.log[0])
task = snakemake.wildcards.task

frames = [steady_state_frame(artifacts.read_npz(path, ["steady_levels", "steady"]), net, state)
          for path, net, state in zip(snakemake.input.arrays, snakemake.params.nets,
                                      snakemake.params.states, strict=True)]
fig = isocontours_view(pd.concat(frames, ignore_index=True),
                       view=task_views(snakemake.params.task_kinds)[task])
write_html(fig, snakemake.output[0], div_id=f"fig02-{task}-latent")
end_job()  # skips the interpreter's teardown (pipeline.end_job)
