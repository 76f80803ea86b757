# Klein–Gordon M1–M4 (gradient pathologies): one training job per (model, seed) or per model (below), the
# analysis of the trained networks, then the table and figures.

KLEINGORDON_RUN = layout.RunKey("{scale}", "kleingordon", "klein_gordon", "{model}", "{width}", "{seed}")
KLEINGORDON_JOB = "pinnlab.experiments.kleingordon"
KLEINGORDON_ANALYSIS_JOB = "pinnlab.experiments.kleingordon_analysis"
KLEINGORDON_REPORT_JOB = "pinnlab.report.kleingordon"
ANNEALING_COST_JOB = "pinnlab.experiments.annealing_cost"
# The keys of the kleingordon block that do not define a run (the complement of experiments.kleingordon.RUN_SETTINGS,
# which this JAX-free file cannot import): a run's params leave them out, so that adding a seed or a model, or
# changing the cost timing or the analysis's points, re-runs no trained run.
NOT_A_RUN_SETTING = ("seeds", "models", "cost", "gradient_points")
# The timing runs seed 0 of each model and no analysis: adding a seed or changing the analysis's points does not
# re-time
NOT_A_TIMING_SETTING = ("seeds", "gradient_points")


rule train_kleingordon:
    message:
        "Train Klein–Gordon {wildcards.model} (seed {wildcards.seed}, {wildcards.scale})"
    wildcard_constraints:
        width=alternatives(kleingordon_widths()),
    input:
        reference=PATHS.reference("klein_gordon"),
        code=code(KLEINGORDON_JOB),
    output:
        **PATHS.run_files(KLEINGORDON_RUN),
    params:
        job=KLEINGORDON_JOB,
        block=lambda w: kleingordon_block(w.scale, NOT_A_RUN_SETTING),
        loss_convention=config["loss_convention"],
    log:
        PATHS.log("{scale}", "kleingordon", "{model}", "w{width}", "s{seed}.log"),
    benchmark:
        PATHS.log("{scale}", "kleingordon", "{model}", "w{width}", "s{seed}.benchmark.tsv")
    threads: 1
    resources:
        gpu=1,
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


# `seeds_together: loop` (a CPU): one job trains every seed of a model, one after another (one start-up and
# compilation instead of one a seed).
if SEEDS_TOGETHER == "loop":

    ruleorder: train_kleingordon_seeds > train_kleingordon

    KLEINGORDON_SEEDS = scale_cfg(SCALE)["kleingordon"]["seeds"]
    KLEINGORDON_SEED_RUNS = [KLEINGORDON_RUN._replace(seed=s) for s in KLEINGORDON_SEEDS]

    rule train_kleingordon_seeds:
        message:
            "Train Klein–Gordon {wildcards.model}, every seed ({wildcards.scale})"
        wildcard_constraints:
            scale=SCALE,
            width=alternatives(kleingordon_widths()),
        input:
            reference=PATHS.reference("klein_gordon"),
            code=code(KLEINGORDON_JOB),
        output:
            summaries=run_files(KLEINGORDON_SEED_RUNS, "summary"),
            metrics=run_files(KLEINGORDON_SEED_RUNS, "metrics"),
            params=run_files(KLEINGORDON_SEED_RUNS, "params"),
        params:
            job=KLEINGORDON_JOB,
            block=lambda w: kleingordon_block(w.scale, NOT_A_RUN_SETTING),
            loss_convention=config["loss_convention"],
            seeds=KLEINGORDON_SEEDS,
        log:
            PATHS.log("{scale}", "kleingordon", "{model}", "w{width}", "seeds.log"),
        benchmark:
            PATHS.log("{scale}", "kleingordon", "{model}", "w{width}", "seeds.benchmark.tsv")
        # the longest jobs of a quick run: started first, the many short ones fill the cores to the end (a job
        # started late runs alone at the end of the DAG)
        priority: 1
        threads: 1
        resources:
            gpu=1,
        conda:
            "../../environment.yml"
        script:
            JOB_SCRIPT


rule kleingordon_analysis:
    message:
        "Klein–Gordon gradients and fields of the trained networks ({wildcards.scale})"
    input:
        summaries=lambda w: run_files(first_seed_runs(w.scale), "summary"),
        metrics=lambda w: run_files(first_seed_runs(w.scale), "metrics"),
        params=lambda w: run_files(first_seed_runs(w.scale), "params"),
        code=code(KLEINGORDON_ANALYSIS_JOB),
    output:
        gradients=PATHS.result("{scale}", "kleingordon", "gradients.npz"),
        fields=PATHS.result("{scale}", "kleingordon", "fields.npz"),
    params:
        job=KLEINGORDON_ANALYSIS_JOB,
        gradient_points=lambda w: scale_cfg(w.scale)["kleingordon"]["gradient_points"],
    log:
        PATHS.log("{scale}", "kleingordon_analysis.log"),
    threads: 1
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule kleingordon_report:
    message:
        "Klein–Gordon table and figures ({wildcards.scale})"
    input:
        summaries=lambda w: run_files(layout.kleingordon_runs(config, w.scale), "summary"),
        metrics=lambda w: run_files(layout.kleingordon_runs(config, w.scale), "metrics"),
        **rules.kleingordon_analysis.output,
        code=code(KLEINGORDON_REPORT_JOB),
    output:
        csv=report(
            PATHS.figure("{scale}", "kleingordon_errors.csv"),
            caption="../report/kleingordon_errors.rst", category="Klein–Gordon", subcategory="Errors",
        ),
        md=report(
            PATHS.figure("{scale}", "kleingordon_errors.md"),
            caption="../report/kleingordon_errors.rst", category="Klein–Gordon", subcategory="Errors",
        ),
        curves=report(
            PATHS.figure("{scale}", "kleingordon_curves.csv"),
            caption="../report/kleingordon_curves.rst", category="Klein–Gordon", subcategory="Training curves",
        ),
        pdfs=[PATHS.figure("{scale}", f"kleingordon_{name}.pdf") for name in ("weights", "fields", "losses",
                                                                              "gradients")],
        weights_png=report(
            PATHS.figure("{scale}", "kleingordon_weights.png"),
            caption="../report/kleingordon_weights.rst", category="Klein–Gordon", subcategory="Figures",
        ),
        fields_png=report(
            PATHS.figure("{scale}", "kleingordon_fields.png"),
            caption="../report/kleingordon_fields.rst", category="Klein–Gordon", subcategory="Figures",
        ),
        losses_png=report(
            PATHS.figure("{scale}", "kleingordon_losses.png"),
            caption="../report/kleingordon_losses.rst", category="Klein–Gordon", subcategory="Figures",
        ),
        gradients_png=report(
            PATHS.figure("{scale}", "kleingordon_gradients.png"),
            caption="../report/kleingordon_gradients.rst", category="Klein–Gordon", subcategory="Figures",
        ),
    params:
        job=KLEINGORDON_REPORT_JOB,
    log:
        PATHS.log("{scale}", "kleingordon_report.log"),
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule annealing_cost:
    message:
        "Klein–Gordon ms per step of each model, timed alone on the machine ({wildcards.scale})"
    input:
        code=code(ANNEALING_COST_JOB),
    output:
        csv=report(
            PATHS.figure("{scale}", "kleingordon_annealing_cost.csv"),
            caption="../report/kleingordon_annealing_cost.rst", category="Klein–Gordon", subcategory="Cost",
        ),
    params:
        job=ANNEALING_COST_JOB,
        block=lambda w: kleingordon_block(w.scale, NOT_A_TIMING_SETTING),
    log:
        PATHS.log("{scale}", "kleingordon_annealing_cost.log"),
    # every core: Snakemake then runs no other job beside it, so that neighbours do not change the timings
    threads: every_core()
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule kleingordon:
    localrule: True
    message:
        "Klein–Gordon table and figures at the {SCALE} scale are up to date"
    input:
        rules.kleingordon_report.output.md.format(scale=SCALE),
        rules.annealing_cost.output.csv.format(scale=SCALE),
