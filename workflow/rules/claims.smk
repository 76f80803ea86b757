# The claims report: every claim of the paper and its sources, the evidence from the artifacts, a verdict.


rule claims_report:
    message:
        "Claims report ({wildcards.scale})"
    input:
        artifacts=claim_artifacts,
        sources=[str(p) for p in sorted(Path("src/pinnlab/claims").glob("*.py"))],
    output:
        md=report(f"{FIGURES}/{{scale}}/claims.md", caption="../report/claims.rst", category="Claims"),
        json=report(f"{FIGURES}/{{scale}}/claims.json", caption="../report/claims.rst", category="Claims"),
    log:
        "logs/{scale}/claims.log",
    localrule: True
    conda:
        "../../environment.yml"
    script:
        "../scripts/claims.py"


rule claims:
    localrule: True
    message:
        "Claims report at the {SCALE} scale is up to date"
    input:
        rules.claims_report.output.md.format(scale=SCALE),
