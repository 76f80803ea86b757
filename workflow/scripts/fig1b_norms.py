from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_fig1b_norms  # noqa: E402

make_fig1b_norms(snakemake.config, snakemake.wildcards.scale, snakemake.wildcards.pde,  # noqa: F821
                 snakemake.output.csv)  # noqa: F821
