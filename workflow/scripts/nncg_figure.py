from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_nncg_figure  # noqa: E402

make_nncg_figure(snakemake.input.traces, snakemake.input.summary, snakemake.output.pdf,  # noqa: F821
                 snakemake.wildcards.scale)  # noqa: F821
