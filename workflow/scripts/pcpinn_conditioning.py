from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_pcpinn_conditioning  # noqa: E402

make_pcpinn_conditioning(snakemake.config, snakemake.wildcards.scale, snakemake.output.csv)  # noqa: F821
