"""Snakemake entry point: tables/hypotheses (rule hypotheses)."""

from rnn_hypotheses import artifacts
from rnn_hypotheses.analysis.stats import CLAIMS_COLUMNS
from rnn_hypotheses.claims.sensitivity import window_dependence
from rnn_hypotheses.hypotheses import (
    display_table,
    hypotheses_html,
    hypotheses_table,
    robustness_sentence,
    robustness_summary,
)
from rnn_hypotheses.pipeline import job_log

log = job_log(snakemake.log[0])
names, variants = snakemake.params.names, snakemake.params.variants


def read(paths):
    return {name: artifacts.read_parquet(path, CLAIMS_COLUMNS)
            for name, path in zip(names, paths, strict=True)}


tables = read(snakemake.input.tables)
# the variants' tables come in the order of params.variants, each in the order of names
per_variant = [snakemake.input.variants[i * len(names):(i + 1) * len(names)]
               for i in range(len(variants))]
sensitivity = artifacts.read_parquet(snakemake.input.sensitivity,
                                     ["drop_ms", "key", "task", "state", "verdict"])
table = hypotheses_table(tables, {v: read(p) for v, p in zip(variants, per_variant, strict=True)},
                         window_dependence=window_dependence(sensitivity))
learnt = {}
for variant, path in zip(variants, snakemake.input.performance, strict=True):
    performance = artifacts.read_parquet(path, ["task", "net", "meets_criterion"])
    learnt[variant] = (f"{int(performance['meets_criterion'].sum())} of {len(performance)}")
for row in table[table["row"] == "hypothesis"].itertuples():
    log(f"{row.hypothesis}: {row.verdict} ({row.notes})  {row.claim}")
robustness = robustness_sentence(robustness_summary(table))
if robustness:
    log(robustness)

title = "Hypotheses of the report and the verdict on each"
artifacts.write_parquet(snakemake.output.parquet, table,
                        {"claims_tables": list(names), "robustness_variants": list(variants),
                         "variant_networks_meeting_criterion": learnt,
                         "networks_per_task": snakemake.params.networks_per_task})
intro = (f"{snakemake.params.networks_per_task} networks per task. Each hypothesis of the "
         "report's section 1 (H1-H4) is followed by the claims that bear on it, tested across "
         "networks (mean and 95% BCa bootstrap interval; Wilcoxon or Mann-Whitney test in the "
         "claim's direction, alpha 0.05; 'reversed': the opposite one-sided test rejects; "
         "'not measurable': the statistic's premise fails in too many networks). A "
         "hypothesis is 'mixed' when its claims' verdicts differ. The slow-point findings of "
         "section 6 (marked -) bear on none of the four hypotheses and come last. A latent "
         "claim marked window-dependent changes its verdict with the transient left out of "
         "the fits (tables/latent_sensitivity)."
         + (" A 'holds in' column says whether a verdict is the same when the experiment is "
            "rerun as that variant. Networks that meet the task criterion: "
            + ", ".join(f"{v} {n}" for v, n in learnt.items()) + ". " + robustness
            if variants else ""))
# the markdown and HTML show the readable form: estimate and interval in one column
with artifacts.atomic_path(snakemake.output.md) as tmp:
    tmp.write_text(f"# {title}\n\n{intro}\n\n{artifacts.markdown_table(display_table(table))}")
with artifacts.atomic_path(snakemake.output.html) as tmp:
    tmp.write_text(hypotheses_html(table, title, intro))
