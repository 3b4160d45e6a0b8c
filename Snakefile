# Reproduces the report "RNN Initial Hypotheses" from raw seeds.
# Rules live in workflow/rules/, one file per stage; science lives in src/rnn_hypotheses.

from snakemake.utils import min_version, validate

from rnn_hypotheses.config import (
    check_config,
    check_moved_keys,
    read_config_file,
    select_tasks,
)
from rnn_hypotheses.tasks import resolve_subtasks

min_version("9.0")

# Snakemake's own message for a YAML syntax error names neither file nor line.
read_config_file(os.path.join(workflow.basedir, "config.yaml"))


configfile: os.path.join(workflow.basedir, "config.yaml")


report: "workflow/report/workflow.rst"


check_moved_keys(config)
validate(config, os.path.join(workflow.basedir, "workflow/schemas/config.schema.yaml"))
# a multitask's subtasks need not be run themselves: their entries are copied into it first
resolve_subtasks(config)
select_tasks(config)
check_config(config)


include: "workflow/rules/common.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/connectivity.smk"
include: "workflow/rules/simulate.smk"
include: "workflow/rules/slowpoints.smk"
include: "workflow/rules/latent.smk"
include: "workflow/rules/sensitivity.smk"
# networks trained elsewhere: after the stages whose per-network rules it reuses
include: "workflow/rules/external.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/complexity.smk"
include: "workflow/rules/questions.smk"
# last: it gathers what every stage above added to ALL_TARGETS
include: "workflow/rules/report.smk"


rule all:
    input:
        ALL_TARGETS,
    default_target: True
