# PCPINN: the conditioning table (the Table-2 columns PCPINN and PCPINN+GDND are trained by rule train_table2).


rule pcpinn_conditioning:
    message:
        "PCPINN conditioning table ({wildcards.scale})"
    input:
        references=lambda w: [f"{REFERENCES}/{pde}.npz" for pde in scale_cfg(w.scale)["table2"]["pdes"]],
        sources=["src/pinnlab/pcpinn/conditioning.py", "src/pinnlab/pcpinn/discretisation.py",
                 "src/pinnlab/pcpinn/preconditioner.py"],
    output:
        csv=report(
            f"{FIGURES}/{{scale}}/pcpinn_conditioning.csv",
            caption="../report/pcpinn_conditioning.rst", category="PCPINN",
        ),
        md=report(
            f"{FIGURES}/{{scale}}/pcpinn_conditioning.md",
            caption="../report/pcpinn_conditioning.rst", category="PCPINN",
        ),
    params:
        pcpinn=lambda w: {p: scale_cfg(w.scale)["protocols"][p]["pcpinn"] for p in scale_cfg(w.scale)["table2"]["pdes"]},
    log:
        "logs/{scale}/pcpinn_conditioning.log",
    threads: 1
    conda:
        "../../environment.yml"
    script:
        "../scripts/pcpinn_conditioning.py"


rule pcpinn:
    localrule: True
    message:
        "PCPINN conditioning table at the {SCALE} scale is up to date"
    input:
        rules.pcpinn_conditioning.output.md.format(scale=SCALE),
