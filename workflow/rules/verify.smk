# Verification of a scale's artifacts: every expected file exists and matches the SHA-256 recorded where it was made
# (pinnlab.verify). Not part of `all`: it makes nothing, and runs whenever it is asked for:
#   snakemake --cores 1 verify --config scale=quick

VERIFY_JOB = "pinnlab.verify"


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
