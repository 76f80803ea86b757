from pathlib import Path

from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_ntk_spectra  # noqa: E402

make_ntk_spectra(snakemake.config, snakemake.wildcards.scale,  # noqa: F821
                 Path(snakemake.output.eigenvalues).parent)  # noqa: F821
