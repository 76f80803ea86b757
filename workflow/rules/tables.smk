# Tables built from cached run summaries (never trains).


rule table2:
    message:
        "Table 2 (L2RE, {wildcards.scale} scale)"
    input:
        summaries=lambda w: table2_summaries(w.scale),
        sources=["src/pinnlab/tables.py", "src/pinnlab/paper.py"],
    output:
        csv=report(
            f"{FIGURES}/{{scale}}/table2_l2re.csv",
            caption="../report/table2.rst", category="Table 2",
        ),
        md=report(
            f"{FIGURES}/{{scale}}/table2_l2re.md",
            caption="../report/table2.rst", category="Table 2",
        ),
        tex=f"{FIGURES}/{{scale}}/table2_l2re.tex",
    log:
        "logs/{scale}/table2.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/table2.py"


rule table2_target:
    localrule: True
    message:
        "Table 2 at the {SCALE} scale is up to date"
    input:
        rules.table2.output.md.format(scale=SCALE),
