"""Snakemake entry point: tables/reproducibility (rule reproducibility)."""

from rnn_hypotheses import artifacts
from rnn_hypotheses.htmlpage import html_heading, html_page, html_paragraph, html_table
from rnn_hypotheses.pipeline import job_log
from rnn_hypotheses.provenance import (
    git_commit,
    machine,
    package_versions,
    record_sections,
    reproducibility_record,
    run_span,
    stage_times,
    tensorflow_gpus,
    thread_settings,
)

log = job_log(snakemake.log[0])

params = snakemake.params
record = reproducibility_record(
    config=snakemake.params.config,
    versions=package_versions(),
    machine_info=machine(tensorflow_gpus()),
    commit=git_commit(params.repository),
    threads=thread_settings(snakemake.threads),
    stages=stage_times(params.benchmarks),
    span=run_span(params.benchmarks),
    variant_stages={name: stage_times(path)
                    for name, path in zip(params.variants, params.variant_benchmarks,
                                          strict=True)},
)
artifacts.write_parquet(snakemake.output.parquet, record)
for row in record[record["section"].isin(["git", "stage wall time"])].itertuples():
    log(f"{row.key}: {row.value}")

title = "Reproducibility record"
note = ("Versions are those of the interpreter that ran this job; stage wall times are sums "
        "of the jobs' wall times from Snakemake's benchmark files (jobs may have overlapped), "
        "as of the run that last built this record.")
parts = record_sections(record)
markdown = [f"# {title}\n\n{note}\n"]
for name, frame in parts:
    markdown.append(f"## {name}\n\n{artifacts.markdown_table(frame)}")
with artifacts.atomic_path(snakemake.output.md) as tmp:
    tmp.write_text("\n".join(markdown))
blocks = [html_paragraph(note)]
for name, frame in parts:
    blocks += [html_heading(name), html_table(frame)]
with artifacts.atomic_path(snakemake.output.html) as tmp:
    tmp.write_text(html_page(title, blocks))
