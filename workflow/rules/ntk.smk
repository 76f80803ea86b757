# Neural tangent kernels: Fig. 1a (drift during Adam vs width) and the NTK spectra of PINNs.

FIG1A_RUN = layout.run_pattern("fig1a/{variant}", method="adam")
FIG1A_JOB = "pinnlab.experiments.fig1a"
FIG1A_FIGURE_JOB = "pinnlab.report.fig1a"
NTK_SPECTRA_JOB = "pinnlab.experiments.ntk_spectra"
NTK_SPECTRA_FIGURES_JOB = "pinnlab.report.ntk_spectra"


rule train_fig1a:
    message:
        "Fig. 1a run: {wildcards.variant}, {wildcards.pde}, width {wildcards.width}, seed {wildcards.seed} "
        "({wildcards.scale})"
    wildcard_constraints:
        variant=layout.FIG1A_VARIANT,
        width=alternatives(fig1a_widths()),
    input:
        reference=PATHS.reference("{pde}"),
        code=code(FIG1A_JOB),
    output:
        **PATHS.run_files(FIG1A_RUN),
    params:
        job=FIG1A_JOB,
        settings=lambda w: layout.fig1a_settings(config, w.scale, w.variant),
    log:
        PATHS.log("{scale}", "fig1a", "{variant}", "{pde}", "w{width}", "s{seed}.log"),
    benchmark:
        PATHS.log("{scale}", "fig1a", "{variant}", "{pde}", "w{width}", "s{seed}.benchmark.tsv")
    threads: 1
    resources:
        gpu=1,
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


# `seeds_together: loop` (a CPU): one job trains every seed of a (configuration, PDE, width), one after another:
# one start-up and compilation instead of one a run, which took most of a small width's job (logs/quick). Needs
# the same seeds in every configuration; otherwise each run keeps its own job.
FIG1A_SEEDS = {tuple(c["seeds"]) for c in layout.fig1a_configurations(config, SCALE)}
if SEEDS_TOGETHER == "loop" and len(FIG1A_SEEDS) == 1:

    ruleorder: train_fig1a_seeds > train_fig1a

    FIG1A_SEED_RUNS = [FIG1A_RUN._replace(seed=s) for s in next(iter(FIG1A_SEEDS))]

    rule train_fig1a_seeds:
        message:
            "Fig. 1a runs: {wildcards.variant}, {wildcards.pde}, width {wildcards.width}, every seed "
            "({wildcards.scale})"
        wildcard_constraints:
            scale=SCALE,
            variant=layout.FIG1A_VARIANT,
            width=alternatives(fig1a_widths()),
        input:
            reference=PATHS.reference("{pde}"),
            code=code(FIG1A_JOB),
        output:
            summaries=run_files(FIG1A_SEED_RUNS, "summary"),
            metrics=run_files(FIG1A_SEED_RUNS, "metrics"),
            params=run_files(FIG1A_SEED_RUNS, "params"),
        params:
            job=FIG1A_JOB,
            settings=lambda w: layout.fig1a_settings(config, w.scale, w.variant),
            seeds=next(iter(FIG1A_SEEDS)),
        log:
            PATHS.log("{scale}", "fig1a", "{variant}", "{pde}", "w{width}", "seeds.log"),
        benchmark:
            PATHS.log("{scale}", "fig1a", "{variant}", "{pde}", "w{width}", "seeds.benchmark.tsv")
        threads: 1
        resources:
            gpu=1,
        conda:
            "../../environment.yml"
        script:
            JOB_SCRIPT


rule fig1a_figure:
    message:
        "Fig. 1a: NTK drift, every configuration ({wildcards.scale})"
    input:
        summaries=lambda w: run_files(layout.fig1a_runs(config, w.scale), "summary"),
        metrics=lambda w: run_files(layout.fig1a_runs(config, w.scale), "metrics"),
        references=lambda w: [PATHS.reference(pde) for pde in fig1a_pdes(w.scale)],
        code=code(FIG1A_FIGURE_JOB),
    output:
        csv=report(
            PATHS.figure("{scale}", "fig1a_ntk_drift.csv"),
            caption="../report/fig1a.rst", category="NTK", subcategory="Fig. 1a",
        ),
        runs=PATHS.figure("{scale}", "fig1a_runs.csv"),
        pdf=PATHS.figure("{scale}", "fig1a_ntk_drift.pdf"),
        png=report(
            PATHS.figure("{scale}", "fig1a_ntk_drift.png"),
            caption="../report/fig1a.rst", category="NTK", subcategory="Fig. 1a",
        ),
        sweep_pdf=PATHS.figure("{scale}", "fig1a_sweep.pdf"),
        sweep_png=report(
            PATHS.figure("{scale}", "fig1a_sweep.png"),
            caption="../report/fig1a_sweep.rst", category="NTK", subcategory="Fig. 1a",
        ),
    params:
        job=FIG1A_FIGURE_JOB,
        headline=lambda w: layout.fig1a_configurations(config, w.scale)[0]["variant"],
    log:
        PATHS.log("{scale}", "fig1a_figure.log"),
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule ntk_spectra:
    message:
        "NTK spectra and width limit ({wildcards.scale})"
    input:
        code=code(NTK_SPECTRA_JOB),
    output:
        eigenvalues=PATHS.result("{scale}", "ntk_spectra", "eigenvalues.csv"),
        width_limit=PATHS.result("{scale}", "ntk_spectra", "width_limit.csv"),
    params:
        job=NTK_SPECTRA_JOB,
        block=lambda w: scale_cfg(w.scale)["ntk_spectra"],
    log:
        PATHS.log("{scale}", "ntk_spectra.log"),
    threads: 1
    resources:
        gpu=1,
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule ntk_spectra_figures:
    message:
        "Figures: NTK spectra and width limit ({wildcards.scale})"
    input:
        eigenvalues=rules.ntk_spectra.output.eigenvalues,
        width_limit=rules.ntk_spectra.output.width_limit,
        code=code(NTK_SPECTRA_FIGURES_JOB),
    output:
        spectra_pdf=PATHS.figure("{scale}", "ntk_spectra.pdf"),
        spectra_png=report(
            PATHS.figure("{scale}", "ntk_spectra.png"),
            caption="../report/ntk_spectra.rst", category="NTK", subcategory="Spectra",
        ),
        limit_pdf=PATHS.figure("{scale}", "ntk_width_limit.pdf"),
        limit_png=report(
            PATHS.figure("{scale}", "ntk_width_limit.png"),
            caption="../report/ntk_width_limit.rst", category="NTK", subcategory="Spectra",
        ),
    params:
        job=NTK_SPECTRA_FIGURES_JOB,
    log:
        PATHS.log("{scale}", "ntk_spectra_figures.log"),
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule fig1a:
    localrule: True
    message:
        "Fig. 1a at the {SCALE} scale is up to date"
    input:
        rules.fig1a_figure.output.pdf.format(scale=SCALE),


rule ntk:
    localrule: True
    message:
        "NTK figures at the {SCALE} scale are up to date"
    input:
        rules.fig1a_figure.output.pdf.format(scale=SCALE),
        rules.ntk_spectra_figures.output.spectra_pdf.format(scale=SCALE),
