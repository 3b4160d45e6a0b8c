"""Snakemake entry point: Figure S2 (rule figS2_low_rank_change)."""

import pandas as pd

from rnn_hypotheses.figures.figS2_low_rank_change import low_rank_figure
from rnn_hypotheses.figures.frames import step_band
from rnn_hypotheses.figures.style import save_figure, task_views
from rnn_hypotheses.pipeline import end_job, gather_parquet, job_log

job_log(snakemake.log[0])

table = gather_parquet(snakemake.input.tables, snakemake.params.tasks, snakemake.params.nets,
                       ["rank", "energy_share", "energy_share_random", "loss", "truncated"])
spectra = table[table["rank"] >= 1]
spectrum_bands = pd.concat([
    step_band(spectra, "energy_share", step="rank").assign(source="dW"),
    step_band(spectra, "energy_share_random", step="rank").assign(source="random"),
], ignore_index=True)
losses = table[table["truncated"]].copy()
losses["full"] = losses["rank"] == losses.groupby(["task", "net"])["rank"].transform("max")
loss_bands = step_band(losses, "loss", step="rank")
views = task_views(snakemake.params.task_kinds)
save_figure(low_rank_figure(spectra, spectrum_bands, losses, loss_bands, views),
            *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
