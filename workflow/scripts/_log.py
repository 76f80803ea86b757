"""Send a script's stdout and stderr (progress bars, tracebacks) to the rule's log file."""

import sys


def to_log(snakemake):
    handle = open(snakemake.log[0], "w", buffering=1)
    sys.stdout = sys.stderr = handle
