"""Snakemake entry point: Figure 8 (rule fig08_centrality)."""

from rnn_hypotheses.figures.fig08_centrality import centrality_figure
from rnn_hypotheses.figures.frames import typical_network
from rnn_hypotheses.figures.style import save_figure, task_views
from rnn_hypotheses.pipeline import end_job, gather_parquet, job_log

job_log(snakemake.log[0])

tasks, nets = snakemake.params.tasks, snakemake.params.nets
nodes = gather_parquet(snakemake.input.nodes, tasks, nets, ["node", "initial", "final", "measure"])
summary = gather_parquet(snakemake.input.summaries, tasks, nets,
                         ["spearman_rho", "fraction_top_from_bottom_half", "fraction_chance"])
# highlight the network of median rank correlation: a typical single network
highlight = typical_network(summary, "spearman_rho")
views = task_views(snakemake.params.task_kinds)
save_figure(centrality_figure(nodes, summary, highlight, views,
                              top_fraction=snakemake.params.top_fraction), *snakemake.output)
end_job()  # skips the interpreter's teardown (pipeline.end_job)
