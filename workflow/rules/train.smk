# Training runs: one job = one (experiment, pde, method, width, seed) at one scale.


rule train_table2:
    message:
        "Train {wildcards.method} on {wildcards.pde} (width {wildcards.width}, seed {wildcards.seed}, {wildcards.scale})"
    input:
        unpack(continued_run),
        reference=f"{REFERENCES}/{{pde}}.npz",
        sources=TRAIN_SOURCES,
    output:
        summary=f"{RESULTS}/{{scale}}/table2/{{pde}}/{{method}}/w{{width}}/s{{seed}}/summary.json",
        metrics=f"{RESULTS}/{{scale}}/table2/{{pde}}/{{method}}/w{{width}}/s{{seed}}/metrics.csv",
        params=f"{RESULTS}/{{scale}}/table2/{{pde}}/{{method}}/w{{width}}/s{{seed}}/params.npz",
    params:
        protocol=lambda w: scale_cfg(w.scale)["protocols"][w.pde],
        loss_convention=config["loss_convention"],
    log:
        "logs/{scale}/table2/{pde}/{method}/w{width}/s{seed}.log",
    benchmark:
        "logs/{scale}/table2/{pde}/{method}/w{width}/s{seed}.benchmark.tsv"
    threads: 1
    resources:
        runtime=lambda w: 240 if w.scale == "paper" else 20,
    conda:
        "../../environment.yml"
    script:
        "../scripts/train.py"
