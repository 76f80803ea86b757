from pathlib import Path

from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import run_training  # noqa: E402
from pinnlab.errors import PinnlabError  # noqa: E402
from pinnlab.methods import network_of  # noqa: E402

w = snakemake.wildcards  # noqa: F821
width = network_of(w.method, snakemake.params.protocol)["width"]  # noqa: F821
if int(w.width) != width:
    raise PinnlabError(f"run directory says width {w.width} but the {w.scale} protocol of {w.pde} has width {width}")
continues = Path(snakemake.input.continues).parent if "continues" in snakemake.input.keys() else None  # noqa: F821
run_training(snakemake.config, w.scale, "table2", w.pde, w.method, int(w.seed),  # noqa: F821
             Path(snakemake.output.summary).parent, progress=True, continues=continues)  # noqa: F821
