# Hessian spectra: Fig. 1b (‖∇²L_r‖ at initialisation vs width) and densities after Table-2 training.


rule fig1b_norms:
    message:
        "Fig. 1b: Hessian norms of {wildcards.pde} ({wildcards.scale})"
    input:
        sources=["src/pinnlab/hessian_spectra.py", *TRAIN_SOURCES],
    output:
        csv=f"{RESULTS}/{{scale}}/fig1b/{{pde}}.csv",
    params:
        block=lambda w: scale_cfg(w.scale)["fig1b"],
        points=lambda w: scale_cfg(w.scale)["protocols"][w.pde]["points"],
    log:
        "logs/{scale}/fig1b/{pde}.log",
    threads: 1
    resources:
        gpu=1,
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig1b_norms.py"


rule fig1b_figure:
    message:
        "Fig. 1b ({wildcards.scale})"
    input:
        csvs=lambda w: [f"{RESULTS}/{w.scale}/fig1b/{pde}.csv" for pde in scale_cfg(w.scale)["fig1b"]["pdes"]],
        sources=["src/pinnlab/plots/hessian.py", "src/pinnlab/plots/style.py"],
    output:
        csv=report(
            f"{FIGURES}/{{scale}}/fig1b_hessian_norm.csv",
            caption="../report/fig1b.rst", category="Hessian", subcategory="Fig. 1b",
        ),
        pdf=f"{FIGURES}/{{scale}}/fig1b_hessian_norm.pdf",
        png=report(
            f"{FIGURES}/{{scale}}/fig1b_hessian_norm.png",
            caption="../report/fig1b.rst", category="Hessian", subcategory="Fig. 1b",
        ),
    log:
        "logs/{scale}/fig1b_figure.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig1b_figure.py"


rule hessian_density:
    message:
        "Hessian density of {wildcards.pde} after {wildcards.method} ({wildcards.scale})"
    input:
        run=lambda w: hessian_density_run(w.scale, w.pde, w.method),
        sources=["src/pinnlab/hessian_spectra.py", *TRAIN_SOURCES],
    output:
        csv=f"{RESULTS}/{{scale}}/hessian_density/{{pde}}/{{method}}.csv",
        ritz=f"{RESULTS}/{{scale}}/hessian_density/{{pde}}/{{method}}_ritz.csv",
    params:
        block=lambda w: scale_cfg(w.scale)["hessian_density"],
    log:
        "logs/{scale}/hessian_density/{pde}/{method}.log",
    threads: 1
    resources:
        gpu=1,
    conda:
        "../../environment.yml"
    script:
        "../scripts/hessian_density.py"


rule hessian_density_figure:
    message:
        "Figure: Hessian densities after training ({wildcards.scale})"
    input:
        csvs=lambda w: hessian_density_csvs(w.scale),
        sources=["src/pinnlab/plots/hessian.py", "src/pinnlab/plots/style.py"],
    output:
        csv=report(
            f"{FIGURES}/{{scale}}/hessian_density.csv",
            caption="../report/hessian_density.rst", category="Hessian", subcategory="Densities after training",
        ),
        pdf=f"{FIGURES}/{{scale}}/hessian_density.pdf",
        png=report(
            f"{FIGURES}/{{scale}}/hessian_density.png",
            caption="../report/hessian_density.rst", category="Hessian", subcategory="Densities after training",
        ),
    log:
        "logs/{scale}/hessian_density_figure.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/hessian_density_figure.py"


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
