from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_hessian_density_figure  # noqa: E402

make_hessian_density_figure(snakemake.input.csvs, snakemake.output.csv, snakemake.wildcards.scale)  # noqa: F821
