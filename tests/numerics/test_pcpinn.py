"""The PCPINN loss: gradient against finite differences, the preconditioner's effect, a smoke run."""

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest
from jax.flatten_util import ravel_pytree

from conftest import exact_reference
from pinnlab.config import load_config
from pinnlab.experiments.table2 import resolve as resolve_run
from pinnlab.nets import make_network
from pinnlab.pcpinn.discretisation import discretise
from pinnlab.pcpinn.loss import PCPINNObjective
from pinnlab.pcpinn.preconditioner import condition_numbers
from pinnlab.pdes import make_pde
from pinnlab.training.loop import train


@pytest.mark.parametrize("name, grid", [("convection", (16, 11)), ("wave", (17, 11)), ("burgers", (17, 11)),
                                        ("heat2d_lt", (5, 5, 6))])
def test_ilu_preconditioned_system_is_better_conditioned(name, grid):
    disc = discretise(make_pde(name), grid)
    cond = condition_numbers(disc.A, 1e-6, 30)
    assert cond["cond_PinvA"] < cond["cond_A"] / 10
    # with a coarser ILU the improvement is smaller but still there
    loose = condition_numbers(disc.A, 1e-1, 1)
    assert loose["cond_PinvA"] < loose["cond_A"]


class FakeTrainer:
    def __init__(self, net):
        self.net = net


@pytest.mark.parametrize("name, grid", [("reaction", (12, 6)), ("wave", (9, 7))])
def test_pcpinn_gradient_matches_finite_differences(name, grid):
    pde = make_pde(name)
    with jax.enable_x64(True):
        net, params = make_network(2, 5, 1, seed=0)
        params = jax.tree.map(lambda x: x.astype(jnp.float64), params)
        objective = PCPINNObjective(pde, {"grid": grid, "drop_tol": 1e-1, "fill_factor": 1, "rebuild_every": 10,
                                               "linearisation": "newton"})
        fn = objective.bind(FakeTrainer(net))
        objective.before_chunk(0, params)  # builds P (a loose ILU: P⁻¹ is then far from A⁻¹)
        flat, unravel = ravel_pytree(params)
        f = lambda w: fn(unravel(w), None, {"pc": 1.0})[0]  # noqa: E731
        grad = jax.grad(f)(flat)
        direction = jax.random.normal(jax.random.key(1), flat.shape, jnp.float64)
        h = 1e-6
        fd = (f(flat + h * direction) - f(flat - h * direction)) / (2 * h)
        assert float(grad @ direction) == pytest.approx(float(fd), rel=1e-6)
        # and forward-over-reverse (NNCG's HVPs) works through the host solves
        hv = jax.jvp(jax.grad(f), (flat,), (direction,))[1]
        fd_hv = (jax.grad(f)(flat + h * direction) - jax.grad(f)(flat - h * direction)) / (2 * h)
        np.testing.assert_allclose(hv, fd_hv, rtol=1e-5, atol=1e-8 * float(jnp.abs(fd_hv).max()))


def test_smoke_pcpinn_run_lowers_the_loss_and_the_error(tmp_path):
    cfg = load_config("config/config.yaml")
    for pde in ("burgers", "convection"):
        run = resolve_run(cfg, "smoke", pde, "pcpinn", 0)
        ref = exact_reference(run.pde) if run.pde.has_exact else None
        if ref is None:
            from pinnlab.evaluate import Reference
            from pinnlab.reference.burgers import solve
            axes = run.pde.eval_axes()
            ref = Reference(axes, solve(run.pde, axes)[0], {})
        out = train(run, ref, tmp_path / pde, progress=False)
        m = pd.DataFrame(out.metrics)
        assert out.status == "ok" and m.loss_pc.iloc[-1] < m.loss_pc.iloc[0] and m.l2re.iloc[-1] < m.l2re.iloc[0]


def test_interrupted_nonlinear_pcpinn_run_resumes_identically(tmp_path):
    from pinnlab.evaluate import Reference
    from pinnlab.reference.burgers import solve

    cfg = load_config("config/config.yaml")
    run = resolve_run(cfg, "smoke", "burgers", "pcpinn", 0)  # rebuilds P every 20 steps
    axes = run.pde.eval_axes()
    ref = Reference(axes, solve(run.pde, axes)[0], {})
    whole = train(run, ref, tmp_path / "whole", progress=False)

    def stop_at_30(step):
        if step == 30:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train(resolve_run(cfg, "smoke", "burgers", "pcpinn", 0), ref, tmp_path / "cut", progress=False,
              on_chunk_end=stop_at_30)
    resumed = train(resolve_run(cfg, "smoke", "burgers", "pcpinn", 0), ref, tmp_path / "cut",
                    progress=False)
    assert resumed.resumed_from == 20
    cols = ["step", "loss_pc", "l2re"]
    pd.testing.assert_frame_equal(pd.DataFrame(whole.metrics)[cols], pd.DataFrame(resumed.metrics)[cols])
