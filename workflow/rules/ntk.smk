# Neural tangent kernels: Fig. 1a (drift during Adam vs width) and the NTK spectra of PINNs.


rule train_fig1a:
    message:
        "Fig. 1a run: {wildcards.pde}, width {wildcards.width}, seed {wildcards.seed} ({wildcards.scale})"
    input:
        reference=f"{REFERENCES}/{{pde}}.npz",
        sources=TRAIN_SOURCES,
    output:
        summary=f"{RESULTS}/{{scale}}/fig1a/{{pde}}/adam/w{{width}}/s{{seed}}/summary.json",
        metrics=f"{RESULTS}/{{scale}}/fig1a/{{pde}}/adam/w{{width}}/s{{seed}}/metrics.csv",
        params=f"{RESULTS}/{{scale}}/fig1a/{{pde}}/adam/w{{width}}/s{{seed}}/params.npz",
    params:
        block=lambda w: scale_cfg(w.scale)["fig1a"],
        protocol=lambda w: scale_cfg(w.scale)["protocols"][w.pde],
    log:
        "logs/{scale}/fig1a/{pde}/w{width}/s{seed}.log",
    benchmark:
        "logs/{scale}/fig1a/{pde}/w{width}/s{seed}.benchmark.tsv"
    threads: 1
    resources:
        gpu=1,
    conda:
        "../../environment.yml"
    script:
        "../scripts/train_fig1a.py"


rule fig1a_figure:
    message:
        "Fig. 1a: NTK drift ({wildcards.scale})"
    input:
        summaries=lambda w: fig1a_summaries(w.scale),
        sources=["src/pinnlab/plots/ntk.py", "src/pinnlab/plots/style.py"],
    output:
        csv=report(
            f"{FIGURES}/{{scale}}/fig1a_ntk_drift.csv",
            caption="../report/fig1a.rst", category="NTK", subcategory="Fig. 1a",
        ),
        pdf=f"{FIGURES}/{{scale}}/fig1a_ntk_drift.pdf",
        png=report(
            f"{FIGURES}/{{scale}}/fig1a_ntk_drift.png",
            caption="../report/fig1a.rst", category="NTK", subcategory="Fig. 1a",
        ),
    log:
        "logs/{scale}/fig1a_figure.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/fig1a_figure.py"


rule ntk_spectra:
    message:
        "NTK spectra and width limit ({wildcards.scale})"
    input:
        sources=["src/pinnlab/ntk_spectra.py", *TRAIN_SOURCES],
    output:
        eigenvalues=f"{RESULTS}/{{scale}}/ntk_spectra/eigenvalues.csv",
        width_limit=f"{RESULTS}/{{scale}}/ntk_spectra/width_limit.csv",
    params:
        block=lambda w: scale_cfg(w.scale)["ntk_spectra"],
    log:
        "logs/{scale}/ntk_spectra.log",
    threads: 1
    resources:
        gpu=1,
    conda:
        "../../environment.yml"
    script:
        "../scripts/ntk_spectra.py"


rule ntk_spectra_figures:
    message:
        "Figures: NTK spectra and width limit ({wildcards.scale})"
    input:
        eigenvalues=rules.ntk_spectra.output.eigenvalues,
        width_limit=rules.ntk_spectra.output.width_limit,
        sources=["src/pinnlab/plots/ntk.py", "src/pinnlab/plots/style.py"],
    output:
        spectra_pdf=f"{FIGURES}/{{scale}}/ntk_spectra.pdf",
        spectra_png=report(
            f"{FIGURES}/{{scale}}/ntk_spectra.png",
            caption="../report/ntk_spectra.rst", category="NTK", subcategory="Spectra",
        ),
        limit_pdf=f"{FIGURES}/{{scale}}/ntk_width_limit.pdf",
        limit_png=report(
            f"{FIGURES}/{{scale}}/ntk_width_limit.png",
            caption="../report/ntk_width_limit.rst", category="NTK", subcategory="Spectra",
        ),
    log:
        "logs/{scale}/ntk_spectra_figures.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/ntk_spectra_figures.py"


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
