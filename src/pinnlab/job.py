"""What a rule hands its job function (JAX-free).

Every rule of the DAG runs one function ``f(job)`` of a ``pinnlab.experiments`` or ``pinnlab.report`` module
(``workflow/scripts/job.py``), and ``job`` is Snakemake's ``snakemake`` object: ``job.input``, ``job.output``,
``job.params``, ``job.wildcards`` (named lists) and ``job.config``. A job takes every path it reads from
``job.input`` and every path it writes from ``job.output``, so the rule's declarations are the truth.

``Job`` is the same interface without Snakemake, for the command line and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace


class Named(SimpleNamespace):
    """Named entries with attribute access, ``keys()`` and ``get()``, as Snakemake's named lists."""

    def keys(self):
        return list(vars(self))

    def get(self, key, default=None):
        return vars(self).get(key, default)

    def __iter__(self):  # the values, lists flattened, as Snakemake iterates its named lists
        for value in vars(self).values():
            yield from (value if isinstance(value, list | tuple) else [value])


@dataclass
class Job:
    config: dict
    wildcards: Named = field(default_factory=Named)
    input: Named = field(default_factory=Named)
    output: Named = field(default_factory=Named)
    params: Named = field(default_factory=Named)
    rule: str = ""


def make_job(config: dict, *, wildcards=None, input=None, output=None, params=None, rule: str = "") -> Job:
    """A ``Job`` from plain dicts (paths as strings or lists of strings)."""
    return Job(config, Named(**(wildcards or {})), Named(**(input or {})), Named(**(output or {})),
               Named(**(params or {})), rule)
