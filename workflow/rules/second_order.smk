# The exact-Newton study and the NNCG time-to-loss comparison.

NEWTON_JOB = "pinnlab.experiments.newton"
NEWTON_FIGURE_JOB = "pinnlab.report.newton"
NNCG_JOB = "pinnlab.experiments.nncg"
NNCG_FIGURE_JOB = "pinnlab.report.nncg"


rule newton_study:
    message:
        "Exact-Newton study ({wildcards.scale})"
    input:
        code=code(NEWTON_JOB),
    output:
        runs=PATHS.result("{scale}", "newton", "runs.csv"),
        traces=PATHS.result("{scale}", "newton", "traces.csv"),
        outcomes=PATHS.result("{scale}", "newton", "outcomes.csv"),
    params:
        job=NEWTON_JOB,
        block=lambda w: scale_cfg(w.scale)["newton"],
    log:
        PATHS.log("{scale}", "newton_study.log"),
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule newton_figure:
    message:
        "Figure: exact-Newton failure ({wildcards.scale})"
    input:
        **rules.newton_study.output,
        code=code(NEWTON_FIGURE_JOB),
    output:
        pdf=PATHS.figure("{scale}", "newton_failure.pdf"),
        png=report(
            PATHS.figure("{scale}", "newton_failure.png"),
            caption="../report/newton_failure.rst", category="Second-order", subcategory="Exact Newton",
        ),
        csv=report(
            PATHS.figure("{scale}", "newton_outcomes.csv"),
            caption="../report/newton_outcomes.rst", category="Second-order", subcategory="Exact Newton",
        ),
        md=report(
            PATHS.figure("{scale}", "newton_outcomes.md"),
            caption="../report/newton_outcomes.rst", category="Second-order", subcategory="Exact Newton",
        ),
    params:
        job=NEWTON_FIGURE_JOB,
    log:
        PATHS.log("{scale}", "newton_figure.log"),
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule nncg_comparison:
    message:
        "NNCG faithful vs inexact from the same Adam+L-BFGS states ({wildcards.scale})"
    input:
        # per PDE of the block, in its order: every file of seed 0's Adam+L-BFGS run, and the reference
        unpack(lambda w: parent_run_files(layout.nncg_comparison_runs(config, w.scale), "parents")),
        references=lambda w: [PATHS.reference(pde) for pde in scale_cfg(w.scale)["nncg_comparison"]["pdes"]],
        code=code(NNCG_JOB),
    output:
        traces=PATHS.result("{scale}", "nncg_comparison", "traces.csv"),
        summary=PATHS.result("{scale}", "nncg_comparison", "summary.csv"),
    params:
        job=NNCG_JOB,
        block=lambda w: scale_cfg(w.scale)["nncg_comparison"],
    log:
        PATHS.log("{scale}", "nncg_comparison.log"),
    priority: 1  # among the longest jobs: started as soon as its runs are there
    threads: 1
    resources:
        gpu=1,
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule nncg_figure:
    message:
        "Figure: NNCG time to loss ({wildcards.scale})"
    input:
        **rules.nncg_comparison.output,
        code=code(NNCG_FIGURE_JOB),
    output:
        pdf=PATHS.figure("{scale}", "nncg_time_to_loss.pdf"),
        png=report(
            PATHS.figure("{scale}", "nncg_time_to_loss.png"),
            caption="../report/nncg_time_to_loss.rst", category="Second-order", subcategory="NNCG",
        ),
        md=report(
            PATHS.figure("{scale}", "nncg_time_to_loss.md"),
            caption="../report/nncg_time_to_loss_table.rst", category="Second-order", subcategory="NNCG",
        ),
    params:
        job=NNCG_FIGURE_JOB,
    log:
        PATHS.log("{scale}", "nncg_figure.log"),
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule newton:
    localrule: True
    message:
        "Exact-Newton figure at the {SCALE} scale is up to date"
    input:
        rules.newton_figure.output.pdf.format(scale=SCALE),


rule nncg:
    localrule: True
    message:
        "NNCG time-to-loss figure at the {SCALE} scale is up to date"
    input:
        rules.nncg_figure.output.pdf.format(scale=SCALE),
