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
    run_family,
    run_sensitivity,
)
from rnn_hypotheses.pipeline import job_log

log = job_log(snakemake.log[0])
names, variants = snakemake.params.names, snakemake.params.variants
subsamples = snakemake.params.subsamples


def read(paths):
    return {name: artifacts.read_parquet(path, CLAIMS_COLUMNS)
            for name, path in zip(names, paths, strict=True)}


def per_run(paths, runs):
    """Run -> its claims tables, from ``paths`` that hold them run by run in the order of
    ``runs``, each run's in the order of ``names``."""
    return {run: read(paths[i * len(names):(i + 1) * len(names)])
            for i, run in enumerate(runs)}


tables = read(snakemake.input.tables)
# each sensitivity drop is a run of its own (none where the config names no drops)
dependence = None
# a named input of one file reads as that path, of none as an empty list
if snakemake.input.sensitivity:
    sensitivity = artifacts.read_parquet(str(snakemake.input.sensitivity),
                                         ["drop_ms", *CLAIMS_COLUMNS])
    dependence = window_dependence(run_sensitivity(tables, sensitivity))
# every claim of the run is one BH family
table = hypotheses_table(tables, per_run(snakemake.input.variants, variants),
                         window_dependence=dependence,
                         subsamples=per_run(snakemake.input.subsamples, subsamples))
family = table.loc[table["row"] == "claim", "p_family"].iloc[0]
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
                        {"claims_tables": list(names), "bh_family": run_family(names),
                         "robustness_variants": list(variants),
                         "subsamples": list(subsamples),
                         "variant_networks_meeting_criterion": learnt,
                         "networks_per_task": snakemake.params.networks_per_task})
intro = (f"{snakemake.params.networks_per_task} networks per task. Each hypothesis of the "
         "report's section 1 (H1-H4) is followed by the claims that bear on it, tested across "
         "networks (mean and 95% BCa bootstrap interval; effect size with its BCa interval: "
         "Cohen's d of one sample, d_z of paired differences, Hedges' g between groups; "
         "Wilcoxon or Mann-Whitney test in the claim's direction). Verdicts rest on p-values "
         "adjusted by Benjamini-Hochberg across every claim of the run, at a false discovery "
         f"rate of 0.05 (family: {family}; 'p adjusted'): 'reversed': the opposite one-sided "
         "test rejects; 'equivalent': an equivalence test (TOST) shows a claimed change or "
         "difference absent within its margin; 'not measurable': the statistic's premise "
         "fails in too many networks. A claim whose verdict in its own claims table (adjusted "
         "over that table alone) differs says so in its notes. A "
         "hypothesis is 'mixed' when its claims' verdicts differ. The slow-point findings of "
         "section 6 (marked -) bear on none of the four hypotheses and come last. A latent "
         "claim marked window-dependent changes its verdict with the transient left out of "
         "the fits (tables/latent_sensitivity)."
         + "".join(f" 'verdict at n = {n}' is the claim's verdict from the first {n} networks "
                   f"of each task alone (adjusted across their own claims), and 'from n = {n}' "
                   "how it moved with all of them: firmed, flipped (for the claim at one, "
                   "against it at the other), weakened, same, stayed inconclusive, "
                   "unmeasurable, changed (a hypothesis's aggregate) or missing."
                   for n in subsamples)
         + (" A 'holds in' column says whether a verdict is the same when the experiment is "
            "rerun as that variant. Networks that meet the task criterion: "
            + ", ".join(f"{v} {n}" for v, n in learnt.items()) + ". " + robustness
            if variants else ""))
# the markdown and HTML show the readable form: estimate and interval in one column
with artifacts.atomic_path(snakemake.output.md) as tmp:
    tmp.write_text(f"# {title}\n\n{intro}\n\n{artifacts.markdown_table(display_table(table))}")
with artifacts.atomic_path(snakemake.output.html) as tmp:
    tmp.write_text(hypotheses_html(table, title, intro))
