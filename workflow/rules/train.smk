# Table 2's training runs: one job = one (pde, method, width, seed) at one scale (pinnlab.experiments.table2).

TABLE2_RUN = layout.run_pattern("table2")
TABLE2_JOB = "pinnlab.experiments.table2"


rule train_table2:
    message:
        "Train {wildcards.method} on {wildcards.pde} (width {wildcards.width}, seed {wildcards.seed}, {wildcards.scale})"
    wildcard_constraints:
        width=alternatives(table2_widths()),
    input:
        unpack(continued_run),
        reference=PATHS.reference("{pde}"),
        code=code(TABLE2_JOB),
    output:
        **PATHS.run_files(TABLE2_RUN),
    params:
        job=TABLE2_JOB,
        protocol=lambda w: scale_cfg(w.scale)["protocols"][w.pde],
        loss_convention=config["loss_convention"],
    log:
        PATHS.log("{scale}", "table2", "{pde}", "{method}", "w{width}", "s{seed}.log"),
    benchmark:
        PATHS.log("{scale}", "table2", "{pde}", "{method}", "w{width}", "s{seed}.benchmark.tsv")
    threads: 1
    resources:
        gpu=1,
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


# Where the scale sets `seeds_together`, one job trains every seed of a (PDE, method): `loop`, one seed after
# another (a CPU: one start-up, programs compiled once), or `vmap`, all seeds as one vmapped program (a GPU, where
# that costs little more than one seed; PCPINN, whose loss solves on the host, keeps one job per seed there).
if SEEDS_TOGETHER != "none":

    ruleorder: train_table2_seeds > train_table2

    SEED_RUNS = [TABLE2_RUN._replace(seed=s) for s in SEEDS]

    rule train_table2_seeds:
        message:
            "Train {wildcards.method} on {wildcards.pde} (width {wildcards.width}, seeds together: {params.together}, {wildcards.scale})"
        input:
            unpack(continued_runs_of_every_seed),
            reference=PATHS.reference("{pde}"),
            code=code(TABLE2_JOB),
        output:
            summaries=run_files(SEED_RUNS, "summary"),
            metrics=run_files(SEED_RUNS, "metrics"),
            params=run_files(SEED_RUNS, "params"),
        wildcard_constraints:
            scale=SCALE,
            method=alternatives(
                catalog.SEEDS_TOGETHER_METHODS if SEEDS_TOGETHER == "vmap" else catalog.TRAINED_METHODS
            ),
            width=alternatives(table2_widths()),
        params:
            job=TABLE2_JOB,
            protocol=lambda w: scale_cfg(w.scale)["protocols"][w.pde],
            loss_convention=config["loss_convention"],
            seeds=SEEDS,
            together=SEEDS_TOGETHER,
        log:
            PATHS.log("{scale}", "table2", "{pde}", "{method}", "w{width}", "seeds.log"),
        benchmark:
            PATHS.log("{scale}", "table2", "{pde}", "{method}", "w{width}", "seeds.benchmark.tsv")
        threads: 1
        resources:
            gpu=1,
        conda:
            "../../environment.yml"
        script:
            JOB_SCRIPT
