# Reference solutions made in the repository: exact formulas, or our own Burgers / Heat2d-LT solvers
# (pinnlab.experiments.reference). No scale in the path: one accurate reference serves every scale.

REFERENCE_JOB = "pinnlab.experiments.reference"


rule reference:
    message:
        "Reference solution of {wildcards.pde}"
    input:
        code=code(REFERENCE_JOB),
    output:
        npz=PATHS.reference("{pde}"),
        json=PATHS.reference("{pde}", "json"),
    params:
        job=REFERENCE_JOB,
        constants=lambda w: config.get("pde_constants", {}).get(w.pde, {}),
    log:
        f"{PATHS.logs}/reference/{{pde}}.log",
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT
