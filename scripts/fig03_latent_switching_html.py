"""Snakemake entry point: the interactive Figure 3 of one task (rule fig03_latent_switching_html).

Draws the frames of the static Figure 3 (rule fig03_latent_switching) with plotly, into
one self-contained HTML page.
"""

from rnn_hypotheses.figures.interactive import switching_view, write_html
from rnn_hypotheses.figures.readers import read_switching_frames
from rnn_hypotheses.figures.style import task_views
from rnn_hypotheses.pipeline import end_job, job_log

job_log(snakemake.log[0])
task = snakemake.wildcards.task
trajectories, fixed_points = read_switching_frames(
    snakemake.input.arrays, snakemake.params.nets, snakemake.params.states, task)
fig = switching_view(trajectories, fixed_points,
                     view=task_views(snakemake.params.task_kinds)[task])
write_html(fig, snakemake.output[0], div_id=f"fig03-{task}-latent")
end_job()  # skips the interpreter's teardown (pipeline.end_job)
