from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_newton_figure  # noqa: E402

make_newton_figure(snakemake.input.runs, snakemake.input.traces, snakemake.output.pdf,  # noqa: F821
                   snakemake.wildcards.scale)  # noqa: F821
