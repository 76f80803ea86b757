"""Table 2's runs: every (PDE, method, seed) of a scale trained under the PDE's protocol, which every method
shares (network, points, budget). Rules ``train_table2`` (one seed a job) and ``train_table2_seeds`` (a
(PDE, method)'s seeds in one job, where the scale sets ``seeds_together``); the table is ``pinnlab.report.table2``'s.

GDND continues the Adam+L-BFGS run of the same seed (``catalog.CONTINUES``): that run's directory is the job's
``continues`` input. PCPINN's methods train on the preconditioned loss (``pinnlab.pcpinn.loss``) with the ILU
that ``catalog.PCPINN_PRECONDITIONER`` names; the ``fit_uh`` control on mean (u_θ − u_h)² (``pinnlab.pcpinn.fit``).
"""

from __future__ import annotations

from pathlib import Path

from pinnlab.catalog import CONTINUES, PCPINN_PRECONDITIONER
from pinnlab.config import network_of, protocol
from pinnlab.errors import PinnlabError
from pinnlab.experiments.runs import build_run, check_width, train_and_write, train_each
from pinnlab.layout import RunKey
from pinnlab.pdes import pde_from_config
from pinnlab.training.methods import build_phases
from pinnlab.training.run import Run


def resolve(cfg: dict, scale: str, pde_name: str, method: str, seed: int,
            continues: Path | str | None = None) -> Run:
    """The run of ``method`` on ``pde_name`` with ``seed``; ``continues``: the directory of the run it continues."""
    proto = protocol(cfg, scale, pde_name)
    network = network_of(method, proto)
    phases = build_phases(method, proto)
    if method in CONTINUES and continues is None:
        raise PinnlabError(f"method {method!r} continues a {CONTINUES[method]!r} run: give its run directory")
    pde = pde_from_config(cfg, pde_name)
    objective = None
    if method in PCPINN_PRECONDITIONER:
        from pinnlab.pcpinn.loss import PCPINNObjective

        objective = PCPINNObjective(pde, proto["pcpinn"], PCPINN_PRECONDITIONER[method])
    elif method == "fit_uh":
        from pinnlab.pcpinn.fit import FitObjective

        objective = FitObjective(pde, proto["pcpinn"])
    return build_run(cfg, RunKey(scale, "table2", pde_name, method, network["width"], seed), pde, phases=phases,
                     network=network, points=proto["points"], log_every=proto["log_every"],
                     checkpoint_every=proto["checkpoint_every"], settings=proto, continues=continues,
                     objective=objective)


def _continued_dirs(job, n: int) -> list:
    """The directories of the runs that the job's ``n`` runs continue (its ``continues`` input), or Nones."""
    parents = job.input.get("continues")
    if not parents:
        return [None] * n
    return [Path(p).parent for p in ([parents] if isinstance(parents, str) else parents)]


def train_table2(job) -> list[dict]:
    """One run: ``results/<scale>/table2/<pde>/<method>/w<width>/s<seed>/``."""
    w = job.wildcards
    run = resolve(job.config, w.scale, w.pde, w.method, int(w.seed), _continued_dirs(job, 1)[0])
    check_width(RunKey(w.scale, "table2", w.pde, w.method, w.width, w.seed), run.network["width"])
    return train_and_write([run], job.input.reference, [Path(job.output.summary).parent])


def train_table2_seeds(job) -> list[dict]:
    """Every seed of a (PDE, method) in one job, each seed's artifacts in its own run directory:
    ``params.together`` ``vmap`` trains them as one vmapped program, ``loop`` one after another (each resumes
    from its own checkpoint, so an interrupted job redoes no finished seed)."""
    w = job.wildcards
    runs = [resolve(job.config, w.scale, w.pde, w.method, seed, parent)
            for seed, parent in zip(job.params.seeds, _continued_dirs(job, len(job.params.seeds)))]
    check_width(RunKey(w.scale, "table2", w.pde, w.method, w.width, "*"), runs[0].network["width"])
    dirs = [Path(p).parent for p in job.output.summaries]
    if job.params.together == "loop":
        return train_each(runs, job.input.reference, dirs)
    return train_and_write(runs, job.input.reference, dirs)
