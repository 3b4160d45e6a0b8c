"""Snakemake entry point: Figure S1 (rule figS1_nonnormality)."""

import pandas as pd

from rnn_hypotheses.figures.figS1_nonnormality import NORMS, nonnormality_figure
from rnn_hypotheses.figures.frames import step_band
from rnn_hypotheses.figures.style import save_figure, task_views
from rnn_hypotheses.pipeline import end_job, gather_parquet, job_log

job_log(snakemake.log[0])

traces = gather_parquet(snakemake.input.tables, snakemake.params.tasks, snakemake.params.nets,
                        ["step", *NORMS])
bands = pd.concat([step_band(traces, norm).assign(norm=norm) for norm in NORMS],
                  ignore_index=True)
views = task_views(snakemake.params.task_kinds)
save_figure(nonnormality_figure(traces, bands, views), *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
