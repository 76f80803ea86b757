from pathlib import Path

from _job import setup

setup(snakemake)  # noqa: F821 - the object Snakemake gives a script

from pinnlab.cli import run_kleingordon  # noqa: E402
from pinnlab.errors import PinnlabError  # noqa: E402

w = snakemake.wildcards  # noqa: F821
width = snakemake.params.block["network"]["width"]  # noqa: F821
if int(w.width) != width:
    raise PinnlabError(f"run directory says width {w.width} but the {w.scale} Klein–Gordon network has width {width}")
run_kleingordon(snakemake.config, w.scale, w.model, int(w.seed), Path(snakemake.output.summary).parent)  # noqa: F821
