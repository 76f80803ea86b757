from pathlib import Path

from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_nncg_comparison  # noqa: E402

make_nncg_comparison(snakemake.config, snakemake.wildcards.scale,  # noqa: F821
                     Path(snakemake.input.parent).parent, Path(snakemake.output.traces).parent)  # noqa: F821
