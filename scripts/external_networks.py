"""Snakemake entry point: tables/external_networks (rule external_networks).

One row per external network (what ran, what was skipped and why, its trained-state
numbers), then the median of each configured task it names, for comparison.
"""

import pandas as pd

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.slowpoint_analysis import network_statistics
from rnn_hypotheses.external import (
    NUMBER_COLUMNS,
    ExternalNetwork,
    external_table,
    network_numbers,
    trained_connectivity,
)
from rnn_hypotheses.htmlpage import html_page, html_paragraph, html_table
from rnn_hypotheses.pipeline import end_job, gather_parquet, job_log
from rnn_hypotheses.tasks import make_task

log = job_log(snakemake.log[0])
params, inputs, output = snakemake.params, snakemake.input, snakemake.output
tasks, nets = params.tasks, params.nets

trained = pd.DataFrame([
    {"task": task, "net": net, **trained_connectivity(artifacts.read_network(path).W_rec)}
    for task, net, path in zip(tasks, nets, inputs.networks, strict=True)])
performance = pd.DataFrame([
    {"task": task, "net": net, **make_task(task, params.task_entries[task]).score(
        artifacts.read_parquet(conditions), artifacts.read_parquet(trace))}
    for task, net, conditions, trace in zip(tasks, nets, inputs.conditions, inputs.traces,
                                            strict=True)])
latent = gather_parquet(inputs.latent, tasks, nets, ["pi", "pca_pi", "readout_dca", "n_active"])
slow = network_statistics(gather_parquet(inputs.point_conditions, tasks, nets),
                          gather_parquet(inputs.points, tasks, nets))
change_tasks, change_nets = params.change_tasks, params.change_nets
latent_change = gather_parquet(inputs.latent_change, change_tasks, change_nets, ["angle_dca"])
connectivity = gather_parquet(inputs.connectivity, change_tasks, change_nets,
                              ["dW_relative_norm"])

externals = {label: [ExternalNetwork(**record) for record in records]
             for label, records in params.externals.items()}
table = external_table(
    network_numbers(trained, performance, latent, slow, latent_change, connectivity),
    externals, {"tasks": params.configured, "model": params.model})
for row in table.itertuples():
    log(f"{row.label}/{row.net}: PI {row.dca_pi:.4g} nats, {row.stable:.3g} stable and "
        f"{row.saddle:.3g} saddle points per input, spectral radius "
        f"{row.spectral_radius:.3g}; skipped: {row.analyses_skipped or '-'}")

title = "Networks trained elsewhere (external_networks), beside the tasks trained here"
intro = ("One row per external network: the analyses that ran on it and those skipped, "
         "with why (without W_rec_init only the trained state exists; no network trained "
         "elsewhere has a training history; the claims, hypotheses and figures gather the "
         "configured tasks only), and its trained-state numbers. A reference row is the "
         "median over the networks trained here of the task an external label names "
         "(meets_criterion: their share). Columns: "
         + "; ".join(f"{name}: {meaning}" for name, meaning in NUMBER_COLUMNS.items()) + ".")
provenance = {"external_networks": params.externals, "tasks": params.configured,
              "model": params.model}
artifacts.write_parquet(output.parquet, table, provenance)
with artifacts.atomic_path(output.md) as tmp:
    tmp.write_text(f"# {title}\n\n{intro}\n\n{artifacts.markdown_table(table)}")
# the page shows numbers as the markdown does, to four significant digits
shown = table.map(lambda value: f"{value:.4g}" if isinstance(value, float) else value)
with artifacts.atomic_path(output.html) as tmp:
    tmp.write_text(html_page(title, [html_paragraph(intro), html_table(shown)]))
end_job()  # skips the interpreter's teardown (pipeline.end_job)
