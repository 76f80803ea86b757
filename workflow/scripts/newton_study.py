from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_newton_study  # noqa: E402

make_newton_study(snakemake.config, snakemake.wildcards.scale, snakemake.output.runs.rsplit("/", 1)[0])  # noqa: F821
