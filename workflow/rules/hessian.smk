# Hessian spectra: Fig. 1b (‖∇²L_r‖ at initialisation vs width) and densities after Table-2 training.

FIG1B_NORMS_JOB = "pinnlab.experiments.fig1b"
FIG1B_FIGURE_JOB = "pinnlab.report.fig1b"
DENSITY_JOB = "pinnlab.experiments.hessian_density"
DENSITY_FIGURE_JOB = "pinnlab.report.hessian_density"


rule fig1b_norms:
    message:
        "Fig. 1b: Hessian norms of {wildcards.pde} ({wildcards.scale})"
    input:
        code=code(FIG1B_NORMS_JOB),
    output:
        csv=PATHS.result("{scale}", "fig1b", "{pde}.csv"),
    params:
        job=FIG1B_NORMS_JOB,
        block=lambda w: scale_cfg(w.scale)["fig1b"],
        points=lambda w: scale_cfg(w.scale)["protocols"][w.pde]["points"],
    log:
        PATHS.log("{scale}", "fig1b", "{pde}.log"),
    threads: 1
    resources:
        gpu=1,
        mem_mb=lambda w: fig1b_mem_mb(w.scale, w.pde),  # host memory, measured (pinnlab.host_memory)
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule fig1b_figure:
    message:
        "Fig. 1b ({wildcards.scale})"
    input:
        csvs=lambda w: [PATHS.result(w.scale, "fig1b", f"{pde}.csv") for pde in scale_cfg(w.scale)["fig1b"]["pdes"]],
        code=code(FIG1B_FIGURE_JOB),
    output:
        csv=report(
            PATHS.figure("{scale}", "fig1b_hessian_norm.csv"),
            caption="../report/fig1b.rst", category="Hessian", subcategory="Fig. 1b",
        ),
        pdf=PATHS.figure("{scale}", "fig1b_hessian_norm.pdf"),
        png=report(
            PATHS.figure("{scale}", "fig1b_hessian_norm.png"),
            caption="../report/fig1b.rst", category="Hessian", subcategory="Fig. 1b",
        ),
    params:
        job=FIG1B_FIGURE_JOB,
    log:
        PATHS.log("{scale}", "fig1b_figure.log"),
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule hessian_density:
    message:
        "Hessian density of {wildcards.pde} after {wildcards.method} ({wildcards.scale})"
    input:
        unpack(density_run),
        code=code(DENSITY_JOB),
    output:
        csv=PATHS.result("{scale}", "hessian_density", "{pde}", "{method}.csv"),
        ritz=PATHS.result("{scale}", "hessian_density", "{pde}", "{method}_ritz.csv"),
    params:
        job=DENSITY_JOB,
        block=lambda w: scale_cfg(w.scale)["hessian_density"],
    log:
        PATHS.log("{scale}", "hessian_density", "{pde}", "{method}.log"),
    threads: 1
    resources:
        gpu=1,
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule hessian_density_figure:
    message:
        "Figure: Hessian densities after training ({wildcards.scale})"
    input:
        csvs=lambda w: density_csvs(w.scale),
        ritz=lambda w: density_csvs(w.scale, "_ritz"),
        code=code(DENSITY_FIGURE_JOB),
    output:
        csv=report(
            PATHS.figure("{scale}", "hessian_density.csv"),
            caption="../report/hessian_density.rst", category="Hessian", subcategory="Densities after training",
        ),
        pdf=PATHS.figure("{scale}", "hessian_density.pdf"),
        png=report(
            PATHS.figure("{scale}", "hessian_density.png"),
            caption="../report/hessian_density.rst", category="Hessian", subcategory="Densities after training",
        ),
    params:
        job=DENSITY_FIGURE_JOB,
    log:
        PATHS.log("{scale}", "hessian_density_figure.log"),
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT


rule fig1b:
    localrule: True
    message:
        "Fig. 1b at the {SCALE} scale is up to date"
    input:
        rules.fig1b_figure.output.pdf.format(scale=SCALE),


rule hessian:
    localrule: True
    message:
        "Hessian figures at the {SCALE} scale are up to date"
    input:
        rules.fig1b_figure.output.pdf.format(scale=SCALE),
        rules.hessian_density_figure.output.pdf.format(scale=SCALE),
