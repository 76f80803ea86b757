from pathlib import Path

from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import run_training  # noqa: E402

w = snakemake.wildcards  # noqa: F821
run_training(snakemake.config, w.scale, "fig1a", w.pde, "adam", int(w.seed),  # noqa: F821
             Path(snakemake.output.summary).parent, width=int(w.width))  # noqa: F821
