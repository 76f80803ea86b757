# Klein–Gordon M1–M4 (gradient pathologies): one training job per (model, seed), then the table and figures.


def kleingordon_summaries(scale):
    block = scale_cfg(scale)["kleingordon"]
    width = block["network"]["width"]
    return [f"{RESULTS}/{scale}/kleingordon/klein_gordon/{model}/w{width}/s{seed}/summary.json"
            for model in block["models"] for seed in block["seeds"]]


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
        runtime=lambda w: 60 if w.scale == "paper" else 20,
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
        csv=f"{FIGURES}/{{scale}}/kleingordon_errors.csv",
        md=f"{FIGURES}/{{scale}}/kleingordon_errors.md",
        curves=f"{FIGURES}/{{scale}}/kleingordon_curves.csv",
        figures=multiext(f"{FIGURES}/{{scale}}/kleingordon_", "weights.pdf", "weights.png", "fields.pdf",
                         "fields.png", "losses.pdf", "losses.png", "gradients.pdf", "gradients.png"),
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
