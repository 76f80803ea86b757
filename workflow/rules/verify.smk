# Verification of a scale's artifacts: every expected file exists and matches the SHA-256 recorded where it was made
# (pinnlab.verify). Not part of `all`: it makes nothing, and runs whenever it is asked for:
#   snakemake --cores 1 verify --config scale=quick

VERIFY_JOB = "pinnlab.verify"


def scale_outputs(scale):
    """The tables and figures of ``scale``: every output of the rules whose only wildcard is the scale, and the
    per-PDE tables the figures gather."""
    from snakemake.io import apply_wildcards, get_wildcard_names

    files = [apply_wildcards(str(f), {"scale": scale}) for r in workflow.rules for f in r.output
             if get_wildcard_names(str(f)) == {"scale"}]
    fig1b = [PATHS.result(scale, "fig1b", f"{pde}.csv") for pde in scale_cfg(scale)["fig1b"]["pdes"]]
    return sorted(set(files + fig1b + density_csvs(scale) + density_csvs(scale, "_ritz")))


rule verify:
    localrule: True
    message:
        "Verify every artifact of the {SCALE} scale: present, and matching the SHA-256 recorded where it was made"
    input:
        code=code(VERIFY_JOB),
    params:
        job=VERIFY_JOB,
        scale=SCALE,
        files=lambda w: scale_outputs(SCALE),
    log:
        PATHS.log(SCALE, "verify.log"),
    conda:
        "../../environment.yml"
    script:
        JOB_SCRIPT
