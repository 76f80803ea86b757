# Table 2 from the cached run summaries (never trains): pinnlab.report.table2.

TABLE2_TABLE_JOB = "pinnlab.report.table2"


rule table2_l2re:
    message:
        "Table 2 (L2RE, {wildcards.scale} scale)"
    input:
        summaries=lambda w: run_files(layout.table2_runs(config, w.scale), "summary"),
        # the trivial baselines (u ≡ 0, time mean, initial condition for all t) come from the references
        references=lambda w: [PATHS.reference(pde) for pde in scale_cfg(w.scale)["table2"]["pdes"]],
        code=code(TABLE2_TABLE_JOB),
    output:
        csv=report(PATHS.figure("{scale}", "table2_l2re.csv"), caption="../report/table2.rst", category="Table 2"),
        md=report(PATHS.figure("{scale}", "table2_l2re.md"), caption="../report/table2.rst", category="Table 2"),
        # one row per run: the seeds' spread the claims weigh
        runs=PATHS.figure("{scale}", "table2_runs.csv"),
        tex=PATHS.figure("{scale}", "table2_l2re.tex"),
    params:
        job=TABLE2_TABLE_JOB,
    log:
        PATHS.log("{scale}", "table2_l2re.log"),
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule table2:
    localrule: True
    message:
        "Table 2 at the {SCALE} scale is up to date"
    input:
        rules.table2_l2re.output.md.format(scale=SCALE),
