from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_reference  # noqa: E402

make_reference(snakemake.config, snakemake.wildcards.pde, snakemake.output.npz)  # noqa: F821
