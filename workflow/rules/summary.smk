# The summary of a scale: the measured numbers a reader looks for first (Table 2 with its spread, the verdicts,
# Klein–Gordon, exact Newton) and the commits, devices and machine behind them, read from the files below only.
# The README and docs link to it instead of typing numbers (tests/test_docs_numbers.py).

SUMMARY_JOB = "pinnlab.report.summary"


rule summary_report:
    message:
        "Summary of the measured numbers and their provenance ({wildcards.scale})"
    input:
        table2=rules.table2_l2re.output.csv,
        claims=rules.claims_report.output.json,
        kleingordon=rules.kleingordon_report.output.csv,
        newton=rules.newton_figure.output.csv,
        # the runs behind Table 2: the spread over seeds, and the commits, devices and versions that made them
        summaries=lambda w: run_files(layout.table2_runs(config, w.scale), "summary"),
        code=code(SUMMARY_JOB),
    output:
        md=PATHS.figure("{scale}", "summary.md"),
        # the report shows the page as HTML (it embeds HTML, not Markdown)
        html=report(PATHS.figure("{scale}", "summary.html"), caption="../report/summary.rst", category="Summary"),
        json=report(PATHS.figure("{scale}", "summary.json"), caption="../report/summary.rst", category="Summary"),
    params:
        job=SUMMARY_JOB,
    log:
        PATHS.log("{scale}", "summary.log"),
    localrule: True
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule summary:
    localrule: True
    message:
        "Summary of the {SCALE} scale is up to date"
    input:
        rules.summary_report.output.md.format(scale=SCALE),
