"""glibc's allocator told to keep XLA's large temporary buffers mapped from one compiled call to the next (JAX-free).

XLA's CPU runtime mallocs each execution's temporaries and frees them when the call returns. glibc serves a block
above its mmap threshold with a fresh ``mmap`` and returns it with ``munmap``, and it never raises that threshold
past 32 MiB; so a compiled call with larger temporaries (the loss and gradient of ``benchmarks/overheads.py``'s
networks on 10,000 points) maps new pages every time, and the kernel faults in and zeroes each one: the per-call
overhead of issue #16 (the benchmark counts the faults). No threshold setting removes it; two settings together
do (``mallopt``):

- no mmap for blocks (``M_MMAP_MAX`` 0): they come from the heap;
- the heap's free top kept up to 2 GiB (``M_TRIM_THRESHOLD``), so the next call reuses the same pages.

The price is memory: up to that much freed memory stays with the process instead of going back to the system. What
it leaves: a block larger than 64 MiB that one of XLA's worker threads requests (the width-50 HVP's temporaries in
that benchmark) is mapped all the same, because a thread's own arena grows in heaps of at most 64 MiB and glibc maps
what does not fit. One arena for all threads (``M_ARENA_MAX`` 1, ``ONE_ARENA``) would catch those too, and an earlier
version set it, but the threads then contend for it on every small allocation: compiled training steps on small
batches ran markedly slower (``benchmarks/overheads.py --allocator``, docs/performance.md). Applied where pinnlab
starts a process (``python -m pinnlab``, the DAG's jobs, the benchmarks), before its first compiled call. Elsewhere
(musl, macOS) it does nothing.
"""

from __future__ import annotations

import ctypes
import functools

# mallopt's parameter numbers (glibc's malloc.h)
M_TRIM_THRESHOLD, M_MMAP_MAX, M_ARENA_MAX = -1, -4, -8
SETTINGS = {M_MMAP_MAX: 0, M_TRIM_THRESHOLD: 2**31 - 1}
ONE_ARENA = {M_ARENA_MAX: 1}  # tried and not kept (above); the benchmark's comparison applies it


def glibc():
    """The C library if it is glibc (it alone has ``gnu_get_libc_version``), else None."""
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 -- the attribute lookup is the test
    except (OSError, AttributeError):
        return None
    return libc


@functools.cache
def keep_freed_memory() -> bool:
    """Apply ``SETTINGS`` (once per process); whether the C library is glibc and took them."""
    return apply(SETTINGS)


def apply(settings: dict[int, int]) -> bool:
    """``mallopt`` each (parameter, value); whether the C library is glibc and took them all."""
    libc = glibc()
    return libc is not None and all(libc.mallopt(param, value) == 1 for param, value in settings.items())


def describe(applied: bool, one_arena: bool = False) -> str:
    """What a benchmark record says of its process's allocator (``applied``: ``keep_freed_memory()``'s answer;
    ``one_arena``: ``ONE_ARENA`` applied as well)."""
    if not applied:
        return "glibc's defaults or not glibc"
    return "freed memory kept (pinnlab.allocator)" + (", and one arena (ONE_ARENA, not kept)" if one_arena else "")
