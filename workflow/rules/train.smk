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
        gpu=1,
    conda:
        "../../environment.yml"
    script:
        "../scripts/train.py"


# On a GPU one program over all seeds costs little more than one seed (docs/performance.md): where the scale
# sets `vmap_seeds`, one job trains every seed of a (PDE, method) together (pinnlab.seeds). PCPINN (host-side
# solves) keeps one job per seed.
if scale_cfg(SCALE).get("vmap_seeds"):

    ruleorder: train_table2_seeds > train_table2

    rule train_table2_seeds:
        message:
            "Train {wildcards.method} on {wildcards.pde} (width {wildcards.width}, seeds together, {wildcards.scale})"
        input:
            unpack(continued_runs_of_every_seed),
            reference=f"{REFERENCES}/{{pde}}.npz",
            sources=TRAIN_SOURCES + ["src/pinnlab/seeds.py"],
        output:
            summaries=[f"{RESULTS}/{{scale}}/table2/{{pde}}/{{method}}/w{{width}}/s{s}/summary.json" for s in SEEDS],
            metrics=[f"{RESULTS}/{{scale}}/table2/{{pde}}/{{method}}/w{{width}}/s{s}/metrics.csv" for s in SEEDS],
            params=[f"{RESULTS}/{{scale}}/table2/{{pde}}/{{method}}/w{{width}}/s{s}/params.npz" for s in SEEDS],
        wildcard_constraints:
            scale=SCALE,
            method="|".join(VMAP_METHODS),
        params:
            protocol=lambda w: scale_cfg(w.scale)["protocols"][w.pde],
            loss_convention=config["loss_convention"],
            seeds=SEEDS,
        log:
            "logs/{scale}/table2/{pde}/{method}/w{width}/seeds.log",
        benchmark:
            "logs/{scale}/table2/{pde}/{method}/w{width}/seeds.benchmark.tsv"
        threads: 1
        resources:
            gpu=1,
        conda:
            "../../environment.yml"
        script:
            "../scripts/train_seeds.py"
