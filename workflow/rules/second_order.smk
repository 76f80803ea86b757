# The exact-Newton study and the NNCG time-to-loss comparison.


rule newton_study:
    message:
        "Exact-Newton study ({wildcards.scale})"
    input:
        sources=["src/pinnlab/newton_study.py", *TRAIN_SOURCES],
    output:
        runs=f"{RESULTS}/{{scale}}/newton/runs.csv",
        traces=f"{RESULTS}/{{scale}}/newton/traces.csv",
    params:
        block=lambda w: scale_cfg(w.scale)["newton"],
    log:
        "logs/{scale}/newton_study.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/newton_study.py"


rule newton_figure:
    message:
        "Figure: exact-Newton failure ({wildcards.scale})"
    input:
        runs=rules.newton_study.output.runs,
        traces=rules.newton_study.output.traces,
        sources=["src/pinnlab/plots/newton.py", "src/pinnlab/plots/style.py"],
    output:
        pdf=f"{FIGURES}/{{scale}}/newton_failure.pdf",
        png=report(
            f"{FIGURES}/{{scale}}/newton_failure.png",
            caption="../report/newton_failure.rst", category="Second-order", subcategory="Exact Newton",
        ),
        csv=report(
            f"{FIGURES}/{{scale}}/newton_outcomes.csv",
            caption="../report/newton_outcomes.rst", category="Second-order", subcategory="Exact Newton",
        ),
        md=report(
            f"{FIGURES}/{{scale}}/newton_outcomes.md",
            caption="../report/newton_outcomes.rst", category="Second-order", subcategory="Exact Newton",
        ),
    log:
        "logs/{scale}/newton_figure.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/newton_figure.py"


rule nncg_comparison:
    message:
        "NNCG faithful vs inexact from the same Adam+L-BFGS state ({wildcards.scale})"
    input:
        parent=lambda w: nncg_comparison_parent(w.scale),
        sources=["src/pinnlab/nncg_comparison.py", *TRAIN_SOURCES],
    output:
        traces=f"{RESULTS}/{{scale}}/nncg_comparison/traces.csv",
        summary=f"{RESULTS}/{{scale}}/nncg_comparison/summary.csv",
    params:
        block=lambda w: scale_cfg(w.scale)["nncg_comparison"],
    log:
        "logs/{scale}/nncg_comparison.log",
    threads: 1
    resources:
        gpu=1,
    conda:
        "../../environment.yml"
    script:
        "../scripts/nncg_comparison.py"


rule nncg_figure:
    message:
        "Figure: NNCG time to loss ({wildcards.scale})"
    input:
        traces=rules.nncg_comparison.output.traces,
        summary=rules.nncg_comparison.output.summary,
        sources=["src/pinnlab/plots/nncg.py", "src/pinnlab/plots/style.py"],
    output:
        pdf=f"{FIGURES}/{{scale}}/nncg_time_to_loss.pdf",
        png=report(
            f"{FIGURES}/{{scale}}/nncg_time_to_loss.png",
            caption="../report/nncg_time_to_loss.rst", category="Second-order", subcategory="NNCG",
        ),
        md=report(
            f"{FIGURES}/{{scale}}/nncg_time_to_loss.md",
            caption="../report/nncg_time_to_loss_table.rst", category="Second-order", subcategory="NNCG",
        ),
    log:
        "logs/{scale}/nncg_figure.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/nncg_figure.py"


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
