from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_table2  # noqa: E402

make_table2(snakemake.input.summaries, snakemake.output.csv, snakemake.wildcards.scale)  # noqa: F821
