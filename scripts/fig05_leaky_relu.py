"""Snakemake entry point: Figure 5 (rule fig05_leaky_relu)."""

import numpy as np

from rnn_hypotheses.analysis.latent import theta_grid
from rnn_hypotheses.figures.fig05_leaky_relu import leaky_relu_figure
from rnn_hypotheses.figures.frames import leaky_relu_curves
from rnn_hypotheses.figures.style import save_figure
from rnn_hypotheses.pipeline import end_job, job_log

job_log(snakemake.log[0])

curves = leaky_relu_curves(theta_grid(snakemake.params.n_thetas), np.linspace(-2, 2, 201))
save_figure(leaky_relu_figure(curves), *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
