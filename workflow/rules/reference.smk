# Reference solutions made in the repository: exact formulas, or our own Burgers / Heat2d-LT solvers.


def reference_sources(wildcards):
    solver = {"burgers": ["src/pinnlab/reference/burgers.py"],
              "heat2d_lt": ["src/pinnlab/reference/heat2d_lt.py"]}.get(wildcards.pde, [])
    return [f"src/pinnlab/pdes/{wildcards.pde}.py", "src/pinnlab/reference/build.py", *solver]


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
