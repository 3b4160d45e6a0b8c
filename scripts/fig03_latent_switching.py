"""Snakemake entry point: Figure 3 of one task (rule fig03_latent_switching)."""

from rnn_hypotheses.figures.fig03_latent_switching import latent_switching_figure
from rnn_hypotheses.figures.readers import read_switching_frames
from rnn_hypotheses.figures.style import save_figure
from rnn_hypotheses.pipeline import end_job, job_log

job_log(snakemake.log[0])
task = snakemake.wildcards.task
trajectories, fixed_points = read_switching_frames(
    snakemake.input.arrays, snakemake.params.nets, snakemake.params.states, task)
save_figure(latent_switching_figure(trajectories, fixed_points, task=task), *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
