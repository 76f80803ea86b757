from pathlib import Path

from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_kleingordon_report  # noqa: E402

make_kleingordon_report(snakemake.config, snakemake.wildcards.scale, Path(snakemake.output.csv).parent)  # noqa: F821
