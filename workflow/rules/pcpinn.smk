# PCPINN: the conditioning table (the Table-2 columns PCPINN and PCPINN+GDND are trained by rule train_table2).

PCPINN_CONDITIONING_JOB = "pinnlab.experiments.pcpinn_conditioning"


rule pcpinn_conditioning:
    message:
        "PCPINN conditioning table ({wildcards.scale})"
    input:
        references=lambda w: [PATHS.reference(pde) for pde in scale_cfg(w.scale)["table2"]["pdes"]],
        code=code(PCPINN_CONDITIONING_JOB),
    output:
        csv=report(
            PATHS.figure("{scale}", "pcpinn_conditioning.csv"),
            caption="../report/pcpinn_conditioning.rst", category="PCPINN",
        ),
        md=report(
            PATHS.figure("{scale}", "pcpinn_conditioning.md"),
            caption="../report/pcpinn_conditioning.rst", category="PCPINN",
        ),
    params:
        job=PCPINN_CONDITIONING_JOB,
        pcpinn=lambda w: {p: scale_cfg(w.scale)["protocols"][p]["pcpinn"] for p in scale_cfg(w.scale)["table2"]["pdes"]},
    log:
        PATHS.log("{scale}", "pcpinn_conditioning.log"),
    threads: 1
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule pcpinn:
    localrule: True
    message:
        "PCPINN conditioning table at the {SCALE} scale is up to date"
    input:
        rules.pcpinn_conditioning.output.md.format(scale=SCALE),
