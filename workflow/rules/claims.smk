# The claims report: every claim of the paper and its sources, the evidence from the artifacts, a verdict.

CLAIMS_JOB = "pinnlab.claims.evaluate"


rule claims_report:
    message:
        "Claims report ({wildcards.scale})"
    input:
        unpack(claim_artifacts),
        code=code(CLAIMS_JOB),
    output:
        md=PATHS.figure("{scale}", "claims.md"),
        # the report shows the claims page as HTML (it embeds HTML, not Markdown), with the JSON beside it
        html=report(PATHS.figure("{scale}", "claims.html"), caption="../report/claims.rst", category="Claims"),
        json=report(PATHS.figure("{scale}", "claims.json"), caption="../report/claims.rst", category="Claims"),
    params:
        job=CLAIMS_JOB,
    log:
        PATHS.log("{scale}", "claims.log"),
    localrule: True
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule claims:
    localrule: True
    message:
        "Claims report at the {SCALE} scale is up to date"
    input:
        rules.claims_report.output.md.format(scale=SCALE),
