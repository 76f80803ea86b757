"""The control of PINN-NTK (issue #13, point 5): Adam on PINN-NTK's network and lr schedule with unit weights."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from pinnlab import catalog, layout
from pinnlab.config import load_config
from pinnlab.evaluate import Reference
from pinnlab.experiments.table2 import resolve as resolve_run
from pinnlab.pdes import tensor_grid
from pinnlab.training.loop import train, train_runs

CONTROL = "adam_ntk_schedule"


@pytest.fixture(scope="module")
def cfg():
    return load_config("config/config.yaml")


def summed_steps(optimizer, steps: int) -> float:
    """Adam on a scalar with gradient 1 moves by lr_t / (1 + ε) each step: the final position is −Σ_t lr_t."""
    def body(_, carry):
        p, state = carry
        p, state, _ = optimizer.step(lambda q, batch, w: (q, {}), p, state, None, None)
        return p, state

    p = jnp.zeros(())
    return float(jax.jit(lambda: jax.lax.fori_loop(0, steps, body, (p, optimizer.init(p)))[0])())


@pytest.mark.parametrize("scale", ["quick", "paper"])
def test_the_control_has_pinn_ntks_network_and_schedule_and_no_weighting(cfg, scale):
    control, ntk, adam = (resolve_run(cfg, scale, "reaction", m, 0) for m in (CONTROL, "pinn_ntk", "adam"))
    assert control.network == ntk.network
    assert layout.table2_run(cfg, scale, "reaction", CONTROL, 0).width == ntk.network["width"]
    (phase,), (ntk_phase,) = control.phases, ntk.phases
    assert phase.steps == ntk_phase.steps and phase.weighting is None and ntk_phase.weighting is not None
    schedule = cfg["scales"][scale]["protocols"]["reaction"]["pinn_ntk"]["adam"]
    n = 2 * schedule["decay_steps"]  # exact: lr · rate^(t / decay_steps), summed over the first n steps
    exact = schedule["lr"] * np.sum(schedule["decay_rate"] ** (np.arange(n) / schedule["decay_steps"]))
    np.testing.assert_allclose(-summed_steps(phase.optimizer, n), exact, rtol=1e-4)
    np.testing.assert_allclose(-summed_steps(ntk_phase.optimizer, n), exact, rtol=1e-4)
    assert not np.isclose(-summed_steps(adam.phases[0].optimizer, n), exact, rtol=1e-2)  # Adam's differs


def test_the_control_is_a_column_after_the_papers_and_trains_seeds_together(cfg, tmp_path):
    assert CONTROL in catalog.CONTROLS and CONTROL not in catalog.METHODS
    assert CONTROL in catalog.SEEDS_TOGETHER_METHODS
    for scale in catalog.SCALES:  # wherever PINN-NTK runs, so does its control
        methods = cfg["scales"][scale]["table2"]["methods"]
        assert ("pinn_ntk" in methods) <= (CONTROL in methods)
    runs = [resolve_run(cfg, "smoke", "convection", CONTROL, seed) for seed in (0, 1)]
    pde = runs[0].pde
    axes = tuple(np.linspace(lo, hi, 5) for lo, hi in zip(pde.lower, pde.upper))
    reference = Reference(axes, np.asarray(jax.vmap(pde.exact)(tensor_grid(axes))).reshape(5, 5), {})
    separate = [train(r, reference, tmp_path / f"alone{r.seed}", progress=False) for r in runs]
    together = train_runs(runs, reference, [tmp_path / f"vmap{r.seed}" for r in runs], progress=False)
    for a, b in zip(together, separate):  # one vmapped program gives each seed's separate run
        assert a.status == b.status == "ok"
        for x, y in zip(jax.tree.leaves(a.params), jax.tree.leaves(b.params)):
            np.testing.assert_allclose(x, y, rtol=1e-4, atol=1e-6)
    assert together[0].metrics[-1]["l2re"] != together[1].metrics[-1]["l2re"]  # the seeds really differ
