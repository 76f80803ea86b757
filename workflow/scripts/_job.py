"""Set up a job's process before JAX is imported: log file, CPU threads."""

import os
import sys


def setup(snakemake):
    """Send stdout/stderr (progress bars, tracebacks) to the rule's log; keep XLA to the job's threads.

    XLA's CPU backend otherwise starts a thread pool over every core; with several jobs side by side
    they fight over the cores (measured: a quick Burgers run 21 s alone with 2 threads, 19 s with 1,
    35 s when two 2-thread jobs share 2 cores). The flags do nothing on a GPU.
    """
    handle = open(snakemake.log[0], "w", buffering=1)
    sys.stdout = sys.stderr = handle
    if snakemake.threads == 1 and "XLA_FLAGS" not in os.environ:
        os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
