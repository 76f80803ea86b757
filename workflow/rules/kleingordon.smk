# Klein–Gordon M1–M4 (gradient pathologies): one training job per (model, seed), then the table and figures.


rule train_kleingordon:
    message:
        "Train Klein–Gordon {wildcards.model} (seed {wildcards.seed}, {wildcards.scale})"
    input:
        reference=f"{REFERENCES}/klein_gordon.npz",
        sources=TRAIN_SOURCES + ["src/pinnlab/kleingordon.py"],
    output:
        summary=f"{RESULTS}/{{scale}}/kleingordon/klein_gordon/{{model}}/w{{width}}/s{{seed}}/summary.json",
        metrics=f"{RESULTS}/{{scale}}/kleingordon/klein_gordon/{{model}}/w{{width}}/s{{seed}}/metrics.csv",
        params=f"{RESULTS}/{{scale}}/kleingordon/klein_gordon/{{model}}/w{{width}}/s{{seed}}/params.npz",
    wildcard_constraints:
        model="M[1-4]",
    params:
        block=lambda w: scale_cfg(w.scale)["kleingordon"],
        loss_convention=config["loss_convention"],
    log:
        "logs/{scale}/kleingordon/{model}/w{width}/s{seed}.log",
    benchmark:
        "logs/{scale}/kleingordon/{model}/w{width}/s{seed}.benchmark.tsv"
    threads: 1
    resources:
        gpu=1,
    conda:
        "../../environment.yml"
    script:
        "../scripts/kleingordon_train.py"


rule kleingordon_report:
    message:
        "Klein–Gordon table and figures ({wildcards.scale})"
    input:
        summaries=lambda w: kleingordon_summaries(w.scale),
        sources=["src/pinnlab/kleingordon_analysis.py", "src/pinnlab/plots/kleingordon.py", "src/pinnlab/paper.py"],
    output:
        csv=report(
            f"{FIGURES}/{{scale}}/kleingordon_errors.csv",
            caption="../report/kleingordon_errors.rst", category="Klein–Gordon", subcategory="Errors",
        ),
        md=report(
            f"{FIGURES}/{{scale}}/kleingordon_errors.md",
            caption="../report/kleingordon_errors.rst", category="Klein–Gordon", subcategory="Errors",
        ),
        curves=report(
            f"{FIGURES}/{{scale}}/kleingordon_curves.csv",
            caption="../report/kleingordon_curves.rst", category="Klein–Gordon", subcategory="Training curves",
        ),
        pdfs=multiext(f"{FIGURES}/{{scale}}/kleingordon_", "weights.pdf", "fields.pdf", "losses.pdf",
                      "gradients.pdf"),
        weights_png=report(
            f"{FIGURES}/{{scale}}/kleingordon_weights.png",
            caption="../report/kleingordon_weights.rst", category="Klein–Gordon", subcategory="Figures",
        ),
        fields_png=report(
            f"{FIGURES}/{{scale}}/kleingordon_fields.png",
            caption="../report/kleingordon_fields.rst", category="Klein–Gordon", subcategory="Figures",
        ),
        losses_png=report(
            f"{FIGURES}/{{scale}}/kleingordon_losses.png",
            caption="../report/kleingordon_losses.rst", category="Klein–Gordon", subcategory="Figures",
        ),
        gradients_png=report(
            f"{FIGURES}/{{scale}}/kleingordon_gradients.png",
            caption="../report/kleingordon_gradients.rst", category="Klein–Gordon", subcategory="Figures",
        ),
    log:
        "logs/{scale}/kleingordon_report.log",
    threads: 1
    conda:
        "../../environment.yml"
    script:
        "../scripts/kleingordon_report.py"


rule kleingordon:
    localrule: True
    message:
        "Klein–Gordon table and figures at the {SCALE} scale are up to date"
    input:
        rules.kleingordon_report.output.md.format(scale=SCALE),
