from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import make_ntk_spectra_figures  # noqa: E402

i, o = snakemake.input, snakemake.output  # noqa: F821
make_ntk_spectra_figures(i.eigenvalues, i.width_limit, o.spectra_pdf, o.limit_pdf,
                         snakemake.wildcards.scale)  # noqa: F821
