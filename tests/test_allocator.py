"""pinnlab.allocator: with glibc told to keep freed memory, a compiled call's large temporaries stop costing fresh
pages on every call (the minor page faults the kernel takes to map them)."""

import subprocess
import sys

import pytest

from pinnlab.allocator import glibc

# The loss and gradient of a 3-hidden-layer width-100 network's first-order residual on 10,000 points: XLA gives the
# call one block of temporaries of about 50 MB, above glibc's 32 MiB ceiling for its mmap threshold, so glibc maps it
# afresh on every call unless told otherwise; and below the 64 MiB of an arena's heap, the most the setting keeps for
# a worker thread (pinnlab.allocator; at width 140 the block is larger and is mapped on every call all the same).
CALLS = """
import resource, sys
from pinnlab.allocator import keep_freed_memory
if sys.argv[1] == "kept":
    assert keep_freed_memory()
import jax, jax.numpy as jnp
keys = jax.random.split(jax.random.key(0), 5)
shapes = [(2, 100), (100, 100), (100, 100), (100, 1)]
ws = [jax.random.normal(k, s) / s[0] ** 0.5 for k, s in zip(keys, shapes)]
points = jax.random.uniform(keys[4], (10_000, 2))

def u(ws, z):
    for w in ws[:-1]:
        z = jnp.tanh(z @ w)
    return (z @ ws[-1])[0]

def loss(ws):
    du = jax.vmap(jax.grad(u, argnums=1), (None, 0))(ws, points)
    return jnp.mean((du[:, 1] + 40 * du[:, 0]) ** 2)

f = jax.jit(jax.value_and_grad(loss))
jax.block_until_ready(f(ws))
faults = []
for _ in range(11):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    jax.block_until_ready(f(ws))
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(sorted(faults)[5])  # the median call: now and then a call still takes fresh pages
"""
PAGES = 50e6 / 4096  # of the call's temporaries, roughly


def faults_per_call(mode: str) -> float:
    out = subprocess.run([sys.executable, "-c", CALLS, mode], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return float(out.stdout.split()[-1])


@pytest.mark.skipif(glibc() is None, reason="glibc's mallopt only")
def test_kept_memory_serves_a_large_temporary_without_new_pages():
    default, kept = faults_per_call("default"), faults_per_call("kept")
    assert default > 0.5 * PAGES, f"{default:.0f} faults per call: the probe no longer sees glibc's fresh mapping"
    assert kept < 0.05 * PAGES, f"{kept:.0f} faults per call with the memory kept (glibc's default: {default:.0f})"
