from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_claims  # noqa: E402

make_claims(snakemake.config, snakemake.wildcards.scale, snakemake.output.md)  # noqa: F821
