# pinnlab: one DAG for every figure, table and claim of the reproduction.
#   snakemake --cores 2 all --config scale=quick     (every artifact at quick scale, CPU)
#   snakemake --cores 2 table2 --config scale=smoke  (one target)
#   snakemake --report report.html --config scale=quick  (the figures and tables with captions, one HTML file)
#   snakemake --cores 1 verify --config scale=quick  (every artifact present and matching its recorded SHA-256)
# The scale (smoke | quick | paper) is in every output path; see README.md.

from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"


# Wildcards take only valid names: a typo in a requested path is refused before any job runs.
wildcard_constraints:
    scale=alternatives(catalog.SCALES),
    pde=alternatives(catalog.PDES),
    method=alternatives(catalog.TRAINED_METHODS),
    model=alternatives(catalog.KLEINGORDON_MODELS),
    width=r"\d+",
    seed=r"\d+",


onstart:
    stale_lock.record_owner()  # the lock is now ours: say so, for a later start after this one is killed
    refuse_gpu_scale_without_gpu()
    refuse_beyond_memory()


onsuccess:
    end_rate_limiter_timers()


onerror:
    end_rate_limiter_timers()


include: "workflow/rules/reference.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/second_order.smk"
include: "workflow/rules/ntk.smk"
include: "workflow/rules/hessian.smk"
include: "workflow/rules/pcpinn.smk"
include: "workflow/rules/kleingordon.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/summary.smk"
include: "workflow/rules/verify.smk"


rule all:
    default_target: True
    input:
        rules.table2.input,
        rules.newton.input,
        rules.nncg.input,
        rules.ntk.input,
        rules.hessian.input,
        rules.pcpinn.input,
        rules.kleingordon.input,
        rules.claims.input,
        rules.summary.input,
    message:
        "All artifacts of the {SCALE} scale are up to date"


# What a CPU decides at a scale meant for a GPU: every target but Table 2's and Fig. 1a's training (common.smk,
# GPU_RULES), and the claims from these and the kept records (records/<scale>/). README, paper section.
rule paper_on_cpu:
    localrule: True
    input:
        rules.newton.input,
        rules.ntk_spectra_figures.output.spectra_pdf.format(scale=SCALE),
        fig1b_on_this_machine(SCALE),
        rules.kleingordon.input,
        rules.claims.input,
    message:
        f"What a CPU decides at the {SCALE} scale is up to date: figures/{SCALE}/claims.md{fig1b_memory_note(SCALE)}"
