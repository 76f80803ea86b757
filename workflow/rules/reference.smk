# Reference solutions made in the repository: exact formulas, or our own Burgers / Heat2d-LT solvers.


rule reference:
    message:
        "Reference solution of {wildcards.pde}"
    input:
        reference_sources,
    output:
        npz=f"{REFERENCES}/{{pde}}.npz",
        json=f"{REFERENCES}/{{pde}}.json",
    params:
        constants=lambda w: config.get("pde_constants", {}).get(w.pde, {}),
    log:
        "logs/reference/{pde}.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/reference.py"
