from pathlib import Path

from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import run_training_seeds  # noqa: E402

w = snakemake.wildcards  # noqa: F821
out_dirs = [Path(p).parent for p in snakemake.output.summaries]  # noqa: F821
continues = ([Path(p).parent for p in snakemake.input.continues]  # noqa: F821
             if "continues" in snakemake.input.keys() else None)  # noqa: F821
run_training_seeds(snakemake.config, w.scale, w.pde, w.method, snakemake.params.seeds, out_dirs,  # noqa: F821
                   continues=continues)
