from pathlib import Path

from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_hessian_density  # noqa: E402

w = snakemake.wildcards  # noqa: F821
make_hessian_density(snakemake.config, w.scale, w.pde, w.method, Path(snakemake.input.run).parent,  # noqa: F821
                     snakemake.output.csv)  # noqa: F821
