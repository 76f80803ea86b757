from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_fig1b_figure  # noqa: E402

make_fig1b_figure(snakemake.input.csvs, snakemake.output.csv, snakemake.wildcards.scale)  # noqa: F821
